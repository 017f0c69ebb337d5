"""Edits are pure and invertible; incremental statistics equal a full recomputation."""

from __future__ import annotations

import numpy as np
import pytest

from planner.domain.centres import Centres
from planner.domain.plan import (
    UNASSIGNED,
    AddFederation,
    CompoundEdit,
    EditRefused,
    Federation,
    LockCentres,
    Plan,
    Reassign,
    RemoveFederation,
    ReplacePlan,
    SetFederation,
)
from planner.domain.stats import PlanStats, convex_hull, polygon_area


def make_centres(n: int = 60, seed: int = 0) -> Centres:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 50_000, size=(n, 2))
    return Centres(
        ids=[f"C{i:03d}" for i in range(n)],
        names=[f"Centre {i}" for i in range(n)],
        xy=xy,
        lonlat=np.column_stack([xy[:, 0] / 1e5, 51 + xy[:, 1] / 1e5]),
        attributes={"children": rng.integers(100, 2000, size=n).tolist()},
    )


def make_plan(n: int = 60, k: int = 4, seed: int = 0) -> Plan:
    centres = make_centres(n, seed)
    return Plan.from_labels(centres, [i % k for i in range(n)])


def neighbours_of(centres: Centres) -> list[list[int]]:
    from planner.clustering.graph import neighbourhood_graph

    g = neighbourhood_graph(centres)
    return [sorted(g.neighbors(i)) for i in range(len(centres))]


def random_edit(plan: Plan, rng: np.random.Generator):
    keys = list(plan.federations)
    kind = rng.integers(0, 6)
    ids = list(plan.centres.ids)
    if kind <= 2:
        chosen = rng.choice(ids, size=int(rng.integers(1, 6)), replace=False)
        return Reassign.make(plan, chosen, int(rng.choice(keys)))
    if kind == 3:
        key = int(rng.choice(keys))
        return SetFederation.make(plan, key, name=f"Fed {rng.integers(1000)}",
                                  locked=bool(rng.integers(0, 2)))
    if kind == 4:
        chosen = rng.choice(ids, size=int(rng.integers(1, 4)), replace=False)
        return LockCentres.make(plan, chosen, bool(rng.integers(0, 2)))
    key = int(rng.choice(keys))
    members = plan.member_ids(key)
    hub = str(rng.choice(members)) if members else None
    return SetFederation.make(plan, key, hub=hub)


@pytest.mark.parametrize("seed", range(8))
def test_random_edit_sequences_undo_to_exact_states_and_stats_stay_exact(seed):
    rng = np.random.default_rng(seed)
    plan = make_plan(seed=seed)
    weights = plan.centres.numeric("children")
    stats = PlanStats(plan, weights, neighbours_of(plan.centres))
    history = [plan.state()]
    applied = []
    refused = 0
    for _ in range(60):
        try:
            edit = random_edit(plan, rng)
            changed = edit.apply(plan)
        except EditRefused:
            refused += 1
            continue
        stats.update(changed)
        applied.append(edit)
        history.append(plan.state())
        assert stats.snapshot() == stats.full_recompute()
    assert len(applied) > 20
    # Undo everything, checking each earlier state is restored exactly.
    for edit in reversed(applied):
        history.pop()
        stats.update(edit.inverse().apply(plan))
        assert plan.state() == history[-1]
        assert stats.snapshot() == stats.full_recompute()
    assert plan.state() == history[0]


def test_reassign_refuses_locked_centre_and_locked_federation():
    plan = make_plan()
    LockCentres.make(plan, ["C000"], True).apply(plan)
    with pytest.raises(EditRefused, match="Centre 0 \\(C000\\) is locked"):
        Reassign.make(plan, ["C000"], 1)
    SetFederation.make(plan, 1, locked=True).apply(plan)
    with pytest.raises(EditRefused, match="locked"):
        Reassign.make(plan, ["C002"], 1)  # into a locked federation
    with pytest.raises(EditRefused, match="locked"):
        Reassign.make(plan, ["C001"], 2)  # out of a locked federation


