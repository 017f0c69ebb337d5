"""Per-federation figures, updated for the federations an edit touched.

:class:`PlanStats` keeps one :class:`FederationStats` per federation. After an edit,
``stats.update(changed)`` recomputes only the federations in ``changed`` (what ``Edit.apply``
returned); ``full_recompute`` exists so tests can check the incremental figures equal a fresh
computation.

Distances are in metres in the plan's projected CRS. Contiguity needs the neighbourhood graph as
adjacency lists (``neighbours[i]`` = rows adjacent to row ``i``); without it every federation counts
as contiguous and ``components`` is reported as 1. The application passes the land graph
(``planner.geo.cells``: centres whose cells share a border, land parts joined by one crossing
each), so ``components == 1`` exactly when the federation's outline is one polygon on each land
part it touches.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from planner.domain.medoid import medoid_index
from planner.domain.pieces import pieces
from planner.domain.plan import UNASSIGNED, Plan

__all__ = ["FederationStats", "PlanStats", "compute_federation", "convex_hull", "polygon_area"]


@dataclass(frozen=True)
class FederationStats:
    key: int
    count: int
    weight: float
    hub: int | None  # row index of the hub (the set hub, else the medoid)
    cost: float  # sum of distances from members to the hub (m)
    mean_to_hub: float
    max_to_hub: float
    diameter: float  # largest distance between two members (m)
    area: float  # convex hull area (m^2)
    components: int  # connected pieces in the neighbourhood graph (1 = contiguous)

    @property
    def contiguous(self) -> bool:
        return self.components <= 1


def convex_hull(points: np.ndarray) -> np.ndarray:
    """Convex hull vertices (counter-clockwise) by Andrew's monotone chain. Handles < 3 points."""
    pts = np.unique(np.asarray(points, dtype=float), axis=0)
    if len(pts) < 3:
        return pts
    order = np.lexsort((pts[:, 1], pts[:, 0]))
    pts = pts[order]

    def half(seq):
        out: list[np.ndarray] = []
        for p in seq:
            while len(out) >= 2:
                o, a = out[-2], out[-1]
                if (a[0] - o[0]) * (p[1] - o[1]) - (a[1] - o[1]) * (p[0] - o[0]) > 0:
                    break
                out.pop()
            out.append(p)
        return out

    lower, upper = half(pts), half(pts[::-1])
    return np.array(lower[:-1] + upper[:-1])


def polygon_area(ring: np.ndarray) -> float:
    if len(ring) < 3:
        return 0.0
    x, y = ring[:, 0], ring[:, 1]
    return float(abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1))) / 2.0)


def _components(rows: np.ndarray, neighbours: Sequence[Sequence[int]] | None) -> int:
    if neighbours is None or len(rows) <= 1:
        return 1 if len(rows) else 0
    return len(pieces(rows.tolist(), neighbours))


def compute_federation(
    plan: Plan,
    key: int,
    weights: np.ndarray | None = None,
    neighbours: Sequence[Sequence[int]] | None = None,
) -> FederationStats:
    """Figures for one federation, computed from scratch."""
    rows = plan.members(key)
    m = len(rows)
    xy = plan.centres.xy[rows]
    weight = float(weights[rows].sum()) if weights is not None else float(m)
    if m == 0:
        return FederationStats(key, 0, weight, None, 0.0, 0.0, 0.0, 0.0, 0.0, 0)
    fed = plan.federations.get(key)
    hub_row: int | None = None
    if fed is not None and fed.hub is not None and fed.hub in plan.centres:
        r = plan.centres.index_of(fed.hub)
        if plan.assignment[r] == key:
            hub_row = r
    if hub_row is None:
        hub_row = int(rows[medoid_index(xy)])
    to_hub = np.sqrt(((xy - plan.centres.xy[hub_row]) ** 2).sum(1))
    hull = convex_hull(xy)
    if len(hull) >= 2:
        dd = np.sqrt(((hull[:, None, :] - hull[None, :, :]) ** 2).sum(-1))
        diameter = float(dd.max())
    else:
        diameter = 0.0
    return FederationStats(
        key=key,
        count=m,
        weight=weight,
        hub=hub_row,
        cost=float(to_hub.sum()),
        mean_to_hub=float(to_hub.mean()),
        max_to_hub=float(to_hub.max()),
        diameter=diameter,
        area=polygon_area(hull),
        components=_components(rows, neighbours),
    )


class PlanStats:
    """Per-federation statistics for a plan, kept current by :meth:`update`."""

    def __init__(
        self,
        plan: Plan,
        weights: np.ndarray | None = None,
        neighbours: Sequence[Sequence[int]] | None = None,
    ) -> None:
        self.plan = plan
        self.weights = None if weights is None else np.asarray(weights, dtype=float)
        self.neighbours = neighbours
        self._by_key: dict[int, FederationStats] = {}
        self.update(plan.federations)

    def update(self, changed: Iterable[int]) -> None:
        """Recompute the federations in ``changed``; forget federations that no longer exist."""
        for key in set(changed):
            if key == UNASSIGNED:
                continue
            if key in self.plan.federations:
                self._by_key[key] = compute_federation(
                    self.plan, key, self.weights, self.neighbours
                )
            else:
                self._by_key.pop(key, None)
        for key in list(self._by_key):
            if key not in self.plan.federations:
                del self._by_key[key]

    def full_recompute(self) -> dict[int, FederationStats]:
        return {
            k: compute_federation(self.plan, k, self.weights, self.neighbours)
            for k in self.plan.federations
        }

    def __getitem__(self, key: int) -> FederationStats:
        return self._by_key[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def rows(self) -> list[FederationStats]:
        """Figures in the plan's federation order."""
        return [self._by_key[k] for k in self.plan.federations if k in self._by_key]

    def snapshot(self) -> dict[int, FederationStats]:
        return dict(self._by_key)

    @property
    def mean_weight(self) -> float:
        n = len(self.plan.federations)
        if n == 0:
            return 0.0
        return sum(s.weight for s in self._by_key.values()) / n

    def deviation(self, key: int) -> float:
        """Weight relative to the mean federation: 0.1 means 10% above the mean."""
        mean = self.mean_weight
        return 0.0 if mean == 0 else self._by_key[key].weight / mean - 1.0

    @property
    def unassigned(self) -> int:
        return int((self.plan.assignment == UNASSIGNED).sum())

    @property
    def total_cost(self) -> float:
        return float(sum(s.cost for s in self._by_key.values()))
