"""What several benchmarks share: the best time of a few repeats, and rewriting one section of
``RESULTS.md`` in place (the sections of other benchmarks kept)."""

from __future__ import annotations

import time
from pathlib import Path

__all__ = ["best_of", "replace_section"]


def best_of(fn, repeats: int):
    """(what ``fn()`` returned, the best wall time in seconds of ``repeats`` calls)."""
    best, out = float("inf"), None
    for _ in range(max(1, repeats)):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best


def replace_section(path: Path, section: str, lines: list[str]) -> None:
    """Put ``lines`` where the section headed ``section`` stands in ``path`` (at the end when it
    is not there yet), keeping every later section of another benchmark."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    head, _, rest = text.partition("\n" + section)
    later = rest.find("\n## ") if rest else -1
    tail = rest[later:] if later >= 0 else ""
    path.write_text(head.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n" + tail,
                    encoding="utf-8")
