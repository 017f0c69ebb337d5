"""Linked groups split on the map: bring in a centre that joins a federation's pieces.

Contiguity is kept between units; a linked group (a unit of several centres) whose centres lie
apart can still leave its federation in pieces in the centre graph. :func:`bridge_split_groups`
joins them where sizes, weights and every other federation's contiguity allow.
"""

from __future__ import annotations

from planner.clustering.region import EPS, State
from planner.domain.pieces import pieces

__all__ = ["centre_pieces", "bridge_split_groups"]


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
