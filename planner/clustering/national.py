"""Every authority in one run: each planned on its own, in parallel, and stitched into one plan.

    gen = plan_authorities(centres, constraints, authority_of=labels, jobs=2, seed=0)
    for progress in gen:          # Progress(fraction, message); stop iterating to cancel
        ...
    # StopIteration.value is NationalResult(plan, authorities, cost, approximations)

``constraints`` holds the rules every authority keeps: ``target_size``, ``min_size`` and
``max_size`` size each authority (:func:`planner.domain.request.size_authority`: K is
``max(1, round(n / target))`` moved to the nearest K the size rules allow; fewer centres than the
minimum make one federation, listed), and the other rules (balance, distances, cannot-link)
apply inside each authority. ``must_link`` groups are kept within each authority (a group that
crosses authorities is split, and said so). If the engine refuses an authority's K, the next
nearest K is tried; an authority no K fits is refused, listed with the reason, and its centres are
left unassigned. Every authority's plan is checked by :func:`planner.domain.constraints.check`
before it is kept: a plan that breaks a rule counts as a refusal.

Each authority is planned on its own land graph: ``land`` (given by the caller, from the geo layer,
e.g. ``lambda sub: planner.geo.land.land_for(sub, layer).links()``) is called here, in the parent
process, with each authority's centres and returns the plain link arrays ``(edges, lengths,
crossing)`` of the cells on the land of the boundary polygons holding them; the graph is built from
those arrays in the worker (:func:`planner.clustering.graph.neighbourhood_graph` with ``links``), so
no federation is drawn in two pieces of its authority's land. Without ``land`` the graph is the
Delaunay graph of the points (no land known).

Authorities are solved in parallel in a :class:`concurrent.futures.ProcessPoolExecutor` with
``jobs`` processes (default ``os.cpu_count()``; 1 runs in this process). Each authority gets the
same seed, so the plan does not depend on ``jobs``. Federations are named after their authority
and hub town (:func:`planner.domain.naming.name_federations`).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Generator, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.spatial import Delaunay, QhullError

from planner.clustering.explain import Infeasible
from planner.clustering.federate import Progress, federate_now
from planner.clustering.graph import Links, adjacency, neighbourhood_graph
from planner.domain.centres import Centres
from planner.domain.constraints import Constraints, check
from planner.domain.naming import name_federations
from planner.domain.palette import colour_apart
from planner.domain.plan import UNASSIGNED, Federation, Plan
from planner.domain.request import AuthoritySizing, size_authority

__all__ = [
    "AuthorityResult",
    "NationalResult",
    "SUMMARY_COLUMNS",
    "labels_from_column",
    "plan_authorities",
    "summary_rows",
]

PLANNED, SINGLE, REFUSED = "planned", "one federation", "refused"
_LAND_SHARE = 0.2  # of the progress bar for working out the authorities' lands (when given)
SUMMARY_COLUMNS = ("authority", "centres", "federations", "sizes", "min_size", "max_size",
                   "cost_km", "status", "note")


@dataclass(frozen=True)
class AuthorityResult:
    """One authority's line of the summary."""

    authority: str
    centres: int
    federations: int = 0  # 0 when refused
    sizes: tuple[int, ...] = ()  # federation sizes, largest first
    min_size: int | None = None  # the size rule it kept
    max_size: int | None = None
    cost_m: float = 0.0  # sum of the distances from centres to their hubs
    status: str = PLANNED  # planned | one federation | refused
    note: str = ""  # why one federation or refused; anything met only approximately


@dataclass
class NationalResult:
    plan: Plan
    authorities: list[AuthorityResult]
    cost: float
    constraints: Constraints  # what the whole plan keeps (to save with it)
    approximations: list[str] = field(default_factory=list)  # single and refused, in words

    @property
    def planned(self) -> list[AuthorityResult]:
        return [a for a in self.authorities if a.status != REFUSED]

    @property
    def refused(self) -> list[AuthorityResult]:
        return [a for a in self.authorities if a.status == REFUSED]


