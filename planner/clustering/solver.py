"""The federation engine for one connected region: capacitated p-median with contiguity.

A region is a set of *units* (single centres, or must-link groups contracted to one unit) that
the neighbourhood graph connects, to be split into ``k`` federations ("slots"). The cost is the
capacitated p-median cost: the sum over centres of the distance to their federation's hub, a
member centre.

One start runs, in order:

1. **Seeds**: the fixed hubs, then k-means++ (seeded) picks for the other slots.
2. **Location-allocation without contiguity**: alternate a transportation LP (HiGHS dual simplex
   through :func:`scipy.optimize.linprog`; each unit to one slot, sizes and weights within
   bounds, candidate slots = the nearest hubs) with a medoid update of every hub, until the hubs
   settle. With single-centre units and no weights the LP is a min-cost flow, so its vertex
   solution is integral; otherwise it is rounded and repaired.
3. **Contiguity repair**: each federation keeps its largest connected piece (or the pieces
   holding locked centres); cut-off units join the adjacent federation whose hub is nearest.
4. **Balance repair**: chains of boundary moves along paths of adjacent federations carry
   surplus from a federation above its bounds to one with room (or the reverse), each move
   keeping the donor connected.
5. **Local search**: boundary moves and swaps between adjacent federations that lower the cost
   while keeping sizes, weights, radius, cannot-link pairs and contiguity, alternating with
   medoid hub updates until nothing improves.

:func:`solve_region` runs several seeded starts and keeps the best. Everything is deterministic
for a given ``numpy.random.Generator`` state.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

__all__ = ["RegionProblem", "RegionSolution", "solve_region"]

_EPS = 1e-7
# Candidate federations per unit in the allocation LP, when k is larger than this.
_CANDIDATES = 12
_MAX_ALLOC_ROUNDS = 25
# Allocation by linear_sum_assignment on replicated seats up to this many matrix cells.
_LSA_MAX_CELLS = 400_000
_MAX_LS_PASSES = 60


@dataclass
class RegionProblem:
    """One region: units in order, each unit's centres contiguous in ``cxy``.

    cxy: (c, 2) centre coordinates, grouped by unit; ``starts[u]:starts[u+1]`` are unit u's rows.
    adj: unit adjacency lists. pin: slot per unit or -1. hub_fixed: centre row per slot or -1.
    cannot: per unit, the set of units it may not share a federation with.
    """

    cxy: np.ndarray
    starts: np.ndarray
    adj: list[list[int]]
    k: int
    lo: int
    hi: int
    uw: np.ndarray | None = None
    wlo: float = 0.0
    whi: float = float("inf")
    radius: float | None = None
    pin: np.ndarray | None = None
    hub_fixed: np.ndarray | None = None
    cannot: list[set[int]] | None = None
    contiguous: bool = True

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
        self.has_weights = self.uw is not None and (self.wlo > 0 or np.isfinite(self.whi))
        self.lo = max(1, int(self.lo))
        total_w = float(self.uw.sum()) if self.uw is not None else 0.0
        self.w_scale = max(total_w / max(1, self.k), 1e-9)

    # -- costs -------------------------------------------------------------------------------
    def unit_costs(self, hubs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(sum, max) of member distances from every unit to every hub centre: (U, len(hubs))."""
        d = _cdist(self.cxy, self.cxy[np.asarray(hubs, dtype=np.intp)])
        lo = self.starts[:-1]
        return np.add.reduceat(d, lo, axis=0), np.maximum.reduceat(d, lo, axis=0)


@dataclass
class RegionSolution:
    labels: np.ndarray  # slot per unit
    hubs: np.ndarray  # centre row per slot
    cost: float
    violation: float  # 0 when sizes, weights, contiguity, radius and cannot-link all hold
    notes: list[str] = field(default_factory=list)


def _cdist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    dx = a[:, 0][:, None] - b[:, 0][None, :]
    dy = a[:, 1][:, None] - b[:, 1][None, :]
    return np.sqrt(dx * dx + dy * dy)


# ---------------------------------------------------------------------------------------------
# seeds and location-allocation


def _kpp_seeds(p: RegionProblem, rng: np.random.Generator) -> np.ndarray:
    """Hub centres: fixed ones kept, the rest by k-means++ over centres (seeded)."""
    hubs = np.array(p.hub_fixed, dtype=np.intp, copy=True)
    xy = p.cxy
    c = len(xy)
    # Pinned slots without a fixed hub start at the medoid of their pinned centres.
    for s in range(p.k):
        if hubs[s] < 0:
            units = np.flatnonzero(p.pin == s)
            if len(units):
                rows = np.concatenate([np.arange(p.starts[u], p.starts[u + 1]) for u in units])
                hubs[s] = rows[_medoid_index(xy[rows])]
    chosen = hubs[hubs >= 0]
    if len(chosen):
        d2 = _cdist(xy, xy[chosen]).min(axis=1) ** 2
    else:
        first = int(rng.integers(c))
        slot = int(np.flatnonzero(hubs < 0)[0])
        hubs[slot] = first
        d2 = ((xy - xy[first]) ** 2).sum(1)
    for s in np.flatnonzero(hubs < 0):
        total = d2.sum()
        if total <= 0:
            free = np.setdiff1d(np.arange(c), hubs[hubs >= 0])
            pick = int(free[0]) if len(free) else 0
        else:
            pick = int(rng.choice(c, p=d2 / total))
        hubs[s] = pick
        d2 = np.minimum(d2, ((xy - xy[pick]) ** 2).sum(1))
    return hubs


