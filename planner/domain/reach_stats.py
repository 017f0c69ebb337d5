"""Reach figures per federation, kept current incrementally as centres move.

A federation's children, residents, deprived children and small-area count are the sums of its
centres' reach (:class:`~planner.domain.reach.Reach`). :class:`ReachStats` keeps those sums per
federation and, after an edit, subtracts each moved centre from the federation it left and adds
it to the one it joined (no pass over the other federations). The longest distance and the
distances to the hub are recomputed for the federations an edit touched only (the hub of a
federation can change with its members). ``full_recompute`` exists so tests can check the
incremental figures against a fresh computation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from planner.domain.plan import UNASSIGNED, Plan
from planner.domain.reach import Reach

__all__ = ["FederationReach", "ReachStats", "federation_reach", "spread"]

# Above this many moved centres (a new plan proposed), summing afresh is faster than moving.
_BULK = 256
_N_SUMS = 5  # children, population, deprived, area_count, distance_sum


@dataclass(frozen=True)
class FederationReach:
    key: int
    children: float
    population: float
    deprived: float
    area_count: float
    mean_distance: float  # mean distance from its small areas to the centre serving each (m)
    max_distance: float
    mean_to_hub: float  # mean distance from its small areas to the federation's hub (m)
    max_to_hub: float

    @property
    def deprived_share(self) -> float:
        return self.deprived / self.children if self.children > 0 else 0.0


def _sums(reach: Reach, rows: np.ndarray) -> np.ndarray:
    return np.array([reach.children[rows].sum(), reach.population[rows].sum(),
                     reach.deprived[rows].sum(), reach.area_count[rows].sum(),
                     reach.distance_sum[rows].sum()])


def _finish(key: int, sums: np.ndarray, reach: Reach, rows: np.ndarray,
            hub_row: int | None) -> FederationReach:
    children, population, deprived, count, dist_sum = (float(v) for v in sums)
    mean_to_hub = max_to_hub = 0.0
    if hub_row is not None and len(rows):
        idx, w = reach.areas_of_rows(rows)
        if len(idx):
            d = np.hypot(*(reach.areas.xy[idx] - reach.centre_xy[hub_row]).T)
            mean_to_hub, max_to_hub = float(np.dot(w, d) / w.sum()), float(d.max())
    most = float(reach.distance_max[rows].max()) if len(rows) else 0.0
    return FederationReach(key, children, population, deprived, count,
                           dist_sum / count if count > 0 else 0.0, most, mean_to_hub, max_to_hub)


def federation_reach(plan: Plan, reach: Reach, key: int, hub_row: int | None) -> FederationReach:
    """One federation's figures, computed from scratch (``hub_row``: its hub, or None)."""
    rows = plan.members(key)
    return _finish(key, _sums(reach, rows), reach, rows, hub_row)


def spread(values: Iterable[float]) -> tuple[float, float] | None:
    """(lowest, highest) of ``values``, None when there are none."""
    values = list(values)
    return (min(values), max(values)) if values else None


class ReachStats:
    """Reach figures for every federation of ``plan``; call :meth:`update` after each edit.

    ``hub_of(key)`` gives a federation's hub row (e.g. ``PlanStats[key].hub``), read at update.
    """

    def __init__(self, plan: Plan, reach: Reach,
                 hub_of: Callable[[int], int | None] = lambda _key: None) -> None:
        self.plan = plan
        self.reach = reach
        self.hub_of = hub_of
        self._vectors = np.column_stack([reach.children, reach.population, reach.deprived,
                                         reach.area_count, reach.distance_sum]) \
            if len(reach) else np.zeros((0, _N_SUMS))
        self._sums: dict[int, np.ndarray] = {}
        self._by_key: dict[int, FederationReach] = {}
        self._shown = plan.assignment.copy()
        self._resum()
        self._finish_keys(plan.federations)

    def _resum(self) -> None:
        a = self.plan.assignment
        self._sums = {k: self._vectors[a == k].sum(0) for k in self.plan.federations}
        self._shown = a.copy()

    def update(self, changed: Iterable[int]) -> None:
        """Follow an edit: move the sums of the centres that changed federation, then refresh
        the federations in ``changed`` (and those the moved centres left or joined)."""
        a = self.plan.assignment
        moved = np.flatnonzero(a != self._shown)
        keys = {int(k) for k in changed}
        if len(moved) > _BULK:
            self._resum()
            keys |= set(self.plan.federations)
        else:
            for row in moved.tolist():
                old, new = int(self._shown[row]), int(a[row])
                vector = self._vectors[row]
                if old in self._sums:
                    self._sums[old] = self._sums[old] - vector
                if new != UNASSIGNED:
                    self._sums[new] = self._sums.get(new, np.zeros(_N_SUMS)) + vector
                keys |= {old, new}
            self._shown[moved] = a[moved]
        for key in list(self._sums):
            if key not in self.plan.federations:
                del self._sums[key]
                self._by_key.pop(key, None)
        for key in self.plan.federations:
            self._sums.setdefault(key, np.zeros(_N_SUMS))
        self._finish_keys(keys)

    def _finish_keys(self, keys: Iterable[int]) -> None:
        for key in keys:
            if key in self.plan.federations:
                rows = self.plan.members(key)
                self._by_key[key] = _finish(key, self._sums[key], self.reach, rows,
                                            self.hub_of(key))

    def full_recompute(self) -> dict[int, FederationReach]:
        return {k: federation_reach(self.plan, self.reach, k, self.hub_of(k))
                for k in self.plan.federations}

    def __getitem__(self, key: int) -> FederationReach:
        return self._by_key[key]

    def __contains__(self, key: object) -> bool:
        return key in self._by_key

    def rows(self) -> list[FederationReach]:
        return [self._by_key[k] for k in self.plan.federations if k in self._by_key]

    def deprived_share_spread(self) -> tuple[float, float] | None:
        """Lowest and highest deprived share over the federations that serve any children."""
        return spread(r.deprived_share for r in self.rows() if r.children > 0)