def labels_from_column(centres: Centres, column: str) -> dict[str, str]:
    """Centre id -> the column's value (blank values left out). ``KeyError`` names the column."""
    if column not in centres.attributes:
        raise KeyError(f"no column {column!r}; columns are: {', '.join(centres.attributes)}")
    return {cid: str(v).strip() for cid, v in zip(centres.ids, centres.attributes[column],
                                                  strict=True)
            if v is not None and str(v).strip()}


# -- one authority (runs in a worker process) -----------------------------------------------------
@dataclass(frozen=True)
class _Task:
    sizing: AuthoritySizing
    rows: np.ndarray
    centres: Centres
    constraints: Constraints
    seed: int
    links: Links | None = None  # (edges, lengths, crossing) on the authority's land; local rows


@dataclass(frozen=True)
class _Outcome:
    k: int = 0
    lo: int = 0
    hi: int = 0
    labels: np.ndarray | None = None  # local federation index per row
    hubs: tuple[int, ...] = ()  # local hub rows
    cost: float = 0.0
    notes: tuple[str, ...] = ()
    refusal: str = ""


def _solve(task: _Task) -> _Outcome:
    """Plan one authority: its K first, then the next nearest; the first plan that keeps every
    rule (checked independently of the engine) wins."""
    centres, base = task.centres, task.constraints
    graph = neighbourhood_graph(centres, max_link_m=base.max_link_m, links=task.links)
    neighbours = adjacency(graph, len(centres))
    reasons: list[str] = []
    for k, lo, hi in task.sizing.tries:
        rules = replace(base, federations=k, min_size=lo, max_size=hi)
        try:
            result = federate_now(centres, rules, graph=graph, seed=task.seed)
        except Infeasible as exc:
            reasons.append(f"{k} federation{'s' if k != 1 else ''}: " + "; ".join(exc.reasons))
            continue
        broken = [v for v in check(result.plan, rules, neighbours) if not v.soft]
        if broken:
            reasons.append(f"{k} federation{'s' if k != 1 else ''}: "
                           + "; ".join(str(v) for v in broken))
            continue
        plan = result.plan
        keys = list(plan.federations)
        local = np.array([keys.index(a) if a != UNASSIGNED else -1 for a in plan.assignment])
        hubs = tuple(centres.index_of(plan.federations[key].hub) for key in keys)
        tried = tuple(f"could not make {r}" for r in reasons)  # the nearer K refused first
        notes = tried + tuple(str(a) for a in result.approximations)
        return _Outcome(k, lo, hi, local, hubs, float(result.cost), notes)
    return _Outcome(refusal="; ".join(reasons) or task.sizing.reason)


# -- the national run -----------------------------------------------------------------------------
def plan_authorities(
    centres: Centres,
    constraints: Constraints,
    *,
    authority_of: Mapping[str, str] | None = None,
    jobs: int | None = None,
    seed: int = 0,
    field_name: str = "authority",
    land: Callable[[Centres], Links] | None = None,
) -> Generator[Progress, None, NationalResult]:
    """Plan every authority separately and stitch one plan (see the module docstring).

    ``authority_of`` maps centre id -> authority (default ``constraints.boundary_of``); centres
    without one are left unassigned and listed. ``field_name`` names the field in messages.
    ``land(authority_centres) -> (edges, lengths, crossing)``: each authority's land links.
    """
    labels = dict(authority_of if authority_of is not None else constraints.boundary_of or {})
    tasks, missing = _tasks(centres, constraints, labels, seed)
    share = 0.0  # of the progress bar for the lands
    if land is not None:
        share = _LAND_SHARE
        todo = [i for i, t in enumerate(tasks) if not t.sizing.refused]
        for done, i in enumerate(todo):
            yield Progress(share * done / len(todo), f"{tasks[i].sizing.authority}: its land")
            tasks[i] = replace(tasks[i], links=_plain(land(tasks[i].centres)))
    jobs = max(1, int(jobs or os.cpu_count() or 1))
    yield Progress(share, f"Planning {len(tasks)} authorities"
                   + (f" on {min(jobs, len(tasks))} processes" if jobs > 1 else ""))
    outcomes: dict[int, _Outcome] = {}
    for i, outcome in _run(tasks, jobs):
        outcomes[i] = outcome
        what = (f"{outcome.k} federation{'s' if outcome.k != 1 else ''}" if not outcome.refusal
                else "refused")
        yield Progress(share + (1 - share) * min(0.99, len(outcomes) / max(1, len(tasks))),
                       f"{tasks[i].sizing.authority}: {what}")
    result = _stitch(centres, constraints, labels, tasks, outcomes, missing, seed, field_name)
    yield Progress(1.0, "Done")
    return result


