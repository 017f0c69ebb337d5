"""Write a plan for QGIS and spreadsheets: GeoJSON (RFC 7946) and CSV. Every write is atomic.

GeoJSON: WGS84 lon/lat (7 decimals), no ``crs`` member. One Point feature per centre with
properties ``id``, ``name``, ``federation`` (the federation's name, null when unassigned) and the
centre's original attributes; optional outline features (``Polygon``/``MultiPolygon`` with
properties ``federation``, ``colour`` and ``kind: "outline"``), reprojected from the plan's CRS.
The data attribution is a top-level foreign member ``"attribution"``.

Neither export overwrites the file the plan was read from (``plan.centres.source``): that is the
user's data; :func:`planner.geo.planfile.save_plan` may write a plan file over itself.

CSV: UTF-8, comma separated, first columns exactly ``id,name,latitude,longitude,federation``,
then the original attributes. An attribute whose name clashes with those five (compared
case-insensitively) is written as ``source_<name>``.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Mapping

import numpy as np
import shapely
from shapely.geometry import mapping

from planner.domain.plan import UNASSIGNED, Plan
from planner.geo._atomic import atomic_write
from planner.geo.planmeta import jsonable
from planner.geo.projection import WGS84, transform

__all__ = ["ATTRIBUTION", "CSV_COLUMNS", "write_geojson", "write_csv", "feature_collection"]

CSV_COLUMNS = ("id", "name", "latitude", "longitude", "federation")
_FIXED_PROPERTIES = ("id", "name", "federation")
_DECIMALS = 7

ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0. "
    "Children's centre records: Department for Education, Get Information about Schools (GIAS). "
    "Contains OS data \u00a9 Crown copyright and database right 2025. Contains Royal Mail data "
    "\u00a9 Royal Mail copyright and database right 2025. Contains National Statistics data "
    "\u00a9 Crown copyright and database right 2025. Source: Office for National Statistics "
    "licensed under the Open Government Licence v3.0. Reach figures: Census 2021 (ONS) and "
    "English Indices of Deprivation 2019 (MHCLG), Open Government Licence v3.0."
)


def _federation_names(plan: Plan) -> list[str | None]:
    names = {k: f.name for k, f in plan.federations.items()}
    return [None if k == UNASSIGNED else names[k] for k in plan.assignment.tolist()]


def _attribute_names(plan: Plan, reserved: tuple[str, ...]) -> list[tuple[str, str]]:
    """(attribute, output name) pairs; clashes with ``reserved`` get a ``source_`` prefix."""
    taken = {r.lower() for r in reserved}
    out = []
    for col in plan.centres.attributes:
        name = col
        while name.lower() in taken:
            name = f"source_{name}"
        taken.add(name.lower())
        out.append((col, name))
    return out


def _outline_features(plan: Plan, outlines: Mapping) -> list[dict]:
    features = []
    for key, geom in outlines.items():
        if geom is None or geom.is_empty or key not in plan.federations:
            continue
        fed = plan.federations[key]
        wgs = shapely.transform(geom, lambda xy: transform(xy, plan.centres.crs, WGS84))
        wgs = _on_wgs_grid(wgs)
        geometry = mapping(shapely.orient_polygons(wgs))  # RFC 7946: exteriors anticlockwise
        features.append({
            "type": "Feature",
            "properties": {"federation": fed.name, "colour": fed.colour, "kind": "outline"},
            "geometry": jsonable(geometry),
        })
    return features


def _on_wgs_grid(geom):
    """``geom`` rounded to the file's decimals, valid (a reprojected outline can touch itself)."""
    try:
        return shapely.set_precision(shapely.make_valid(geom), 10 ** -_DECIMALS)
    except shapely.errors.GEOSException:
        rounded = shapely.transform(geom, lambda xy: np.round(xy, _DECIMALS))
        return shapely.make_valid(rounded)


def feature_collection(plan: Plan, outlines: Mapping | None = None) -> dict:
    """The GeoJSON document :func:`write_geojson` writes (planfile adds its member to it)."""
    centres = plan.centres
    feds = _federation_names(plan)
    attrs = _attribute_names(plan, _FIXED_PROPERTIES)
    lonlat = np.round(centres.lonlat, _DECIMALS)
    features = []
    for i, cid in enumerate(centres.ids):
        props = {"id": cid, "name": centres.names[i], "federation": feds[i]}
        for col, out in attrs:
            props[out] = jsonable(centres.attributes[col][i])
        features.append({
            "type": "Feature",
            "id": cid,
            "properties": props,
            "geometry": {"type": "Point", "coordinates": [float(lonlat[i, 0]),
                                                          float(lonlat[i, 1])]},
        })
    if outlines:
        features.extend(_outline_features(plan, outlines))
    return {"type": "FeatureCollection", "attribution": ATTRIBUTION, "features": features}


def write_json(document: dict, path: str | os.PathLike, protect=None) -> None:
    """Write ``document`` atomically (see :mod:`planner.geo._atomic`); ``protect`` is refused
    as a destination."""
    with atomic_write(path, protect=protect) as stream:
        json.dump(document, stream, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        stream.write("\n")


def write_geojson(plan: Plan, path: str | os.PathLike, outlines: Mapping | None = None) -> None:
    """Write ``plan`` as RFC 7946 GeoJSON; ``outlines`` maps federation key -> shapely geometry
    in the plan's projected CRS (e.g. ``OutlineBuilder.outlines(plan)``).

    Refused over the file the plan was read from (save a plan file there instead)."""
    write_json(feature_collection(plan, outlines), path, protect=plan.centres.source or None)


def _csv_value(value) -> str:
    value = jsonable(value)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def write_csv(plan: Plan, path: str | os.PathLike) -> None:
    """Write ``plan`` as CSV: ``id,name,latitude,longitude,federation`` then the attributes.

    Refused over the file the plan was read from (it would replace the user's centres)."""
    centres = plan.centres
    feds = _federation_names(plan)
    attrs = _attribute_names(plan, CSV_COLUMNS)
    lonlat = np.round(centres.lonlat, _DECIMALS)
    with atomic_write(path, newline="", protect=plan.centres.source or None) as stream:
        writer = csv.writer(stream)
        writer.writerow(list(CSV_COLUMNS) + [out for _, out in attrs])
        for i, cid in enumerate(centres.ids):
            writer.writerow(
                [cid, centres.names[i], f"{lonlat[i, 1]:.7f}", f"{lonlat[i, 0]:.7f}",
                 feds[i] or ""]
                + [_csv_value(centres.attributes[col][i]) for col, _ in attrs]
            )
