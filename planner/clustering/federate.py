"""The federation engine: a generator that yields progress and returns a plan.

    gen = federate(centres, constraints, current=plan, seed=0)
    for progress in gen:          # Progress(fraction, message); stop iterating to cancel
        ...
    # StopIteration.value is FederateResult(plan, cost, approximations)

The request is checked on the first ``next()``: :class:`~planner.clustering.explain.Infeasible`
(with ``reasons``) is raised before any work. Then each region (a connected part of the
neighbourhood graph, inside one authority when asked) is solved by
:func:`planner.clustering.solver.solve_region`, the best of several seeded starts kept. The
result never changes ``centres``, ``constraints``, ``current`` or ``graph``; the same seed gives
the same plan.

Locked federations of ``current`` are kept exactly (members, key, name, colour, hub). A
federation holding locked centres keeps its key, name and colour and those centres; its hub too
when the planner set one. A new federation made mostly (more than half) of the centres of one
replaced federation of ``current`` inherits its key, name and colour; the others are named
"Federation N" (numbered north to south) with palette colours.
"""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass, field, replace

import networkx as nx
import numpy as np
from scipy.spatial import Delaunay, QhullError

from planner.clustering.capacity import guard_memory
from planner.clustering.explain import Infeasible
from planner.clustering.problem import Prepared, prepare
from planner.clustering.refusal import refusal
from planner.clustering.solver import RegionProblem, n_starts_for, solve_region
from planner.clustering.verify import broken_rules
from planner.domain.centres import Centres
from planner.domain.constraints import Constraints
from planner.domain.palette import colour_apart, colour_for
from planner.domain.plan import UNASSIGNED, Federation, Plan
from planner.domain.stats import PlanStats

__all__ = ["Progress", "FederateResult", "federate", "federate_now"]


@dataclass(frozen=True)
class Progress:
    fraction: float
    message: str


@dataclass
class FederateResult:
    plan: Plan
    cost: float  # sum over centres of the distance to their federation's hub (m)
    approximations: list[str] = field(default_factory=list)


@guard_memory
def federate(
    centres: Centres,
    constraints: Constraints,
    *,
    current: Plan | None = None,
    graph: nx.Graph | None = None,
    seed: int = 0,
) -> Generator[Progress, None, FederateResult]:
    """Propose federations for ``centres`` under ``constraints`` (see the module docstring).

    Parameters
    ----------
    current:
        The plan being re-optimised: its locked federations and locked centres are kept, and a
        hub the planner set on a federation with locked centres stays its hub. Its other
        federations are replaced.
    graph:
        The neighbourhood graph on row indices (edge attribute ``length``). Default:
        :func:`~planner.clustering.graph.neighbourhood_graph` with ``constraints.max_link_m``
        (and, within boundaries, each authority triangulated on its own). A given graph is used
        as it is (``max_link_m`` then does not apply), cut between authorities when asked.
    seed:
        Seeds every random choice: the same inputs and seed give the same plan.

    ``FederateResult.approximations`` lists what the plan could only meet approximately (the
    constraint checks it still fails, with their figures) and notes about the input (ignored
    ids, boundary exceptions). ``plan.params`` records the engine, seed, K, sizes, weight,
    limits and the cost. A run this computer cannot hold in memory is refused up front, and
    running out of memory is an Infeasible too (:mod:`~planner.clustering.capacity`).
    """
    prep = prepare(centres, constraints, current, graph)
    if prep.reasons:
        raise Infeasible(prep.reasons)
    yield Progress(0.0, f"Planning {prep.k} federations of {prep.lo}-{prep.hi} centres")
    results: dict[int, tuple] = {}
    todo = list(range(len(prep.regions)))
    for attempt in range(len(_TRIES)):
        yield from _solve_regions(prep, constraints, seed, attempt, todo, results)
        region_results = [results[i] for i in range(len(prep.regions))]
        plan = _build_plan(prep, constraints, current, region_results, seed)
        hard, soft = broken_rules(plan, constraints, prep.neighbours, prep.k, current)
        if not hard:
            break
        todo = _regions_of(hard, plan, prep)
    if hard:
        raise Infeasible(refusal(hard, plan, prep, len(_TRIES)))
    cost = PlanStats(plan, None, prep.neighbours).total_cost
    plan.params["cost_m"] = round(cost, 1)
    approximations = list(prep.notes) + [f"only approximated: {v}" for v in soft]
    yield Progress(1.0, "Done")
    return FederateResult(plan, cost, approximations)


# Tries per region: (starts multiplier, keep soft targets). A try after the first re-solves only
# the regions whose federations break a rule, with more starts and fresh seeds, then without the
# soft targets (which may pull against the rules).
_TRIES = ((1, True), (4, True), (8, False))


