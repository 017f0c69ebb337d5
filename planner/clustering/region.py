"""The engine's view of one region, and the mutable state its repairs and searches share.

A region is a set of *units* (single centres, or must-link groups contracted to one unit) that
the neighbourhood graph connects, to be split into ``k`` federations ("slots"). The cost is the
capacitated p-median cost: the sum over centres of the distance to their federation's hub, a
member centre. :class:`State` holds an assignment with its sizes, weights, hubs and unit-to-hub
costs, and answers the questions every move asks (bounds, radius, cannot-link, contiguity).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from planner.domain.medoid import medoid_index
from planner.domain.pieces import pieces

__all__ = ["RegionProblem", "RegionSolution", "State", "Layout", "EPS", "cdist", "is_connected",
           "neighbour_slots", "unit_weight", "weight_excess", "worst_weight", "medoids",
           "medoid_index"]

EPS = 1e-7


@dataclass
class RegionProblem:
    """One region: units in order, each unit's centres contiguous in ``cxy``.

    cxy: (c, 2) centre coordinates, grouped by unit; ``starts[u]:starts[u+1]`` are unit u's rows.
    adj: unit adjacency lists. pin: slot per unit or -1. hub_fixed: centre row per slot or -1.
    cannot: per unit, the set of units it may not share a federation with.
    cadj: centre adjacency; given, a federation holding a linked group whose centres are not
    neighbours is bridged where a move or swap can join it (see ``repair.bridge_split_groups``).
    """

    cxy: np.ndarray
    starts: np.ndarray
    adj: list[list[int]]
    k: int
    lo: int
    hi: int
    uw: np.ndarray | None = None  # (U,) or (U, B): one column per balanced figure
    wlo: float | np.ndarray = 0.0  # per column
    whi: float | np.ndarray = float("inf")
    radius: float | None = None
    pin: np.ndarray | None = None
    hub_fixed: np.ndarray | None = None
    cannot: list[set[int]] | None = None
    contiguous: bool = True
    cadj: list[list[int]] | None = None  # centre adjacency (rows of cxy), for split linked groups
    wsoft: np.ndarray | None = None  # per column: a soft target, weighed less than the rules

    def __post_init__(self) -> None:
        self.cxy = np.asarray(self.cxy, dtype=float)
        self.starts = np.asarray(self.starts, dtype=np.intp)
        self.n_units = len(self.starts) - 1
        self.usize = np.diff(self.starts).astype(float)
        self.unit_of_centre = np.repeat(np.arange(self.n_units), np.diff(self.starts))
        if self.pin is None:
            self.pin = np.full(self.n_units, -1, dtype=np.intp)
        if self.hub_fixed is None:
            self.hub_fixed = np.full(self.k, -1, dtype=np.intp)
        if self.cannot is None:
            self.cannot = [set() for _ in range(self.n_units)]
        self.lo = max(1, int(self.lo))
        if self.uw is not None:
            self.uw = np.asarray(self.uw, dtype=float).reshape(len(self.starts) - 1, -1)
        b = 1 if self.uw is None else self.uw.shape[1]
        if self.uw is None:
            self.wlo, self.whi, self.wsoft = np.zeros(1), np.full(1, np.inf), None
        self.wlo = np.broadcast_to(np.asarray(self.wlo, dtype=float), (b,)).copy()
        self.whi = np.broadcast_to(np.asarray(self.whi, dtype=float), (b,)).copy()
        self.has_weights = self.uw is not None and bool(
            np.any(self.wlo > 0) or np.any(np.isfinite(self.whi))
        )
        total_w = self.uw.sum(0) if self.uw is not None else np.zeros(b)
        self.w_scale = np.maximum(total_w / max(1, self.k), 1e-9)
        if self.wsoft is not None:
            # a soft target's shortfall counts a tenth as much as a rule's
            self.w_scale = np.where(self.wsoft, 10.0 * self.w_scale, self.w_scale)
        self.n_weights = b

    # -- costs -------------------------------------------------------------------------------
    def unit_costs(self, hubs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(sum, max) of member distances from every unit to every hub centre: (U, len(hubs))."""
        d = cdist(self.cxy, self.cxy[np.asarray(hubs, dtype=np.intp)])
        lo = self.starts[:-1]
        return np.add.reduceat(d, lo, axis=0), np.maximum.reduceat(d, lo, axis=0)


@dataclass
class RegionSolution:
    labels: np.ndarray  # slot per unit
    hubs: np.ndarray  # centre row per slot
    cost: float
    violation: float  # 0 when sizes, weights, contiguity, radius and cannot-link all hold
    notes: list[str] = field(default_factory=list)


