"""Repairs: make every federation one connected piece, then bring sizes and weights in bounds.

- :func:`repair_contiguity`: each federation keeps its largest connected piece (or the pieces
  holding locked centres); cut-off units join the adjacent federation whose hub is nearest.
- :func:`path_repair`: chains of boundary moves along paths of adjacent federations carry
  surplus from a federation above its bounds to one with room (or the reverse), each move
  keeping the donor connected.
- :func:`swap_repair`: swaps that lower what is broken (a heavy unit out, a light one in).
"""

from __future__ import annotations

import heapq
from collections import deque

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
from planner.domain.pieces import pieces

__all__ = [
    "repair_contiguity", "path_repair", "swap_repair", "weight_chains", "bridge_split_groups",
    "centre_pieces",
]


def repair_contiguity(st: State) -> None:
    p = st.p
    if not p.contiguous:
        return
    orphans: set[int] = set()
    for s in range(p.k):
        parts = pieces(st.members[s], p.adj)
        if len(parts) <= 1:
            continue
        pinned = [pc for pc in parts if any(p.pin[u] == s for u in pc)]
        if pinned:
            keep = pinned
        else:
            best = max(parts, key=lambda pc: (sum(p.usize[u] for u in pc), -min(pc)))
            keep = [best]
        for pc in parts:
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


def path_repair(st: State, max_rounds: int | None = None) -> None:
    """Carry surplus from over-full federations (or to under-full ones) along paths of moves."""
    p = st.p
    rounds = max_rounds if max_rounds is not None else 4 * p.n_units + 10
    stuck: set[int] = set()
    for _ in range(rounds):
        viol = [
            (st.slot_violation(st.size[s], st.wsum[s]), s) for s in range(p.k) if s not in stuck
        ]
        viol = [vs for vs in viol if vs[0] > EPS]
        if not viol:
            return
        _, s = max(viol)
        over = st.size[s] > p.hi or (p.has_weights and bool(np.any(st.wsum[s] > p.whi)))
        path = _find_path(st, s, shed=over)
        if path is None:
            stuck.add(s)
            continue
        for u, b in path:
            st.move(u, b)


def _find_path(st: State, origin: int, shed: bool) -> list[tuple[int, int]] | None:
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
                for b in neighbour_slots(st, u):
                    if b in seen or not st.may_join(u, b):
                        continue
                    d = st.C[u, b] - st.C[u, a]
                    if b not in cands or d < cands[b][0]:
                        if st.connected_without(a, u):
                            cands[b] = (d, u)
        else:
            nbrs: set[int] = set()
            for u in st.members[a]:
                nbrs |= neighbour_slots(st, u)
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
            sign = 1.0 if shed else -1.0
            ok_end = st.slot_violation(
                st.size[b] + sign * p.usize[u], st.wsum[b] + sign * unit_weight(p, u)
            ) <= st.slot_violation(st.size[b], st.wsum[b]) + EPS
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
                after_size = st.size[origin] - sign * p.usize[first_u]
                after_w = st.wsum[origin] - sign * unit_weight(p, first_u)
                if st.slot_violation(after_size, after_w) < before - EPS:
                    return moves if shed else list(reversed(moves))
            queue.append(b)
    return None


def swap_repair(st: State, max_rounds: int = 200) -> int:
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
            if st.slot_violation(st.size[s], st.wsum[s]) > EPS
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
                for b in neighbour_slots(st, u):
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
                        su, sv = p.usize[u], p.usize[v]
                        wu, wv = unit_weight(p, u), unit_weight(p, v)
                        after = (
                            st.slot_violation(st.size[a] - su + sv, st.wsum[a] - wu + wv)
                            + st.slot_violation(st.size[b] - sv + su, st.wsum[b] - wv + wu)
                        )
                        if p.radius is not None:
                            after += float(st.Cmax[u, b] > p.radius + 1e-6)
                            after += float(st.Cmax[v, a] > p.radius + 1e-6)
                        dv = after - before
                        if dv >= -EPS:
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
            if p.contiguous and not (is_connected(ma, p.adj) and is_connected(mb, p.adj)):
                continue
            st.move(u, b)
            st.move(v, a)
            done += 1
            made = True
        if not made:
            break
    return done


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


def centre_pieces(st: State, s: int) -> list[set[int]]:
    """Connected pieces of federation s's centres in the centre graph."""
    p = st.p
    rows = {r for u in st.members[s] for r in range(p.starts[u], p.starts[u + 1])}
    return pieces(rows, p.cadj)


def bridge_split_groups(st: State) -> int:
    """Join federations that a linked group splits: its centres are not neighbours.

    Contiguity is kept between units; a linked group whose centres lie apart can still leave
    its federation in pieces on the map. For each such piece, a centre next to both the piece
    and the rest of the federation is brought in (a move, or a swap with a unit on the other
    side) when sizes, weights and every other federation's contiguity allow. Returns the
    pieces joined.
    """
    p = st.p
    joined = 0
    split_slots = sorted({int(st.lab[u]) for u in range(p.n_units) if p.usize[u] > 1})
    for s in split_slots:
        for _ in range(4):
            pieces = centre_pieces(st, s)
            if len(pieces) <= 1:
                break
            pieces.sort(key=len, reverse=True)
            main = pieces[0]
            if not any(_bridge(st, s, main, piece) for piece in pieces[1:]):
                break
            joined += 1
    return joined


def _joined(st: State, s: int, t: int, before: float, counts: tuple[int, int]) -> bool:
    """After a bridging move: nothing else broken, s in fewer pieces, t in no more."""
    return (
        st.violation() <= before + EPS
        and len(centre_pieces(st, s)) < counts[0]
        and len(centre_pieces(st, t)) <= counts[1]
    )


def _bridge(st: State, s: int, main: set[int], piece: set[int]) -> bool:
    p = st.p
    before = st.violation()
    touching = {x for r in piece for x in p.cadj[r]} & {x for r in main for x in p.cadj[r]}
    for x in sorted(touching):
        v = int(p.unit_of_centre[x])
        t = int(st.lab[v])
        if t == s or not st.movable(v) or not st.may_join(v, s):
            continue
        if not st.connected_without(t, v):
            continue
        counts = (len(centre_pieces(st, s)), len(centre_pieces(st, t)))
        st.move(v, s)
        if _joined(st, s, t, before, counts):
            return True
        # sizes or weights broken: give t back a unit of s on the other side instead
        for y in sorted(st.members[s]):
            if y == v or p.usize[y] != p.usize[v] or not st.movable(y) or p.pin[y] >= 0:
                continue
            if not any(st.lab[z] == t for z in p.adj[y]) or not st.may_join(y, t):
                continue
            if not st.connected_without(s, y):
                continue
            st.move(y, t)
            if _joined(st, s, t, before, counts):
                return True
            st.move(y, s)
        st.move(v, t)
    return False