def test_stale_edit_is_refused_and_plan_untouched():
    plan = make_plan()
    edit = Reassign.make(plan, ["C000"], 1)
    Reassign.make(plan, ["C000"], 2).apply(plan)
    before = plan.state()
    with pytest.raises(EditRefused, match="changed"):
        edit.apply(plan)
    assert plan.state() == before


def test_multi_source_reassign_inverse_restores_each_source():
    plan = make_plan()
    before = plan.state()
    edit = Reassign.make(plan, ["C000", "C001", "C002", "C003"], 3)
    changed = edit.apply(plan)
    assert changed == {0, 1, 2, 3}
    assert set(plan.assignment[:4].tolist()) == {3}
    edit.inverse().apply(plan)
    assert plan.state() == before


def test_compound_edit_rolls_back_when_a_part_is_refused():
    plan = make_plan()
    before = plan.state()
    ok = Reassign.make(plan, ["C000"], 1)
    stale = Reassign(("C001",), (3,), 2)  # C001 is in federation 1, not 3
    with pytest.raises(EditRefused):
        CompoundEdit((ok, stale)).apply(plan)
    assert plan.state() == before


def test_add_remove_federation_and_replace_plan():
    plan = make_plan()
    before = plan.state()
    fed = Federation(plan.next_key(), "New", "#000000")
    AddFederation(fed).apply(plan)
    assert plan.federations[fed.key].name == "New"
    with pytest.raises(EditRefused):
        RemoveFederation(plan.federations[0]).apply(plan)  # not empty
    RemoveFederation(fed).apply(plan)
    assert plan.state() == before
    proposed = Plan.from_labels(plan.centres, [i % 2 for i in range(len(plan.centres))])
    edit = ReplacePlan.make(plan, proposed)
    edit.apply(plan)
    assert len(plan.federations) == 2
    edit.inverse().apply(plan)
    assert plan.state() == before


def test_unassigned_centres_are_outside_every_federation():
    centres = make_centres(10)
    plan = Plan.from_labels(centres, ["A"] * 5 + [None] * 3 + ["B"] * 2)
    assert (plan.assignment == UNASSIGNED).sum() == 3
    stats = PlanStats(plan)
    assert stats.unassigned == 3
    assert [s.count for s in stats.rows()] == [5, 2]
    assert [f.name for f in plan.federations.values()] == ["A", "B"]


def test_hull_area_and_stats_figures_on_a_square():
    xy = np.array([[0, 0], [1000, 0], [1000, 1000], [0, 1000], [500, 500]], dtype=float)
    centres = Centres([str(i) for i in range(5)], ["x"] * 5, xy, xy / 1e6)
    plan = Plan.from_labels(centres, [0] * 5)
    s = PlanStats(plan)[0]
    assert polygon_area(convex_hull(xy)) == pytest.approx(1e6)
    assert s.area == pytest.approx(1e6)
    assert s.hub == 4  # the medoid is the middle point
    assert s.max_to_hub == pytest.approx(np.hypot(500, 500))
    assert s.diameter == pytest.approx(np.hypot(1000, 1000))


def test_centres_are_immutable_and_reject_duplicate_ids():
    centres = make_centres(5)
    with pytest.raises(ValueError):
        centres.xy[0, 0] = 1.0
    with pytest.raises(ValueError, match="duplicate centre ids: C1"):
        Centres(["C1", "C1", "C2"], ["a", "b", "c"], np.zeros((3, 2)), np.zeros((3, 2)))


def test_numeric_weight_names_the_bad_row():
    centres = Centres(["a", "b"], ["A", "B"], np.zeros((2, 2)), np.zeros((2, 2)),
                      attributes={"w": ["3", "lots"]})
    with pytest.raises(ValueError, match="centre 'b'.*'lots'"):
        centres.numeric("w")
    assert centres.numeric_columns() == []