def cdist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    dx = a[:, 0][:, None] - b[:, 0][None, :]
    dy = a[:, 1][:, None] - b[:, 1][None, :]
    return np.sqrt(dx * dx + dy * dy)


def members_of(labels: np.ndarray, k: int) -> list[set[int]]:
    """The units of each of ``k`` slots, from a label per unit."""
    members: list[set[int]] = [set() for _ in range(k)]
    for u, s in enumerate(labels.tolist()):
        members[s].add(u)
    return members


class State:
    def __init__(self, p: RegionProblem, labels: np.ndarray, hubs: np.ndarray) -> None:
        self.p = p
        self.lab = np.array(labels, dtype=np.intp)
        self.hubs = np.array(hubs, dtype=np.intp)
        self.members = members_of(self.lab, p.k)
        self.size = np.bincount(self.lab, weights=p.usize, minlength=p.k)
        if p.uw is not None:
            self.wsum = np.column_stack(
                [np.bincount(self.lab, weights=p.uw[:, j], minlength=p.k)
                 for j in range(p.n_weights)]
            )
        else:
            self.wsum = self.size[:, None].copy()
        self.C, self.Cmax = p.unit_costs(self.hubs)
        self.hub_unit = p.unit_of_centre[self.hubs].copy()

    # -- bookkeeping
    def move(self, u: int, b: int) -> None:
        a = int(self.lab[u])
        p = self.p
        self.members[a].discard(u)
        self.members[b].add(u)
        self.lab[u] = b
        self.size[a] -= p.usize[u]
        self.size[b] += p.usize[u]
        w = p.uw[u] if p.uw is not None else p.usize[u]
        self.wsum[a] -= w
        self.wsum[b] += w

    def set_hubs(self, hubs: np.ndarray) -> bool:
        changed = np.flatnonzero(hubs != self.hubs)
        if len(changed) == 0:
            return False
        self.hubs = hubs.copy()
        c, cm = self.p.unit_costs(hubs[changed])
        self.C[:, changed] = c
        self.Cmax[:, changed] = cm
        self.hub_unit = self.p.unit_of_centre[self.hubs].copy()
        return True

    def update_hubs(self) -> bool:
        return self.set_hubs(medoids(self.p, self.lab, self.hubs))

    # -- figures
    def cost(self) -> float:
        return float(self.C[np.arange(len(self.lab)), self.lab].sum())

    def slot_violation(self, size: float, wsum: np.ndarray) -> float:
        """How far a federation of ``size`` centres and figures ``wsum`` is outside its bounds."""
        p = self.p
        v = max(0.0, p.lo - size, size - p.hi)
        if p.has_weights:
            v += weight_excess(p, wsum)
        return v

    def violation(self) -> float:
        v = sum(self.slot_violation(self.size[s], self.wsum[s]) for s in range(self.p.k))
        p = self.p
        if p.contiguous:
            v += sum(max(0, self.pieces(s) - 1) for s in range(p.k))
        if p.radius is not None:
            far = self.Cmax[np.arange(len(self.lab)), self.lab]
            v += float((far > p.radius + 1e-6).sum())
        for u, others in enumerate(p.cannot):
            if any(self.lab[o] == self.lab[u] for o in others):
                v += 0.5
        return v

    def pieces(self, s: int) -> int:
        return len(pieces(self.members[s], self.p.adj))

    # -- tests for one move
    def connected_without(self, s: int, u: int) -> bool:
        if not self.p.contiguous:
            return True
        mem = self.members[s]
        if len(mem) <= 2:
            return True
        return is_connected(mem, self.p.adj, remove=u)

    def may_join(self, u: int, b: int) -> bool:
        p = self.p
        if p.pin[u] >= 0 and p.pin[u] != b:
            return False
        if p.radius is not None and self.Cmax[u, b] > p.radius + 1e-6:
            return False
        if p.cannot[u]:
            mem = self.members[b]
            if any(o in mem for o in p.cannot[u]):
                return False
        return True

    def unit_violation(self, u: int, s: int) -> float:
        """What unit u breaks by being in slot s: the radius, a cannot-link partner there."""
        p = self.p
        v = 0.0
        if p.radius is not None and self.Cmax[u, s] > p.radius + 1e-6:
            v += 1.0
        if p.cannot[u] and any(o in self.members[s] for o in p.cannot[u] if o != u):
            v += 1.0
        return v

    def movable(self, u: int) -> bool:
        a = self.lab[u]
        return self.p.pin[u] < 0 and self.hub_unit[a] != u


