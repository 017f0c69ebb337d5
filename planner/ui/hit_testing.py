"""Hit testing and drop resolution for the map, as pure functions (no Qt; tested without a display).

Everything here works in map coordinates (easting, northing in metres). The scene converts its
coordinates (x, -y) before asking. Symbols are drawn at a fixed size in pixels, so callers pass a
``tolerance`` in metres: the symbol radius in pixels divided by the view's pixels per metre.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.geometry.base import BaseGeometry

from planner.domain.plan import UNASSIGNED

__all__ = ["PointIndex", "federation_at", "resolve_drop"]


class PointIndex:
    """A k-d tree over centre positions: nearest centre, centres in a rectangle or a lasso."""

    def __init__(self, xy: np.ndarray) -> None:
        self.xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        self._tree = cKDTree(self.xy) if len(self.xy) else None

    def nearest(
        self, x: float, y: float, tolerance: float, exclude: Iterable[int] = ()
    ) -> int | None:
        """Row of the centre nearest to (x, y) within ``tolerance`` metres, skipping ``exclude``.

        Ties (coincident centres) go to the lowest row, so repeated clicks are stable.
        """
        if self._tree is None:
            return None
        skip = set(int(r) for r in exclude)
        rows = self._tree.query_ball_point((x, y), r=tolerance)
        rows = [r for r in rows if r not in skip]
        if not rows:
            return None
        rows = np.array(sorted(rows))
        d2 = ((self.xy[rows] - (x, y)) ** 2).sum(1)
        return int(rows[int(np.argmin(d2))])

    def in_rect(self, x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
        """Rows inside the rectangle with corners (x0, y0), (x1, y1), in either order."""
        lo = np.minimum((x0, y0), (x1, y1))
        hi = np.maximum((x0, y0), (x1, y1))
        inside = np.all((self.xy >= lo) & (self.xy <= hi), axis=1)
        return np.flatnonzero(inside)

    def in_polygon(self, ring: np.ndarray) -> np.ndarray:
        """Rows inside the closed lasso ``ring`` ((M, 2) vertices; fewer than 3 selects nothing)."""
        ring = np.asarray(ring, dtype=float).reshape(-1, 2)
        if len(ring) < 3 or len(self.xy) == 0:
            return np.empty(0, dtype=np.intp)
        poly = shapely.make_valid(shapely.Polygon(ring))
        return np.flatnonzero(shapely.intersects_xy(poly, self.xy[:, 0], self.xy[:, 1]))


def federation_at(x: float, y: float, outlines: Mapping[int, BaseGeometry]) -> int:
    """The key of the outline containing (x, y), or ``UNASSIGNED``.

    Where outlines overlap (coincident centres), the smallest outline wins: it is the one the
    planner can see under the cursor.
    """
    if not outlines:
        return UNASSIGNED
    keys = list(outlines)
    geoms = np.array([outlines[k] for k in keys], dtype=object)
    b = shapely.bounds(geoms)
    near = np.flatnonzero((b[:, 0] <= x) & (x <= b[:, 2]) & (b[:, 1] <= y) & (y <= b[:, 3]))
    hits = [i for i in near if shapely.intersects_xy(geoms[i], x, y)]
    if not hits:
        return UNASSIGNED
    best = min(hits, key=lambda i: (geoms[i].area, i))
    return int(keys[best])


def resolve_drop(
    x: float,
    y: float,
    tolerance: float,
    *,
    index: PointIndex,
    assignment: np.ndarray,
    outlines: Mapping[int, BaseGeometry],
    dragged_rows: Iterable[int] = (),
) -> int:
    """The federation a drop at (x, y) goes to, or ``UNASSIGNED`` for none.

    A centre under the cursor (not one of those being dragged, and in a federation) decides first;
    otherwise the federation outline containing the point; otherwise there is no target.
    """
    row = index.nearest(x, y, tolerance, exclude=dragged_rows)
    if row is not None and int(assignment[row]) != UNASSIGNED:
        return int(assignment[row])
    return federation_at(x, y, outlines)
