"""Federation outlines: one land cell per centre, dissolved per federation.

The cells are :func:`planner.geo.cells.land_cells`: the same cells the neighbourhood graph is read
from, so a federation that is one piece in the graph is drawn as one polygon on each land part.
:class:`OutlineBuilder` computes the cells once for a centre table (the expensive part), or takes
them ready-made (``cells=``, e.g. the window's document's); an outline
is then the union of its members' cells, which costs a millisecond or two for a federation of a few
dozen centres. After an edit, re-outline only the federations it touched::

    builder = OutlineBuilder(plan.centres, clip=district_union)
    shapes = builder.outlines(plan)          # every federation
    changed = edit.apply(plan)
    shapes.update({k: builder.outline(plan, k) for k in changed})

Geometry is in the centres' projected CRS (metres), on the cells' precision grid, so unions
never fail on slivers. Centres at the same point share one cell, so the outlines of two
federations overlap there.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from planner.domain.centres import Centres
from planner.domain.plan import Plan
from planner.geo.cells import GRID_M, LandCells, land_cells

__all__ = ["OutlineBuilder", "default_clip"]

# The default clip is the points' convex hull widened by this share of the extent's diagonal
# (at least _MIN_MARGIN_M metres), so edge centres get a cell of sensible size.
_MARGIN_SHARE = 0.03
_MIN_MARGIN_M = 2000.0


def default_clip(xy: np.ndarray) -> BaseGeometry:
    """The convex hull of ``xy`` buffered by a few percent of its extent (metres)."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) == 0:
        return shapely.Polygon()
    diag = float(np.hypot(*(xy.max(0) - xy.min(0))))
    margin = max(_MIN_MARGIN_M, _MARGIN_SHARE * diag)
    return shapely.convex_hull(shapely.multipoints(xy)).buffer(margin)


class OutlineBuilder:
    """Land cells of ``centres``, dissolved into federation outlines.

    Parameters
    ----------
    centres:
        The centre table; cells are computed for its ``xy`` once, here.
    clip:
        The land: a shapely (Multi)Polygon in ``centres.crs`` (e.g.
        :func:`planner.geo.land.study_area`). ``None``: the points' convex hull, buffered
        (:func:`default_clip`).
    cells:
        Ready-made :class:`~planner.geo.cells.LandCells` for ``centres`` (``clip`` is then
        ignored): the window's and the command line's graph and outlines share them.
    """

    def __init__(self, centres: Centres, clip: BaseGeometry | None = None,
                 cells: LandCells | None = None) -> None:
        self.centres = centres
        if cells is None:
            from planner.geo.land import _on_grid

            xy = np.asarray(centres.xy, dtype=float)
            land = default_clip(xy) if clip is None or clip.is_empty else clip
            cells = land_cells(xy, _on_grid(land))
        self.land = cells
        self.clip = cells.land
        self.cells = cells.cells

    def outline_of_rows(self, rows: Iterable[int]) -> BaseGeometry:
        """Union of the cells of ``rows`` (an empty Polygon for no rows)."""
        rows = np.fromiter(rows, dtype=np.intp)
        if len(rows) == 0:
            return shapely.Polygon()
        if len(rows) == 1:
            return self.cells[rows[0]]
        return shapely.union_all(self.cells[np.unique(rows)], grid_size=GRID_M)

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
