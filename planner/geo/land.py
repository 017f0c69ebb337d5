"""The study area: the land a plan covers.

:func:`study_area` is the union of the boundary polygons that hold the plan's centres (a coastal
centre just outside every polygon takes the nearest one), or, with no boundary layer, the points'
buffered convex hull. The neighbourhood graph, the outlines and the reach of each centre all read
this one area, so a Lancashire file never reaches into Cumbria.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from planner.domain.centres import Centres

__all__ = ["study_area", "NEAR_M"]

NEAR_M = 5_000.0  # a centre this far outside every polygon still claims the nearest one


def study_area(centres: Centres, boundaries: gpd.GeoDataFrame | None = None) -> BaseGeometry:
    """The land of the polygons of ``boundaries`` (in the centres' CRS) that hold a centre.

    Without a layer (or when no polygon is near any centre) the points' convex hull, buffered by a
    few percent of its extent, stands in for the land.
    """
    from planner.geo.outlines import default_clip

    if boundaries is None or len(boundaries) == 0 or len(centres) == 0:
        return default_clip(centres.xy)
    polygons = np.asarray(shapely.make_valid(np.asarray(boundaries.geometry.values)))
    tree = shapely.STRtree(polygons)
    points = shapely.points(centres.xy)
    _, inside = tree.query(points, predicate="intersects")
    hit = set(inside.tolist())
    nearest = tree.query_nearest(points, max_distance=NEAR_M, all_matches=False)[1]
    hit.update(nearest.tolist())
    if not hit:
        return default_clip(centres.xy)
    return shapely.union_all(polygons[sorted(hit)])
