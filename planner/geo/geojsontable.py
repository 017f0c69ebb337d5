"""GeoJSON (``.geojson``, ``.json``) into a :class:`~planner.geo.tables.Table`.

Read with the json module so foreign members (a saved plan's ``"planner"``) survive. A legacy
``crs`` member is honoured when pyproj knows it. Features with ``"kind": "outline"`` (outlines the
exporter writes) are not centres and are skipped. Coordinates must be two finite numbers in a
list: ``NaN``, ``Infinity``, objects or text are refused naming the feature. JSON nested deeper
than Python can parse is refused, not crashed on.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from planner.geo.errors import InputError, list_some
from planner.geo.guard import read_bytes

__all__ = ["read_geojson", "checked_crs"]

_SNIFF_BYTES = 8192


def checked_crs(path: Path, crs: str) -> str:
    """``crs`` if pyproj knows it, else :class:`InputError` naming the file."""
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    try:
        CRS.from_user_input(crs)
    except (CRSError, ValueError, TypeError):
        raise InputError(
            f"{path}: the coordinate system {crs!r} is not one this planner knows "
            "(expected e.g. EPSG:4326 or EPSG:27700)"
        ) from None
    return crs


def _legacy_crs(path: Path, doc: dict) -> str:
    crs = doc.get("crs")
    if crs is None:
        return "EPSG:4326"
    props = crs.get("properties") if isinstance(crs, dict) else None
    name = props.get("name", "") if isinstance(props, dict) else None
    if not isinstance(name, str):
        raise InputError(f"{path}: the 'crs' member is not {{\"type\": \"name\", "
                         "\"properties\": {\"name\": \"EPSG:...\"}}")
    if "CRS84" in name.upper() or not name:
        return "EPSG:4326"
    code = name.rsplit(":", 1)[-1]
    if code.isdigit():
        return checked_crs(path, f"EPSG:{code}")
    raise InputError(f"{path}: unsupported 'crs' member {name!r}; expected EPSG:<code>")


def _load(path: Path) -> dict:
    data = read_bytes(path)
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
    except RecursionError:
        raise InputError(f"{path}: JSON nested too deeply to be GeoJSON") from None
    if not isinstance(doc, dict) or doc.get("type") not in ("FeatureCollection", "Feature"):
        found = doc.get("type") if isinstance(doc, dict) else type(doc).__name__
        raise InputError(
            f"{path}: is JSON but not GeoJSON: expected \"type\": \"FeatureCollection\", "
            f"found {str(found)[:40]!r}"
        )
    return doc


def read_geojson(path: Path):
    """The :class:`Table` of a GeoJSON file (see the module notes)."""
    from planner.geo.tables import Table

    doc = _load(path)
    features = [doc] if doc["type"] == "Feature" else doc.get("features")
    if not isinstance(features, list):
        raise InputError(f"{path}: GeoJSON FeatureCollection without a \"features\" list")
    crs = _legacy_crs(path, doc)
    columns: dict[str, None] = {}
    records, points, labels, fids, bad_geom = [], [], [], [], []
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
        if isinstance(point, str):
            bad_geom.append(f"feature {n} ({point})")
            continue
        for k in props:
            columns.setdefault(str(k), None)
        records.append(props)
        points.append(point)
        labels.append(f"feature {n}")
        fid = feat.get("id")
        fids.append(fid if isinstance(fid, (str, int)) and not isinstance(fid, bool) else None)
    if bad_geom:
        raise InputError(
            f"{path}: centres must be Point features with two finite coordinates; "
            f"{len(bad_geom)} are not: {list_some(bad_geom, 5)}. Convert them to points (e.g. "
            "centroids) first."
        )
    if not records:
        raise InputError(f"{path}: has no features")
    header = list(columns)
    rows = [[rec.get(str(c)) for c in header] for rec in records]
    foreign = {k: v for k, v in doc.items() if k not in ("type", "features", "crs", "bbox")}
    return Table(path, header, rows, labels, "geojson", points, crs, fids, foreign)


def _point_of(geom) -> tuple[float, float] | None | str:
    """(x, y) for a Point (or one-point MultiPoint); None for no geometry; else why not."""
    if geom is None:
        return None
    if not isinstance(geom, dict):
        return f"geometry is {type(geom).__name__}, not an object"
    coords = geom.get("coordinates")
    gtype = geom.get("type")
    if gtype == "MultiPoint" and isinstance(coords, list) and len(coords) == 1:
        coords = coords[0]
    elif gtype != "Point":
        return str(gtype)[:30]
    if coords is None or coords == []:
        return None
    if not isinstance(coords, list) or len(coords) < 2:
        return "coordinates are not a list of two numbers"
    x, y = coords[0], coords[1]
    for v in (x, y):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return f"coordinate {str(v)[:20]!r} is not a number"
        if not math.isfinite(v):
            return f"coordinate {v} is not a finite number"
    return (float(x), float(y))
