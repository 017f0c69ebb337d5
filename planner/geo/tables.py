"""Read a centres file into a plain :class:`Table`: header, rows and (for vector files) points.

Formats, chosen by extension:

- ``.csv``, ``.txt``, ``.tsv``: delimited text. UTF-8 with or without BOM, else Windows-1252
  (Excel); separator comma, semicolon or tab, sniffed from the header line. Values stay strings.
- ``.geojson``, ``.json``: GeoJSON FeatureCollection (or a single Feature), read with the json
  module so foreign members (a saved plan's ``"planner"``) survive. A legacy ``crs`` member is
  honoured. Features with ``"kind": "outline"`` (federation outlines written by the exporter) are
  not centres and are skipped.
- ``.gpkg``, ``.shp``: read with pyogrio (the first point layer). Points are taken in the layer's
  CRS. A shapefile's parts are checked against each other first (:mod:`planner.geo.ogrtable`).

Each format has its module (:mod:`~planner.geo.csvtable`, :mod:`~planner.geo.geojsontable`,
:mod:`~planner.geo.ogrtable`); every file is checked with ``stat`` before it is opened
(:mod:`planner.geo.guard`).

Centres must be points: other geometries raise :class:`InputError` naming the features; a
feature with no geometry is an unlocated centre (skipped with a warning by the reader).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from planner.geo.errors import InputError
from planner.geo.guard import check_input

__all__ = ["Table", "read_table", "CSV_SUFFIXES", "GEOJSON_SUFFIXES", "OGR_SUFFIXES"]

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
GEOJSON_SUFFIXES = (".geojson", ".json")
OGR_SUFFIXES = (".gpkg", ".shp")


@dataclass
class Table:
    """A file's records before interpretation.

    ``rows[i][j]`` is the value of ``columns[j]`` in record ``i``; ``labels[i]`` names the record
    as the planner sees it (``"row 5"`` = spreadsheet row 5, header is row 1; ``"feature 3"``).
    ``points`` is None for text files, else one ``(x, y)`` or None per record in ``points_crs``.
    """

    path: Path
    columns: list[str]
    rows: list[list]
    labels: list[str]
    kind: str  # "csv" | "geojson" | "ogr"
    points: list[tuple[float, float] | None] | None = None
    points_crs: str | None = None
    feature_ids: list | None = None
    foreign: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    decimal_comma: bool = False

    def column(self, name: str) -> list:
        j = self.columns.index(name)
        return [r[j] for r in self.rows]


def read_table(path: str | Path) -> Table:
    """The records of ``path``. :class:`InputError` for anything that is not a centres file.

    The file is checked with ``stat`` first (:mod:`planner.geo.guard`): FIFOs, devices and
    files over the size limit are refused before anything is opened.
    """
    from planner.geo.csvtable import read_csv
    from planner.geo.geojsontable import read_geojson
    from planner.geo.ogrtable import read_ogr

    path = Path(path)
    suffix = path.suffix.lower()
    check_input(path)
    try:
        if suffix in CSV_SUFFIXES:
            return read_csv(path)
        if suffix in GEOJSON_SUFFIXES:
            return read_geojson(path)
        if suffix in OGR_SUFFIXES:
            return read_ogr(path)
    except PermissionError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if suffix in (".xlsx", ".xls", ".ods"):
        raise InputError(f"{path}: spreadsheets are not read directly; save it as CSV first")
    raise InputError(
        f"{path}: unknown file type {suffix or '(no extension)'!r}; expected one of "
        + ", ".join(CSV_SUFFIXES + GEOJSON_SUFFIXES + OGR_SUFFIXES)
    )
