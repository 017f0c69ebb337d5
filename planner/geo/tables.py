"""Read a centres file into a plain :class:`Table`: header, rows and (for vector files) points.

Formats, chosen by extension:

- ``.csv``, ``.txt``, ``.tsv``: delimited text. UTF-8 with or without BOM, else Windows-1252
  (Excel); separator comma, semicolon or tab, sniffed from the header line. Values stay strings.
- ``.geojson``, ``.json``: GeoJSON FeatureCollection (or a single Feature), read with the json
  module so foreign members (a saved plan's ``"planner"``) survive. A legacy ``crs`` member is
  honoured. Features with ``"kind": "outline"`` (federation outlines written by the exporter) are
  not centres and are skipped.
- ``.gpkg``, ``.shp``: read with pyogrio (first layer). Points are taken in the layer's CRS.

Centres must be points: other geometries raise :class:`InputError` naming the features; a
feature with no geometry is an unlocated centre (skipped with a warning by the reader).
"""

from __future__ import annotations

import csv
import io as _io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from planner.geo.errors import InputError, list_some

__all__ = ["Table", "read_table", "CSV_SUFFIXES", "GEOJSON_SUFFIXES", "OGR_SUFFIXES"]

CSV_SUFFIXES = (".csv", ".txt", ".tsv")
GEOJSON_SUFFIXES = (".geojson", ".json")
OGR_SUFFIXES = (".gpkg", ".shp")
_SNIFF_BYTES = 8192


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
    """The records of ``path``. :class:`InputError` for anything that is not a centres file."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: file not found")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file")
    suffix = path.suffix.lower()
    try:
        if suffix in CSV_SUFFIXES:
            return _read_csv(path)
        if suffix in GEOJSON_SUFFIXES:
            return _read_geojson(path)
        if suffix in OGR_SUFFIXES:
            return _read_ogr(path)
    except PermissionError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None
    if suffix in (".xlsx", ".xls", ".ods"):
        raise InputError(f"{path}: spreadsheets are not read directly; save it as CSV first")
    raise InputError(
        f"{path}: unknown file type {suffix or '(no extension)'!r}; expected one of "
        + ", ".join(CSV_SUFFIXES + GEOJSON_SUFFIXES + OGR_SUFFIXES)
    )


# -- CSV ---------------------------------------------------------------------------------------
def _decode(path: Path, data: bytes) -> tuple[str, str]:
    head = data[:_SNIFF_BYTES]
    if head.startswith(b"PK\x03\x04"):
        raise InputError(f"{path}: is a zip archive or Excel workbook, not a CSV text file")
    if b"\x00" in head:
        raise InputError(f"{path}: is a binary file, not a CSV text file")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _sniff_delimiter(first_line: str) -> str:
    counts = {}
    for delim in (",", ";", "\t"):
        try:
            counts[delim] = len(next(csv.reader([first_line], delimiter=delim)))
        except (csv.Error, StopIteration):
            counts[delim] = 0
    return max((",", ";", "\t"), key=lambda d: counts[d])


def _read_csv(path: Path) -> Table:
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    text, encoding = _decode(path, data)
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    lines = text.splitlines()
    first = next(line for line in lines if line.strip())
    delimiter = _sniff_delimiter(first)
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[list] = []
    labels: list[str] = []
    long_rows: list[str] = []
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [c.strip() for c in record]
                continue
            if len(record) > len(header):
                if any(c.strip() for c in record[len(header):]):
                    long_rows.append(f"row {line}")
                record = record[: len(header)]
            elif len(record) < len(header):
                record = record + [""] * (len(header) - len(record))
            rows.append(record)
            labels.append(f"row {line}")
    except csv.Error as exc:
        raise InputError(
            f"{path}: not a readable CSV file (row {reader.line_num}: {exc})"
        ) from None
    assert header is not None
    _check_header(path, header)
    if long_rows:
        raise InputError(
            f"{path}: {len(long_rows)} row(s) have more values than the header has columns "
            f"({len(header)}): {list_some(long_rows)}"
        )
    if not rows:
        raise InputError(f"{path}: has a header ({', '.join(header)}) but no data rows")
    table = Table(path, header, rows, labels, "csv", decimal_comma=delimiter == ";")
    if encoding != "utf-8":
        table.warnings.append(f"{path.name}: not UTF-8; read as {encoding} (Windows/Excel text)")
    return table


def _check_header(path: Path, header: list[str]) -> None:
    blank = [str(j + 1) for j, c in enumerate(header) if not c]
    if blank and len(blank) == len(header):
        raise InputError(f"{path}: the header row is blank")
    seen: dict[str, int] = {}
    dups = []
    for c in header:
        if c and c in seen:
            dups.append(c)
        seen[c] = 1
    if dups:
        raise InputError(f"{path}: duplicate column names in the header: {list_some(dups)}")
    for j, c in enumerate(header):
        if not c:
            header[j] = f"column_{j + 1}"


# -- GeoJSON -----------------------------------------------------------------------------------
def _legacy_crs(path: Path, doc: dict) -> str:
    crs = doc.get("crs")
    if not isinstance(crs, dict):
        return "EPSG:4326"
    name = str((crs.get("properties") or {}).get("name", ""))
    if "CRS84" in name.upper() or not name:
        return "EPSG:4326"
    code = name.rsplit(":", 1)[-1]
    if code.isdigit():
        return f"EPSG:{code}"
    raise InputError(f"{path}: unsupported 'crs' member {name!r}")


def _read_geojson(path: Path) -> Table:
    data = path.read_bytes()
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    if b"\x00" in data[:_SNIFF_BYTES]:
        raise InputError(f"{path}: is a binary file, not GeoJSON text")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(f"{path}: is not UTF-8 text, so not GeoJSON") from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
        found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise InputError(
            f"{path}: is JSON but not GeoJSON: expected \"type\": \"FeatureCollection\", "
            f"found {found!r}"
        )
    features = [doc] if doc["type"] == "Feature" else doc.get("features")
    if not isinstance(features, list):
        raise InputError(f"{path}: GeoJSON FeatureCollection without a \"features\" list")
    crs = _legacy_crs(path, doc)
    columns: dict[str, None] = {}
    records: list[dict] = []
    points: list[tuple[float, float] | None] = []
    labels: list[str] = []
    fids: list = []
    bad_geom: list[str] = []
    for n, feat in enumerate(features, start=1):
        if not isinstance(feat, dict) or feat.get("type") != "Feature":
            raise InputError(f"{path}: feature {n} is not a GeoJSON Feature")
        props = feat.get("properties") or {}
        if not isinstance(props, dict):
            raise InputError(f"{path}: feature {n} has properties that are not an object")
        if props.get("kind") == "outline":
            continue
        geom = feat.get("geometry")
        point = _point_of(geom)
        if point is False:
            gtype = geom.get("type") if isinstance(geom, dict) else type(geom).__name__
            bad_geom.append(f"feature {n} ({gtype})")
            continue
        for k in props:
            columns.setdefault(str(k), None)
        records.append(props)
        points.append(point)
        labels.append(f"feature {n}")
        fids.append(feat.get("id"))
    if bad_geom:
        raise InputError(
            f"{path}: centres must be Point features; {len(bad_geom)} are not: "
            f"{list_some(bad_geom)}. Convert them to points (e.g. centroids) first."
        )
    if not records:
        raise InputError(f"{path}: has no features")
    header = list(columns)
    rows = [[rec.get(c) for c in header] for rec in records]
    foreign = {k: v for k, v in doc.items() if k not in ("type", "features", "crs", "bbox")}
    return Table(path, header, rows, labels, "geojson", points, crs, fids, foreign)


def _point_of(geom) -> tuple[float, float] | None | bool:
    """(x, y) for a Point (or one-point MultiPoint); None for no geometry; False otherwise."""
    if geom is None:
        return None
    if not isinstance(geom, dict):
        return False
    coords = geom.get("coordinates")
    if geom.get("type") == "MultiPoint" and isinstance(coords, list) and len(coords) == 1:
        coords = coords[0]
    elif geom.get("type") != "Point":
        return False
    if coords in (None, []):
        return None
    try:
        x, y = float(coords[0]), float(coords[1])
    except (TypeError, ValueError, IndexError):
        return False
    return (x, y)


# -- GeoPackage / Shapefile ------------------------------------------------------------------
def _read_ogr(path: Path) -> Table:
    import pyogrio
    from pyogrio.errors import DataSourceError

    try:
        frame = pyogrio.read_dataframe(path)
    except (DataSourceError, ValueError, OSError) as exc:
        raise InputError(f"{path}: cannot be read as {path.suffix} ({exc})") from None
    if len(frame) == 0:
        raise InputError(f"{path}: has no features")
    geometry = getattr(frame, "geometry", None) if hasattr(frame, "crs") else None
    header = [str(c) for c in frame.columns if c != "geometry"]
    rows = [
        [_plain(v) for v in record]
        for record in frame[header].itertuples(index=False, name=None)
    ]
    labels = [f"feature {n}" for n in range(1, len(frame) + 1)]
    if geometry is None:
        return Table(path, header, rows, labels, "ogr")
    points: list[tuple[float, float] | None] = []
    bad: list[str] = []
    types = geometry.geom_type.to_numpy()
    empty = geometry.isna().to_numpy() | geometry.is_empty.to_numpy()
    xs = np.full(len(frame), np.nan)
    ys = np.full(len(frame), np.nan)
    is_point = (types == "Point") & ~empty
    if is_point.any():
        xs[is_point] = geometry[is_point].x.to_numpy()
        ys[is_point] = geometry[is_point].y.to_numpy()
    for i in range(len(frame)):
        if empty[i]:
            points.append(None)
        elif is_point[i]:
            points.append((float(xs[i]), float(ys[i])))
        elif types[i] == "MultiPoint" and len(geometry.iloc[i].geoms) == 1:
            p = geometry.iloc[i].geoms[0]
            points.append((p.x, p.y))
        else:
            bad.append(f"{labels[i]} ({types[i]})")
            points.append(None)
    if bad:
        raise InputError(
            f"{path}: centres must be Point features; {len(bad)} are not: {list_some(bad)}. "
            "Convert them to points (e.g. centroids) first."
        )
    crs = frame.crs.to_string() if frame.crs is not None else None
    table = Table(path, header, rows, labels, "ogr", points, crs or "EPSG:4326")
    if crs is None:
        table.warnings.append(f"{path.name}: no coordinate system recorded; assumed WGS84 lon/lat")
    return table


def _plain(value):
    """numpy/pandas scalars to plain Python; missing values to None."""
    if value is None:
        return None
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        try:
            value = value.item()
        except (ValueError, AttributeError):
            pass
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is pd.NaT or value is pd.NA:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
