"""Improvement: local search that keeps every rule, and exact re-splits of adjacent pairs.

- :func:`local_search`: boundary moves and swaps between adjacent federations that lower the
  cost (or what is broken) while keeping sizes, weights, radius, cannot-link pairs and
  contiguity, alternating with medoid hub updates until nothing improves.
- :func:`pair_search`: two adjacent federations are merged and split again at best: for every
  pair of candidate hubs the best split under the size bounds is a prefix of the units sorted by
  the difference of their distances to the two hubs, so all pairs are evaluated at once with
  numpy; the cheapest split that keeps every rule is taken.
"""

from __future__ import annotations

import numpy as np

from planner.clustering.region import (
    EPS,
    State,
    cdist,
    is_connected,
    neighbour_slots,
    unit_weight,
)

__all__ = ["local_search", "pair_search", "resplit"]

_MAX_LS_PASSES = 60
_PAIR_HUBS = 10  # hub candidates per side when re-splitting two federations
_PAIR_TRIES = 40  # candidate splits checked (contiguity, weights, ...) per pair
_SWAP_TRIES = 4  # partners tried (cheapest first) for a swap that must keep contiguity


def local_search(st: State, rng: np.random.Generator) -> None:
    """Sweeps of moves and swaps, then medoid hubs, until neither changes anything."""
    for _ in range(_MAX_LS_PASSES):
        moved = _sweep(st, rng)
        hubs_changed = st.update_hubs()
        if not moved and not hubs_changed:
            break


def _sweep(st: State, rng: np.random.Generator) -> int:
    """One sweep of boundary moves and swaps; returns how many were made."""
    p = st.p
    n_moves = 0
    for u in rng.permutation(p.n_units).tolist():
        if not st.movable(u):
            continue
        a = int(st.lab[u])
        nbs = neighbour_slots(st, u) if p.contiguous else set(range(p.k)) - {a}
        if not nbs:
            continue
        cu = st.C[u]
        su, wu = p.usize[u], unit_weight(p, u)
        va = st.slot_violation(st.size[a], st.wsum[a]) + st.unit_violation(u, a)
        va_after = st.slot_violation(st.size[a] - su, st.wsum[a] - wu)
        best: tuple[float, float, int] | None = None
        blocked: list[int] = []
        for b in sorted(nbs, key=lambda x: cu[x]):
            d = cu[b] - cu[a]
            vb = st.slot_violation(st.size[b], st.wsum[b])
            vb_after = st.slot_violation(st.size[b] + su, st.wsum[b] + wu)
            dv = (va_after + vb_after) - (va + vb)
            if dv > EPS or (dv > -EPS and d > -1e-9):
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
            if _try_swap(st, u, a, b):
                n_moves += 1
                break
    return n_moves


def _try_swap(st: State, u: int, a: int, b: int) -> bool:
    """Swap u (in a) with some v in b next to a, if that lowers the cost and keeps every rule."""
    p = st.p
    if not st.may_join(u, b):
        return False
    du = st.C[u, b] - st.C[u, a]
    su, wu = p.usize[u], unit_weight(p, u)
    va = st.slot_violation(st.size[a], st.wsum[a])
    vb = st.slot_violation(st.size[b], st.wsum[b])
    cands: list[tuple[float, int]] = []
    for v in st.members[b]:
        if v == u or not st.movable(v):
            continue
        if p.contiguous and not any(st.lab[x] == a or x == u for x in p.adj[v]):
            continue
        d = du + st.C[v, a] - st.C[v, b]
        if d >= -1e-9:
            continue
        sv, wv = p.usize[v], unit_weight(p, v)
        va_after = st.slot_violation(st.size[a] - su + sv, st.wsum[a] - wu + wv)
        vb_after = st.slot_violation(st.size[b] - sv + su, st.wsum[b] - wv + wu)
        if va_after + vb_after > va + vb + EPS:
            continue
        if p.cannot[v] and any(o in st.members[a] and o != u for o in p.cannot[v]):
            continue
        if p.pin[v] >= 0 or (p.radius is not None and st.Cmax[v, a] > p.radius + 1e-6):
            continue
        cands.append((d, v))
    for _, v in sorted(cands)[:_SWAP_TRIES]:
        if p.contiguous:
            ma = (st.members[a] - {u}) | {v}
            mb = (st.members[b] - {v}) | {u}
            if not (is_connected(ma, p.adj) and is_connected(mb, p.adj)):
                continue
        st.move(u, b)
        st.move(v, a)
        return True
    return False


def _slot_pairs(st: State) -> set[tuple[int, int]]:
    out = set()
    lab = st.lab
    for u, nbs in enumerate(st.p.adj):
        a = lab[u]
        for v in nbs:
            b = lab[v]
            if a < b:
                out.add((int(a), int(b)))
    return out


