"""The federation engine for one connected region: capacitated p-median with contiguity.

A region is a set of *units* (single centres, or must-link groups contracted to one unit) that
the neighbourhood graph connects, to be split into ``k`` federations ("slots"). The cost is the
capacitated p-median cost: the sum over centres of the distance to their federation's hub, a
member centre.

One start runs, in order (modules in brackets):

1. **Seeds** [start]: the fixed hubs, then k-means++ picks (seeded); every other start moves them
   by a balanced k-means, so starts differ in kind as well as in seed.
2. **Location-allocation without contiguity** [start]: alternate a capacitated assignment (exact:
   replicated seats for small problems, else an elastic LP over the nearest hubs with HiGHS)
   with medoid hubs until the hubs settle.
3. **Contiguity repair** [repair]: each federation keeps its largest connected piece; cut-off
   units join the adjacent federation whose hub is nearest.
4. **Balance repair** [repair]: chains of boundary moves along paths of adjacent federations carry
   surplus from a federation over its bounds to one with room (or the reverse).
5. **Local search** [improve]: boundary moves and swaps that lower the cost while keeping every
   rule, alternating with medoid hub updates.
6. **Pair re-splits** [improve]: adjacent federations merged and split again at best (exact for
   single centres under size bounds), then local search again.
7. What is still broken (weights, radius) gets violation-lowering swaps [repair].

:func:`solve_region` runs several seeded starts and keeps the best. Everything is deterministic
for a given ``numpy.random.Generator`` state.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from planner.clustering.improve import local_search, pair_search
from planner.clustering.region import EPS, RegionProblem, RegionSolution, State
from planner.clustering.repair import path_repair, repair_contiguity, swap_repair, weight_chains
from planner.clustering.start import balanced_kmeans, kpp_seeds, location_allocation, medoids

__all__ = ["RegionProblem", "RegionSolution", "solve_region", "one_start", "n_starts_for"]

# Every how many starts one is moved by a balanced k-means (the others start from k-means++).
_BALANCED_EVERY = 3


def one_start(
    p: RegionProblem, rng: np.random.Generator, balanced: bool = True
) -> RegionSolution:
    hubs = kpp_seeds(p, rng)
    if balanced:
        hubs = balanced_kmeans(p, hubs)
    labels, hubs = location_allocation(p, hubs)
    st = State(p, labels, hubs)
    repair_contiguity(st)
    st.update_hubs()
    path_repair(st)
    local_search(st, rng)
    if st.violation() <= EPS and pair_search(st):
        local_search(st, rng)
    if st.violation() > EPS:
        path_repair(st)
        swap_repair(st)
        local_search(st, rng)
        if st.violation() > EPS:
            swap_repair(st)
        if st.violation() > EPS and weight_chains(st):
            local_search(st, rng)
    return RegionSolution(st.lab.copy(), st.hubs.copy(), st.cost(), st.violation())


def n_starts_for(n_units: int, k: int) -> int:
    """Starts per region: more for small regions, where each is cheap (deterministic)."""
    if k <= 1:
        return 1
    if n_units <= 150:
        return 12
    if n_units <= 600:
        return 3
    return 1


def solve_region(
    p: RegionProblem, rng: np.random.Generator, starts: int | None = None
) -> Iterator[float]:
    """Generator: yields the fraction done after each start; returns the best RegionSolution."""
    if p.k <= 1:
        labels = np.zeros(p.n_units, dtype=np.intp)
        hubs = medoids(p, labels, np.zeros(1, dtype=np.intp))
        st = State(p, labels, hubs)
        yield 1.0
        return RegionSolution(labels, hubs, st.cost(), st.violation())
    starts = starts or n_starts_for(p.n_units, p.k)
    best: RegionSolution | None = None
    for i in range(starts):
        sol = one_start(p, rng, balanced=(i % _BALANCED_EVERY == 0))
        if best is None or (sol.violation, sol.cost) < (best.violation, best.cost):
            best = sol
        yield (i + 1) / starts
    return best
