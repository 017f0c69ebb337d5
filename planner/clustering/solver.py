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
4. **Size repair** [flow_repair]: where sizes are out of bounds, the moves between adjacent
   federations are planned together as a min-cost flow, then made one unit (or branch) at a time.
   **Balance repair** [repair]: chains of boundary moves along paths of adjacent federations carry
   surplus from a federation over its bounds to one with room (or the reverse).
5. **Local search** [improve]: boundary moves and swaps that lower the cost while keeping every
   rule, alternating with medoid hub updates.
6. **Pair re-splits** [improve]: adjacent federations merged and split again at best (exact for
   single centres under size bounds), then local search again.
7. What is still broken (weights, radius) gets violation-lowering swaps and weight chains
   [repair].

Where the best start still breaks a rule, each broken federation is re-solved with its neighbours
(one ring of adjacency, then two, then three) [mend]. Regions with many federations then get a
large-neighbourhood search: each federation with its
neighbours is re-solved as a small region of its own, and kept when cheaper.

:func:`solve_region` runs several seeded starts and keeps the best. Everything is deterministic
for a given ``numpy.random.Generator`` state.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from planner.clustering.flow_repair import flow_repair, sizes_out_of_bounds
from planner.clustering.improve import local_search, pair_search
from planner.clustering.mend import mend
from planner.clustering.partition import PART_MAX_UNITS, split, subproblem
from planner.clustering.region import EPS, Layout, RegionProblem, RegionSolution, State
from planner.clustering.repair import (
    bridge_split_groups,
    path_repair,
    repair_contiguity,
    swap_repair,
    weight_chains,
)
from planner.clustering.start import balanced_kmeans, kpp_seeds, location_allocation, medoids
from planner.domain.pieces import pieces

__all__ = ["RegionProblem", "RegionSolution", "solve_region", "one_start", "n_starts_for"]

# Every how many starts one is moved by a balanced k-means (the others start from k-means++).
_BALANCED_EVERY = 3
# Regions with at least this many federations get a large-neighbourhood search after the starts.
_LNS_MIN_K = 8
# Passes of it: a second pass revisits the changed neighbourhoods for about 0.3% more on
# England at K=160, but costs as much again (~2.5 s), so one keeps the run under 10 s.
_LNS_PASSES = 1


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
    if sizes_out_of_bounds(st):
        flow_repair(st)
    path_repair(st)
    local_search(st, rng)
    if st.violation() <= EPS and pair_search(st):
        local_search(st, rng)
    if st.violation() > EPS:
        if sizes_out_of_bounds(st):
            flow_repair(st)
        path_repair(st)
        swap_repair(st)
        local_search(st, rng)
        if st.violation() > EPS:
            swap_repair(st)
        if st.violation() > EPS and weight_chains(st):
            local_search(st, rng)
    if p.cadj is not None and p.contiguous:
        bridge_split_groups(st)
    return RegionSolution(st.lab.copy(), st.hubs.copy(), st.cost(), st.violation())


def neighbourhood_search(
    p: RegionProblem,
    sol: RegionSolution,
    rng: np.random.Generator,
    rounds: int,
    kinds: tuple[bool, ...] = (True,),
    passes: int = 1,
    todo: list[int] | None = None,
    within: set[int] | None = None,
) -> Iterator[float]:
    """Large-neighbourhood search: re-solve a federation and its neighbours from scratch.

    A generator (yields the fraction done; returns the improved RegionSolution). For ``rounds``
    federations in a seeded order (or those in ``todo``, in its order), the units of the
    federation and of every federation next to it form a small region of their own, solved by
    :func:`one_start` (one start of each kind in ``kinds``: True = balanced k-means, False =
    k-means++); the result replaces theirs when it keeps every rule and costs less. Federations
    outside the neighbourhood never change, so contiguity and bounds still hold everywhere.
    Later passes revisit only the federations whose neighbourhood changed in the pass before
    (and, given ``within``, only those in it).
    Memory is O(units): slot costs are computed from each slot's own centres.
    """
    if sol.violation > EPS:
        return sol
    lay = Layout(p, sol.labels, sol.hubs)
    todo = rng.permutation(p.k)[:rounds].tolist() if todo is None else list(todo)
    total = len(todo)
    done = 0
    for _ in range(passes):
        changed: set[int] = set()
        for j in todo:
            done += 1
            if done % 10 == 0:
                yield min(0.99, done / max(total, 1))
            slots = sorted({j} | lay.adjacent_slots(j))
            if len(slots) < 2:
                continue
            if _improve_neighbourhood(p, lay, slots, rng, kinds):
                changed.update(slots)
        # next pass: the federations next to a change, in a seeded order
        near = set(changed)
        for s_ in changed:
            near |= lay.adjacent_slots(s_)
        if within is not None:
            near &= within
        todo = [int(s_) for s_ in rng.permutation(sorted(near))] if near else []
        total += len(todo)
        if not todo:
            break
    return RegionSolution(lay.lab.copy(), lay.hubs.copy(), lay.cost(), sol.violation)