def _lloyd(p: RegionProblem, hubs: np.ndarray, iters: int = 15) -> np.ndarray:
    """Balanced k-means from the seeds, then each centroid's nearest free centre.

    Each iteration assigns centres to the nearest centroid plus a price per federation, the
    prices raised for federations above the size bounds and lowered below them (a Lagrangian
    assignment), then moves centroids to their means. Cheap (vectorised), and it puts the hubs
    near a balanced layout, so the first allocation LP is better and faster. Fixed hubs stay.
    """
    xy = p.cxy
    c = len(xy)
    fixed = p.hub_fixed >= 0
    cent = xy[hubs].copy()
    target = c / p.k
    price = np.zeros(p.k)
    spacing = float(np.sqrt(np.ptp(xy[:, 0]) * np.ptp(xy[:, 1]) / max(c, 1))) or 1.0
    for _ in range(iters):
        d = _cdist(xy, cent)
        step = spacing
        for _ in range(8):
            near = np.argmin(d + price, axis=1)
            counts = np.bincount(near, minlength=p.k)
            excess = np.clip(counts - p.hi, 0, None) - np.clip(p.lo - counts, 0, None)
            if not excess.any():
                break
            price += step * np.sign(excess) * np.sqrt(np.abs(excess) / target)
        sums = np.zeros((p.k, 2))
        np.add.at(sums, near, xy)
        moved = (counts > 0) & ~fixed
        new = cent.copy()
        new[moved] = sums[moved] / counts[moved, None]
        if np.allclose(new, cent, atol=1.0):
            cent = new
            break
        cent = new
    out = hubs.copy()
    taken = set(hubs[fixed].tolist())
    d = _cdist(cent, xy)
    for s in np.flatnonzero(~fixed):
        for r in np.argsort(d[s])[:64].tolist():
            if r not in taken:
                out[s] = r
                taken.add(r)
                break
    return out


def _medoid_index(xy: np.ndarray, radius: float | None = None) -> int:
    m = len(xy)
    if m <= 2:
        return 0
    if m > 1500:
        cand = np.argsort(((xy - xy.mean(0)) ** 2).sum(1))[:200]
        d = _cdist(xy[cand], xy)
        return int(cand[int(np.argmin(d.sum(1)))])
    d = _cdist(xy, xy)
    total = d.sum(1)
    if radius is not None:
        far = d.max(1)
        ok = far <= radius + 1e-6
        if ok.any():
            total = np.where(ok, total, np.inf)
        else:
            total = far
    return int(np.argmin(total))


