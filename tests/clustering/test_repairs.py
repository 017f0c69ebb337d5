"""The engine's repairs on small hand-made regions."""

from __future__ import annotations

import numpy as np

from planner.clustering.region import RegionProblem, State
from planner.clustering.repair import bridge_split_groups, centre_pieces


def test_a_federation_split_by_a_linked_group_is_bridged():
    # Ten centres on a road, 0..9, each next to the one before (and 3 also next to 5). Centres
    # 2 and 4 are linked (one unit) but 3 lies between them, in the other federation:
    # federation 0 = {0, 1, 2+4} is connected unit by unit yet in two pieces on the map.
    # Bringing 3 over joins it.
    order = [[0], [1], [2, 4], [3], [5], [6], [7], [8], [9]]
    rows = [c for unit in order for c in unit]
    local = {c: i for i, c in enumerate(rows)}
    cxy = np.array([[1_000.0 * c, 0.0] for c in rows])
    starts = np.cumsum([0] + [len(u) for u in order])
    links = {c: {d for d in (c - 1, c + 1) if 0 <= d <= 9} for c in range(10)}
    links[3].add(5)
    links[5].add(3)
    cadj = [sorted(local[d] for d in links[c]) for c in rows]
    unit_of = {c: i for i, unit in enumerate(order) for c in unit}
    adj = [
        sorted({unit_of[d] for c in unit for d in links[c]} - {i}) for i, unit in enumerate(order)
    ]
    p = RegionProblem(cxy, starts, adj, k=2, lo=4, hi=6, cadj=cadj)
    labels = np.array([0, 0, 0, 1, 1, 1, 1, 1, 1])
    st = State(p, labels, np.array([local[1], local[7]]))
    assert len(centre_pieces(st, 0)) == 2 and st.violation() == 0
    assert bridge_split_groups(st) == 1
    assert len(centre_pieces(st, 0)) == 1 and len(centre_pieces(st, 1)) == 1
    assert st.lab[unit_of[3]] == 0 and st.violation() == 0
