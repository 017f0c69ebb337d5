"""Turn a request (centres, constraints, current plan, graph) into regions for the solver.

:func:`prepare` does everything the engine needs before optimising, and collects every reason the
request cannot be met (so :mod:`planner.clustering.explain` and :mod:`federate` share one truth):

- K and the size and weight bounds;
- locked federations of the current plan are set aside unchanged; locked centres pin their
  federation (a *slot* that keeps its key, name and colour); fixed hubs pin a slot of their own;
- must-link groups are contracted to units (one unit moves as a whole);
- the graph is cut between authorities when ``within_boundaries`` (centres listed as exceptions,
  or without a label, join the authority of their nearest linked neighbour), and its connected
  pieces become regions, each given a whole number of federations (proportional to its centres,
  within what its size and weight allow) that add up to K.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from planner.domain.centres import Centres
from planner.domain.constraints import Constraints, size_bounds, weight_bounds
from planner.domain.pieces import pieces
from planner.domain.plan import UNASSIGNED, Federation, Plan

__all__ = ["Prepared", "Slot", "prepare"]


@dataclass
class Slot:
    """A federation the engine must fill: an existing one (pinned) or one with a fixed hub."""

    key: int | None  # existing federation key, None for a new federation
    federation: Federation | None  # the existing settings (name, colour) to keep
    hub_row: int = -1  # fixed hub centre row, -1 when the engine chooses
    region: int = -1


@dataclass
class Prepared:
    centres: Centres
    n: int
    k: int
    lo: int
    hi: int
    weights: np.ndarray | None  # (n, B): one column per balance rule, None without rules
    wlo: np.ndarray  # (B,) per-federation bounds of each balanced figure
    whi: np.ndarray
    neighbours: list[list[int]]  # centre adjacency used for contiguity (after boundary cuts)
    kept: list[Federation] = field(default_factory=list)  # locked federations, unchanged
    kept_rows: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    units: list[list[int]] = field(default_factory=list)  # centre rows per unit
    unit_adj: list[list[int]] = field(default_factory=list)
    unit_pin: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    slots: list[Slot] = field(default_factory=list)
    regions: list[list[int]] = field(default_factory=list)  # units per region
    region_k: list[int] = field(default_factory=list)
    region_names: list[str] = field(default_factory=list)
    cannot: list[set[int]] = field(default_factory=list)  # per unit
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _fmt(x: float) -> str:
    return f"{x:,.0f}"


def _centre_label(c: Centres, row: int) -> str:
    return f"{c.names[row]} ({c.ids[row]})"


class _DSU:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def prepare(
    centres: Centres,
    constraints: Constraints,
    current: Plan | None = None,
    graph: nx.Graph | None = None,
) -> Prepared:
    """Everything the engine needs, and every reason (``.reasons``) the request is impossible."""
    from planner.clustering.graph import adjacency, neighbourhood_graph

    c = constraints
    n = len(centres)
    k = c.k_for(n)
    reasons: list[str] = []
    notes: list[str] = []
    lo, hi = size_bounds(n, k, c)
    weights, wlo, whi = _balance_bounds(centres, c, k, reasons)

    given_graph = graph is not None
    if graph is None:
        graph = neighbourhood_graph(centres, max_link_m=c.max_link_m)
    neighbours = adjacency(graph, n)
    prep = Prepared(centres, n, k, lo, hi, weights, wlo, whi, neighbours)
    prep.reasons, prep.notes = reasons, notes

    if n == 0:
        reasons.append("there are no centres to federate")
        return prep
    if k < 1:
        reasons.append(f"{k} federations were asked for; at least 1 is needed")
        return prep
    if k > n:
        reasons.append(f"{n} centres cannot make {k} federations")
        return prep
    if lo > hi:
        reasons.append(f"the minimum size {lo} is larger than the maximum size {hi}")
        return prep
    if n < k * lo:
        reasons.append(f"{n} centres cannot make {k} federations of at least {lo}")
    if n > k * hi:
        reasons.append(f"{n} centres cannot make {k} federations of at most {hi}")

    # -- locks from the current plan ----------------------------------------------------------
    key_of_row = np.full(n, UNASSIGNED, dtype=np.int64)
    locked_rows: set[int] = set()
    pinned_key: dict[int, int] = {}
    if current is not None:
        if current.centres.ids != centres.ids:
            reasons.append("the current plan is for a different set of centres")
            return prep
        key_of_row = current.assignment.copy()
        for fed in current.federations.values():
            if fed.locked:
                rows = np.flatnonzero(key_of_row == fed.key)
                prep.kept.append(fed)
                locked_rows.update(rows.tolist())
        for cid in sorted(current.locked_centres):
            r = centres.index_of(cid)
            key = int(key_of_row[r])
            if key == UNASSIGNED:
                notes.append(f"locked centre {_centre_label(centres, r)} is in no federation, "
                             "so it was placed like any other")
            elif r not in locked_rows:
                pinned_key[r] = key
    prep.kept_rows = np.array(sorted(locked_rows), dtype=np.intp)
    k_free = k - len(prep.kept)
    if k_free < 0:
        reasons.append(f"{len(prep.kept)} federations are locked, more than the {k} asked for")
        return prep

    # -- must-link groups -> units -------------------------------------------------------------
    dsu = _DSU(n)
    missing_ids: set[str] = set()
    for group in c.must_link:
        rows = []
        for cid in group:
            if cid in centres:
                rows.append(centres.index_of(cid))
            else:
                missing_ids.add(str(cid))
        in_locked = {int(key_of_row[r]) for r in rows if r in locked_rows}
        free = [r for r in rows if r not in locked_rows]
        if len(in_locked) > 1:
            a, b = [r for r in rows if r in locked_rows][:2]
            if key_of_row[a] == key_of_row[b]:
                a, b = next(
                    (x, y) for x in rows for y in rows
                    if x in locked_rows and y in locked_rows and key_of_row[x] != key_of_row[y]
                )
            reasons.append(
                f"centres {_centre_label(centres, a)} and {_centre_label(centres, b)} must be "
                "together but are locked in different federations"
            )
        elif in_locked and free:
            a = next(r for r in rows if r in locked_rows)
            fed = current.federations[int(key_of_row[a])]  # type: ignore[union-attr]
            reasons.append(
                f"centres {_centre_label(centres, a)} and {_centre_label(centres, free[0])} must "
                f"be together but {fed.name} is locked without the second"
            )
        for r in free[1:]:
            dsu.union(free[0], r)
    if missing_ids:
        notes.append(f"{len(missing_ids)} linked centre id(s) are not in the centres and were "
                     f"ignored (e.g. {', '.join(sorted(missing_ids)[:3])})")
    free_rows = [r for r in range(n) if r not in locked_rows]
    root_units: dict[int, int] = {}
    unit_of = np.full(n, -1, dtype=np.intp)
    units: list[list[int]] = []
    for r in free_rows:
        root = dsu.find(r)
        if root not in root_units:
            root_units[root] = len(units)
            units.append([])
        u = root_units[root]
        units[u].append(r)
        unit_of[r] = u
    prep.units = units
    for rows in units:
        if len(rows) > hi:
            names = ", ".join(_centre_label(centres, r) for r in rows[:3])
            reasons.append(f"the linked group of {names} and others has {len(rows)} centres, "
                           f"more than the maximum federation size {hi}")
        for j, rule in enumerate(c.balance):
            if weights is None or rule.soft or weights[rows, j].sum() <= whi[j] + 1e-9:
                continue
            reasons.append(
                f"{_centre_label(centres, rows[0])}"
                + (f" with its {len(rows) - 1} linked centre(s)" if len(rows) > 1 else "")
                + f" serves {_fmt(weights[rows, j].sum())} {rule.column}, more than a "
                f"federation may serve ({_fmt(whi[j])})"
            )

    # -- slots: pinned federations and fixed hubs ---------------------------------------------
    slots: list[Slot] = []
    slot_of_key: dict[int, int] = {}
    unit_pin = np.full(len(units), -1, dtype=np.intp)
    for r, key in sorted(pinned_key.items()):
        if key not in slot_of_key:
            slot_of_key[key] = len(slots)
            slots.append(Slot(key, current.federations[key]))  # type: ignore[union-attr]
        s = slot_of_key[key]
        u = unit_of[r]
        if unit_pin[u] >= 0 and unit_pin[u] != s:
            other = next(x for x in units[u] if pinned_key.get(x, key) != key)
            reasons.append(
                f"centres {_centre_label(centres, r)} and {_centre_label(centres, other)} must be "
                "together but are locked in different federations"
            )
        unit_pin[u] = s
    # Hubs the planner fixed: the hub of a federation that keeps locked centres (it stays that
    # federation's hub), and Constraints.fixed_hubs (each the hub of a federation of its own).
    hub_slot: list[tuple[str, int]] = []
    if current is not None:
        for key, s in slot_of_key.items():
            hub = current.federations[key].hub
            if hub is not None and hub in centres and int(
                key_of_row[centres.index_of(hub)]
            ) == key:
                hub_slot.append((hub, s))
    hub_slot += [(h, -1) for h in c.fixed_hubs if h not in {x for x, _ in hub_slot}]
    for hid, want in hub_slot:
        if hid not in centres:
            notes.append(f"fixed hub {hid} is not among the centres and was ignored")
            continue
        r = centres.index_of(hid)
        if r in locked_rows:
            continue
        u = unit_of[r]
        s = int(unit_pin[u])
        if s < 0:
            if want >= 0:
                s = want
            else:
                s = len(slots)
                slots.append(Slot(None, None))
            unit_pin[u] = s
        elif want >= 0 and s != want:
            reasons.append(
                f"{_centre_label(centres, r)} is the hub of {slots[want].federation.name} but "
                f"is linked to centres locked in {slots[s].federation.name}"  # type: ignore[union-attr]
            )
            continue
        if slots[s].hub_row >= 0 and slots[s].hub_row != r:
            reasons.append(
                f"centres {_centre_label(centres, slots[s].hub_row)} and "
                f"{_centre_label(centres, r)} are both fixed as hubs but must share a federation"
            )
            continue
        slots[s].hub_row = r
    prep.slots, prep.unit_pin = slots, unit_pin
    if len(slots) > k_free:
        reasons.append(f"{len(slots)} federations are fixed by locked centres or hubs, more "
                       f"than the {k_free} left to make")

    # -- cannot-link ---------------------------------------------------------------------------
    cannot: list[set[int]] = [set() for _ in units]
    for a_id, b_id in c.cannot_link:
        if a_id not in centres or b_id not in centres:
            continue
        a, b = centres.index_of(a_id), centres.index_of(b_id)
        la, lb = _centre_label(centres, a), _centre_label(centres, b)
        if a in locked_rows or b in locked_rows:
            if a in locked_rows and b in locked_rows and key_of_row[a] == key_of_row[b]:
                reasons.append(f"centres {la} and {lb} must be apart but are locked in the same "
                               "federation")
            continue
        ua, ub = unit_of[a], unit_of[b]
        if ua == ub:
            reasons.append(f"centres {la} and {lb} must be apart but are linked to be together")
        elif unit_pin[ua] >= 0 and unit_pin[ua] == unit_pin[ub]:
            reasons.append(f"centres {la} and {lb} must be apart but are locked in the same "
                           "federation")
        else:
            cannot[ua].add(int(ub))
            cannot[ub].add(int(ua))
    prep.cannot = cannot

    # -- the graph between units, cut at boundaries --------------------------------------------
    label = _boundary_labels(centres, c, neighbours, graph, locked_rows, notes)
    if label is not None:
        if not given_graph:
            # each authority triangulated on its own, so it stays one connected piece
            by_id = dict(zip(centres.ids, label, strict=True))
            neighbours = adjacency(
                neighbourhood_graph(centres, max_link_m=c.max_link_m, boundary_of=by_id), n
            )
        neighbours = [[v for v in nb if label[v] == label[u]] for u, nb in enumerate(neighbours)]
        prep.neighbours = neighbours
        for rows in units:
            labs = {label[r] for r in rows}
            if len(labs) > 1:
                names = " and ".join(_centre_label(centres, r) for r in rows[:2])
                reasons.append(f"linked centres {names} are in different authorities "
                               f"({', '.join(sorted(map(str, labs)))})")
    unit_adj_sets: list[set[int]] = [set() for _ in units]
    for u, rows in enumerate(units):
        for r in rows:
            for v in neighbours[r]:
                uv = unit_of[v]
                if uv >= 0 and uv != u:
                    unit_adj_sets[u].add(int(uv))
    prep.unit_adj = [sorted(s) for s in unit_adj_sets]

    # -- regions -------------------------------------------------------------------------------
    if c.contiguous:
        regions = [sorted(part) for part in pieces(range(len(prep.unit_adj)), prep.unit_adj)]
    elif label is not None:
        by_label: dict[object, list[int]] = {}
        for u, rows in enumerate(units):
            by_label.setdefault(label[rows[0]], []).append(u)
        regions = list(by_label.values())
    else:
        regions = [list(range(len(units)))]
    regions.sort(key=lambda reg: min(units[reg[0]]))
    prep.regions = regions
    region_of_unit = np.empty(len(units), dtype=np.intp)
    for i, reg in enumerate(regions):
        region_of_unit[reg] = i
    prep.region_names = [_region_name(centres, units, reg, label) for reg in regions]
    if label is not None:
        counts: dict[str, int] = {}
        for name in prep.region_names:
            counts[name] = counts.get(name, 0) + 1
        for i, reg in enumerate(regions):
            if counts[prep.region_names[i]] > 1:
                first = units[reg[0]][0]
                prep.region_names[i] = (
                    f"the part of {prep.region_names[i]} around {centres.names[first]}"
                )
    for s, slot in enumerate(slots):
        regs = sorted({int(region_of_unit[u]) for u in np.flatnonzero(unit_pin == s)})
        slot.region = regs[0] if regs else -1
        if len(regs) > 1:
            name = slot.federation.name if slot.federation else "a fixed hub's federation"
            reasons.append(f"the locked centres of {name} lie in {len(regs)} areas that cannot "
                           f"be joined ({' and '.join(prep.region_names[r] for r in regs[:2])})")
    _allocate_k(prep, k_free, label is not None, c)
    if c.max_radius_m is not None and not prep.reasons:
        _check_radius(prep, region_of_unit, unit_of, float(c.max_radius_m))
    return prep


def _balance_bounds(
    centres: Centres, c: Constraints, k: int, reasons: list[str]
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """(n, B) balanced figures and each one's per-federation (min, max); reasons added."""
    b = len(c.balance)
    wlo, whi = np.zeros(b), np.full(b, np.inf)
    cols = []
    for j, rule in enumerate(c.balance):
        if rule.tolerance < 0:
            reasons.append(f"the tolerance {rule.tolerance:.0%} for {rule.column} is negative")
        try:
            cols.append(centres.numeric(rule.column))
        except (KeyError, ValueError) as exc:
            reasons.append(f"the weight column {rule.column!r} cannot be used: {exc.args[0]}")
            continue
        total = float(cols[-1].sum())
        if total > 0:
            wlo[j], whi[j] = weight_bounds(total, k, rule)
        elif not rule.soft:
            reasons.append(f"every centre has {rule.column} 0, so there is nothing to balance")
    if not b or len(cols) < b:
        return None, wlo, whi
    return np.column_stack(cols), wlo, whi


