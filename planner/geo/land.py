"""The study area: the land a plan covers, and the cells and links on it.

:func:`study_area` is the union of the boundary polygons that hold the plan's centres (a coastal
centre just outside every polygon takes the nearest one), or, with no boundary layer, the points'
buffered convex hull. :func:`land_for` cuts the centres' cells to it
(:func:`planner.geo.cells.land_cells`): the neighbourhood graph, the statistics' "one piece", the
outlines and the reach of each centre all read this one area, so a Lancashire file never reaches
into Cumbria and a federation drawn in one piece is one piece.

:func:`repair_polygons` makes a layer's polygons valid on the cells' precision grid; one that
cannot be repaired is refused with an :class:`InputError` naming the file and the feature.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from planner.domain.centres import Centres
from planner.geo.cells import GRID_M, LandCells, land_cells
from planner.geo.errors import InputError, list_some

__all__ = ["study_area", "land_for", "plan_groups", "repair_polygons", "NEAR_M"]

NEAR_M = 5_000.0  # a centre this far outside every polygon still claims the nearest one


def repair_polygons(geoms, source: str = "boundaries", names=None) -> np.ndarray:
    """``geoms`` with the invalid ones made valid (polygonal parts only; a new array).

    Valid polygons are kept as they are (the study area puts the union on the ``GRID_M`` grid).
    Raises :class:`InputError` naming ``source`` and the features (by ``names`` when given, else
    their 1-based number) that come out empty or still invalid.
    """
    out = np.array(geoms, dtype=object)
    bad: list[int] = []
    ok = shapely.is_valid(out) & ~shapely.is_empty(out)
    for i in np.flatnonzero(~ok).tolist():
        fixed = _repair(out[i])
        if fixed is None:
            bad.append(i)
        else:
            out[i] = fixed
    if bad:
        named = [f"feature {i + 1}" + (f" ({names[i]})" if names is not None else "")
                 for i in bad]
        raise InputError(f"{source}: polygon(s) that cannot be repaired: {list_some(named)}")
    return out


def _repair(geom: BaseGeometry | None) -> BaseGeometry | None:
    """A valid polygonal version of ``geom`` with some area, else None."""
    if geom is None or geom.is_empty:
        return None
    try:
        fixed = _polygonal(shapely.make_valid(geom))
        if fixed is not None and not fixed.is_valid:
            fixed = _polygonal(shapely.make_valid(shapely.set_precision(fixed, GRID_M)))
    except shapely.errors.GEOSException:
        return None
    if fixed is None or fixed.is_empty or not fixed.is_valid or fixed.area <= 0:
        return None
    return fixed


def study_area(centres: Centres, boundaries: gpd.GeoDataFrame | None = None) -> BaseGeometry:
    """The land of the polygons of ``boundaries`` (in the centres' CRS) that hold a centre.

    Without a layer (or when no polygon is near any centre) the points' convex hull, buffered by a
    few percent of its extent, stands in for the land. The result is valid, on the ``GRID_M`` grid.
    """
    from planner.geo.outlines import default_clip

    if boundaries is None or len(boundaries) == 0 or len(centres) == 0:
        return _on_grid(default_clip(centres.xy))
    polygons = np.asarray(boundaries.geometry.values)
    valid = shapely.is_valid(polygons)
    if not valid.all():
        polygons = polygons.copy()
        polygons[~valid] = shapely.make_valid(polygons[~valid])
    tree = shapely.STRtree(polygons)
    points = shapely.points(centres.xy)
    _, inside = tree.query(points, predicate="intersects")
    hit = set(inside.tolist())
    nearest = tree.query_nearest(points, max_distance=NEAR_M, all_matches=False)[1]
    hit.update(nearest.tolist())
    if not hit:
        return _on_grid(default_clip(centres.xy))
    chosen = polygons[sorted(hit)]
    try:
        return _on_grid(shapely.union_all(chosen))
    except shapely.errors.GEOSException:  # badly noded neighbours: snap them to the grid first
        return _on_grid(shapely.union_all(chosen, grid_size=GRID_M))


def land_for(centres: Centres, boundaries: gpd.GeoDataFrame | None = None,
             groups=None) -> LandCells:
    """The cells and links of ``centres`` on the land of ``boundaries`` (see :func:`study_area`).

    ``groups`` (a label per row, e.g. each centre's authority for a plan made per authority):
    each group's cells are cut on that group's own land, as its plan was made, so one group's cell
    never reaches into another's land and no link joins two groups.
    """
    if groups is None:
        return land_cells(centres.xy, study_area(centres, boundaries))
    labels = np.asarray([str(g) for g in groups], dtype=object)
    n = len(centres)
    cells = np.empty(n, dtype=object)
    edges, lengths, border, crossing, lands = [], [], [], [], []
    for label in dict.fromkeys(labels.tolist()):
        rows = np.flatnonzero(labels == label)
        part = land_cells(centres.xy[rows], study_area(_Points(centres.xy[rows]), boundaries))
        cells[rows] = part.cells
        edges.append(rows[part.edges.reshape(-1, 2)])
        lengths.append(part.lengths)
        border.append(part.border)
        crossing.append(part.crossing)
        lands.append(part.land)
    return LandCells(_on_grid(shapely.union_all(lands)), cells, np.concatenate(edges),
                     np.concatenate(lengths), np.concatenate(border), np.concatenate(crossing))


def plan_groups(plan) -> list | None:
    """Each centre's group when ``plan`` was made per authority (``params["per_authority"]``
    names the centres' column), else None: the groups :func:`land_for` cuts cells within."""
    field = (plan.params or {}).get("per_authority")
    column = plan.centres.attributes.get(field) if isinstance(field, str) else None
    return list(column) if column is not None else None


class _Points:
    """The part of a centre table :func:`study_area` reads: coordinates and a length."""

    def __init__(self, xy: np.ndarray) -> None:
        self.xy = xy

    def __len__(self) -> int:
        return len(self.xy)


def _on_grid(geom: BaseGeometry) -> BaseGeometry:
    geom = _polygonal(shapely.make_valid(shapely.set_precision(geom, GRID_M)))
    return geom if geom is not None else shapely.Polygon()


def _polygonal(geom: BaseGeometry) -> BaseGeometry | None:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None
