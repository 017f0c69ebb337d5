"""Build malformed, hostile and awkward-but-valid inputs from the shipped sample, each with what
the planner must do with it.

``generate(sample_dir, out_dir) -> list[Case]``. A :class:`Case` is refused (exit 2, a message of
at most three lines naming the file and, where there is one, the place: ``words``) or loaded
(``count`` centres; ``coords`` = one centre's id and its lon/lat, to 1e-4 degrees, checked against
the sample). ``kind`` says which commands take it: ``centres`` (stats, validate, export, plan),
``boundaries`` (``--boundaries`` of validate and export), ``links`` (``plan --links``).

Expectations come from how the files were made (the sample's 103 centres, its known coordinates),
never from the planner's own reader.
"""

from __future__ import annotations

import sys
from pathlib import Path

from hostile_base import BIG_ROWS, SAMPLE_ROWS, Case, _csv, _Maker
from hostile_geojson import _geojson_cases
from hostile_layers import _layer_cases, _ogr_cases
from hostile_plans import _plan_cases
from hostile_text import _text_cases

__all__ = ["Case", "SAMPLE_ROWS", "generate"]


def _big_cases(m: _Maker) -> None:
    h, rows = m.header, m.rows
    big = [rows[i % len(rows)][:] for i in range(BIG_ROWS)]
    for i, r in enumerate(big):
        r[0] = str(1_000_000 + i)
        r[m.col("lat")] = f"{float(r[m.col('lat')]) + (i // len(rows)) * 1e-6:.7f}"
    big[0] = rows[0][:]
    m.ok("rows_200000.csv", _csv(m.p("rows_200000.csv"), h, big), count=BIG_ROWS, slow=True)


def generate(sample_dir: Path, out_dir: Path, *, big: bool = False) -> list[Case]:
    """Every case, its files written under ``out_dir``; ``big`` adds the 200,000-row file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    m = _Maker(Path(sample_dir), out_dir)
    _text_cases(m)
    _geojson_cases(m)
    _plan_cases(m)
    _layer_cases(m)
    _ogr_cases(m)
    if big:
        _big_cases(m)
    return m.cases


if __name__ == "__main__":  # python tests/hostile/hostile_inputs.py OUT_DIR
    from planner.resources import where

    made = generate(where("sample"), Path(sys.argv[1]))
    refused = sum(c.expect == "refuse" for c in made)
    print(f"{len(made)} inputs in {sys.argv[1]}: {refused} to refuse, "
          f"{len(made) - refused} to load")