def _plain(links: Links) -> Links:
    """The land's links as plain numpy arrays (they are pickled into the worker processes)."""
    edges, lengths, crossing = links
    return (np.asarray(edges, dtype=np.intp).reshape(-1, 2), np.asarray(lengths, dtype=float),
            np.asarray(crossing, dtype=bool))


def _tasks(
    centres: Centres, c: Constraints, labels: Mapping[str, str], seed: int
) -> tuple[list[_Task], np.ndarray]:
    """One task per authority (in name order), and the rows without an authority."""
    by_authority: dict[str, list[int]] = {}
    for i, cid in enumerate(centres.ids):
        label = labels.get(cid)
        if label:
            by_authority.setdefault(label, []).append(i)
    missing = np.array([i for i, cid in enumerate(centres.ids) if not labels.get(cid)],
                       dtype=np.intp)
    base = replace(c, federations=None, boundary_of=None, within_boundaries=False,
                   boundary_exceptions=())
    tasks = []
    for name in sorted(by_authority):
        rows = np.array(by_authority[name], dtype=np.intp)
        sizing = size_authority(name, len(rows), c.target_size, c.min_size, c.max_size)
        sub = _subset(centres, rows)
        inside = set(sub.ids)
        links = tuple(g for g in (tuple(x for x in group if x in inside)
                                  for group in c.must_link) if len(g) > 1)
        cannot = tuple(p for p in c.cannot_link if p[0] in inside and p[1] in inside)
        hubs = tuple(h for h in c.fixed_hubs if h in inside)
        rules = replace(base, must_link=links, cannot_link=cannot, fixed_hubs=hubs)
        tasks.append(_Task(sizing, rows, sub, rules, seed))
    return tasks, missing


