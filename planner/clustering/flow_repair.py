"""Size repair by a min-cost flow between adjacent federations.

When federations are over or under their size bounds, the path repair carries one centre at a
time along one path; where many federations are out of bounds at once it can lock itself in
(each federation's best path ends where another already needs room). :func:`flow_repair` plans
all the moves together instead:

- a node per federation, supplying its centres; an arc from each federation to a sink takes
  between ``lo`` and ``hi`` of them (its final size);
- an arc from federation a to each adjacent federation b (a unit of a touches b) carries centres
  moved from a to b, at the cheapest cost per centre of such a move (never below zero) plus a
  constant per move, so few and short moves are preferred;
- the min-cost flow (network simplex, integer costs) says how many centres cross each arc.

The flow is then made real federation by federation, each after those that give to it (with
its hub moved to its new medoid first), one unit at a time: the unit of a next to b whose move
is cheapest among those that leave a in one piece (b stays in one piece: the unit touches it);
where no single unit can go, a unit with the branch of a it would cut off. A hub may go too (a
new one is chosen). An arc that cannot be realised is closed and the flow planned again, for a
few rounds. Only sizes are repaired here; weights and the radius are left to the other repairs,
which run after it. Pinned units and hubs the planner fixed never move.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from planner.clustering.region import State, medoid_index
from planner.domain.pieces import pieces

__all__ = ["flow_repair", "sizes_out_of_bounds"]

_ROUNDS = 12
_MOVE_COST = 1.0  # metres added per centre moved, so that shorter chains win ties


def sizes_out_of_bounds(st: State) -> int:
    """Federations whose size is outside [lo, hi]."""
    p = st.p
    return int(np.count_nonzero((st.size < p.lo) | (st.size > p.hi)))


def flow_repair(st: State, rounds: int = _ROUNDS) -> bool:
    """Move units between adjacent federations until every size is within bounds.

    Every move keeps the giving federation in one piece and goes to a federation the unit
    touches, so contiguity is never broken. Returns True when every size is within bounds.
    """
    closed: set[tuple[int, int]] = set()
    for _ in range(rounds):
        if not sizes_out_of_bounds(st):
            return True
        flow = _plan(st, closed)
        if flow is None:
            return False
        moved = 0
        for a in _givers_in_order(flow):
            _rehub(st, a)
            for b, amount in sorted((b, f) for (a_, b), f in flow.items() if a_ == a):
                done = _realise(st, a, b, amount)
                moved += done
                if done < amount:
                    closed.add((a, b))
        if not moved:
            return False
        st.update_hubs()
    return not sizes_out_of_bounds(st)


def _arcs(st: State, closed: set[tuple[int, int]]) -> dict[tuple[int, int], float]:
    """Cheapest cost per centre of moving a boundary unit from a to an adjacent b."""
    p = st.p
    best: dict[tuple[int, int], float] = {}
    for u in range(p.n_units):
        a = int(st.lab[u])
        if not _may_give(st, u, a):
            continue
        for v in p.adj[u]:
            b = int(st.lab[v])
            if b == a or (a, b) in closed or not st.may_join(u, b):
                continue
            c = max(0.0, float(st.C[u, b] - st.C[u, a])) / p.usize[u]
            if c < best.get((a, b), np.inf):
                best[(a, b)] = c
    return best


def _plan(st: State, closed: set[tuple[int, int]]) -> dict[tuple[int, int], int] | None:
    """Centres to move across each arc, or None when no flow meets the bounds."""
    p = st.p
    g = nx.DiGraph()
    sizes = np.rint(st.size).astype(np.int64)
    lo, hi = int(p.lo), int(p.hi)
    sink = -1
    for s in range(p.k):
        g.add_node(s, demand=lo - int(sizes[s]))
        g.add_edge(s, sink, capacity=hi - lo, weight=0)
    g.add_node(sink, demand=int(sizes.sum()) - p.k * lo)
    for (a, b), c in _arcs(st, closed).items():
        g.add_edge(a, b, weight=int(round(c + _MOVE_COST)))
    try:
        _, flows = nx.network_simplex(g)
    except (nx.NetworkXUnfeasible, nx.NetworkXUnbounded):
        return None
    return {(a, b): f for a, out in flows.items() if a != sink
            for b, f in out.items() if b != sink and f > 0}


def _may_give(st: State, u: int, a: int) -> bool:
    """Unit u may leave federation a: not pinned, and not a hub the planner fixed."""
    return st.p.pin[u] < 0 and not (st.p.hub_fixed[a] >= 0 and st.hub_unit[a] == u)


def _givers_in_order(flow: dict[tuple[int, int], int]) -> list[int]:
    """The federations that give, each after every federation that gives to it (the flow has
    no cycle: every arc costs more than nothing)."""
    g = nx.DiGraph(list(flow))
    return [a for a in nx.lexicographical_topological_sort(g) if g.out_degree(a)]


def _rehub(st: State, a: int) -> None:
    """Federation a's hub moved to its medoid now (what it received may have moved it), so
    that the units on every side of it can be given."""
    p = st.p
    if p.hub_fixed[a] >= 0:
        return
    rows = np.concatenate([np.arange(p.starts[u], p.starts[u + 1]) for u in st.members[a]])
    hubs = st.hubs.copy()
    hubs[a] = rows[medoid_index(p.cxy[rows], p.radius)]
    st.set_hubs(hubs)


def _realise(st: State, a: int, b: int, amount: int) -> int:
    """Move about ``amount`` centres from a to b; returns centres moved.

    One unit at a time where one can go and leave a in one piece; where none can, a unit next
    to b with the part of a it would cut off (a branch, no more than what is left to move).
    """
    p = st.p
    moved = 0
    while moved < amount:
        left = amount - moved
        cands = [
            u for u in st.members[a]
            if _may_give(st, u, a) and any(st.lab[v] == b for v in p.adj[u]) and st.may_join(u, b)
        ]
        if len(st.members[a]) <= 1 or not cands:
            break
        cands.sort(key=lambda u: (st.C[u, b] - st.C[u, a], u))
        branch = next(([u] for u in cands if p.usize[u] <= left and st.connected_without(a, u)),
                      None) or _smallest_branch(st, a, b, cands, left)
        if branch is None:
            break
        for u in branch:
            st.move(u, b)
            moved += int(p.usize[u])
        if st.hub_unit[a] in branch:  # the hub went: a new one among those left
            _rehub(st, a)
    return moved


def _smallest_branch(st: State, a: int, b: int, cands: list[int], left: int) -> list[int] | None:
    """The unit next to b and what it cuts off from a, the fewest centres, at most ``left``."""
    p = st.p
    best: list[int] | None = None
    best_size = left + 1
    for u in cands:
        parts = pieces(st.members[a] - {u}, p.adj)
        if len(parts) < 2:
            continue
        keep = max(parts, key=lambda pc: (st.hub_unit[a] in pc, len(pc)))
        cut = [u] + sorted(set().union(*(pc for pc in parts if pc is not keep)))
        size = int(sum(p.usize[x] for x in cut))
        if size < best_size and all(_may_give(st, x, a) and st.may_join(x, b) for x in cut):
            best, best_size = cut, size
    return best
