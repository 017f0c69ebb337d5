"""Repairs: make every federation one connected piece, then bring sizes and weights in bounds.

- :func:`repair_contiguity`: each federation keeps its largest connected piece (or the pieces
  holding locked centres); cut-off units join the adjacent federation whose hub is nearest.
- :func:`path_repair`: chains of boundary moves along paths of adjacent federations carry
  surplus from a federation above its bounds to one with room (or the reverse), each move
  keeping the donor connected.
- :func:`swap_repair`: swaps that lower what is broken (a heavy unit out, a light one in).

Weight chains (:mod:`planner.clustering.weight_chains`) and the joining of split linked groups
(:mod:`planner.clustering.split_groups`) have their own modules; their functions are importable
from here too.
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
)
from planner.clustering.split_groups import bridge_split_groups, centre_pieces
from planner.clustering.weight_chains import weight_chains
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
            # checked again as it is made: an earlier move of the chain may hang on this unit
            a = int(st.lab[u])
            if not st.connected_without(a, u) or (
                p.contiguous and not any(st.lab[v] == b for v in p.adj[u])
            ):
                stuck.add(s)
                break
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
        cands = _path_steps(st, a, seen, shed)
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


def _path_steps(st: State, a: int, seen: set[int], shed: bool) -> dict[int, tuple[float, int]]:
    """The edges out of federation a: per unseen neighbour b, the cheapest (cost, unit) moving
    a -> b (shed) or b -> a (receive) that keeps the giver connected."""
    p = st.p
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
        return cands
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
    return cands


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
            best = _best_swap(st, a)
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


def _best_swap(st: State, a: int) -> tuple | None:
    """The swap of a unit u of a with a unit v of a neighbour b that lowers the violation most
    (then costs least): ``(violation change, cost change, u, v, b)``, or None."""
    p = st.p
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
    return best
