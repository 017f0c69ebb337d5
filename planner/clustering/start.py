"""Starts: seeded hubs, balanced k-means, and location-allocation without contiguity.

1. **Seeds**: the fixed hubs, then k-means++ picks (seeded) for the other slots; optionally
   moved by a balanced k-means (a Lagrangian price per federation keeps sizes near the bounds).
2. **Location-allocation**: alternate a transportation problem (each unit to one slot, sizes and
   weights within bounds) with a medoid update of every hub, until the hubs settle. Small
   single-centre problems are solved exactly as an assignment to replicated seats
   (:func:`scipy.optimize.linear_sum_assignment`); others as an LP with HiGHS dual simplex
   (:func:`scipy.optimize.linprog`) over each unit's nearest hubs, with elastic bounds. After the
   first round only the federations whose hubs moved, and their neighbours, are re-allocated.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from scipy.optimize import linprog

from planner.clustering.region import RegionProblem, cdist, medoid_index, medoids

__all__ = ["kpp_seeds", "balanced_kmeans", "allocate", "location_allocation"]

# Candidate federations per unit in the allocation LP, when k is larger than this.
_CANDIDATES = 12
_MAX_ALLOC_ROUNDS = 25
# Allocation by linear_sum_assignment on replicated seats up to this many matrix cells.
_LSA_MAX_CELLS = 400_000


def kpp_seeds(p: RegionProblem, rng: np.random.Generator) -> np.ndarray:
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
                hubs[s] = rows[medoid_index(xy[rows])]
    chosen = hubs[hubs >= 0]
    if len(chosen):
        d2 = cdist(xy, xy[chosen]).min(axis=1) ** 2
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


def balanced_kmeans(p: RegionProblem, hubs: np.ndarray, iters: int = 50) -> np.ndarray:
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
        d = cdist(xy, cent)
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
    d = cdist(cent, xy)
    for s in np.flatnonzero(~fixed):
        for r in np.argsort(d[s])[:64].tolist():
            if r not in taken:
                out[s] = r
                taken.add(r)
                break
    return out


def allocate(
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
        return _assign_seats(p, C, Cmax, pin, current)
    rows, cols = np.nonzero(_allowed(p, C, Cmax, pin, current))
    return _transport_lp(p, C, rows, cols)


def _allowed(p: RegionProblem, C: np.ndarray, Cmax: np.ndarray, pin: np.ndarray,
             current: np.ndarray | None) -> np.ndarray:
    """(U, k) candidate arcs: the nearest hubs within the radius, the current slot, the pin."""
    U, k = C.shape
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
    return allowed


def _transport_lp(p: RegionProblem, C: np.ndarray, rows: np.ndarray,
                  cols: np.ndarray) -> np.ndarray | None:
    """The elastic transportation LP over the arcs (rows, cols), rounded: labels or None."""
    U, k = C.shape
    nv = len(rows)
    idx = np.arange(nv)
    scale = max(1.0, float(C[rows, cols].mean()))
    cost = C[rows, cols] / scale
    penalty = 50.0 * max(1.0, float(cost.max()))
    # size rows:  sum s_u x_uj - e_j <= hi ;  -sum s_u x_uj - f_j <= -lo
    a_size = sparse.csr_matrix((p.usize[rows], (cols, idx)), shape=(k, nv))
    blocks = [a_size, -a_size]
    rhs = [np.full(k, float(p.hi)), -np.full(k, float(p.lo))]
    for j in range(p.n_weights) if p.has_weights else ():
        scale = p.w_scale[j]
        a_w = sparse.csr_matrix((p.uw[rows, j] / scale, (cols, idx)), shape=(k, nv))
        if np.isfinite(p.whi[j]):
            blocks.append(a_w)
            rhs.append(np.full(k, p.whi[j] / scale))
        if p.wlo[j] > 0:
            blocks.append(-a_w)
            rhs.append(-np.full(k, p.wlo[j] / scale))
    n_slack = k * len(blocks)  # one slack per bound row, at a high price
    a_ub = sparse.hstack(
        [sparse.vstack(blocks), -sparse.identity(n_slack, format="csr")], format="csr"
    )
    a_eq = sparse.hstack(
        [sparse.csr_matrix((np.ones(nv), (rows, idx)), shape=(U, nv)),
         sparse.csr_matrix((U, n_slack))],
        format="csr",
    )
    res = linprog(
        np.concatenate([cost, np.full(n_slack, penalty)]),
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


def _assign_seats(
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


def location_allocation(
    p: RegionProblem, hubs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Alternate allocation (LP) and medoid hubs until the hubs settle.

    After the first round only the federations whose hub or members changed, and their nearest
    neighbours, are re-allocated among themselves: a smaller LP whose current solution is
    feasible, so the cost never rises.
    """
    C, Cmax = p.unit_costs(hubs)
    labels = allocate(p, C, Cmax, p.pin)
    if labels is None:
        labels = np.argmin(C, axis=1)
        labels[p.pin >= 0] = p.pin[p.pin >= 0]
    n_near = min(p.k, 7)
    for _ in range(_MAX_ALLOC_ROUNDS):
        new_hubs = medoids(p, labels, hubs)
        changed = np.flatnonzero(new_hubs != hubs)
        if len(changed) == 0:
            break
        hubs = new_hubs
        c_new, cm_new = p.unit_costs(hubs[changed])
        C[:, changed] = c_new
        Cmax[:, changed] = cm_new
        if n_near < p.k:
            hd = cdist(p.cxy[hubs[changed]], p.cxy[hubs])
            near = np.argpartition(hd, n_near - 1, axis=1)[:, :n_near]
            active = np.unique(np.concatenate([changed, near.ravel()]))
        else:
            active = np.arange(p.k)
        local = np.full(p.k, -1, dtype=np.intp)
        local[active] = np.arange(len(active))
        units = np.flatnonzero(local[labels] >= 0)
        pin = np.where(p.pin[units] >= 0, local[np.maximum(p.pin[units], 0)], -1)
        sub = allocate(
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
    return labels, medoids(p, labels, hubs)