def _solve_regions(prep: Prepared, c: Constraints, seed: int, attempt: int, todo: list[int],
                   results: dict[int, tuple]) -> Generator[Progress, None, None]:
    """Solve the regions in ``todo`` (try ``attempt``), results into ``results`` by region."""
    factor, soft = _TRIES[attempt]
    n_units = sum(len(prep.regions[i]) for i in todo) or 1
    done = 0
    for i in todo:
        problem, rows, local_slots = _region_problem(prep, i, c, soft)
        seq = [int(seed), i] if attempt == 0 else [int(seed), i, attempt]
        starts = n_starts_for(problem.n_units, problem.k) * factor
        gen = solve_region(problem, np.random.default_rng(seq), starts)
        label = f"{prep.region_names[i]}" if len(prep.regions) > 1 else "the map"
        again = "" if attempt == 0 else f" (try {attempt + 1}: harder)"
        size = len(prep.regions[i])
        try:
            while True:
                frac, phase = next(gen)
                yield Progress(
                    min(0.99, (done + frac * size) / n_units),
                    f"Federating {label} ({problem.k} federation"
                    f"{'s' if problem.k != 1 else ''}){again}: {phase}",
                )
        except StopIteration as stop:
            sol = stop.value
        done += size
        results[i] = (rows, sol.labels[problem.unit_of_centre], sol.hubs, local_slots)


def _regions_of(broken: list, plan: Plan, prep: Prepared) -> list[int]:
    """The regions holding the federations (or centres) of ``broken`` rules; all if unknown."""
    unit_of = np.full(prep.n, -1, dtype=np.intp)
    for u, rows in enumerate(prep.units):
        unit_of[rows] = u
    found: set[int] = set()
    for v in broken:
        rows = list(plan.members(v.federation)) if v.federation is not None else []
        rows += [prep.centres.index_of(cid) for cid in v.centres if cid in prep.centres]
        units = [int(unit_of[r]) for r in rows if unit_of[r] >= 0]
        if not units:
            return list(range(len(prep.regions)))
        found.update(int(prep.region_of_unit[u]) for u in units)
    return sorted(found)


def federate_now(
    centres: Centres,
    constraints: Constraints,
    *,
    current: Plan | None = None,
    graph: nx.Graph | None = None,
    seed: int = 0,
) -> FederateResult:
    """Run :func:`federate` to the end without progress reports (scripts, tests, start-up)."""
    gen = federate(centres, constraints, current=current, graph=graph, seed=seed)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return stop.value


def _region_problem(
    prep: Prepared, i: int, c: Constraints, soft: bool = True
) -> tuple[RegionProblem, list[int], list[int]]:
    """The solver's view of region ``i``; its centre rows (unit order) and global slot ids."""
    reg = prep.regions[i]
    local_of_unit = {u: j for j, u in enumerate(reg)}
    rows: list[int] = []
    starts = [0]
    for u in reg:
        rows.extend(prep.units[u])
        starts.append(len(rows))
    local_row = {r: j for j, r in enumerate(rows)}
    adj = [[local_of_unit[v] for v in prep.unit_adj[u] if v in local_of_unit] for u in reg]
    k = prep.region_k[i]
    global_slots = [s for s, slot in enumerate(prep.slots) if slot.region == i]
    slot_local = {s: j for j, s in enumerate(global_slots)}
    pin = np.array(
        [slot_local.get(int(prep.unit_pin[u]), -1) if prep.unit_pin[u] >= 0 else -1
         for u in reg],
        dtype=np.intp,
    )
    hub_fixed = np.full(k, -1, dtype=np.intp)
    for s, j in slot_local.items():
        if prep.slots[s].hub_row >= 0:
            hub_fixed[j] = local_row[prep.slots[s].hub_row]
    uw, wlo, whi, wsoft = None, prep.wlo, prep.whi, None
    if prep.weights is not None:
        keep = np.array([soft or not b.soft for b in c.balance], dtype=bool)
        uw = np.array([prep.weights[prep.units[u]].sum(0) for u in reg], dtype=float)[:, keep]
        wlo, whi = prep.wlo[keep], prep.whi[keep]
        wsoft = np.array([b.soft for b in c.balance], dtype=bool)[keep]
        if not keep.any():
            uw, wsoft = None, None
    cannot = [{local_of_unit[v] for v in prep.cannot[u] if v in local_of_unit} for u in reg]
    problem = RegionProblem(
        cxy=prep.centres.xy[rows],
        starts=np.array(starts),
        adj=adj,
        k=k,
        lo=prep.lo,
        hi=prep.hi,
        uw=uw,
        wlo=wlo,
        whi=whi,
        wsoft=wsoft,
        radius=c.max_radius_m,
        pin=pin,
        hub_fixed=hub_fixed,
        cannot=cannot,
        contiguous=c.contiguous,
        cadj=[[local_row[v] for v in prep.neighbours[r] if v in local_row] for r in rows]
        if any(len(prep.units[u]) > 1 for u in reg)
        else None,
    )
    return problem, rows, global_slots


