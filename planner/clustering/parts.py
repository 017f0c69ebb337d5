"""A large region solved in parts: each part on its own (in parallel), stitched, seams improved.

:func:`planner.clustering.partition.split` cuts the region into connected parts, each with a
number of federations its centres can fill. Here:

1. every part is solved by :func:`planner.clustering.solver.solve_region` with a seed of its
   own (drawn once from the region's generator, so the plan does not depend on the order or the
   number of processes), on up to :data:`WORKERS` forked processes of the standard library's
   process pool (see :func:`_pool` for when); a part left with a broken rule is solved again
   with more starts;
2. the parts' plans are stitched: parts share no centre and no federation and each is
   connected, so every rule a part keeps holds in the whole;
3. the seams are improved: each federation next to another part's is re-solved with its
   neighbours (the large-neighbourhood search of the solver), across the cut; a second pass
   revisits the seam federations whose neighbourhood changed.

Memory stays O(centres) in the parent: the dense tables exist only inside one part at a time
per process.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import threading
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool

import numpy as np

from planner.clustering.mend import mend
from planner.clustering.partition import subproblem
from planner.clustering.region import EPS, Layout, RegionProblem, RegionSolution
from planner.clustering.solver import neighbourhood_search, one_start, solve_region

__all__ = ["WORKERS", "solve_in_parts", "solve_part"]

# Processes for the parts (at most the machine's cores); 1 solves them in this process.
WORKERS = min(2, os.cpu_count() or 1)
_SEAM_PASSES = 2


def solve_part(sub: RegionProblem, seed: int) -> RegionSolution:
    """One part, to the end: the usual starts, then three more if a rule is still broken."""
    rng = np.random.default_rng(seed)
    best: RegionSolution | None = None
    for starts in (None, 3):
        gen = solve_region(sub, rng, starts)
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                sol = stop.value
                break
        if best is None or (sol.violation, sol.cost) < (best.violation, best.cost):
            best = sol
        if best.violation <= EPS:
            break
    return best


def _pool(n_parts: int) -> ProcessPoolExecutor | None:
    """A pool of forked workers, or None (then the parts are solved here, one after another).

    Only forked workers, and only from the main thread: "spawn" and "forkserver" re-import the
    caller's main script, which breaks a script without an ``if __name__ == "__main__"``
    guard, and forking while other threads run (the window runs the engine in a worker
    thread) is not safe. So the command line and scripts use both cores; the window one.
    """
    workers = min(WORKERS, n_parts)
    if (workers <= 1 or "fork" not in mp.get_all_start_methods()
            or threading.current_thread() is not threading.main_thread()
            or threading.active_count() > 1):
        return None
    return ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"))


def _solve_all(
    subs: list[RegionProblem], seeds: list[int], sizes: list[int]
) -> Iterator[tuple[float, dict[int, RegionSolution]]]:
    """Yields (fraction of centres done, solutions so far); parallel when a pool is possible."""
    total = float(sum(sizes)) or 1.0
    done: dict[int, RegionSolution] = {}
    pool = _pool(len(subs))
    if pool is not None:
        try:
            futures = {pool.submit(solve_part, sub, seed): i
                       for i, (sub, seed) in enumerate(zip(subs, seeds, strict=True))}
            for fut in as_completed(futures):
                done[futures[fut]] = fut.result()
                yield sum(sizes[i] for i in done) / total, done
        except BrokenProcessPool:
            pass  # a worker died (killed for memory?): finish the rest here
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    for i, (sub, seed) in enumerate(zip(subs, seeds, strict=True)):
        if i not in done:
            done[i] = solve_part(sub, seed)
            yield sum(sizes[j] for j in done) / total, done


def solve_in_parts(
    p: RegionProblem, parts: list[tuple[np.ndarray, list[int]]], rng: np.random.Generator
) -> Iterator[tuple[float, str]]:
    """Generator: yields (fraction done, what it is doing); returns the RegionSolution."""
    seeds = [int(s) for s in rng.integers(0, 2**63 - 1, size=len(parts))]
    subs, rows_of = [], []
    for units, slots in parts:
        sub, rows = subproblem(p, units, slots)
        subs.append(sub)
        rows_of.append(rows)
    share = 0.8  # of the progress bar taken by the parts
    sols: dict[int, RegionSolution] = {}
    for frac, sols in _solve_all(subs, seeds, [len(u) for u, _ in parts]):
        yield share * frac, f"{len(sols)} of {len(parts)} parts planned"
    labels = np.empty(p.n_units, dtype=np.intp)
    hubs = np.empty(p.k, dtype=np.intp)
    part_of = np.empty(p.n_units, dtype=np.intp)
    violation = 0.0
    for i, (units, slots) in enumerate(parts):
        sol = sols[i]
        part_of[units] = i
        slot_ids = np.asarray(slots, dtype=np.intp)
        labels[units] = slot_ids[sol.labels]
        hubs[slot_ids] = rows_of[i][sol.hubs]
        violation += sol.violation
    stitched = RegionSolution(labels, hubs, Layout(p, labels, hubs).cost(), violation)
    if violation > EPS:  # a part left a rule broken: mend it with its neighbours across seams
        yield share, "mending what is still broken"
        stitched = mend(p, stitched, rng, one_start)
    seam = sorted({int(labels[u]) for u in range(p.n_units)
                   if any(part_of[v] != part_of[u] for v in p.adj[u])})
    gen = neighbourhood_search(p, stitched, rng, rounds=len(seam), passes=_SEAM_PASSES,
                               todo=[seam[i] for i in rng.permutation(len(seam))],
                               within=set(seam))
    while True:
        try:
            frac = next(gen)
        except StopIteration as stop:
            return stop.value
        yield share + (1 - share) * frac, "improving the seams between parts"
