"""Properties of the engine over random instances (hypothesis; seeded, small)."""

from __future__ import annotations

import numpy as np
import pytest
from clustering_data import random_centres
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.clustering.explain import Infeasible, diagnose
from planner.clustering.federate import Progress, federate
from planner.clustering.graph import adjacency, neighbourhood_graph
from planner.domain.constraints import Balance, Constraints, check, size_bounds
from planner.domain.plan import UNASSIGNED, SetFederation

SETTINGS = dict(deadline=None, max_examples=50, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)


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
def instances(draw):
    seed = draw(st.integers(0, 2**31 - 1))
    n = draw(st.integers(6, 45))
    k = draw(st.integers(1, max(1, n // 6)))
    rng = np.random.default_rng(seed)
    centres = random_centres(rng, n, duplicates=draw(st.integers(0, 3)))
    # linked sites: a centre and its nearest neighbour
    links = []
    for _ in range(draw(st.integers(0, 3))):
        a = int(rng.integers(n))
        d = np.hypot(*(centres.xy - centres.xy[a]).T)
        d[a] = np.inf
        links.append((centres.ids[a], centres.ids[int(np.argmin(d))]))
    weighted = draw(st.booleans())
    boundary_of = None
    exceptions: tuple[str, ...] = ()
    if draw(st.booleans()):
        # two authorities split by a vertical line; maybe one exception near it
        cut = float(np.quantile(centres.xy[:, 0], draw(st.sampled_from([0.3, 0.5, 0.7]))))
        boundary_of = {
            cid: ("West" if x < cut else "East")
            for cid, x in zip(centres.ids, centres.xy[:, 0], strict=True)
        }
        if draw(st.booleans()):
            exceptions = (centres.ids[int(np.argmin(np.abs(centres.xy[:, 0] - cut)))],)
    slack = draw(st.sampled_from([None, 1, 3]))
    mean = n / k
    constraints = Constraints(
        federations=k,
        min_size=None if slack is None else max(1, int(mean) - slack),
        max_size=None if slack is None else int(np.ceil(mean)) + slack,
        must_link=tuple(links),
        balance=(Balance("children", 0.6),) if weighted else (),
        boundary_of=boundary_of,
        within_boundaries=boundary_of is not None,
        boundary_exceptions=exceptions,
    )
    return seed, centres, constraints


def _labels(constraints):
    """The authority labels the engine keeps apart (exceptions free), or None."""
    if not constraints.within_boundaries:
        return None
    return {c: lab for c, lab in constraints.boundary_of.items()
            if c not in constraints.boundary_exceptions}


def _check_plan(centres, constraints, result):
    plan = result.plan
    k = constraints.federations
    assert len(plan.federations) == k
    assert (plan.assignment != UNASSIGNED).all()
    assert set(np.unique(plan.assignment).tolist()) == set(plan.federations)
    lo, hi = size_bounds(len(centres), k, constraints)
    sizes = np.bincount(plan.assignment)[list(plan.federations)]
    assert sizes.min() >= lo and sizes.max() <= hi
    neighbours = adjacency(neighbourhood_graph(centres, boundary_of=_labels(constraints)),
                           len(centres))
    assert check(plan, constraints, neighbours) == []
    for fed in plan.federations.values():
        assert fed.hub is not None and plan.federation_of(fed.hub) == fed.key


@settings(**SETTINGS)
@given(instances())
def test_every_feasible_request_gives_a_plan_keeping_every_rule(instance):
    seed, centres, constraints = instance
    graph = neighbourhood_graph(centres, boundary_of=_labels(constraints))
    reasons = diagnose(centres, constraints, graph=graph)
    if reasons:
        with pytest.raises(Infeasible):
            next(federate(centres, constraints, graph=graph, seed=seed))
        return
    before = (centres.xy.copy(), centres.ids, dict(centres.attributes))
    edges = sorted(graph.edges(data="length"))
    result = run(centres, constraints, graph=graph, seed=seed)
    _check_plan(centres, constraints, result)
    assert [a for a in result.approximations if "boundary exception" not in a] == []
    assert result.plan.params["seed"] == seed
    # the input is unchanged
    assert np.array_equal(centres.xy, before[0]) and centres.ids == before[1]
    assert dict(centres.attributes) == before[2]
    assert sorted(graph.edges(data="length")) == edges


@settings(**{**SETTINGS, "max_examples": 10})
@given(instances())
def test_the_same_seed_gives_the_same_plan(instance):
    seed, centres, constraints = instance
    if diagnose(centres, constraints):
        return
    a = run(centres, constraints, seed=seed).plan
    b = run(centres, constraints, seed=seed).plan
    assert a.state() == b.state() and a.params == b.params


@settings(**{**SETTINGS, "max_examples": 12})
@given(instances(), st.data())
def test_locks_are_kept_exactly(instance, data):
    seed, centres, constraints = instance
    if constraints.federations < 2 or diagnose(centres, constraints):
        return
    first = run(centres, constraints, seed=seed).plan
    keys = list(first.federations)
    locked_key = data.draw(st.sampled_from(keys))
    pinned_key = data.draw(st.sampled_from([k for k in keys if k != locked_key]))
    current = first.copy()
    SetFederation.make(current, locked_key, locked=True, name="Kept").apply(current)
    pinned_members = current.member_ids(pinned_key)
    hub = current.federations[pinned_key].hub
    pinned = data.draw(st.lists(st.sampled_from(pinned_members), min_size=1, max_size=2,
                                unique=True))
    current.locked_centres |= set(pinned) | {hub}
    snapshot = current.state()
    if diagnose(centres, constraints, current):
        return
    result = run(centres, constraints, current=current, seed=seed + 1)
    plan = result.plan
    assert current.state() == snapshot  # the current plan is untouched
    assert plan.federations[locked_key] == current.federations[locked_key]
    assert plan.member_ids(locked_key) == current.member_ids(locked_key)
    assert all(plan.federation_of(c) == pinned_key for c in pinned)
    kept = plan.federations[pinned_key]
    before = current.federations[pinned_key]
    assert (kept.name, kept.colour, kept.hub) == (before.name, before.colour, before.hub)
    assert plan.locked_centres == current.locked_centres
    _check_plan(centres, constraints, result)


@settings(**{**SETTINGS, "max_examples": 12})
@given(instances())
def test_cannot_link_pairs_are_kept_apart_or_reported(instance):
    seed, centres, constraints = instance
    rng = np.random.default_rng(seed)
    n = len(centres)
    pairs = tuple(
        (centres.ids[a], centres.ids[b])
        for a, b in rng.integers(n, size=(2, 2)).tolist()
        if a != b
    )
    constraints = Constraints(federations=constraints.federations, cannot_link=pairs)
    if diagnose(centres, constraints):
        return
    result = run(centres, constraints, seed=seed)
    neighbours = adjacency(neighbourhood_graph(centres), n)
    problems = [str(v) for v in check(result.plan, constraints, neighbours)]
    assert all(p in result.approximations for p in problems)


def test_cancelling_stops_the_generator():
    centres = random_centres(np.random.default_rng(7), 60)
    gen = federate(centres, Constraints(federations=3))
    first = next(gen)
    assert first.fraction == 0.0
    gen.close()
    with pytest.raises(StopIteration):
        next(gen)
