"""Small centres files written on the fly."""

from __future__ import annotations

from pathlib import Path

import pytest

ROWS = [
    ("A1", "Café Bébé Centre", "51.2794", "1.0800", "120"),
    ("A2", "Oak Centre", "51.3749", "0.5340", "80"),
    ("A3", "Elm Centre", "51.1313", "1.2799", "95"),
    ("A4", "Ash Centre", "51.3998", "0.9096", "60"),
]


def write_csv(path: Path, rows=ROWS, header=("URN", "Name", "Latitude", "Longitude", "kids"),
              sep=",", encoding="utf-8", bom=False) -> Path:
    lines = [sep.join(header)] + [sep.join(r) for r in rows]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    if bom:
        data = b"\xef\xbb\xbf" + data
    path.write_bytes(data)
    return path


@pytest.fixture
def make_csv():
    """``make_csv(path, rows=ROWS, header=..., sep=",", encoding="utf-8", bom=False)``."""
    return write_csv


@pytest.fixture
def rows():
    return list(ROWS)


@pytest.fixture
def small_csv(tmp_path) -> Path:
    return write_csv(tmp_path / "centres.csv")
