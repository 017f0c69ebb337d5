"""Federation outlines: one Voronoi cell per centre, clipped, dissolved per federation.

:class:`OutlineBuilder` computes the cells once for a centre table (the expensive part); an outline
is then the union of its members' cells, which costs a millisecond or two for a federation of a few
dozen centres. After an edit, re-outline only the federations it touched::

    builder = OutlineBuilder(plan.centres, clip=district_union)
    shapes = builder.outlines(plan)          # every federation
    changed = edit.apply(plan)
    shapes.update({k: builder.outline(plan, k) for k in changed})

Geometry is in the centres' projected CRS (metres). Centres at the same point share one cell, so
the outlines of two federations overlap there.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from planner.domain.centres import Centres
from planner.domain.plan import Plan

__all__ = ["OutlineBuilder", "default_clip"]

# The default clip is the points' convex hull widened by this share of the extent's diagonal
# (at least _MIN_MARGIN_M metres), so edge centres get a cell of sensible size.
_MARGIN_SHARE = 0.03
_MIN_MARGIN_M = 2000.0
# A centre outside the clip (an island the districts layer generalised away) keeps the part of its
# cell within this distance, so it still shows in its federation's outline.
_OUTSIDE_RADIUS_M = 1000.0


def default_clip(xy: np.ndarray) -> BaseGeometry:
    """The convex hull of ``xy`` buffered by a few percent of its extent (metres)."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) == 0:
        return shapely.Polygon()
    diag = float(np.hypot(*(xy.max(0) - xy.min(0))))
    margin = max(_MIN_MARGIN_M, _MARGIN_SHARE * diag)
    return shapely.convex_hull(shapely.multipoints(xy)).buffer(margin)


class OutlineBuilder:
    """Voronoi cells of ``centres``, clipped to ``clip``, dissolved into federation outlines.

    Parameters
    ----------
    centres:
        The centre table; cells are computed for its ``xy`` once, here.
    clip:
        A shapely (Multi)Polygon in ``centres.crs`` (e.g. the union of district boundaries). Cells
        are cut to it. ``None``: the points' convex hull, buffered (:func:`default_clip`).
    """

    def __init__(self, centres: Centres, clip: BaseGeometry | None = None) -> None:
        self.centres = centres
        xy = np.asarray(centres.xy, dtype=float)
        self.clip = default_clip(xy) if clip is None or clip.is_empty else clip
        self.cells = _clipped_cells(xy, self.clip)

    def outline_of_rows(self, rows: Iterable[int]) -> BaseGeometry:
        """Union of the cells of ``rows`` (an empty Polygon for no rows)."""
        rows = np.fromiter(rows, dtype=np.intp)
        if len(rows) == 0:
            return shapely.Polygon()
        if len(rows) == 1:
            return self.cells[rows[0]]
        return shapely.union_all(self.cells[np.unique(rows)])

    def outline(self, plan: Plan, key: int) -> BaseGeometry:
        """The outline of federation ``key`` in ``plan`` (empty if it has no centres)."""
        self._check(plan)
        return self.outline_of_rows(plan.members(key))

    def outlines(self, plan: Plan, keys: Iterable[int] | None = None) -> dict[int, BaseGeometry]:
        """Outlines of ``keys`` (default: every federation of ``plan``), by key."""
        self._check(plan)
        keys = list(plan.federations if keys is None else keys)
        order = np.argsort(plan.assignment, kind="stable")
        sorted_keys = plan.assignment[order]
        out = {}
        for key in keys:
            lo, hi = np.searchsorted(sorted_keys, [key, key + 1])
            out[key] = self.outline_of_rows(order[lo:hi])
        return out

    def _check(self, plan: Plan) -> None:
        if len(plan.centres) != len(self.cells):
            raise ValueError(
                f"plan has {len(plan.centres)} centres; outlines were built for {len(self.cells)}"
            )


def _clipped_cells(xy: np.ndarray, clip: BaseGeometry) -> np.ndarray:
    """One clipped Voronoi cell per row of ``xy`` (coincident rows share a cell)."""
    n = len(xy)
    if n == 0:
        return np.empty(0, dtype=object)
    unique, inverse = np.unique(xy, axis=0, return_inverse=True)
    inverse = np.asarray(inverse).reshape(-1)
    if len(unique) == 1:
        raw = np.array([clip], dtype=object)
    else:
        minx, miny, maxx, maxy = clip.bounds
        px0, py0 = unique.min(0)
        px1, py1 = unique.max(0)
        span = max(maxx - minx, maxy - miny, px1 - px0, py1 - py0, 1.0)
        frame = shapely.box(
            min(minx, px0) - span, min(miny, py0) - span,
            max(maxx, px1) + span, max(maxy, py1) + span,
        )
        diagram = shapely.voronoi_polygons(shapely.multipoints(unique), extend_to=frame,
                                           ordered=True)
        raw = shapely.get_parts(diagram)
        if len(raw) != len(unique):  # pragma: no cover - GEOS guarantees one cell per site
            raise RuntimeError(f"{len(raw)} Voronoi cells for {len(unique)} points")
    cells = _clip_cells(raw, clip)
    outside = ~shapely.intersects_xy(clip, unique[:, 0], unique[:, 1])
    for i in np.flatnonzero(outside):
        disc = shapely.Point(unique[i]).buffer(_OUTSIDE_RADIUS_M)
        cells[i] = _polygonal(shapely.union(cells[i], shapely.intersection(raw[i], disc)))
    return cells[inverse]


def _clip_cells(cells: np.ndarray, clip: BaseGeometry) -> np.ndarray:
    """Intersect each cell with ``clip``; cells wholly inside are kept as they are.

    A complex clip (all English districts) is cut to each boundary cell's box first, so the overlay
    works on a few hundred vertices rather than the whole coastline.
    """
    shapely.prepare(clip)
    inside = shapely.contains(clip, cells)
    out = cells.copy()
    for i in np.flatnonzero(~inside):
        cell = cells[i]
        local = shapely.clip_by_rect(clip, *cell.bounds)
        out[i] = _polygonal(shapely.intersection(cell, local))
    return out


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    """``geom`` made valid with its points and lines dropped (an overlay can leave slivers)."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.Polygon()