def _build_plan(
    prep: Prepared,
    c: Constraints,
    current: Plan | None,
    region_results: list,
    seed: int,
) -> Plan:
    centres = prep.centres
    assignment = np.full(prep.n, UNASSIGNED, dtype=np.int64)
    kept_keys = {f.key for f in prep.kept}
    if current is not None:
        for key in kept_keys:
            assignment[current.assignment == key] = key
    found = _found(prep, region_results)
    used_keys = set(kept_keys) | {f.key for f, _, _ in found if f is not None}
    next_key = max([*(current.federations if current else []), *used_keys], default=-1) + 1
    used_names = {f.name for f in prep.kept} | {f.name for f, _, _ in found if f is not None}
    new = [x for x in found if x[0] is None]
    # New federations numbered north to south, then west to east.
    new.sort(key=lambda x: (-centres.xy[x[1], 1], centres.xy[x[1], 0]))
    inherit = _inherited(current, new, used_keys)
    used_names |= {f.name for f in inherit.values()}
    feds_by_key: dict[int, Federation] = {}
    for existing, hub, members in found:
        if existing is not None:
            feds_by_key[existing.key] = Federation(existing.key, existing.name, existing.colour,
                                                   existing.locked, centres.ids[hub])
            assignment[members] = existing.key
    number = 1
    new_keys: set[int] = set()
    for i, (_, hub, members) in enumerate(new):
        if i in inherit:
            old = inherit[i]
            feds_by_key[old.key] = Federation(old.key, old.name, old.colour, False,
                                              centres.ids[hub])
            assignment[members] = old.key
            continue
        while f"Federation {number}" in used_names:
            number += 1
        name = f"Federation {number}"
        used_names.add(name)
        feds_by_key[next_key] = Federation(next_key, name, colour_for(next_key), False,
                                           centres.ids[hub])
        new_keys.add(next_key)
        assignment[members] = next_key
        next_key += 1
    order: list[Federation] = []
    if current is not None:
        order += [current.federations[k] for k in current.federations if k in kept_keys]
        order += [feds_by_key.pop(k) for k in list(current.federations) if k in feds_by_key]
    order += list(feds_by_key.values())
    order = _colours_apart(order, new_keys, assignment, centres.xy)
    locked = current.locked_centres if current is not None else ()
    return Plan(centres, assignment, order, locked, _params(prep, c, seed))


def _found(prep: Prepared, region_results: list) -> list[tuple[Federation | None, int, np.ndarray]]:
    """Every federation the regions gave: (the federation it keeps | None, hub row, members)."""
    found: list[tuple[Federation | None, int, np.ndarray]] = []
    for rows, centre_slot, hubs, global_slots in region_results:
        rows = np.asarray(rows, dtype=np.intp)
        for j in range(len(hubs)):
            existing = prep.slots[global_slots[j]].federation if j < len(global_slots) else None
            found.append((existing, int(rows[hubs[j]]), rows[centre_slot == j]))
    return found


def _inherited(current: Plan | None, new: list, used_keys: set[int]) -> dict[int, Federation]:
    """A new federation made mostly of one replaced federation's centres inherits its key, name
    and colour (the planner's "Riverside" stays Riverside after a re-optimisation): by index in
    ``new``."""
    inherit: dict[int, Federation] = {}
    if current is None:
        return inherit
    reusable = [f for f in current.federations.values() if f.key not in used_keys]
    overlaps = []
    for i, (_, _, members) in enumerate(new):
        old = current.assignment[members]
        for f in reusable:
            shared = int((old == f.key).sum())
            if 2 * shared > len(members):
                overlaps.append((-shared, i, f.key))
    taken: set[int] = set()
    for _, i, key in sorted(overlaps):
        if i not in inherit and key not in taken:
            inherit[i] = current.federations[key]
            taken.add(key)
    return inherit


def _params(prep: Prepared, c: Constraints, seed: int) -> dict:
    return {
        "engine": "federate",
        "seed": int(seed),
        "federations": prep.k,
        "min_size": prep.lo,
        "max_size": prep.hi,
        "balance": [[b.column, b.tolerance, b.soft] for b in c.balance],
        "max_link_m": c.max_link_m,
        "max_radius_m": c.max_radius_m,
        "within_boundaries": bool(c.within_boundaries),
        "contiguous": bool(c.contiguous),
    }


def _colours_apart(
    order: list[Federation], new_keys: set[int], assignment: np.ndarray, xy: np.ndarray
) -> list[Federation]:
    """New federations get palette colours that differ from every federation they touch.

    Touching is read from the Delaunay triangulation of all centres, not the (possibly
    boundary-cut) planning graph: what matters is what sits side by side on the map.
    """
    if not new_keys:
        return order
    touching: dict[int, set[int]] = {f.key: set() for f in order}
    if len(xy) >= 3:
        try:
            simplices = Delaunay(xy, qhull_options="QJ").simplices
        except (QhullError, ValueError):
            simplices = np.empty((0, 3), dtype=int)
        labels = assignment[simplices]
        for a, b in ((0, 1), (1, 2), (0, 2)):
            pairs = labels[:, [a, b]]
            pairs = pairs[pairs[:, 0] != pairs[:, 1]]
            for u, v in np.unique(pairs, axis=0).tolist():
                if u in touching and v in touching:
                    touching[u].add(v)
                    touching[v].add(u)
    fixed = {f.key: f.colour for f in order if f.key not in new_keys}
    colours = colour_apart([f.key for f in order], touching, fixed)
    return [replace(f, colour=colours[f.key]) if f.key in new_keys else f for f in order]