def _check_radius(prep: Prepared, region_of_unit, unit_of, radius: float) -> None:
    """A centre no possible hub can serve: every centre within the radius of it (in its region)
    has fewer than ``min_size`` centres within the radius of itself."""
    from scipy.spatial import cKDTree

    centres = prep.centres
    free = np.flatnonzero(unit_of >= 0)
    if len(free) == 0:
        return
    region_of_row = region_of_unit[unit_of[free]]
    lo = max(1, prep.lo)
    far: list[int] = []
    for r in np.unique(region_of_row):
        rows = free[region_of_row == r]
        tree = cKDTree(centres.xy[rows])
        near = tree.query_ball_point(centres.xy[rows], radius + 1e-6)
        can_hub = np.array([len(x) >= lo for x in near])
        for i, x in enumerate(near):
            if not can_hub[x].any():
                far.append(int(rows[i]))
    if far:
        names = ", ".join(_centre_label(centres, r) for r in far[:3])
        more = f" and {len(far) - 3} more" if len(far) > 3 else ""
        prep.reasons.append(
            f"no federation of at least {lo} centres within {radius / 1000:.1f} km of its hub can "
            f"include {names}{more}"
        )


def _boundary_labels(centres, c, neighbours, graph, locked_rows, notes) -> list | None:
    """Per-row authority label when staying within boundaries, else None.

    Exceptions and unlabelled centres take the label of their nearest labelled neighbour.
    """
    if not (c.within_boundaries and c.boundary_of):
        return None
    exceptions = set(c.boundary_exceptions)
    label = [
        None if cid in exceptions else c.boundary_of.get(cid) for cid in centres.ids
    ]
    free = [r for r, lab in enumerate(label) if lab is None]
    if free:
        n_exc = sum(1 for r in free if centres.ids[r] in exceptions)
        # Multi-source Dijkstra from labelled centres over the graph (by link length).
        sources = [r for r, lab in enumerate(label) if lab is not None]
        if sources:
            dist, paths = nx.multi_source_dijkstra(graph, sources, weight="length")
            for r in free:
                if r in paths:
                    label[r] = label[paths[r][0]]
        if n_exc:
            notes.append(f"{n_exc} boundary exception(s) joined the authority of their nearest "
                         "linked neighbour")
        if len(free) - n_exc:
            notes.append(f"{len(free) - n_exc} centre(s) without an authority joined that of "
                         "their nearest linked neighbour")
        for r in range(len(label)):
            if label[r] is None:
                label[r] = "(no authority)"
    return label