def resplit(st: State, a: int, b: int) -> bool:
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
    unit_local = np.repeat(np.arange(len(units)), p.usize[units].astype(np.intp))
    in_a = (st.lab[units] == a)[unit_local]
    cand, h1, h2, order, cost = _split_table(p, units, rows, in_a)
    flat_cost = cost.ravel()
    top = min(_PAIR_TRIES * 4, flat_cost.size)
    if top < flat_cost.size:
        part = np.argpartition(flat_cost, top - 1)[:top]
    else:
        part = np.arange(flat_cost.size)
    flat = part[np.lexsort((part, flat_cost[part]))]
    tried = 0
    seen_sets: set[bytes] = set()
    pos = {int(u): i for i, u in enumerate(units.tolist())}
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
        if not side[pos[int(p.unit_of_centre[hub1])]] or side[pos[int(p.unit_of_centre[hub2])]]:
            continue
        set1 = {int(u) for u in units[side]}
        set2 = {int(u) for u in units[~side]}
        if _split_keeps_rules(p, set1, set2, p.cxy[rows], side[unit_local], hub1, hub2):
            _take_split(st, a, b, set1, set2, hub1, hub2)
            return True
    return False


def _split_table(p, units: np.ndarray, rows: np.ndarray, in_a: np.ndarray):
    """Every split of ``units`` worth trying: hub candidates ``cand`` (indices into ``rows``),
    the hub pairs (h1, h2), per pair the units in order of cost(h1) - cost(h2), and the cost of
    giving each prefix to h1 (inf where a size or weight bound breaks): (prefix, pair)."""
    # hub candidates: the best hubs for each side's current members, and for the union
    xy = p.cxy[rows]
    d_all = cdist(xy, xy)  # centre x centre within the union
    cand = set()
    for mask in (in_a, ~in_a):
        score = d_all[:, mask].sum(1)
        cand.update(np.argsort(score)[:_PAIR_HUBS].tolist())
    cand = np.array(sorted(cand), dtype=np.intp)
    # unit costs to each candidate hub: (n_units, n_cand)
    starts_local = np.concatenate([[0], np.cumsum(p.usize[units]).astype(np.intp)[:-1]])
    uc = np.add.reduceat(d_all[:, cand], starts_local, axis=0)
    # (h1, h2) and (h2, h1) give the same splits (a prefix of one order is a suffix of the
    # other), so one of each pair is enough
    h1, h2 = np.triu_indices(len(cand), k=1)
    delta = uc[:, h1] - uc[:, h2]  # (units, pairs)
    order = np.argsort(delta, axis=0, kind="stable")
    sorted_delta = np.take_along_axis(delta, order, axis=0)
    cum_size = np.cumsum(p.usize[units][order], axis=0)
    total = cum_size[-1, 0]
    ok = (cum_size >= p.lo) & (cum_size <= p.hi) & (total - cum_size >= p.lo) & (
        total - cum_size <= p.hi
    )
    for j in range(p.n_weights) if p.has_weights else ():
        wlo, whi = p.wlo[j], p.whi[j]
        cum_w = np.cumsum(p.uw[units, j][order], axis=0)
        tw = cum_w[-1, 0]
        ok &= (cum_w >= wlo - 1e-9) & (cum_w <= whi + 1e-9)
        ok &= (tw - cum_w >= wlo - 1e-9) & (tw - cum_w <= whi + 1e-9)
    cost = uc[:, h2].sum(0)[None, :] + np.cumsum(sorted_delta, axis=0)
    return cand, h1, h2, order, np.where(ok, cost, np.inf)


def _split_keeps_rules(p, set1: set[int], set2: set[int], xy: np.ndarray, side1: np.ndarray,
                       hub1: int, hub2: int) -> bool:
    """Contiguity, cannot-link pairs and the radius for a split (``side1``: per centre of
    ``xy``, whether it goes to hub1)."""
    if p.contiguous and not (is_connected(set1, p.adj) and is_connected(set2, p.adj)):
        return False
    if any(o in set1 for u in set1 for o in p.cannot[u]) or any(
        o in set2 for u in set2 for o in p.cannot[u]
    ):
        return False
    if p.radius is not None:
        far1 = np.hypot(*(xy - p.cxy[hub1]).T)
        far2 = np.hypot(*(xy - p.cxy[hub2]).T)
        if far1[side1].max() > p.radius + 1e-6 or far2[~side1].max() > p.radius + 1e-6:
            return False
    return True


def _take_split(st: State, a: int, b: int, set1: set[int], set2: set[int], hub1: int,
                hub2: int) -> None:
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


def pair_search(st: State, max_rounds: int = 30) -> int:
    """Re-split adjacent pairs of federations until none improves; returns the number done."""
    done = 0
    dirty = set(range(st.p.k))
    for _ in range(max_rounds):
        pairs = sorted(pr for pr in _slot_pairs(st) if pr[0] in dirty or pr[1] in dirty)
        dirty = set()
        for a, b in pairs:
            if a in dirty or b in dirty:
                continue
            if resplit(st, a, b):
                done += 1
                dirty |= {a, b}
        if not dirty:
            break
    return done
