"""GeoPackage and Shapefile (``.gpkg``, ``.shp``) into a :class:`~planner.geo.tables.Table`.

Read with pyogrio. A GeoPackage with several layers is read from its first point layer (named in a
warning); an empty layer is refused. A shapefile is three files that must agree: the ``.shx``
index and the ``.dbf`` table must be there, and the ``.shp`` and ``.dbf`` must be as long as their
headers say, so a truncated copy is refused ("the index lists 103 features but the .shp ends
after 49") instead of losing centres silently.
"""

from __future__ import annotations

import math
import struct
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from planner.geo.errors import InputError, list_some
from planner.geo.guard import check_input

__all__ = ["read_ogr", "check_shapefile", "read_frame"]


def _sidecar(path: Path, ext: str) -> Path | None:
    for candidate in (path.with_suffix(ext), path.with_suffix(ext.upper())):
        if candidate.exists():
            return candidate
    return None


def check_shapefile(path: Path) -> int:
    """The number of features the shapefile's parts agree on; :class:`InputError` otherwise."""
    parts = {}
    for ext in (".shx", ".dbf"):
        side = _sidecar(path, ext)
        if side is None:
            raise InputError(f"{path}: the shapefile's {ext} part is missing; a shapefile needs "
                             "its .shp, .shx and .dbf files side by side")
        check_input(side)
        parts[ext] = side
    shp_size = check_input(path).st_size
    shx = parts[".shx"].read_bytes()
    if len(shx) < 100 or (len(shx) - 100) % 8:
        raise InputError(f"{path}: its index {parts['.shx'].name} is truncated or damaged")
    count = (len(shx) - 100) // 8
    words = struct.unpack(f">{2 * count}i", shx[100:])
    ends = [(words[2 * r] + 4 + words[2 * r + 1]) * 2 for r in range(count)]
    whole = sum(1 for end in ends if end <= shp_size)
    if whole < count:
        raise InputError(f"{path}: is truncated: its index (.shx) lists {count} features but "
                         f"the .shp file ends after feature {whole}")
    with open(parts[".dbf"], "rb") as handle:
        head = handle.read(12)
    if len(head) < 12:
        raise InputError(f"{path}: its table {parts['.dbf'].name} is truncated or damaged")
    records, header_len, record_len = struct.unpack("<IHH", head[4:12])
    dbf_size = parts[".dbf"].stat().st_size
    if dbf_size < header_len + records * record_len:
        have = max(0, (dbf_size - header_len) // max(1, record_len))
        raise InputError(f"{path}: is truncated: its table (.dbf) should hold {records} rows "
                         f"but ends after row {have}")
    if records != count:
        raise InputError(f"{path}: its parts disagree: the .shx lists {count} features, the "
                         f".dbf {records} rows")
    return count


def read_frame(path: Path, **kwargs):
    """``pyogrio.read_dataframe`` with its warnings kept (returned) and failures as InputError."""
    import pyogrio
    from pyogrio.errors import DataLayerError, DataSourceError

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = pyogrio.read_dataframe(path, **kwargs)
        except (DataSourceError, DataLayerError, ValueError, OSError, RuntimeError) as exc:
            raise InputError(f"{path}: cannot be read as {path.suffix} ({exc})") from None
    return frame, [str(w.message) for w in caught]


def _layer(path: Path) -> tuple[str | None, list[str]]:
    """The layer to read (the first point layer of a GeoPackage) and notes about the choice."""
    import pyogrio
    from pyogrio.errors import DataSourceError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            layers = pyogrio.list_layers(path)
    except (DataSourceError, ValueError, OSError, RuntimeWarning) as exc:
        raise InputError(f"{path}: cannot be read as {path.suffix} ({exc})") from None
    if len(layers) == 0:
        raise InputError(f"{path}: holds no layers")
    if len(layers) == 1:
        return None, []
    names = [str(n) for n, _ in layers]
    points = [str(n) for n, g in layers if g and "Point" in str(g)]
    chosen = points[0] if points else names[0]
    return chosen, [f"{path.name}: holds {len(names)} layers ({list_some(names, 5)}); "
                    f"read {chosen!r}"]


def read_ogr(path: Path):
    """The :class:`Table` of a GeoPackage or Shapefile (see the module notes)."""
    from planner.geo.tables import Table

    expected = check_shapefile(path) if path.suffix.lower() == ".shp" else None
    layer, notes = _layer(path)
    frame, _ = read_frame(path, layer=layer) if layer else read_frame(path)
    if len(frame) == 0:
        raise InputError(f"{path}: has no features")
    if expected is not None and len(frame) != expected:
        raise InputError(f"{path}: {len(frame)} features could be read of the {expected} its "
                         "index lists; the file is damaged")
    geometry = getattr(frame, "geometry", None) if hasattr(frame, "crs") else None
    header = [str(c) for c in frame.columns if c != "geometry"]
    rows = [
        [_plain(v) for v in record]
        for record in frame[header].itertuples(index=False, name=None)
    ]
    labels = [f"feature {n}" for n in range(1, len(frame) + 1)]
    if geometry is None:
        table = Table(path, header, rows, labels, "ogr")
        table.warnings.extend(notes)
        return table
    points = _points(path, geometry, labels)
    crs = frame.crs.to_string() if frame.crs is not None else None
    table = Table(path, header, rows, labels, "ogr", points, crs or "EPSG:4326")
    table.warnings.extend(notes)
    if crs is None:
        table.warnings.append(f"{path.name}: no coordinate system recorded; assumed WGS84 lon/lat")
    return table


def _points(path: Path, geometry, labels: list[str]) -> list[tuple[float, float] | None]:
    points: list[tuple[float, float] | None] = []
    bad: list[str] = []
    types = geometry.geom_type.to_numpy()
    empty = geometry.isna().to_numpy() | geometry.is_empty.to_numpy()
    xs = np.full(len(types), np.nan)
    ys = np.full(len(types), np.nan)
    is_point = (types == "Point") & ~empty
    if is_point.any():
        xs[is_point] = geometry[is_point].x.to_numpy()
        ys[is_point] = geometry[is_point].y.to_numpy()
    for i in range(len(types)):
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
        if points[-1] is not None and not all(math.isfinite(v) for v in points[-1]):
            bad.append(f"{labels[i]} (coordinates not finite)")
    if bad:
        raise InputError(
            f"{path}: centres must be Point features with finite coordinates; {len(bad)} are "
            f"not: {list_some(bad, 5)}. Convert them to points (e.g. centroids) first."
        )
    return points


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
