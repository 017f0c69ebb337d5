"""Which boundary layer to show under a set of centres.

:func:`boundaries_for` keeps the planner's current layer when it covers the centres, else takes the
districts of England shipped in ``planner/resources/boundaries/`` when they do (only the
districts near the centres), else none. A layer "covers" centres when nearly all lie inside it or
within a couple of kilometres of it (generalised coastlines leave coastal postcodes just outside).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from planner.domain.centres import Centres
from planner.resources import ENGLAND_DISTRICTS, where

__all__ = ["DEFAULT_BOUNDARIES", "DEFAULT_FIELD", "boundaries_for", "covered_share"]

DEFAULT_BOUNDARIES = where(ENGLAND_DISTRICTS)
DEFAULT_FIELD = "lad_name"
_NEAR_M = 2_000.0
_COVERS = 0.95
_MARGIN_M = 15_000.0


def covered_share(boundaries: gpd.GeoDataFrame, centres: Centres, near_m: float = _NEAR_M) -> float:
    """Share of centres inside ``boundaries`` (in the centres' CRS) or within ``near_m`` of it."""
    if len(centres) == 0 or boundaries is None or len(boundaries) == 0:
        return 0.0
    points = shapely.points(centres.xy)
    tree = shapely.STRtree(np.asarray(boundaries.geometry.values))
    hit, _ = tree.query(points, predicate="dwithin", distance=near_m)
    return len(np.unique(hit)) / len(centres)


def boundaries_for(
    centres: Centres,
    current: gpd.GeoDataFrame | None = None,
    current_field: str | None = None,
) -> tuple[gpd.GeoDataFrame | None, str | None]:
    """(layer, label field) to draw under ``centres``; the current layer if it still fits."""
    if current is not None and covered_share(current, centres) >= _COVERS:
        return current, current_field
    if not DEFAULT_BOUNDARIES.is_file() or len(centres) == 0:
        return None, None
    from planner.geo.layers import read_boundaries

    try:
        layer = read_boundaries(DEFAULT_BOUNDARIES, centres.crs)
    except Exception:  # noqa: BLE001 - a missing or unreadable default only loses the backdrop
        return None, None
    if covered_share(layer, centres) < _COVERS:
        return None, None
    hull = shapely.convex_hull(shapely.multipoints(centres.xy)).buffer(_MARGIN_M)
    near = layer[layer.intersects(hull)].reset_index(drop=True)
    return near, DEFAULT_FIELD