def is_connected(mem: set[int], adj: list[list[int]], remove: int = -1, add: int = -1) -> bool:
    total = len(mem) - (1 if remove in mem else 0) + (1 if add >= 0 and add not in mem else 0)
    if total <= 1:
        return True
    start = add if add >= 0 else next(x for x in mem if x != remove)
    seen = {start}
    stack = [start]
    while stack:
        x = stack.pop()
        for y in adj[x]:
            if y != remove and y not in seen and (y in mem or y == add):
                seen.add(y)
                stack.append(y)
    return len(seen) == total


def neighbour_slots(st: State, u: int) -> set[int]:
    a = st.lab[u]
    return {int(st.lab[v]) for v in st.p.adj[u]} - {int(a)}


def unit_weight(p: RegionProblem, u: int) -> np.ndarray:
    """Unit u's balanced figures (its size when nothing is balanced)."""
    return p.uw[u] if p.uw is not None else p.usize[u : u + 1]


def weight_excess(p: RegionProblem, wsum: np.ndarray) -> float:
    """Sum over balanced figures of how far ``wsum`` is outside its bounds (scaled)."""
    if p.n_weights == 1:
        w = float(wsum[0])
        return max(0.0, float(p.wlo[0]) - w, w - float(p.whi[0])) / float(p.w_scale[0])
    out = np.maximum(0.0, np.maximum(p.wlo - wsum, wsum - p.whi)) / p.w_scale
    return float(out.sum())


def worst_weight(p: RegionProblem, wsum: np.ndarray) -> int:
    """The balanced figure furthest outside its bounds (scaled) for a federation at ``wsum``."""
    out = np.maximum(0.0, np.maximum(p.wlo - wsum, wsum - p.whi)) / p.w_scale
    return int(np.argmax(out))


def medoids(p: RegionProblem, labels: np.ndarray, hubs: np.ndarray) -> np.ndarray:
    out = hubs.copy()
    centre_slot = labels[p.unit_of_centre]
    for s in range(p.k):
        if p.hub_fixed[s] >= 0:
            out[s] = p.hub_fixed[s]
            continue
        rows = np.flatnonzero(centre_slot == s)
        if len(rows):
            out[s] = rows[medoid_index(p.cxy[rows], p.radius)]
    return out


class Layout:
    """An assignment of a region's units to slots, without a dense unit x slot cost table.

    What a large-neighbourhood search over a big region needs: members per slot, hubs, and a
    slot's cost computed from its own centres (so memory is O(units), whatever K).
    """

    def __init__(self, p: RegionProblem, labels: np.ndarray, hubs: np.ndarray) -> None:
        self.p = p
        self.lab = np.array(labels, dtype=np.intp)
        self.hubs = np.array(hubs, dtype=np.intp)
        self.members = members_of(self.lab, p.k)

    def rows(self, s: int) -> np.ndarray:
        """Centre rows of slot s."""
        p = self.p
        return np.concatenate(
            [np.arange(p.starts[u], p.starts[u + 1]) for u in self.members[s]]
            or [np.zeros(0, dtype=np.intp)]
        )

    def slot_cost(self, s: int) -> float:
        d = self.p.cxy[self.rows(s)] - self.p.cxy[self.hubs[s]]
        return float(np.hypot(d[:, 0], d[:, 1]).sum())

    def cost(self) -> float:
        return sum(self.slot_cost(s) for s in range(self.p.k))

    def adjacent_slots(self, s: int) -> set[int]:
        lab, adj = self.lab, self.p.adj
        out = {int(lab[v]) for u in self.members[s] for v in adj[u]}
        out.discard(s)
        return out

    def move(self, u: int, b: int) -> None:
        self.members[int(self.lab[u])].discard(u)
        self.members[b].add(u)
        self.lab[u] = b

    def take(self, units: np.ndarray, slots: list[int], rows: np.ndarray,
             sub: RegionSolution) -> None:
        """Adopt the solution ``sub`` of the sub-region of ``units`` split into ``slots`` (its
        centre rows ``rows`` in this region, as :func:`partition.subproblem` gives them)."""
        for i, u in enumerate(units.tolist()):
            dest = slots[int(sub.labels[i])]
            if self.lab[u] != dest:
                self.move(u, dest)
        for i, s in enumerate(slots):
            self.hubs[s] = rows[int(sub.hubs[i])]
