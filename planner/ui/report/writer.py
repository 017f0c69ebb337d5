"""Write the pack as an A4 PDF with Qt's own PDF writer, page by page, as a generator.

``for fraction, message in pack_steps(content, path): ...`` draws one page (or one federation)
per step, so the window can show progress and cancel between steps (closing the generator
removes the half-written file); :func:`write_pack` runs it to the end and returns the page count.
The file appears only when complete (written beside it, then renamed).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Generator
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

from planner.ui.report.layout import Page
from planner.ui.report.pages import draw_comparison, draw_cover, draw_federation, draw_log

__all__ = ["pack_steps", "write_pack", "DPI"]

DPI = 300


def _writer(path: Path, content) -> QPdfWriter:
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    writer.setTitle(f"Consultation pack: {content.area}, {content.option}")
    writer.setCreator("SureStart Federation Planner")
    return writer


def pack_steps(content, path: str | os.PathLike) -> Generator[tuple[float, str], None, int]:
    """Draw the pack for ``content`` into ``path``; yields (fraction, message); returns pages."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    writer = _writer(tmp, content)
    painter = QPainter(writer)
    done = False
    try:
        page = Page(painter, DPI, f"{content.area} \u00b7 {content.option} \u00b7 "
                                  f"{content.date} \u00b7 SureStart Federation Planner")

        def new_page() -> None:
            if page.number:
                writer.newPage()
            page.number += 1
            page.footer_text()

        steps = len(content.federations) + 2 + (content.comparison is not None)
        yield 0.0, "Cover"
        draw_cover(page, new_page, content)
        for i, fed in enumerate(content.federations, start=1):
            yield i / steps, f"Federation {fed.name}"
            draw_federation(page, new_page, content, fed)
        if content.comparison is not None:
            yield (steps - 2) / steps, "Comparison"
            draw_comparison(page, new_page, content)
        yield (steps - 1) / steps, "Change log"
        draw_log(page, new_page, content)
        painter.end()
        os.replace(tmp, path)
        done = True
        yield 1.0, f"Wrote {page.number} pages"
        return page.number
    finally:
        if not done:
            if painter.isActive():
                painter.end()
            tmp.unlink(missing_ok=True)


def write_pack(content, path: str | os.PathLike,
               progress: Callable[[float, str], None] | None = None) -> int:
    """Write the whole pack; the number of pages."""
    steps = pack_steps(content, path)
    while True:
        try:
            fraction, message = next(steps)
        except StopIteration as stop:
            return int(stop.value)
        if progress is not None:
            progress(fraction, message)