def _allocate(
    p: RegionProblem,
    C: np.ndarray,
    Cmax: np.ndarray,
    pin: np.ndarray,
    current: np.ndarray | None = None,
) -> np.ndarray | None:
    """Transportation LP: each unit to one slot, sizes and weights in bounds. Labels or None.

    ``C``, ``Cmax`` and ``pin`` may be a sub-problem (some units, some slots; ``pin`` and
    ``current`` in its slot numbering). Candidate slots per unit are its nearest hubs (all of them
    for small k) that keep the radius, plus its current slot. Bounds are elastic (slack at a high
    price), so the LP is always feasible; what slack remains is left to the balance repair.
    """
    U, k = C.shape
    if (
        not p.has_weights
        and np.all(p.usize == 1)
        and k * p.lo <= U <= k * p.hi
        and U * k * p.hi <= _LSA_MAX_CELLS
    ):
        return _assign_slots(p, C, Cmax, pin, current)
    allowed = np.ones((U, k), dtype=bool)
    if k > _CANDIDATES:
        allowed[:] = False
        near = np.argpartition(C, _CANDIDATES - 1, axis=1)[:, :_CANDIDATES]
        allowed[np.arange(U)[:, None], near] = True
    if p.radius is not None:
        within = Cmax <= p.radius + 1e-6
        has = (within & allowed).any(1)
        allowed[has] &= within[has]
    if current is not None:
        allowed[np.arange(U), current] = True
    pinned = pin >= 0
    if pinned.any():
        allowed[pinned] = False
        allowed[np.flatnonzero(pinned), pin[pinned]] = True
    rows, cols = np.nonzero(allowed)
    nv = len(rows)
    idx = np.arange(nv)
    scale = max(1.0, float(C[rows, cols].mean()))
    cost = C[rows, cols] / scale
    penalty = 50.0 * max(1.0, float(cost.max()))
    blocks = []
    rhs = []
    n_slack = 0
    # size rows:  sum s_u x_uj - e_j <= hi ;  -sum s_u x_uj - f_j <= -lo
    a_size = sparse.csr_matrix((p.usize[rows], (cols, idx)), shape=(k, nv))
    blocks += [a_size, -a_size]
    rhs += [np.full(k, float(p.hi)), -np.full(k, float(p.lo))]
    n_slack += 2 * k
    slack_cost = [np.full(2 * k, penalty)]
    if p.has_weights:
        a_w = sparse.csr_matrix((p.uw[rows] / p.w_scale, (cols, idx)), shape=(k, nv))
        if np.isfinite(p.whi):
            blocks.append(a_w)
            rhs.append(np.full(k, p.whi / p.w_scale))
            n_slack += k
            slack_cost.append(np.full(k, penalty))
        if p.wlo > 0:
            blocks.append(-a_w)
            rhs.append(-np.full(k, p.wlo / p.w_scale))
            n_slack += k
            slack_cost.append(np.full(k, penalty))
    a_ub = sparse.hstack(
        [sparse.vstack(blocks), -sparse.identity(n_slack, format="csr")], format="csr"
    )
    a_eq = sparse.hstack(
        [sparse.csr_matrix((np.ones(nv), (rows, idx)), shape=(U, nv)),
         sparse.csr_matrix((U, n_slack))],
        format="csr",
    )
    res = linprog(
        np.concatenate([cost, *slack_cost]),
        A_ub=a_ub,
        b_ub=np.concatenate(rhs),
        A_eq=a_eq,
        b_eq=np.ones(U),
        bounds=(0, None),
        method="highs-ds",
    )
    if res.status != 0:
        return None
    x = res.x[:nv]
    # each unit to its largest share (ascending order: the largest is written last)
    order = np.argsort(x, kind="stable")
    labels = np.zeros(U, dtype=np.intp)
    labels[rows[order]] = cols[order]
    return labels


def _assign_slots(
    p: RegionProblem, C: np.ndarray, Cmax: np.ndarray, pin: np.ndarray, current
) -> np.ndarray:
    """The same allocation, exactly, as an assignment to replicated slots (small problems).

    Slot j has ``lo`` mandatory seats (cost lowered by a constant larger than any cost, so all
    are filled) and ``hi - lo`` optional ones; scipy's Jonker-Volgenant solver then gives the
    optimal capacitated assignment. Radius and pins are enforced by prohibitive costs.
    """
    from scipy.optimize import linear_sum_assignment

    U, k = C.shape
    cost = C.astype(float, copy=True)
    big = 4.0 * (float(cost.max()) + 1.0) * max(1, U)
    if p.radius is not None:
        far = Cmax > p.radius + 1e-6
        ok_rows = ~far.all(1)
        cost[ok_rows] += np.where(far[ok_rows], big, 0.0)
    pinned = np.flatnonzero(pin >= 0)
    if len(pinned):
        mask = np.ones((len(pinned), k), dtype=bool)
        mask[np.arange(len(pinned)), pin[pinned]] = False
        cost[pinned] += np.where(mask, 4 * big, 0.0)
    seat_slot = np.concatenate(
        [np.repeat(np.arange(k), p.lo), np.repeat(np.arange(k), p.hi - p.lo)]
    )
    bonus = np.concatenate([np.full(k * p.lo, 16 * big), np.zeros(k * (p.hi - p.lo))])
    matrix = cost[:, seat_slot] - bonus[None, :]
    rows, cols = linear_sum_assignment(matrix)
    labels = np.empty(U, dtype=np.intp)
    labels[rows] = seat_slot[cols]
    return labels


def _medoids(p: RegionProblem, labels: np.ndarray, hubs: np.ndarray) -> np.ndarray:
    out = hubs.copy()
    centre_slot = labels[p.unit_of_centre]
    for s in range(p.k):
        if p.hub_fixed[s] >= 0:
            out[s] = p.hub_fixed[s]
            continue
        rows = np.flatnonzero(centre_slot == s)
        if len(rows):
            out[s] = rows[_medoid_index(p.cxy[rows], p.radius)]
    return out


