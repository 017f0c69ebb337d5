"""The auto-federate request model, without Qt: its size rules against brute force, its messages."""

from __future__ import annotations

import itertools
import math

import pytest

from planner.domain.constraints import Balance, Constraints
from planner.domain.request import (
    BalanceRow,
    FederateRequest,
    national_minimum,
    size_authority,
    size_problems,
)


def splits(n: int, k: int, lo: int, hi: int) -> bool:
    """Brute force: can n centres make k federations, each of at least 1 and lo-hi centres?"""
    sizes = range(max(1, lo), hi + 1)
    return any(sum(p) == n for p in itertools.product(sizes, repeat=k))


def test_size_problems_agree_with_brute_force():
    checked = infeasible = 0
    for n in range(1, 11):
        for k in range(1, 5):
            for lo in range(0, 6):
                for hi in range(1, 8):
                    ok = splits(n, k, lo, hi)
                    assert (size_problems(n, k, lo, hi) == []) == ok, (n, k, lo, hi)
                    checked += 1
                    infeasible += not ok
    assert checked == 10 * 4 * 6 * 7 and 0 < infeasible < checked


def test_messages_in_a_planners_words():
    assert size_problems(73, 5, 18, 22) == [
        "73 centres cannot make 5 federations of 18-22 centres: 5 federations of at least 18 "
        "need 90 centres."
    ]
    assert size_problems(100, 5, 5, 10) == [
        "100 centres cannot make 5 federations of 5-10 centres: 5 federations of at most 10 "
        "hold only 50."
    ]
    assert size_problems(3, 5, 0, 2)[0] == (
        "3 centres cannot make 5 federations: there are more federations than centres.")
    assert size_problems(30, 2, 20, 10) == [
        "The minimum size (20) is larger than the maximum (10)."]


def test_request_problems_use_the_engines_size_rule():
    r = FederateRequest(n=73, k=5)
    # Nothing typed: the default rule (73 / 5 = 14.6 +- 2 -> 12-17) always fits.
    assert r.sizes() == (12, 17) and r.problems() == []
    r.min_size, r.max_size = 18, 22
    assert r.problems() == size_problems(73, 5, 18, 22)
    r.max_size = None  # a single typed bound pulls the default other one with it
    assert r.sizes() == (18, 18)
    assert r.problems() == ["73 centres cannot make 5 federations of 18 centres: 5 federations "
                            "of at least 18 need 90 centres."]


def test_a_typed_size_stays_when_k_changes():
    r = FederateRequest(n=120, k=6)
    assert r.sizes() == (18, 22)
    r.min_size = 15
    for k in (5, 4, 7):
        r.k = k
        assert r.sizes()[0] == 15
    r.k = 4  # max follows K: 30 + 3 -> 33
    assert r.sizes() == (15, 33)


def test_boundaries_locks_hubs_and_balance_are_checked():
    labels = {f"c{i}": f"D{i % 4}" for i in range(40)}
    r = FederateRequest(n=40, k=2, boundary_of=labels, within_boundaries=True)
    assert "needs at least 4 federations, not 2" in r.problems()[0]
    r = FederateRequest(n=40, k=2, locked_federations=3)
    assert r.problems() == ["3 federations are locked, more than the 2 asked for."]
    r.keep_locked = False
    assert r.problems() == []
    r = FederateRequest(n=40, k=2, base=Constraints(fixed_hubs=("c1", "c2", "c3")))
    assert "3 centres are chosen as hubs" in r.problems()[0]
    r = FederateRequest(n=40, k=2, balance=[BalanceRow("pupils"), BalanceRow("pupils", 0.2)])
    assert r.problems() == ["pupils is balanced twice: keep one row for it."]
    r = FederateRequest(n=40, k=2, links_error="links.csv: a links file needs the columns")
    assert r.problems() == ["links.csv: a links file needs the columns"]


def test_to_constraints_single_plan():
    r = FederateRequest(n=120, k=5, min_size=20, max_link_km=12.5,
                        balance=[BalanceRow("pupils", 0.15, True)],
                        boundary_of={"c1": "A"}, within_boundaries=False,
                        base=Constraints(cannot_link=(("c1", "c2"),), contiguous=False))
    c = r.to_constraints()
    assert (c.federations, c.min_size, c.max_size) == (5, 20, 27)
    assert c.max_link_m == pytest.approx(12_500.0) and c.max_radius_m is None
    assert c.balance == (Balance("pupils", 0.15, True),)
    assert c.boundary_of is None and not c.within_boundaries
    assert c.cannot_link == (("c1", "c2"),) and c.contiguous is False


def brute_ks(n: int, target: int, lo: int | None, hi: int | None) -> list[int]:
    """Every K whose size rule (size_bounds' defaults worked out here) n centres can meet."""
    out = []
    for k in range(1, n + 1):
        mean = n / k
        slack = max(2.0, 0.1 * mean)
        a = lo if lo is not None else math.floor(mean - slack)
        b = hi if hi is not None else math.ceil(mean + slack)
        if lo is None and hi is not None:
            a = min(a, b)
        if hi is None and lo is not None:
            b = max(b, a)
        if splits(n, k, max(0, a), b) if k <= 4 else (k * max(1, a) <= n <= k * b):
            out.append(k)
    return out


@pytest.mark.parametrize("target, lo, hi", [(5, None, None), (5, 4, 6), (4, 3, None),
                                            (6, None, 7), (5, 5, 5)])
def test_size_authority_against_brute_force(target, lo, hi):
    refused = planned = single = 0
    for n in range(1, 25):
        s = size_authority("A", n, target, lo, hi)
        if n < national_minimum(target, lo, hi):
            assert s.single and s.tries == ((1, n, n),)
            single += 1
            continue
        feasible = brute_ks(n, target, lo, hi)
        if s.refused:
            assert feasible == [], (n, feasible)
            refused += 1
            continue
        planned += 1
        ks = [k for k, _, _ in s.tries]
        assert set(ks) <= set(feasible)
        k0 = max(1, round(n / target))
        if k0 in feasible:
            assert ks[0] == k0
    assert planned and single


def test_per_authority_notes_and_problems():
    labels = {f"a{i}": "Big" for i in range(45)} | {f"b{i}": "Small" for i in range(7)}
    r = FederateRequest(n=53, per_authority=True, target_size=20, boundary_of=labels)
    assert r.problems() == []
    assert r.notes() == [
        "1 authority has fewer centres than the minimum 18, so each becomes one federation: "
        "Small (7).",
        "1 centre has no authority and will be left unplanned.",
    ]
    c = r.to_constraints()
    assert c.federations is None and c.target_size == 20 and c.within_boundaries
    assert c.boundary_of == labels
    r.min_size, r.max_size = 30, 31  # Big's 45 fit no K: 1 holds 31, 2 need 60
    assert r.problems() == [
        "The target of 20 centres per federation is outside the sizes 30-31."]
    r.target_size = 30
    assert r.problems() == []
    assert "Big will be left unplanned: 45 centres cannot be split into federations of 30-31" \
        in " ".join(r.notes())
    r.boundary_of = {k: v for k, v in labels.items() if v == "Big"}
    assert r.problems()[0].startswith("No authority can be planned: Big: 45 centres")
    r.boundary_of = None
    assert r.problems() == ["Choose the field that names each centre's authority."]
