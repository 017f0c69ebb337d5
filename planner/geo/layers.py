"""Boundary and barrier layers: local authorities, rivers, motorways.

- :func:`read_boundaries`: a polygon layer (GeoJSON, GeoPackage, Shapefile) as a new
  GeoDataFrame in the requested CRS; invalid rings are repaired (on the cells' precision grid),
  empty rows dropped; a polygon that cannot be repaired is refused naming the feature.
- :func:`label_centres`: centre id -> the ``field`` value of the polygon containing it; a
  centre outside every polygon (a coastal postcode beyond a generalised coastline) takes the
  nearest polygon's value, within ``max_distance_m`` if given.
- :func:`read_barriers`: line or polygon features (rivers, motorways, estuaries) as shapely
  geometries in the requested CRS; points are refused.

A layer without a recorded CRS is taken as WGS84 lon/lat (as GeoJSON is). Nothing passed in is
modified.
"""

from __future__ import annotations

import os
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

from planner.domain.centres import Centres
from planner.geo.errors import InputError, list_some
from planner.geo.guard import check_input
from planner.geo.ogrtable import check_shapefile, read_frame

__all__ = ["read_boundaries", "label_centres", "read_barriers"]

_POLYGONAL = ("Polygon", "MultiPolygon")
_LINEAR = ("LineString", "MultiLineString", "LinearRing")


def _read_layer(path: str | os.PathLike, crs: str) -> gpd.GeoDataFrame:
    path = Path(path)
    check_input(path)
    if path.suffix.lower() == ".shp":
        check_shapefile(path)
    frame, _ = read_frame(path)
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.isna().all():
        raise InputError(f"{path}: has no geometries")
    frame = frame[~(frame.geometry.isna() | frame.geometry.is_empty)].copy()
    if frame.empty:
        raise InputError(f"{path}: has no features")
    if frame.crs is None:
        frame = frame.set_crs("EPSG:4326")
    try:
        out = frame.to_crs(crs)
    except Exception as exc:  # noqa: BLE001 - pyproj's many errors: an unknown or odd CRS
        raise InputError(f"{path}: its coordinate system cannot be converted to {crs} "
                         f"({type(exc).__name__})") from None
    bounds = out.total_bounds
    if not np.isfinite(bounds).all():
        raise InputError(f"{path}: some coordinates cannot be placed in {crs} (not finite)")
    return out


def read_boundaries(
    path: str | os.PathLike, crs: str, centres: Centres | None = None
) -> gpd.GeoDataFrame:
    """Polygons from ``path`` reprojected to ``crs`` (a new frame; the file is not touched).

    Invalid polygons (self-intersecting rings) are repaired (:func:`planner.geo.land.
    repair_polygons`). With ``centres``, a layer that holds none of them is refused, naming the
    distance from the centres to the nearest polygon (a layer of another area, or another CRS).
    """
    frame = _read_layer(path, crs)
    types = frame.geom_type.to_numpy()
    bad = np.flatnonzero(~np.isin(types, _POLYGONAL))
    if len(bad):
        named = [f"feature {i + 1} ({types[i]})" for i in bad]
        raise InputError(f"{path}: boundaries must be polygons; not: {list_some(named)}")
    from pandas.api.types import is_string_dtype

    from planner.geo.land import repair_polygons  # valid, on the cells' grid, or refused

    text = [c for c in frame.columns if c != frame.geometry.name and is_string_dtype(frame[c])]
    names = frame[text[0]].astype(str).to_list() if text else None
    frame["geometry"] = repair_polygons(frame.geometry.to_numpy(), str(path), names)
    frame = frame.reset_index(drop=True)
    if centres is not None:
        _check_covers(path, frame, centres)
    return frame


def _check_covers(path, frame: gpd.GeoDataFrame, centres: Centres) -> None:
    points = shapely.points(centres.xy)
    tree = shapely.STRtree(frame.geometry.to_numpy())
    hit, _ = tree.query(points, predicate="intersects")
    if len(hit):
        return
    _, far = tree.query_nearest(points, return_distance=True, all_matches=False)
    raise InputError(
        f"{path}: holds none of the {len(centres)} centres; the nearest polygon is "
        f"{float(np.min(far)) / 1000:,.1f} km from the nearest centre (another area, or a "
        "wrong coordinate system?)"
    )


def label_centres(
    centres: Centres,
    boundaries: gpd.GeoDataFrame,
    field: str,
    max_distance_m: float | None = None,
) -> dict[str, object]:
    """Centre id -> ``boundaries[field]`` of the polygon that holds it (else the nearest one).

    Centres further than ``max_distance_m`` from every polygon are left out of the result.
    ``boundaries`` is reprojected (as a copy) to the centres' CRS if it differs.
    """
    if field not in boundaries.columns:
        raise KeyError(
            f"no field {field!r} in the boundaries; fields are: "
            + ", ".join(str(c) for c in boundaries.columns if c != boundaries.geometry.name)
        )
    if boundaries.crs is not None and not boundaries.crs.equals(centres.crs):
        boundaries = boundaries.to_crs(centres.crs)
    geoms = boundaries.geometry.to_numpy()
    values = boundaries[field].to_list()
    points = shapely.points(centres.xy)
    tree = shapely.STRtree(geoms)
    label: dict[str, object] = {}
    pt_idx, poly_idx = tree.query(points, predicate="intersects")
    for p, g in zip(pt_idx.tolist(), poly_idx.tolist(), strict=True):
        label.setdefault(centres.ids[p], values[g])
    outside = [i for i, cid in enumerate(centres.ids) if cid not in label]
    if outside:
        near_pt, near_poly = tree.query_nearest(
            points[outside], max_distance=max_distance_m, all_matches=False
        )
        for p, g in zip(near_pt.tolist(), near_poly.tolist(), strict=True):
            label[centres.ids[outside[p]]] = values[g]
    return {cid: label[cid] for cid in centres.ids if cid in label}


def read_barriers(path: str | os.PathLike, crs: str) -> list:
    """Line and polygon geometries from ``path`` in ``crs`` (multi-parts kept whole)."""
    frame = _read_layer(path, crs)
    types = frame.geom_type.to_numpy()
    bad = np.flatnonzero(~np.isin(types, _POLYGONAL + _LINEAR))
    if len(bad):
        named = [f"feature {i + 1} ({types[i]})" for i in bad]
        raise InputError(f"{path}: barriers must be lines or polygons; not: {list_some(named)}")
    return [g if g.is_valid else shapely.make_valid(g) for g in frame.geometry.to_numpy()]