def _run(tasks: list[_Task], jobs: int) -> Iterator[tuple[int, _Outcome]]:
    """(task index, outcome) as each authority is done; the largest authorities start first."""
    todo = [i for i, t in enumerate(tasks) if not t.sizing.refused]
    for i, t in enumerate(tasks):
        if t.sizing.refused:
            yield i, _Outcome(refusal=t.sizing.reason)
    todo.sort(key=lambda i: -len(tasks[i].rows))
    if jobs <= 1 or len(todo) <= 1:
        for i in todo:
            yield i, _solve(tasks[i])
        return
    context = multiprocessing.get_context(_start_method())
    pool = ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context)
    try:
        futures = {pool.submit(_solve, tasks[i]): i for i in todo}
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start_method() -> str:
    """fork when this process has one thread (quick, and scripts need no ``__main__`` guard);
    spawn from a threaded process (the window's worker): a fork copies other threads' locks."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return "fork"
    return "spawn"


def _subset(centres: Centres, rows: np.ndarray) -> Centres:
    attrs = {col: [values[i] for i in rows] for col, values in centres.attributes.items()}
    return Centres([centres.ids[i] for i in rows], [centres.names[i] for i in rows],
                   centres.xy[rows], centres.lonlat[rows], centres.crs, attrs, centres.source)


# -- stitching ------------------------------------------------------------------------------------
def _stitch(
    centres: Centres,
    c: Constraints,
    labels: Mapping[str, str],
    tasks: list[_Task],
    outcomes: Mapping[int, _Outcome],
    missing: np.ndarray,
    seed: int,
    field_name: str,
) -> NationalResult:
    """One plan from the authorities' outcomes, with the summary lines."""
    assignment = np.full(len(centres), UNASSIGNED, dtype=np.int64)
    feds: list[Federation] = []
    lines: list[AuthorityResult] = []
    for i, task in enumerate(tasks):
        out, s = outcomes[i], task.sizing
        if out.refusal:
            lines.append(AuthorityResult(s.authority, s.n, status=REFUSED, note=out.refusal))
            continue
        sizes = []
        for j, hub in enumerate(out.hubs):
            members = task.rows[out.labels == j]
            key = len(feds)
            assignment[members] = key
            feds.append(Federation(key, f"Federation {key + 1}", "", False,
                                   centres.ids[task.rows[hub]]))
            sizes.append(len(members))
        note = "; ".join(([s.reason] if s.single else []) + list(out.notes))
        lines.append(AuthorityResult(s.authority, s.n, out.k, tuple(sorted(sizes, reverse=True)),
                                     out.lo, out.hi, out.cost, SINGLE if s.single else PLANNED,
                                     note))
    if len(missing):
        shown = ", ".join(centres.ids[i] for i in missing[:5])
        lines.append(AuthorityResult(
            f"(no {field_name})", len(missing), status=REFUSED,
            note=f"no {field_name} for {shown}{' ...' if len(missing) > 5 else ''}"))
    colours = colour_apart([f.key for f in feds], _touching(assignment, centres.xy))
    feds = [replace(f, colour=colours[f.key]) for f in feds]
    cost = float(sum(line.cost_m for line in lines))
    planned = [line for line in lines if line.status != REFUSED]
    params = {"engine": "national", "per_authority": field_name, "seed": int(seed),
              "target_size": c.target_size, "min_size": c.min_size, "max_size": c.max_size,
              "authorities": len(lines), "refused": len(lines) - len(planned),
              "cost_m": round(cost, 1)}
    plan = name_federations(Plan(centres, assignment, feds, (), params), labels)
    whole = replace(
        c, federations=len(feds) or None, target_size=c.target_size,
        min_size=min((line.min_size for line in planned), default=c.min_size),
        max_size=max((line.max_size for line in planned), default=c.max_size),
        boundary_of=dict(labels), within_boundaries=True,
    )
    notes = [f"{line.authority}: {line.note}" for line in lines if line.status == SINGLE]
    notes += [f"{line.authority} was not planned: {line.note}" for line in lines
              if line.status == REFUSED]
    return NationalResult(plan, lines, cost, whole, notes)


def _touching(assignment: np.ndarray, xy: np.ndarray) -> dict[int, set[int]]:
    """Federations side by side on the map: joined by an edge of the Delaunay triangulation."""
    touching: dict[int, set[int]] = {int(k): set() for k in np.unique(assignment) if k >= 0}
    if len(xy) < 3:
        return touching
    try:
        simplices = Delaunay(xy, qhull_options="QJ").simplices
    except (QhullError, ValueError):
        return touching
    labels = assignment[simplices]
    for a, b in ((0, 1), (1, 2), (0, 2)):
        pairs = labels[:, [a, b]]
        pairs = pairs[(pairs[:, 0] != pairs[:, 1]) & (pairs >= 0).all(axis=1)]
        for u, v in np.unique(pairs, axis=0).tolist():
            touching[u].add(v)
            touching[v].add(u)
    return touching


def summary_rows(result: NationalResult) -> list[dict[str, str]]:
    """The per-authority summary as text rows with :data:`SUMMARY_COLUMNS` (for CSV and print)."""
    rows = []
    for line in result.authorities:
        rows.append({
            "authority": line.authority,
            "centres": str(line.centres),
            "federations": str(line.federations),
            "sizes": " ".join(str(s) for s in line.sizes),
            "min_size": "" if line.min_size is None else str(line.min_size),
            "max_size": "" if line.max_size is None else str(line.max_size),
            "cost_km": f"{line.cost_m / 1000:.1f}" if line.status != REFUSED else "",
            "status": line.status,
            "note": line.note,
        })
    return rows
