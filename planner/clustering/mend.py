"""Mending what the starts left broken, in ever larger neighbourhoods.

When the best start of a region still breaks a rule somewhere (a federation too small, in two
pieces, too heavy), re-solving the whole region with more starts is costly and may break it
elsewhere. :func:`mend` re-solves only around each broken federation: the federation and the
federations within one ring of adjacency, then two, then three. Each neighbourhood is a small
region of its own, solved by :func:`~planner.clustering.solver.one_start` (a few seeded starts);
the result replaces the neighbourhood's federations when it keeps every rule. Federations
outside the neighbourhood never change, so nothing that held breaks.

Works on a :class:`~planner.clustering.region.Layout` (no units x slots table), so it serves the
stitched result of a region solved in parts as well as one start's result.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from planner.clustering.partition import subproblem
from planner.clustering.region import EPS, Layout, RegionProblem, RegionSolution, weight_excess
from planner.domain.pieces import pieces

__all__ = ["mend", "broken_slots"]

_RINGS = (1, 2, 3)
_STARTS = 3


def broken_slots(p: RegionProblem, lay: Layout) -> dict[int, float]:
    """Per federation breaking a rule, how much (sizes, weights, pieces, radius, cannot-link)."""
    out: dict[int, float] = {}
    for s in range(p.k):
        mem = lay.members[s]
        units = np.fromiter(mem, dtype=np.intp, count=len(mem))
        size = float(p.usize[units].sum())
        v = max(0.0, p.lo - size, size - p.hi)
        if p.has_weights:
            v += weight_excess(p, p.uw[units].sum(0))
        if p.contiguous and len(mem) > 1:
            v += len(pieces(mem, p.adj)) - 1
        if p.radius is not None and len(mem):
            d = p.cxy[lay.rows(s)] - p.cxy[lay.hubs[s]]
            v += float((np.hypot(d[:, 0], d[:, 1]) > p.radius + 1e-6).sum())
        v += 0.5 * sum(1 for u in mem for o in p.cannot[u] if o in mem)
        if v > EPS:
            out[s] = v
    return out


def mend(
    p: RegionProblem,
    sol: RegionSolution,
    rng: np.random.Generator,
    one_start: Callable,
) -> RegionSolution:
    """Re-solve the neighbourhoods of broken federations; returns the (possibly) mended solution.

    ``one_start(sub, rng, balanced)`` solves a small region (passed in: the solver imports this
    module). The violation of the result is counted again from scratch.
    """
    lay = Layout(p, sol.labels, sol.hubs)
    bad = broken_slots(p, lay)
    for ring in _RINGS:
        for s in sorted(bad):
            if s not in bad:
                continue  # mended with an earlier neighbourhood
            slots = _ring(lay, s, ring)
            if len(slots) > 1 and _resolve(p, lay, slots, rng, one_start):
                for t in slots:
                    bad.pop(t, None)
        bad = broken_slots(p, lay)
        if not bad:
            break
    return RegionSolution(lay.lab.copy(), lay.hubs.copy(), lay.cost(), float(sum(bad.values())))


def _ring(lay: Layout, s: int, ring: int) -> list[int]:
    slots = {s}
    for _ in range(ring):
        slots |= set().union(*(lay.adjacent_slots(t) for t in slots))
    return sorted(slots)


def _resolve(p: RegionProblem, lay: Layout, slots: list[int], rng: np.random.Generator,
             one_start: Callable) -> bool:
    units = np.array(sorted(set().union(*(lay.members[t] for t in slots))), dtype=np.intp)
    size = float(p.usize[units].sum())
    if not len(slots) * p.lo <= size <= len(slots) * p.hi:
        return False
    sub, rows = subproblem(p, units, slots)
    for i in range(_STARTS):
        cand = one_start(sub, rng, i % 2 == 0)
        if cand.violation <= EPS:
            lay.take(units, slots, rows, cand)
            return True
    return False