def _location_allocation(
    p: RegionProblem, hubs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Alternate allocation (LP) and medoid hubs until the hubs settle.

    After the first round only the federations whose hub or members changed, and their nearest
    neighbours, are re-allocated among themselves: a smaller LP whose current solution is
    feasible, so the cost never rises.
    """
    C, Cmax = p.unit_costs(hubs)
    labels = _allocate(p, C, Cmax, p.pin)
    if labels is None:
        labels = np.argmin(C, axis=1)
        labels[p.pin >= 0] = p.pin[p.pin >= 0]
    n_near = min(p.k, 7)
    for _ in range(_MAX_ALLOC_ROUNDS):
        new_hubs = _medoids(p, labels, hubs)
        changed = np.flatnonzero(new_hubs != hubs)
        if len(changed) == 0:
            break
        hubs = new_hubs
        c_new, cm_new = p.unit_costs(hubs[changed])
        C[:, changed] = c_new
        Cmax[:, changed] = cm_new
        if n_near < p.k:
            hd = _cdist(p.cxy[hubs[changed]], p.cxy[hubs])
            near = np.argpartition(hd, n_near - 1, axis=1)[:, :n_near]
            active = np.unique(np.concatenate([changed, near.ravel()]))
        else:
            active = np.arange(p.k)
        local = np.full(p.k, -1, dtype=np.intp)
        local[active] = np.arange(len(active))
        units = np.flatnonzero(local[labels] >= 0)
        pin = np.where(p.pin[units] >= 0, local[np.maximum(p.pin[units], 0)], -1)
        sub = _allocate(
            p, C[np.ix_(units, active)], Cmax[np.ix_(units, active)], pin, local[labels[units]]
        )
        if sub is None:
            break
        new = labels.copy()
        new[units] = active[sub]
        if np.array_equal(new, labels):
            break
        # With grouped units or weights the LP is rounded; stop when rounds no longer pay.
        idx = np.arange(len(labels))
        if C[idx, new].sum() > C[idx, labels].sum() * (1 - 1e-5):
            break
        labels = new
    return labels, _medoids(p, labels, hubs)


# ---------------------------------------------------------------------------------------------
# the state used by repair and local search


class _State:
    def __init__(self, p: RegionProblem, labels: np.ndarray, hubs: np.ndarray) -> None:
        self.p = p
        self.lab = np.array(labels, dtype=np.intp)
        self.hubs = np.array(hubs, dtype=np.intp)
        self.members: list[set[int]] = [set() for _ in range(p.k)]
        for u, s in enumerate(self.lab.tolist()):
            self.members[s].add(u)
        self.size = np.bincount(self.lab, weights=p.usize, minlength=p.k)
        if p.uw is not None:
            self.wsum = np.bincount(self.lab, weights=p.uw, minlength=p.k)
        else:
            self.wsum = self.size.copy()
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
        return self.set_hubs(_medoids(self.p, self.lab, self.hubs))

    # -- figures
    def cost(self) -> float:
        return float(self.C[np.arange(len(self.lab)), self.lab].sum())

    def slot_violation(self, size: float, wsum: float) -> float:
        p = self.p
        v = max(0.0, p.lo - size, size - p.hi)
        if p.has_weights:
            v += max(0.0, p.wlo - wsum, wsum - p.whi) / p.w_scale
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
        return len(_components(self.members[s], self.p.adj))

    # -- tests for one move
    def connected_without(self, s: int, u: int) -> bool:
        if not self.p.contiguous:
            return True
        mem = self.members[s]
        if len(mem) <= 2:
            return True
        return _is_connected(mem, self.p.adj, remove=u)

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


def _components(mem: set[int], adj: list[list[int]]) -> list[set[int]]:
    seen: set[int] = set()
    out = []
    for start in mem:
        if start in seen:
            continue
        piece = {start}
        stack = [start]
        while stack:
            x = stack.pop()
            for y in adj[x]:
                if y in mem and y not in piece:
                    piece.add(y)
                    stack.append(y)
        seen |= piece
        out.append(piece)
    return out


def _is_connected(mem: set[int], adj: list[list[int]], remove: int = -1, add: int = -1) -> bool:
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


# ---------------------------------------------------------------------------------------------
# repairs


def _repair_contiguity(st: _State) -> None:
    p = st.p
    if not p.contiguous:
        return
    orphans: set[int] = set()
    for s in range(p.k):
        pieces = _components(st.members[s], p.adj)
        if len(pieces) <= 1:
            continue
        pinned = [pc for pc in pieces if any(p.pin[u] == s for u in pc)]
        if pinned:
            keep = pinned
        else:
            best = max(pieces, key=lambda pc: (sum(p.usize[u] for u in pc), -min(pc)))
            keep = [best]
        for pc in pieces:
            if not any(pc is kp for kp in keep):
                orphans |= pc
    if not orphans:
        return
    for u in orphans:
        s = st.lab[u]
        st.members[s].discard(u)
        st.size[s] -= p.usize[u]
        st.wsum[s] -= p.uw[u] if p.uw is not None else p.usize[u]
        st.lab[u] = -1
    # Flood fill: the cheapest orphan next to a federation joins it, preferring room.
    import heapq

    heap: list[tuple[float, int, int, int]] = []

    def push(u: int) -> None:
        for v in p.adj[u]:
            b = st.lab[v]
            if b >= 0:
                full = 1 if st.size[b] + p.usize[u] > p.hi else 0
                heapq.heappush(heap, (full, float(st.C[u, b]), u, int(b)))

    for u in sorted(orphans):
        push(u)
    while heap:
        _, _, u, b = heapq.heappop(heap)
        if st.lab[u] >= 0:
            continue
        st.lab[u] = b
        st.members[b].add(u)
        st.size[b] += p.usize[u]
        st.wsum[b] += p.uw[u] if p.uw is not None else p.usize[u]
        for v in p.adj[u]:
            if st.lab[v] < 0:
                push(v)
    # Units unreachable (should not happen in a connected region): nearest hub.
    for u in np.flatnonzero(st.lab < 0):
        b = int(np.argmin(st.C[u]))
        st.lab[u] = b
        st.members[b].add(int(u))
        st.size[b] += p.usize[u]
        st.wsum[b] += p.uw[u] if p.uw is not None else p.usize[u]


def _neighbour_slots(st: _State, u: int) -> set[int]:
    a = st.lab[u]
    return {int(st.lab[v]) for v in st.p.adj[u]} - {int(a)}


def _path_repair(st: _State, max_rounds: int | None = None) -> None:
    """Carry surplus from over-full federations (or to under-full ones) along paths of moves."""
    p = st.p
    rounds = max_rounds if max_rounds is not None else 4 * p.n_units + 10
    stuck: set[int] = set()
    for _ in range(rounds):
        viol = [
            (st.slot_violation(st.size[s], st.wsum[s]), s) for s in range(p.k) if s not in stuck
        ]
        viol = [vs for vs in viol if vs[0] > _EPS]
        if not viol:
            return
        _, s = max(viol)
        over = st.size[s] > p.hi or (p.has_weights and st.wsum[s] > p.whi)
        path = _find_path(st, s, shed=over)
        if path is None:
            stuck.add(s)
            continue
        for u, b in path:
            st.move(u, b)


def _find_path(st: _State, origin: int, shed: bool) -> list[tuple[int, int]] | None:
    """BFS over federations. shed: origin gives a unit away, passed on until one has room.

    Otherwise origin receives: each step pulls a unit from a neighbour, back to one with spare.
    Returns the moves [(unit, to_slot)] in the order to apply them.
    """
    p = st.p
    before = st.slot_violation(st.size[origin], st.wsum[origin])
    prev: dict[int, tuple[int, int, int]] = {}  # slot -> (from slot, unit, to slot)
    queue = deque([origin])
    seen = {origin}
    while queue:
        a = queue.popleft()
        # the edges out of a: units moving a -> b (shed), or b -> a (receive)
        cands: dict[int, tuple[float, int]] = {}
        if shed:
            for u in st.members[a]:
                if not st.movable(u):
                    continue
                for b in _neighbour_slots(st, u):
                    if b in seen or not st.may_join(u, b):
                        continue
                    d = st.C[u, b] - st.C[u, a]
                    if b not in cands or d < cands[b][0]:
                        if st.connected_without(a, u):
                            cands[b] = (d, u)
        else:
            nbrs: set[int] = set()
            for u in st.members[a]:
                nbrs |= _neighbour_slots(st, u)
            for b in nbrs:
                if b in seen:
                    continue
                for u in st.members[b]:
                    if not st.movable(u) or not st.may_join(u, a):
                        continue
                    if not any(st.lab[v] == a for v in p.adj[u]):
                        continue
                    d = st.C[u, a] - st.C[u, b]
                    if b not in cands or d < cands[b][0]:
                        if st.connected_without(b, u):
                            cands[b] = (d, u)
        for b in sorted(cands, key=lambda x: cands[x][0]):
            d, u = cands[b]
            seen.add(b)
            prev[b] = (a, u, b)
            # does the path end here?
            if shed:
                ok_end = st.slot_violation(st.size[b] + p.usize[u], st.wsum[b] + _w(p, u)) <= (
                    st.slot_violation(st.size[b], st.wsum[b]) + _EPS
                )
            else:
                ok_end = st.slot_violation(st.size[b] - p.usize[u], st.wsum[b] - _w(p, u)) <= (
                    st.slot_violation(st.size[b], st.wsum[b]) + _EPS
                )
            if ok_end:
                moves = []
                x = b
                while x != origin:
                    a_, u_, b_ = prev[x]
                    moves.append((u_, b_) if shed else (u_, a_))
                    x = a_
                moves.reverse() if shed else None
                # origin must improve
                first_u = moves[0][0] if shed else moves[-1][0]
                after_size = st.size[origin] + (-p.usize[first_u] if shed else p.usize[first_u])
                after_w = st.wsum[origin] + (-_w(p, first_u) if shed else _w(p, first_u))
                if st.slot_violation(after_size, after_w) < before - _EPS:
                    return moves if shed else list(reversed(moves))
            queue.append(b)
    return None


def _w(p: RegionProblem, u: int) -> float:
    return float(p.uw[u]) if p.uw is not None else float(p.usize[u])


# ---------------------------------------------------------------------------------------------
# local search


def _local_search(st: _State, rng: np.random.Generator) -> None:
    for _ in range(_MAX_LS_PASSES):
        moved = _pass(st, rng)
        hubs_changed = st.update_hubs()
        if not moved and not hubs_changed:
            break


def _pass(st: _State, rng: np.random.Generator) -> int:
    """One sweep of boundary moves and swaps; returns how many were made."""
    p = st.p
    lo, hi = p.lo, p.hi
    n_moves = 0
    for u in rng.permutation(p.n_units).tolist():
        if not st.movable(u):
            continue
        a = int(st.lab[u])
        nbs = _neighbour_slots(st, u) if p.contiguous else set(range(p.k)) - {a}
        if not nbs:
            continue
        cu = st.C[u]
        su, wu = p.usize[u], _w(p, u)
        va = st.slot_violation(st.size[a], st.wsum[a]) + st.unit_violation(u, a)
        va_after = st.slot_violation(st.size[a] - su, st.wsum[a] - wu)
        best: tuple[float, float, int] | None = None
        blocked: list[int] = []
        for b in sorted(nbs, key=lambda x: cu[x]):
            d = cu[b] - cu[a]
            vb = st.slot_violation(st.size[b], st.wsum[b])
            vb_after = st.slot_violation(st.size[b] + su, st.wsum[b] + wu)
            dv = (va_after + vb_after) - (va + vb)
            if dv > _EPS or (dv > -_EPS and d > -1e-9):
                if d < -1e-9:
                    blocked.append(b)
                continue
            if not st.may_join(u, b):
                continue
            key = (dv, d, b)
            if best is None or key < best:
                best = key
        if best is not None and st.connected_without(a, u):
            st.move(u, best[2])
            n_moves += 1
            continue
        # swaps: u -> b and some v in b -> a, when the move alone would break a bound
        for b in blocked:
            if _try_swap(st, u, a, b, lo, hi):
                n_moves += 1
                break
    return n_moves


def _swap_repair(st: _State, max_rounds: int = 200) -> int:
    """Swaps between a federation that breaks a bound and a neighbour, lowering the violation.

    Where a single move cannot help (a federation at its minimum size but too heavy, say), a
    heavy unit out and a light one in can. The cheapest violation-lowering swap that keeps both
    federations connected is made, until none is left.
    """
    p = st.p
    done = 0
    for _ in range(max_rounds):
        bad = [
            s for s in range(p.k)
            if st.slot_violation(st.size[s], st.wsum[s]) > _EPS
            or any(st.unit_violation(u, s) > 0 for u in st.members[s])
        ]
        if not bad:
            break
        made = False
        for a in bad:
            best = None
            for u in st.members[a]:
                if not st.movable(u):
                    continue
                for b in _neighbour_slots(st, u):
                    if not st.may_join(u, b) and st.unit_violation(u, b) == 0:
                        continue
                    for v in st.members[b]:
                        if not st.movable(v) or (
                            p.contiguous and not any(st.lab[x] == a for x in p.adj[v])
                        ):
                            continue
                        before = (
                            st.slot_violation(st.size[a], st.wsum[a])
                            + st.slot_violation(st.size[b], st.wsum[b])
                            + st.unit_violation(u, a) + st.unit_violation(v, b)
                        )
                        su, sv, wu, wv = p.usize[u], p.usize[v], _w(p, u), _w(p, v)
                        after = (
                            st.slot_violation(st.size[a] - su + sv, st.wsum[a] - wu + wv)
                            + st.slot_violation(st.size[b] - sv + su, st.wsum[b] - wv + wu)
                        )
                        if p.radius is not None:
                            after += float(st.Cmax[u, b] > p.radius + 1e-6)
                            after += float(st.Cmax[v, a] > p.radius + 1e-6)
                        dv = after - before
                        if dv >= -_EPS:
                            continue
                        d = st.C[u, b] - st.C[u, a] + st.C[v, a] - st.C[v, b]
                        key = (round(dv, 9), d, u, v, b)
                        if best is None or key < best:
                            best = key
            if best is None:
                continue
            _, _, u, v, b = best
            ma = (st.members[a] - {u}) | {v}
            mb = (st.members[b] - {v}) | {u}
            if p.contiguous and not (_is_connected(ma, p.adj) and _is_connected(mb, p.adj)):
                continue
            st.move(u, b)
            st.move(v, a)
            done += 1
            made = True
        if not made:
            break
    return done


def _try_swap(st: _State, u: int, a: int, b: int, lo: int, hi: int) -> bool:
    p = st.p
    if not st.may_join(u, b):
        return False
    du = st.C[u, b] - st.C[u, a]
    su, wu = p.usize[u], _w(p, u)
    va = st.slot_violation(st.size[a], st.wsum[a])
    vb = st.slot_violation(st.size[b], st.wsum[b])
    best = None
    for v in st.members[b]:
        if v == u or not st.movable(v):
            continue
        if p.contiguous and not any(st.lab[x] == a or x == u for x in p.adj[v]):
            continue
        d = du + st.C[v, a] - st.C[v, b]
        if d >= -1e-9 or (best is not None and d >= best[0]):
            continue
        sv, wv = p.usize[v], _w(p, v)
        va_after = st.slot_violation(st.size[a] - su + sv, st.wsum[a] - wu + wv)
        vb_after = st.slot_violation(st.size[b] - sv + su, st.wsum[b] - wv + wu)
        if va_after + vb_after > va + vb + _EPS:
            continue
        if p.cannot[v] and any(o in st.members[a] and o != u for o in p.cannot[v]):
            continue
        if p.cannot[u] and v in p.cannot[u]:
            pass  # they end up apart: fine
        if p.pin[v] >= 0 or (p.radius is not None and st.Cmax[v, a] > p.radius + 1e-6):
            continue
        best = (d, v)
    if best is None:
        return False
    v = best[1]
    if p.contiguous:
        ma = (st.members[a] - {u}) | {v}
        mb = (st.members[b] - {v}) | {u}
        if not (_is_connected(ma, p.adj) and _is_connected(mb, p.adj)):
            return False
    st.move(u, b)
    st.move(v, a)
    return True


# ---------------------------------------------------------------------------------------------
# pair re-optimisation


_PAIR_HUBS = 10  # hub candidates per side when re-splitting two federations
_PAIR_TRIES = 40  # candidate splits checked (contiguity, weights, ...) per pair


def _slot_pairs(st: _State) -> set[tuple[int, int]]:
    out = set()
    lab = st.lab
    for u, nbs in enumerate(st.p.adj):
        a = lab[u]
        for v in nbs:
            b = lab[v]
            if a < b:
                out.add((int(a), int(b)))
    return out


def _resplit(st: _State, a: int, b: int) -> bool:
    """Best split of federations a and b's units into two, exact for single-centre units.

    For every pair of hub candidates (h1, h2), sorting the units by cost(u, h1) - cost(u, h2)
    and giving a prefix to h1 is optimal for that hub pair under size bounds; all pairs are
    evaluated at once with numpy, and the cheapest splits that keep contiguity, weights, radius,
    cannot-link pairs and fixed hubs are taken.
    """
    p = st.p
    if p.hub_fixed[a] >= 0 or p.hub_fixed[b] >= 0:
        return False
    units = np.array(sorted(st.members[a] | st.members[b]), dtype=np.intp)
    if (p.pin[units] >= 0).any():
        return False
    rows = np.concatenate([np.arange(p.starts[u], p.starts[u + 1]) for u in units])
    current = float(st.C[list(st.members[a]), a].sum() + st.C[list(st.members[b]), b].sum())
    # hub candidates: the best hubs for each side's current members, and for the union
    xy = p.cxy[rows]
    d_all = _cdist(xy, xy)  # centre x centre within the union
    unit_local = np.repeat(np.arange(len(units)), p.usize[units].astype(np.intp))
    in_a = np.isin(unit_local, np.flatnonzero(st.lab[units] == a))
    cand = set()
    for mask in (in_a, ~in_a):
        score = d_all[:, mask].sum(1)
        cand.update(np.argsort(score)[:_PAIR_HUBS].tolist())
    cand = np.array(sorted(cand), dtype=np.intp)
    # unit costs to each candidate hub: (n_units, n_cand)
    starts_local = np.concatenate([[0], np.cumsum(p.usize[units]).astype(np.intp)[:-1]])
    uc = np.add.reduceat(d_all[:, cand], starts_local, axis=0)
    h1, h2 = np.meshgrid(np.arange(len(cand)), np.arange(len(cand)), indexing="ij")
    keep = h1 != h2
    h1, h2 = h1[keep], h2[keep]
    delta = uc[:, h1] - uc[:, h2]  # (units, pairs)
    order = np.argsort(delta, axis=0, kind="stable")
    sorted_delta = np.take_along_axis(delta, order, axis=0)
    sizes = p.usize[units][order]
    cum_size = np.cumsum(sizes, axis=0)
    total = cum_size[-1, 0]
    ok = (cum_size >= p.lo) & (cum_size <= p.hi) & (total - cum_size >= p.lo) & (
        total - cum_size <= p.hi
    )
    if p.has_weights:
        wts = p.uw[units][order]
        cum_w = np.cumsum(wts, axis=0)
        tw = cum_w[-1, 0]
        ok &= (cum_w >= p.wlo - 1e-9) & (cum_w <= p.whi + 1e-9)
        ok &= (tw - cum_w >= p.wlo - 1e-9) & (tw - cum_w <= p.whi + 1e-9)
    cost = uc[:, h2].sum(0)[None, :] + np.cumsum(sorted_delta, axis=0)
    cost = np.where(ok, cost, np.inf)
    flat_cost = cost.ravel()
    top = min(_PAIR_TRIES * 4, flat_cost.size)
    if top < flat_cost.size:
        part = np.argpartition(flat_cost, top - 1)[:top]
    else:
        part = np.arange(flat_cost.size)
    flat = part[np.lexsort((part, flat_cost[part]))]
    tried = 0
    seen_sets: set[bytes] = set()
    for f in flat.tolist():
        s_idx, pair = divmod(f, cost.shape[1])
        value = cost[s_idx, pair]
        if not np.isfinite(value) or value >= current - 1e-6 * max(1.0, current):
            break
        side = np.zeros(len(units), dtype=bool)
        side[order[: s_idx + 1, pair]] = True
        key = side.tobytes()
        if key in seen_sets:
            continue
        seen_sets.add(key)
        tried += 1
        if tried > _PAIR_TRIES:
            break
        hub1, hub2 = rows[cand[h1[pair]]], rows[cand[h2[pair]]]
        u1, u2 = p.unit_of_centre[hub1], p.unit_of_centre[hub2]
        pos = {int(u): i for i, u in enumerate(units.tolist())}
        if not side[pos[int(u1)]] or side[pos[int(u2)]]:
            continue
        set1 = {int(u) for u in units[side]}
        set2 = {int(u) for u in units[~side]}
        if p.contiguous and not (_is_connected(set1, p.adj) and _is_connected(set2, p.adj)):
            continue
        if any(o in set1 for u in set1 for o in p.cannot[u]) or any(
            o in set2 for u in set2 for o in p.cannot[u]
        ):
            continue
        if p.radius is not None:
            far1 = np.hypot(*(p.cxy[rows] - p.cxy[hub1]).T)
            far2 = np.hypot(*(p.cxy[rows] - p.cxy[hub2]).T)
            centre_side = side[unit_local]
            if far1[centre_side].max() > p.radius + 1e-6 or far2[~centre_side].max() > (
                p.radius + 1e-6
            ):
                continue
        # keep the slot that shares more units with side 1 as side 1 (fewer label changes)
        if len(set1 & st.members[b]) > len(set1 & st.members[a]):
            a, b = b, a
        for u in set1:
            if st.lab[u] != a:
                st.move(u, a)
        for u in set2:
            if st.lab[u] != b:
                st.move(u, b)
        hubs = st.hubs.copy()
        hubs[a], hubs[b] = hub1, hub2
        st.set_hubs(hubs)
        return True
    return False


def _pair_search(st: _State, max_rounds: int = 30) -> int:
    """Re-split adjacent pairs of federations until none improves; returns the number done."""
    done = 0
    dirty = set(range(st.p.k))
    checked: set[tuple[int, int]] = set()
    for _ in range(max_rounds):
        pairs = sorted(pr for pr in _slot_pairs(st) if pr[0] in dirty or pr[1] in dirty)
        dirty = set()
        for a, b in pairs:
            if a in dirty or b in dirty:
                continue
            if _resplit(st, a, b):
                done += 1
                dirty |= {a, b}
        checked |= set(pairs)
        if not dirty:
            break
    return done


# ---------------------------------------------------------------------------------------------
# driver


def _one_start(
    p: RegionProblem, rng: np.random.Generator, balanced: bool = True
) -> RegionSolution:
    hubs = _kpp_seeds(p, rng)
    if balanced:
        hubs = _lloyd(p, hubs)
    labels, hubs = _location_allocation(p, hubs)
    st = _State(p, labels, hubs)
    _repair_contiguity(st)
    st.update_hubs()
    _path_repair(st)
    _local_search(st, rng)
    if st.violation() <= _EPS and _pair_search(st):
        _local_search(st, rng)
    if st.violation() > _EPS:
        _path_repair(st)
        _swap_repair(st)
        _local_search(st, rng)
        if st.violation() > _EPS:
            _swap_repair(st)
    return RegionSolution(st.lab.copy(), st.hubs.copy(), st.cost(), st.violation())


def n_starts_for(n_units: int, k: int) -> int:
    """Starts per region: more for small regions, where each is cheap (deterministic)."""
    if k <= 1:
        return 1
    if n_units <= 150:
        return 10
    if n_units <= 600:
        return 3
    return 1


def solve_region(
    p: RegionProblem, rng: np.random.Generator, starts: int | None = None
) -> Iterator[float]:
    """Generator: yields the fraction done after each start; returns the best RegionSolution."""
    if p.k <= 1:
        labels = np.zeros(p.n_units, dtype=np.intp)
        hubs = _medoids(p, labels, np.zeros(1, dtype=np.intp))
        st = _State(p, labels, hubs)
        yield 1.0
        return RegionSolution(labels, hubs, st.cost(), st.violation())
    starts = starts or n_starts_for(p.n_units, p.k)
    best: RegionSolution | None = None
    for i in range(starts):
        sol = _one_start(p, rng, balanced=(i % 2 == 0))
        if best is None or (sol.violation, sol.cost) < (best.violation, best.cost):
            best = sol
        yield (i + 1) / starts
    return best
