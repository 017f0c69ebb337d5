"""Regions: the graph between units (cut at boundaries when asked), its connected pieces, the
number of federations each gets, and the centres no hub within the radius can serve."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from planner.clustering.rules.counts import label
from planner.domain.centres import Centres
from planner.domain.constraints import Constraints
from planner.domain.pieces import pieces

__all__ = ["Regions", "allocate_k", "boundary_labels", "radius_reasons", "regions"]


@dataclass
class Regions:
    regions: list[list[int]]  # units per region
    names: list[str]
    unit_adj: list[list[int]]
    region_of_unit: np.ndarray
    reasons: list[str] = field(default_factory=list)


def boundary_labels(centres: Centres, c: Constraints, graph: nx.Graph,
                    notes: list[str]) -> list | None:
    """Per-row authority label when staying within boundaries, else None.

    Exceptions and unlabelled centres take the label of their nearest labelled neighbour.
    """
    if not (c.within_boundaries and c.boundary_of):
        return None
    exceptions = set(c.boundary_exceptions)
    lab = [None if cid in exceptions else c.boundary_of.get(cid) for cid in centres.ids]
    free = [r for r, x in enumerate(lab) if x is None]
    if not free:
        return lab
    n_exc = sum(1 for r in free if centres.ids[r] in exceptions)
    sources = [r for r, x in enumerate(lab) if x is not None]
    if sources:  # multi-source Dijkstra from labelled centres over the graph (by link length)
        _, paths = nx.multi_source_dijkstra(graph, sources, weight="length")
        for r in free:
            if r in paths:
                lab[r] = lab[paths[r][0]]
    if n_exc:
        notes.append(f"{n_exc} boundary exception(s) joined the authority of their nearest "
                     "linked neighbour")
    if len(free) - n_exc:
        notes.append(f"{len(free) - n_exc} centre(s) without an authority joined that of "
                     "their nearest linked neighbour")
    return [x if x is not None else "(no authority)" for x in lab]


def regions(centres: Centres, c: Constraints, units: list[list[int]], unit_of: np.ndarray,
            neighbours: list[list[int]], lab: list | None) -> Regions:
    """The regions the engine solves one by one, named for a planner."""
    reasons = []
    if lab is not None:
        for rows in units:
            labs = {lab[r] for r in rows}
            if len(labs) > 1:
                names = " and ".join(label(centres, r) for r in rows[:2])
                reasons.append(f"linked centres {names} are in different authorities "
                               f"({', '.join(sorted(map(str, labs)))})")
    adj_sets: list[set[int]] = [set() for _ in units]
    for u, rows in enumerate(units):
        for r in rows:
            adj_sets[u].update(int(unit_of[v]) for v in neighbours[r] if unit_of[v] >= 0)
        adj_sets[u].discard(u)
    unit_adj = [sorted(s) for s in adj_sets]
    if c.contiguous:
        regs = [sorted(part) for part in pieces(range(len(unit_adj)), unit_adj)]
    elif lab is not None:
        by_label: dict[object, list[int]] = {}
        for u, rows in enumerate(units):
            by_label.setdefault(lab[rows[0]], []).append(u)
        regs = list(by_label.values())
    else:
        regs = [list(range(len(units)))]
    regs.sort(key=lambda reg: min(units[reg[0]]))
    region_of_unit = np.empty(len(units), dtype=np.intp)
    for i, reg in enumerate(regs):
        region_of_unit[reg] = i
    return Regions(regs, _names(centres, units, regs, lab), unit_adj, region_of_unit, reasons)


def _names(centres: Centres, units, regs, lab) -> list[str]:
    if lab is None:
        return [f"the area around {centres.names[units[reg[0]][0]]}" for reg in regs]
    names = [str(lab[units[reg[0]][0]]) for reg in regs]
    counts = {name: names.count(name) for name in names}
    return [f"the part of {name} around {centres.names[units[reg[0]][0]]}"
            if counts[name] > 1 else name for name, reg in zip(names, regs, strict=True)]


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


@dataclass
class _Room:
    """What one region can hold: at least kmin and at most kmax federations."""

    kmin: int
    kmax: int
    m: int
    reason: str = ""


def _room(prep, i: int, c: Constraints, by_boundary: bool) -> _Room:
    lo, hi, w = prep.lo, prep.hi, prep.weights
    reg = prep.regions[i]
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
    room = _Room(kmin, kmax, m)
    if kmin <= kmax:
        return room
    plural = "centre" if m == 1 else "centres"
    if by_boundary:
        who = f"{_possessive(prep.region_names[i])} {m} {plural}"
        where = " inside its boundary"
    else:
        who = f"the {m} {plural} around {prep.centres.names[rows[0]]}"
        where = " (cut off from the other centres by long links or barriers)"
    if m < lo:
        room.reason = f"{who} cannot form a federation of at least {lo}{where}"
    elif pinned > kmax:
        room.reason = (f"{who} cannot hold the {pinned} federations fixed there with at least "
                       f"{lo} centres each")
    elif math.ceil(m / hi) > m // lo:
        room.reason = f"{who} cannot be split into federations of {lo} to {hi}{where}"
    elif binding is not None:
        j, column, wr = binding
        room.reason = (f"{who} serve {wr:,.0f} {column}, which cannot be split into federations "
                       f"of {prep.wlo[j]:,.0f} to {prep.whi[j]:,.0f} {column} with {lo} to {hi} "
                       f"centres each{where}")
    else:
        room.reason = f"{who} cannot be split into federations keeping every balanced figure"
    return room


def allocate_k(
    prep, k_free: int, by_boundary: bool, c: Constraints, refused: bool = False
) -> tuple[list[int], list[str]]:
    """Federations per region, within each region's range, adding up to ``k_free``.

    ``refused``: the request already has reasons, so only the regions' own are added."""
    rooms = [_room(prep, i, c, by_boundary) for i in range(len(prep.regions))]
    reasons = [r.reason for r in rooms if r.reason]
    if reasons or refused:
        return [r.kmin for r in rooms], reasons
    total_min = sum(r.kmin for r in rooms)
    total_max = sum(r.kmax for r in rooms)
    if not total_min <= k_free <= total_max:
        what = "authorities" if by_boundary else "separate parts of the map"
        return [r.kmin for r in rooms], [
            f"the {len(rooms)} {what} need between {total_min} and {total_max} federations "
            f"in all, not {k_free}"
        ]
    # Start at the minimum; hand out the rest one at a time to the region furthest below its
    # proportional share (ties: the earlier region), within its maximum.
    n_all = sum(r.m for r in rooms)
    ks = [r.kmin for r in rooms]
    for _ in range(k_free - total_min):
        best, best_gap = -1, -np.inf
        for i, r in enumerate(rooms):
            if ks[i] < r.kmax:
                gap = k_free * r.m / n_all - ks[i]
                if gap > best_gap + 1e-12:
                    best, best_gap = i, gap
        ks[best] += 1
    return ks, []


def radius_reasons(prep, unit_of: np.ndarray, radius: float) -> list[str]:
    """A centre no possible hub can serve: every centre within the radius of it (in its region)
    has fewer than ``min_size`` centres within the radius of itself."""
    from scipy.spatial import cKDTree

    centres = prep.centres
    free = np.flatnonzero(unit_of >= 0)
    if len(free) == 0:
        return []
    region_of_row = prep.region_of_unit[unit_of[free]]
    lo = max(1, prep.lo)
    far: list[int] = []
    for r in np.unique(region_of_row):
        rows = free[region_of_row == r]
        tree = cKDTree(centres.xy[rows])
        near = tree.query_ball_point(centres.xy[rows], radius + 1e-6)
        can_hub = np.array([len(x) >= lo for x in near])
        far += [int(rows[i]) for i, x in enumerate(near) if not can_hub[x].any()]
    if not far:
        return []
    names = ", ".join(label(centres, r) for r in far[:3])
    more = f" and {len(far) - 3} more" if len(far) > 3 else ""
    return [f"no federation of at least {lo} centres within {radius / 1000:.1f} km of its hub "
            f"can include {names}{more}"]
