"""Compare: federations matched by overlap (not name), so only true moves are reported.

Oracle: hand-made plans whose moves are known by construction, and a brute-force matching over
every permutation on small cases.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from planner.domain.centres import Centres
from planner.domain.compare import compare, match_federations
from planner.domain.plan import UNASSIGNED, Federation, Plan


def centres(n: int, attributes=None) -> Centres:
    xy = np.column_stack([np.arange(n) * 1000.0, np.zeros(n)])
    return Centres([f"C{i}" for i in range(n)], [f"Centre {i}" for i in range(n)], xy,
                   np.column_stack([xy[:, 0] / 1e5, np.full(n, 51.0)]),
                   attributes=attributes or {})


def plan(c: Centres, labels, names) -> Plan:
    feds = [Federation(k, name, "#000000") for k, name in enumerate(names)]
    return Plan(c, labels, feds)


def test_renamed_and_rekeyed_federations_report_only_the_true_moves():
    c = centres(12)
    a = plan(c, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], ["North", "East", "South"])
    # B: the same three groups under other names and keys, and exactly C3 and C8 moved
    b = plan(c, [2, 2, 2, 0, 0, 0, 0, 0, 1, 1, 1, 1], ["Downs", "Weald", "Coast"])
    b.assignment[8] = 0  # C8: South -> (East's partner "Downs")
    result = compare(a, b)
    assert result.matching == {UNASSIGNED: UNASSIGNED, 0: 2, 1: 0, 2: 1}
    assert [(m.centre, m.fed_a, m.fed_b) for m in result.moves] == [
        ("C3", "North", "Downs"), ("C8", "South", "Downs")]


def test_identical_plans_under_new_names_have_no_moves():
    c = centres(9)
    a = plan(c, [0, 0, 0, 1, 1, 1, 2, 2, 2], ["A", "B", "C"])
    b = plan(c, [1, 1, 1, 2, 2, 2, 0, 0, 0], ["C", "A", "B"])  # names even swapped around
    assert compare(a, b).moves == []


def test_unmatched_federation_counts_all_its_centres_as_moved():
    c = centres(6)
    a = plan(c, [0, 0, 0, 1, 1, 1], ["X", "Y"])
    b = plan(c, [0, 0, 0, 0, 0, 0], ["X"])  # Y merged into X
    moved = {m.centre for m in compare(a, b).moves}
    assert moved == {"C3", "C4", "C5"}


def test_unassigned_centres_and_centre_order_are_handled():
    c = centres(5)
    a = plan(c, [0, 0, UNASSIGNED, 1, 1], ["P", "Q"])
    rev = Centres(list(reversed(c.ids)), list(reversed(c.names)), c.xy[::-1], c.lonlat[::-1])
    b = plan(rev, [1, 1, 0, 0, 0], ["P2", "Q2"])  # rows reversed: C4,C3 in Q2; C2,C1,C0 in P2
    moves = compare(a, b).moves
    assert [(m.centre, m.fed_a, m.fed_b) for m in moves] == [("C2", "", "P2")]


def test_different_centres_are_refused():
    a = plan(centres(3), [0, 0, 0], ["A"])
    b = plan(centres(4), [0, 0, 0, 0], ["A"])
    with pytest.raises(ValueError, match="different centres"):
        compare(a, b)


@pytest.mark.parametrize("seed", range(8))
def test_matching_maximises_shared_centres_like_brute_force(seed):
    rng = np.random.default_rng(seed)
    n, ka, kb = 30, 4, 4
    c = centres(n)
    a = plan(c, rng.integers(0, ka, n), [f"a{i}" for i in range(ka)])
    b = plan(c, rng.integers(0, kb, n), [f"b{i}" for i in range(kb)])
    overlap = np.zeros((ka, kb), dtype=int)
    for x, y in zip(a.assignment, b.assignment, strict=True):
        overlap[x, y] += 1
    best = max(sum(overlap[i, p[i]] for i in range(ka)) for p in itertools.permutations(range(kb)))
    matching = match_federations(a, b)
    assert sum(overlap[k, v] for k, v in matching.items() if k != UNASSIGNED) == best
    assert len(compare(a, b).moves) == n - best


def test_pair_figures_sum_the_reach_columns():
    c = centres(4, {"children_0_15_reach": [10, 20, 30, 40]})
    a = plan(c, [0, 0, 1, 1], ["A", "B"])
    b = plan(c, [0, 1, 1, 1], ["A", "B"])
    pairs = {p.name_a: p for p in compare(a, b).pairs}
    assert pairs["A"].sums_a == {"children_0_15_reach": 30.0}
    assert pairs["A"].sums_b == {"children_0_15_reach": 10.0}
    assert (pairs["B"].count_a, pairs["B"].count_b, pairs["B"].shared) == (2, 3, 2)
