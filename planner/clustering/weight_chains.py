"""Weight chains: carry a federation's surplus (or shortfall) weight along a chain of neighbours.

Each hop exchanges a heavier unit for a lighter one (or moves one unit where sizes allow) with a
neighbour, so the weight passes on without changing sizes, until a federation can take it.
"""

from __future__ import annotations

import numpy as np

from planner.clustering.region import (
    EPS,
    State,
    is_connected,
    neighbour_slots,
    unit_weight,
    weight_excess,
    worst_weight,
)

__all__ = ["weight_chains"]


def weight_chains(st: State, max_hops: int = 8) -> int:
    """Carry surplus (or shortfall) weight along a chain of swaps and moves between neighbours.

    For a federation over (under) its weight bound, each hop exchanges a heavier unit for a
    lighter one (or the reverse) with a neighbour, or moves one unit where sizes allow, so the
    surplus passes on without changing sizes; the chain ends at a federation that can take it.
    A chain that does not end within ``max_hops`` is undone. Returns the chains made.
    """
    p = st.p
    if not p.has_weights:
        return 0
    made = 0
    for origin in range(p.k):
        if st.slot_violation(st.size[origin], st.wsum[origin]) <= EPS:
            continue
        before = st.violation()
        log: list[tuple[int, int]] = []  # (unit, from slot) to undo
        cur = origin
        visited = {origin}
        for _ in range(max_hops):
            j = worst_weight(p, st.wsum[cur])
            over = bool(st.wsum[cur, j] > p.whi[j])
            need = float(st.wsum[cur, j] - p.whi[j]) if over else float(p.wlo[j] - st.wsum[cur, j])
            step = _best_exchange(st, cur, visited, over, need, j)
            if step is None:
                break
            b, pairs = step
            for u, dest in pairs:
                log.append((u, int(st.lab[u])))
                st.move(u, dest)
            visited.add(b)
            cur = b
            if st.slot_violation(st.size[cur], st.wsum[cur]) <= EPS:
                break
        if log and st.violation() < before - EPS:
            made += 1
        else:
            for u, src in reversed(log):
                st.move(u, src)
    return made


def _after(st: State, a: int, b: int, delta_a: np.ndarray) -> float:
    """Weight violation of a and b after a's figures change by delta_a (and b's by -delta_a)."""
    p = st.p
    return round(weight_excess(p, st.wsum[a] + delta_a) + weight_excess(p, st.wsum[b] - delta_a),
                 9)


def _best_exchange(
    st: State, a: int, visited: set[int], over: bool, need: float, j: int = 0
) -> tuple[int, list[tuple[int, int]]] | None:
    """Column ``j`` is the balanced figure to pass on."""
    """The exchange with a neighbour b that best passes ``need`` weight out of (or into) a."""
    p = st.p
    sign = 1.0 if over else -1.0
    best = None
    for u in st.members[a]:
        if not st.movable(u):
            continue
        for b in neighbour_slots(st, u):
            if b in visited or not st.may_join(u, b):
                continue
            wu = unit_weight(p, u)
            # a single move, when both sizes allow
            if p.lo <= st.size[a] - p.usize[u] and st.size[b] + p.usize[u] <= p.hi and over:
                key = (_after(st, a, b, -wu), -min(wu[j], need), st.C[u, b] - st.C[u, a])
                if (best is None or key < best[0]) and st.connected_without(a, u):
                    best = (key, b, [(u, b)])
            for v in st.members[b]:
                if not st.movable(v):
                    continue
                if (
                    not over
                    and st.size[a] + p.usize[v] <= p.hi
                    and st.size[b] - p.usize[v] >= p.lo
                    and any(st.lab[x] == a for x in p.adj[v])
                    and st.may_join(v, a)
                ):
                    wv = unit_weight(p, v)
                    key = (_after(st, a, b, wv), -min(wv[j], need), st.C[v, a] - st.C[v, b])
                    if (best is None or key < best[0]) and st.connected_without(b, v):
                        best = (key, b, [(v, a)])
                if p.usize[v] != p.usize[u]:
                    continue
                diff = wu - unit_weight(p, v)
                t = sign * float(diff[j])
                if t <= 0:
                    continue
                if p.contiguous and not any(st.lab[x] == a for x in p.adj[v]):
                    continue
                if not st.may_join(v, a) and st.unit_violation(v, a) > 0:
                    continue
                d = st.C[u, b] - st.C[u, a] + st.C[v, a] - st.C[v, b]
                key = (_after(st, a, b, -diff), -min(t, need), d)
                if best is not None and key >= best[0]:
                    continue
                ma = (st.members[a] - {u}) | {v}
                mb = (st.members[b] - {v}) | {u}
                if p.contiguous and not (is_connected(ma, p.adj) and is_connected(mb, p.adj)):
                    continue
                best = (key, b, [(u, b), (v, a)])
    if best is None:
        return None
    return best[1], best[2]