def _region_name(centres, units, reg, label) -> str:
    rows = [r for u in reg for r in units[u]]
    if label is not None:
        return str(label[rows[0]])
    return f"the area around {centres.names[rows[0]]}"


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _allocate_k(prep: Prepared, k_free: int, by_boundary: bool, c: Constraints) -> None:
    """Federations per region: within each region's range, adding up to ``k_free``."""
    lo, hi = prep.lo, prep.hi
    w = prep.weights
    ranges = []
    for i, reg in enumerate(prep.regions):
        rows = [r for u in reg for r in prep.units[u]]
        m = len(rows)
        pinned = sum(1 for s in prep.slots if s.region == i)
        kmin = max(1, math.ceil(m / hi), pinned)
        kmax = min(m // lo if lo > 0 else m, len(reg))
        binding = None
        for j, rule in enumerate(c.balance):
            if w is None or rule.soft:
                continue
            wr = float(w[rows, j].sum())
            if np.isfinite(prep.whi[j]) and prep.whi[j] > 0:
                kmin = max(kmin, math.ceil(wr / prep.whi[j] - 1e-9))
            if prep.wlo[j] > 0:
                kmax = min(kmax, math.floor(wr / prep.wlo[j] + 1e-9))
            if kmin > kmax and binding is None:
                binding = (j, rule.column, wr)
        plural = "centre" if m == 1 else "centres"
        if by_boundary:
            who = f"{_possessive(prep.region_names[i])} {m} {plural}"
            where = " inside its boundary"
        else:
            who = f"the {m} {plural} around {prep.centres.names[rows[0]]}"
            where = " (cut off from the other centres by long links or barriers)"
        if kmin > kmax:
            if m < lo:
                prep.reasons.append(f"{who} cannot form a federation of at least {lo}{where}")
            elif pinned > kmax:
                prep.reasons.append(f"{who} cannot hold the {pinned} federations fixed there "
                                    f"with at least {lo} centres each")
            elif math.ceil(m / hi) > m // lo:
                prep.reasons.append(f"{who} cannot be split into federations of {lo} to {hi}"
                                    f"{where}")
            elif binding is not None:
                j, column, wr = binding
                prep.reasons.append(
                    f"{who} serve {_fmt(wr)} {column}, which cannot be split into "
                    f"federations of {_fmt(prep.wlo[j])} to {_fmt(prep.whi[j])} {column} with "
                    f"{lo} to {hi} centres each{where}"
                )
            else:
                prep.reasons.append(f"{who} cannot be split into federations keeping every "
                                    f"balanced figure{where}")
        ranges.append((kmin, kmax, m))
    if prep.reasons:
        prep.region_k = [r[0] for r in ranges]
        return
    total_min = sum(r[0] for r in ranges)
    total_max = sum(r[1] for r in ranges)
    if not total_min <= k_free <= total_max:
        what = "authorities" if by_boundary else "separate parts of the map"
        prep.reasons.append(
            f"the {len(ranges)} {what} need between {total_min} and {total_max} federations "
            f"in all, not {k_free}"
        )
        prep.region_k = [r[0] for r in ranges]
        return
    # Start at the minimum; hand out the rest one at a time to the region furthest below its
    # proportional share (ties: the earlier region), within its maximum.
    n_all = sum(r[2] for r in ranges)
    ks = [r[0] for r in ranges]
    for _ in range(k_free - total_min):
        best, best_gap = -1, -np.inf
        for i, (_kmin, kmax, m) in enumerate(ranges):
            if ks[i] < kmax:
                gap = k_free * m / n_all - ks[i]
                if gap > best_gap + 1e-12:
                    best, best_gap = i, gap
        ks[best] += 1
    prep.region_k = ks
