"""Properties of the engine over random instances, checked by the oracles of ``oracle.py``.

Every returned plan is checked by a from-scratch rule checker (sizes, K, each centre once,
contiguity by breadth-first search in the graph the engine was given, balance sums, authorities,
linked groups, locks) that shares no code with the engine or ``planner.domain.constraints``.
A refusal is accepted here only as a refusal; ``test_federate_oracle.py`` verifies refusals by
exhaustive search on tiny instances. Examples are drawn with tight sizes; counters assert that
each property was exercised, not skipped.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from oracle import Rules, make_centres, plan_cost, rules_broken

from planner.clustering.explain import Infeasible
from planner.clustering.federate import Progress, federate
from planner.clustering.graph import neighbourhood_graph
from planner.domain.constraints import Balance, Constraints
from planner.domain.plan import SetFederation

SETTINGS = dict(deadline=None, max_examples=40, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)
SEEN: Counter = Counter()


def run(centres, constraints, **kw):
    gen = federate(centres, constraints, **kw)
    fractions = []
    while True:
        try:
            progress = next(gen)
        except StopIteration as stop:
            assert fractions and fractions[-1] == 1.0
            assert fractions == sorted(fractions)
            return stop.value
        assert isinstance(progress, Progress) and progress.message
        fractions.append(progress.fraction)


@st.composite
def instances(draw, n_max=45):
    """Random centres, K >= 2, tight explicit sizes, maybe links, weights and authorities."""
    seed = draw(st.integers(0, 2**31 - 1))
    n = draw(st.integers(8, n_max))
    k = draw(st.integers(2, max(2, n // 5)))
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 50_000, size=(n, 2)).round()
    centres = make_centres(xy, {"children": rng.integers(50, 500, size=n).tolist(),
                                "deprived": rng.integers(0, 200, size=n).tolist()})
    links = []
    for _ in range(draw(st.integers(0, 2))):
        a = int(rng.integers(n))
        d = np.hypot(*(xy - xy[a]).T)
        d[a] = np.inf
        links.append((a, int(np.argmin(d))))
    balance = draw(st.sampled_from([(), (("children", 0.4),),
                                    (("children", 0.4), ("deprived", 0.6))]))
    authority: dict[int, str] = {}
    if draw(st.booleans()):
        cut = float(np.quantile(xy[:, 0], draw(st.sampled_from([0.3, 0.5, 0.7]))))
        authority = {r: ("West" if xy[r, 0] < cut else "East") for r in range(n)}
    slack = draw(st.sampled_from([0, 1, 2]))  # tight: sizes at the edge of feasibility
    lo, hi = max(1, n // k - slack), -(-n // k) + slack
    rules = Rules(k, lo, hi, balance=balance, must=tuple(links), authority=authority)
    constraints = Constraints(
        federations=k, min_size=lo, max_size=hi,
        must_link=tuple((centres.ids[a], centres.ids[b]) for a, b in links),
        balance=tuple(Balance(c, t) for c, t in balance),
        boundary_of={centres.ids[r]: v for r, v in authority.items()} or None,
        within_boundaries=bool(authority),
    )
    graph = neighbourhood_graph(
        centres, boundary_of=constraints.boundary_of if authority else None)
    return seed, centres, constraints, rules, graph


def plan_or_refusal(centres, constraints, graph, seed, **kw):
    try:
        return run(centres, constraints, graph=graph, seed=seed, **kw)
    except Infeasible as exc:
        assert exc.reasons and all(isinstance(r, str) and r for r in exc.reasons)
        return None


@settings(**SETTINGS)
@given(instances())
def test_a_returned_plan_keeps_every_rule_checked_independently(instance):
    seed, centres, constraints, rules, graph = instance
    before = (centres.xy.copy(), centres.ids, dict(centres.attributes))
    edges = sorted(graph.edges(data="length"))
    result = plan_or_refusal(centres, constraints, graph, seed)
    # the input is unchanged, plan or not
    assert np.array_equal(centres.xy, before[0]) and centres.ids == before[1]
    assert dict(centres.attributes) == before[2]
    assert sorted(graph.edges(data="length")) == edges
    if result is None:
        event("refused")
        SEEN["refused"] += 1
        return
    event("planned")
    SEEN["planned"] += 1
    SEEN["balanced twice"] += len(rules.balance) == 2
    assert rules_broken(result.plan, graph, rules) == []
    assert result.cost == pytest.approx(plan_cost(result.plan))
    assert result.plan.params["seed"] == seed


def test_the_rule_property_was_exercised():
    """Run after the property above (file order): both outcomes and two balances were seen."""
    assert SEEN["planned"] >= 10 and SEEN["refused"] >= 1 and SEEN["balanced twice"] >= 3


@settings(**{**SETTINGS, "max_examples": 8})
@given(instances())
def test_the_same_seed_gives_the_same_plan(instance):
    seed, centres, constraints, _, graph = instance
    a = plan_or_refusal(centres, constraints, graph, seed)
    b = plan_or_refusal(centres, constraints, graph, seed)
    assert (a is None) == (b is None)
    if a is not None:
        assert a.plan.state() == b.plan.state() and a.plan.params == b.plan.params


@settings(**{**SETTINGS, "max_examples": 12})
@given(instances(), st.data())
def test_locks_are_kept_exactly(instance, data):
    seed, centres, constraints, rules, graph = instance
    first = plan_or_refusal(centres, constraints, graph, seed)
    if first is None:
        SEEN["locks skipped"] += 1
        return
    current = first.plan.copy()
    keys = list(current.federations)
    locked_key = data.draw(st.sampled_from(keys))
    pinned_key = data.draw(st.sampled_from([k for k in keys if k != locked_key]))
    SetFederation.make(current, locked_key, locked=True, name="Kept").apply(current)
    pinned = data.draw(st.lists(st.sampled_from(current.member_ids(pinned_key)), min_size=1,
                                max_size=2, unique=True))
    hub = current.federations[pinned_key].hub
    current.locked_centres |= set(pinned) | {hub}
    snapshot = current.state()
    locked_rows = frozenset(np.flatnonzero(current.assignment == locked_key).tolist())
    result = plan_or_refusal(centres, constraints, graph, seed + 1, current=current)
    assert current.state() == snapshot  # the current plan is untouched
    # the first plan keeps every lock, so a valid plan exists: the engine must find one
    assert result is not None
    SEEN["locks"] += 1
    plan = result.plan
    rules = Rules(rules.k, rules.lo, rules.hi, rules.balance, must=rules.must,
                  authority=rules.authority, locked={locked_key: locked_rows})
    assert rules_broken(plan, graph, rules) == []
    assert plan.federations[locked_key] == current.federations[locked_key]
    assert all(plan.federation_of(c) == pinned_key for c in pinned)
    kept, before = plan.federations[pinned_key], current.federations[pinned_key]
    assert (kept.name, kept.colour, kept.hub) == (before.name, before.colour, before.hub)
    assert plan.locked_centres == current.locked_centres


def test_the_lock_property_was_exercised():
    assert SEEN["locks"] >= 6


@settings(**{**SETTINGS, "max_examples": 15})
@given(instances(), st.data())
def test_cannot_link_pairs_are_kept_apart(instance, data):
    seed, centres, constraints, rules, graph = instance
    n = len(centres)
    pairs = data.draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(
        lambda p: p[0] != p[1]), min_size=1, max_size=3))
    linked = {frozenset(p) for p in rules.must}
    pairs = [p for p in pairs if frozenset(p) not in linked]
    constraints = Constraints(
        federations=constraints.federations, min_size=rules.lo, max_size=rules.hi,
        cannot_link=tuple((centres.ids[a], centres.ids[b]) for a, b in pairs))
    rules = Rules(rules.k, rules.lo, rules.hi, cannot=tuple(pairs))
    plain = neighbourhood_graph(centres)
    result = plan_or_refusal(centres, constraints, plain, seed)
    if result is None:
        SEEN["cannot refused"] += 1
        return
    SEEN["cannot kept"] += len(pairs)  # K >= 2: each pair had somewhere else to go
    assert rules_broken(result.plan, plain, rules) == []


def test_the_cannot_link_property_was_exercised():
    assert SEEN["cannot kept"] >= 10


@pytest.mark.slow
@settings(**{**SETTINGS, "max_examples": 6})
@given(instances(n_max=300))
def test_a_few_hundred_centres_with_tight_sizes(instance):
    seed, centres, constraints, rules, graph = instance
    result = plan_or_refusal(centres, constraints, graph, seed)
    event("refused" if result is None else "planned")
    if result is not None:
        assert rules_broken(result.plan, graph, rules) == []


def test_cancelling_stops_the_generator():
    centres = make_centres(np.random.default_rng(7).uniform(0, 50_000, (60, 2)))
    gen = federate(centres, Constraints(federations=3))
    first = next(gen)
    assert first.fraction == 0.0
    gen.close()
    with pytest.raises(StopIteration):
        next(gen)
