"""The engine on the real Kent and Medway sample (103 centres, 13 districts)."""

from __future__ import annotations

import numpy as np
import pytest

from planner.clustering.explain import Infeasible
from planner.clustering.federate import federate, federate_now
from planner.clustering.graph import adjacency, neighbourhood_graph
from planner.domain.constraints import Balance, Constraints, check, size_bounds
from planner.domain.stats import PlanStats


def test_kent_plan_is_contiguous_balanced_and_compact(kent):
    constraints = Constraints(federations=5)
    result = federate_now(kent, constraints, seed=0)
    plan = result.plan
    neighbours = adjacency(neighbourhood_graph(kent), len(kent))
    assert check(plan, constraints, neighbours) == []
    stats = PlanStats(plan, None, neighbours)
    lo, hi = size_bounds(len(kent), 5, constraints)
    assert (lo, hi) == (18, 23)
    assert all(lo <= s.count <= hi and s.contiguous for s in stats.rows())
    assert stats.total_cost == pytest.approx(result.cost)
    # The exact capacitated 5-median without contiguity costs 1,089.4 km (HiGHS, proven optimal):
    # the engine stays within 2% of it.
    assert result.cost <= 1.02 * 1_089_408.3
    names = [f.name for f in plan.federations.values()]
    assert sorted(names) == [f"Federation {i}" for i in range(1, 6)]


def test_kent_within_district_boundaries(kent):
    districts = dict(zip(kent.ids, kent.attributes["lad_name"], strict=True))
    constraints = Constraints(federations=14, min_size=5, max_size=19, boundary_of=districts,
                              within_boundaries=True)
    result = federate_now(kent, constraints, seed=1)
    plan = result.plan
    for key in plan.federations:
        assert len({districts[c] for c in plan.member_ids(key)}) == 1
    neighbours = adjacency(neighbourhood_graph(kent, boundary_of=districts), len(kent))
    assert check(plan, constraints, neighbours) == []


def test_kent_default_sizes_cannot_stay_inside_districts(kent):
    districts = dict(zip(kent.ids, kent.attributes["lad_name"], strict=True))
    constraints = Constraints(federations=5, boundary_of=districts, within_boundaries=True)
    with pytest.raises(Infeasible) as info:
        next(federate(kent, constraints))
    assert "Swale's 10 centres cannot form a federation of at least 18 inside its boundary" in (
        info.value.reasons
    )


def test_kent_with_a_weight_balances_it(kent):
    rng = np.random.default_rng(0)
    children = rng.integers(200, 2_000, size=len(kent))
    from planner.domain.centres import Centres

    weighted = Centres(kent.ids, kent.names, kent.xy, kent.lonlat, kent.crs,
                       {**kent.attributes, "children": children.tolist()})
    constraints = Constraints(federations=5, balance=(Balance("children", 0.05),))
    result = federate_now(weighted, constraints, seed=0)
    plan = result.plan
    totals = np.array([children[plan.members(k)].sum() for k in plan.federations])
    assert np.all(np.abs(totals / totals.mean() - 1) <= 0.05 + 1e-9)
    assert result.approximations == []


def test_kent_with_a_maximum_radius_keeps_it(kent):
    constraints = Constraints(federations=5, max_radius_m=25_000)
    result = federate_now(kent, constraints, seed=0)
    assert result.approximations == []
    neighbours = adjacency(neighbourhood_graph(kent), len(kent))
    stats = PlanStats(result.plan, None, neighbours)
    assert max(s.max_to_hub for s in stats.rows()) <= 25_000


def test_kent_radius_too_small_for_any_federation_is_refused(kent):
    with pytest.raises(Infeasible) as info:
        next(federate(kent, Constraints(federations=5, max_radius_m=20_000)))
    assert info.value.reasons == [
        "no federation of at least 18 centres within 20.0 km of its hub can include Little "
        "Explorers Children's Centre (23134)"
    ]
