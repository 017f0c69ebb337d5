"""Each kind of impossible request is refused before work, with a reason in a planner's words."""

from __future__ import annotations

import numpy as np
import pytest
from clustering_data import random_centres

from planner.clustering.explain import Infeasible, diagnose
from planner.clustering.federate import federate, federate_now
from planner.clustering.graph import neighbourhood_graph
from planner.domain.centres import Centres
from planner.domain.constraints import Balance, Constraints
from planner.domain.plan import Federation, Plan


def _refused(centres, constraints, **kw) -> list[str]:
    reasons = diagnose(centres, constraints, kw.get("current"), kw.get("graph"))
    assert reasons
    gen = federate(centres, constraints, **kw)
    with pytest.raises(Infeasible) as info:
        next(gen)  # refused on the first step, before any work
    assert info.value.reasons == reasons
    return reasons


@pytest.fixture
def c81() -> Centres:
    return random_centres(np.random.default_rng(0), 81)


def test_a_feasible_request_has_no_reasons(c81):
    assert diagnose(c81, Constraints(federations=4)) == []


def test_too_few_centres_for_the_minimum(c81):
    reasons = _refused(c81, Constraints(federations=5, min_size=18))
    assert "81 centres cannot make 5 federations of at least 18" in reasons


def test_too_many_centres_for_the_maximum(c81):
    reasons = _refused(c81, Constraints(federations=3, max_size=20))
    assert "81 centres cannot make 3 federations of at most 20" in reasons


def test_more_federations_than_centres():
    c = random_centres(np.random.default_rng(1), 4)
    assert _refused(c, Constraints(federations=6)) == ["4 centres cannot make 6 federations"]


def test_minimum_above_maximum(c81):
    reasons = _refused(c81, Constraints(federations=4, min_size=25, max_size=20))
    assert reasons == ["the minimum size 25 is larger than the maximum size 20"]


def test_an_authority_too_small_for_a_federation(c81):
    label = {cid: "Borough" for cid in c81.ids}
    for row in np.argsort(c81.xy[:, 0])[:10]:  # the 10 westernmost: one patch
        label[c81.ids[row]] = "Swale"
    reasons = _refused(
        c81, Constraints(federations=4, min_size=18, boundary_of=label, within_boundaries=True)
    )
    assert "Swale's 10 centres cannot form a federation of at least 18 inside its boundary" in (
        reasons
    )


def test_authorities_needing_more_federations_than_asked(c81):
    xs = c81.xy[:, 0]
    label = {cid: f"LA{int(x // 10_000)}" for cid, x in zip(c81.ids, xs, strict=True)}
    reasons = _refused(
        c81,
        Constraints(federations=2, min_size=1, max_size=60, boundary_of=label,
                    within_boundaries=True),
    )
    assert any("need between 5 and" in r and "not 2" in r for r in reasons)


def test_a_part_of_the_map_cut_off_and_too_small():
    rng = np.random.default_rng(2)
    xy = np.vstack([rng.uniform(0, 10_000, (40, 2)), rng.uniform(0, 2_000, (3, 2)) + 90_000])
    c = Centres([f"c{i}" for i in range(43)], [f"C{i}" for i in range(43)], xy, xy / 1e5)
    g = neighbourhood_graph(c, max_link_m=20_000)
    reasons = _refused(c, Constraints(federations=2), graph=g)
    assert any(r.startswith("the 3 centres around C40 cannot form a federation of at "
               "least 19 (cut off") for r in reasons)


def _locked_plan(c: Centres) -> Plan:
    feds = [Federation(0, "North", "#CC6677", locked=True), Federation(1, "South", "#332288",
                                                                       locked=True)]
    assignment = np.array([0] * 40 + [1] * 41)
    return Plan(c, assignment, feds)


def test_linked_centres_locked_in_different_federations(c81):
    plan = _locked_plan(c81)
    a, b = c81.ids[0], c81.ids[50]
    reasons = _refused(c81, Constraints(federations=4, must_link=((a, b),)), current=plan)
    assert (
        f"centres Centre 0 ({a}) and Centre 50 ({b}) must be together but are locked in "
        "different federations" in reasons
    )


def test_linked_centres_locked_apart_by_centre_locks(c81):
    feds = [Federation(0, "North", "#CC6677"), Federation(1, "South", "#332288")]
    plan = Plan(c81, np.array([0] * 40 + [1] * 41), feds, locked_centres=["c0", "c50"])
    reasons = _refused(c81, Constraints(federations=4, must_link=(("c0", "c50"),)), current=plan)
    assert any("must be together but are locked in different federations" in r for r in reasons)


def test_too_many_locked_federations(c81):
    plan = _locked_plan(c81)
    reasons = _refused(c81, Constraints(federations=1), current=plan)
    assert "2 federations are locked, more than the 1 asked for" in reasons


def test_a_linked_group_larger_than_a_federation(c81):
    group = tuple(c81.ids[:25])
    reasons = _refused(c81, Constraints(federations=4, must_link=(group,)))
    assert any("has 25 centres, more than the maximum federation size 23" in r for r in reasons)


def test_cannot_link_pair_that_is_linked(c81):
    reasons = _refused(
        c81, Constraints(federations=4, must_link=(("c1", "c2"),), cannot_link=(("c1", "c2"),))
    )
    assert any("must be apart but are linked to be together" in r for r in reasons)


def test_a_centre_heavier_than_a_federation_may_be():
    c = random_centres(np.random.default_rng(3), 40)
    attrs = dict(c.attributes)
    attrs["children"] = [100] * 39 + [5000]
    heavy = Centres(c.ids, c.names, c.xy, c.lonlat, attributes=attrs)
    reasons = _refused(
        heavy, Constraints(federations=2, balance=(Balance("children", 0.1),))
    )
    assert any("serves 5,000 children, more than a federation may serve" in r for r in reasons)


def test_an_unknown_weight_column(c81):
    reasons = _refused(c81, Constraints(federations=4, balance=(Balance("under5s", 0.1),)))
    assert any("no column 'under5s'" in r for r in reasons)


def test_two_fixed_hubs_that_must_share_a_federation(c81):
    reasons = _refused(
        c81,
        Constraints(federations=4, must_link=(("c1", "c2"),), fixed_hubs=("c1", "c2")),
    )
    assert any("both fixed as hubs" in r for r in reasons)


def test_infeasible_carries_its_reasons_in_the_message():
    err = Infeasible(["a", "b"])
    assert err.reasons == ["a", "b"] and str(err) == "a; b"


def test_unknown_linked_ids_are_noted_not_refused(c81):
    result = federate_now(c81, Constraints(federations=4, must_link=(("c1", "nope"),)))
    assert any("not in the centres" in a for a in result.approximations)