def _improve_neighbourhood(
    p: RegionProblem, lay: Layout, slots: list[int], rng: np.random.Generator, kinds
) -> bool:
    units = np.array(sorted(set().union(*(lay.members[s] for s in slots))), dtype=np.intp)
    sub, rows = subproblem(p, units, slots)
    before = sum(lay.slot_cost(s_) for s_ in slots)
    best = None
    for balanced in kinds:
        cand = one_start(sub, rng, balanced)
        if cand.violation <= EPS and (best is None or cand.cost < best.cost):
            best = cand
    if best is None or best.cost >= before * (1 - 1e-9) - 1e-6:
        return False
    if p.cadj is not None:
        # it must not split a linked group's federation on the map
        old = sum(len(pieces(set(lay.rows(s_).tolist()), p.cadj)) for s_ in slots)
        centre_slot = best.labels[sub.unit_of_centre]
        new = sum(len(pieces(set(rows[centre_slot == i].tolist()), p.cadj))
                  for i in range(len(slots)))
        if new > old:
            return False
    lay.take(units, slots, rows, best)
    return True


def n_starts_for(n_units: int, k: int) -> int:
    """Starts per region: more for small regions, where each is cheap (deterministic)."""
    if k <= 1:
        return 1
    if n_units <= 150:
        return 12
    if n_units <= 600:
        return 6
    return 1


def solve_region(
    p: RegionProblem, rng: np.random.Generator, starts: int | None = None
) -> Iterator[tuple[float, str]]:
    """Generator: yields (fraction done, what it is doing); returns the best RegionSolution."""
    if p.k <= 1:
        labels = np.zeros(p.n_units, dtype=np.intp)
        hubs = medoids(p, labels, np.zeros(1, dtype=np.intp))
        st = State(p, labels, hubs)
        yield 1.0, "one federation"
        return RegionSolution(labels, hubs, st.cost(), st.violation())
    if p.n_units > PART_MAX_UNITS:
        parts = split(p, PART_MAX_UNITS)
        if len(parts) > 1:
            from planner.clustering.parts import solve_in_parts

            return (yield from solve_in_parts(p, parts, rng))
    starts = starts or n_starts_for(p.n_units, p.k)
    lns = p.k >= _LNS_MIN_K
    share = 0.4 if lns else 1.0  # of the progress bar taken by the starts
    best: RegionSolution | None = None
    for i in range(starts):
        sol = one_start(p, rng, balanced=(i % _BALANCED_EVERY == 0))
        if best is None or (sol.violation, sol.cost) < (best.violation, best.cost):
            best = sol
        yield share * (i + 1) / starts, f"start {i + 1} of {starts}"
    if best is not None and best.violation > EPS:
        yield share, "mending what is still broken"
        best = mend(p, best, rng, one_start)
    if lns and best is not None and best.violation <= EPS:
        # Weighted sub-regions need the LP allocation (slower): half as many rounds.
        rounds = p.k // 2 if p.has_weights else p.k
        gen = neighbourhood_search(p, best, rng, rounds=rounds, passes=_LNS_PASSES)
        while True:
            try:
                frac = next(gen)
            except StopIteration as stop:
                best = stop.value
                break
            yield share + (1 - share) * frac, "improving neighbourhoods"
        yield 1.0, "improving neighbourhoods"
    return best

