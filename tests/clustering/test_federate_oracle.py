"""The engine against exhaustive search (N <= 9) and the HiGHS MIP (about 30 centres).

On tiny instances every partition into K blocks is enumerated in the test (``oracle.py``): a
refusal must match "no partition keeps every rule", a returned plan must keep every rule
(checked from scratch) and cost no less than the exhaustive optimum (and, the engine's claim on
small areas, no more). On about 30 centres without contiguity the capacitated p-median optimum
comes from ``scipy.optimize.milp``. Counters assert both outcomes were exercised.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from oracle import Rules, exhaustive, make_centres, p_median_mip, plan_cost, rules_broken

from planner.clustering.explain import Infeasible
from planner.clustering.federate import federate_now
from planner.clustering.graph import neighbourhood_graph
from planner.domain.constraints import Balance, Constraints

SETTINGS = dict(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow],
                derandomize=True)
SEEN: Counter = Counter()


@st.composite
def tiny(draw):
    """N <= 9, K 2-3, tight sizes; maybe cannot-link pairs, two balanced figures, a radius."""
    seed = draw(st.integers(0, 2**31 - 1))
    n = draw(st.integers(4, 9))
    k = draw(st.integers(2, min(3, n // 2)))
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 20_000, size=(n, 2)).round()
    centres = make_centres(xy, {"a": rng.integers(1, 100, n).tolist(),
                                "b": rng.integers(1, 100, n).tolist()})
    lo = max(1, n // k - draw(st.integers(0, 1)))
    hi = -(-n // k) + draw(st.integers(0, 1))
    cannot = draw(st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(
        lambda p: p[0] != p[1]), max_size=2))
    balance = draw(st.sampled_from([(), (("a", 0.3),), (("a", 0.3), ("b", 0.5))]))
    radius = draw(st.sampled_from([None, None, 8_000.0]))
    rules = Rules(k, lo, hi, balance=balance, cannot=tuple(cannot), radius=radius)
    constraints = Constraints(
        federations=k, min_size=lo, max_size=hi, max_radius_m=radius,
        balance=tuple(Balance(c, t) for c, t in balance),
        cannot_link=tuple((centres.ids[a], centres.ids[b]) for a, b in cannot),
    )
    return seed, centres, constraints, rules


@pytest.mark.slow
@settings(**SETTINGS)
@given(tiny())
def test_tiny_instances_against_every_partition(instance):
    seed, centres, constraints, rules = instance
    graph = neighbourhood_graph(centres)
    best = exhaustive(centres, graph, rules)
    try:
        result = federate_now(centres, constraints, graph=graph, seed=seed)
    except Infeasible:
        result = None
    if best is None:
        event("refusal checked")
        SEEN["refused"] += 1
        assert result is None, "the engine returned a plan where no partition keeps every rule"
        return
    assert result is not None, "the engine refused a request that a partition meets"
    event("plan checked")
    SEEN["planned"] += 1
    assert rules_broken(result.plan, graph, rules) == []
    cost = plan_cost(result.plan)
    assert cost == pytest.approx(result.cost)
    assert cost >= best - 1e-6
    SEEN["optimal"] += cost <= best * (1 + 1e-9) + 1e-6
    SEEN["cost gap"] = max(SEEN["cost gap"], cost / best - 1 if best else 0)


def test_the_exhaustive_checks_were_exercised():
    """Both refusals and plans were verified, and the plans were optimal in nearly all cases."""
    assert SEEN["refused"] >= 5 and SEEN["planned"] >= 20
    assert SEEN["optimal"] >= 0.9 * SEEN["planned"], dict(SEEN)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_thirty_centres_against_the_p_median_mip(seed):
    """Without contiguity, the engine's cost is within 2% of the MIP optimum (never below)."""
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 30_000, size=(30, 2)).round()
    centres = make_centres(xy)
    c = Constraints(federations=3, min_size=8, max_size=12, contiguous=False)
    result = federate_now(centres, c, seed=0)
    assert rules_broken(result.plan, neighbourhood_graph(centres),
                        Rules(3, 8, 12, contiguous=False)) == []
    optimum = p_median_mip(xy, 3, 8, 12)
    cost = plan_cost(result.plan)
    assert optimum - 1e-6 <= cost <= 1.02 * optimum
