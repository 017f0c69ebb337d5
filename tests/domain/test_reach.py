"""Reach against a brute-force nearest-centre computation written here, on small random cases."""

from __future__ import annotations

import numpy as np
import pytest

from planner.domain.centres import Centres
from planner.domain.plan import Plan, Reassign
from planner.domain.reach import SmallAreas, compute_reach
from planner.domain.reach_stats import ReachStats


def _case(seed: int, n_centres: int = 25, n_areas: int = 400):
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 10_000, size=(n_centres, 2)).round()
    # a few centres share a point with another (linked sites at one postcode)
    for i in rng.choice(np.arange(1, n_centres), size=4, replace=False):
        xy[i] = xy[rng.integers(0, i)]
    areas = SmallAreas(
        codes=[f"E{i:08d}" for i in range(n_areas)],
        xy=rng.uniform(-500, 10_500, size=(n_areas, 2)),
        children=rng.integers(0, 600, n_areas),
        population=rng.integers(800, 3000, n_areas),
        imd_rank=rng.integers(1, 32_845, n_areas),
        imd_decile=rng.integers(1, 11, n_areas),
    )
    inside = rng.random(n_areas) < 0.85
    return xy, areas, inside


def _brute(xy, areas, inside):
    """Per centre: children, residents, deprived children, areas, distance sum, longest."""
    n = len(xy)
    out = np.zeros((n, 6))
    for a in range(len(areas)):
        if not inside[a]:
            continue
        d = np.sqrt(((xy - areas.xy[a]) ** 2).sum(1))
        nearest = np.flatnonzero(d == d.min())  # coincident centres tie exactly
        share = 1.0 / len(nearest)
        deprived = areas.children[a] if areas.imd_decile[a] <= 3 else 0.0
        for c in nearest:
            out[c, :5] += share * np.array([areas.children[a], areas.population[a], deprived,
                                            1.0, d[c]])
            out[c, 5] = max(out[c, 5], d[c])
    return out


@pytest.mark.parametrize("seed", range(6))
def test_centre_figures_match_brute_force(seed):
    xy, areas, inside = _case(seed)
    reach = compute_reach(xy, areas, inside)
    want = _brute(xy, areas, inside)
    np.testing.assert_allclose(reach.children, want[:, 0], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(reach.population, want[:, 1], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(reach.deprived, want[:, 2], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(reach.area_count, want[:, 3], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(reach.distance_max, want[:, 5], rtol=1e-9, atol=1e-6)
    mean = np.divide(want[:, 4], want[:, 3], out=np.zeros(len(xy)), where=want[:, 3] > 0)
    np.testing.assert_allclose(reach.mean_distance, mean, rtol=1e-9, atol=1e-6)
    # nothing outside the land is counted, everything inside is, exactly once
    assert reach.children.sum() == pytest.approx(areas.children[inside].sum())
    assert (reach.owner[~inside] == -1).all() and (reach.owner[inside] >= 0).all()


def test_coincident_centres_share_equally_and_list_the_same_areas():
    xy = np.array([[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [1000.0, 0.0]])
    areas = SmallAreas(["a", "b", "c"], [[100.0, 0.0], [-50.0, 10.0], [900.0, 0.0]],
                       [30, 60, 12], [300, 600, 120], [5, 40_000, 3], [1, 7, 1])
    reach = compute_reach(xy, areas)
    assert reach.children.tolist() == [30.0, 30.0, 30.0, 12.0]
    assert reach.deprived.tolist() == [10.0, 10.0, 10.0, 12.0]
    assert sorted(reach.areas_of(1).tolist()) == [0, 1]
    assert reach.areas_of(3).tolist() == [2]
    assert reach.deprived_share[0] == pytest.approx(1 / 3)


def test_no_centres_and_no_land():
    _, areas, _ = _case(0)
    empty = compute_reach(np.empty((0, 2)), areas)
    assert len(empty) == 0 and (empty.owner == -1).all()
    xy = np.array([[1.0, 2.0]])
    none = compute_reach(xy, areas, np.zeros(len(areas), dtype=bool))
    assert none.children.tolist() == [0.0] and none.deprived_share.tolist() == [0.0]


def _federation_brute(plan, xy, areas, inside, key, hub_row):
    """From the per-centre brute force, and hub distances computed area by area."""
    per = _brute(xy, areas, inside)
    rows = np.flatnonzero(plan.assignment == key)
    sums = per[rows, :5].sum(0)
    d_hub, w_hub = [], []
    for r in rows:
        for a in range(len(areas)):
            if not inside[a]:
                continue
            d = np.sqrt(((xy - areas.xy[a]) ** 2).sum(1))
            ties = np.flatnonzero(d == d.min())
            if r in ties:
                d_hub.append(np.hypot(*(areas.xy[a] - xy[hub_row])))
                w_hub.append(1.0 / len(ties))
    mean_hub = np.dot(w_hub, d_hub) / sum(w_hub) if w_hub else 0.0
    return sums, per[rows, 5].max() if len(rows) else 0.0, mean_hub, max(d_hub, default=0.0)


def test_federation_figures_follow_moves_incrementally():
    xy, areas, inside = _case(11, n_centres=18, n_areas=250)
    centres = Centres([f"c{i}" for i in range(len(xy))], [f"C{i}" for i in range(len(xy))], xy,
                      np.zeros_like(xy))
    rng = np.random.default_rng(3)
    plan = Plan.from_labels(centres, rng.integers(0, 4, len(xy)).tolist())
    reach = compute_reach(xy, areas, inside)
    hub = {k: int(plan.members(k)[0]) for k in plan.federations}  # fixed hubs for the oracle
    stats = ReachStats(plan, reach, hub_of=lambda k: hub.get(k))
    for _step in range(12):
        ids = [f"c{i}" for i in rng.choice(len(xy), size=rng.integers(1, 4), replace=False)]
        ids = [i for i in ids if plan.centres.index_of(i) not in hub.values()]
        if not ids:
            continue
        to = int(rng.integers(0, 4))
        edit = Reassign.make(plan, ids, to)
        stats.update(edit.apply(plan))
        for key in plan.federations:
            sums, most, mean_hub, max_hub = _federation_brute(plan, xy, areas, inside, key,
                                                              hub[key])
            got = stats[key]
            assert got.children == pytest.approx(sums[0])
            assert got.population == pytest.approx(sums[1])
            assert got.deprived == pytest.approx(sums[2])
            assert got.area_count == pytest.approx(sums[3])
            assert got.mean_distance == pytest.approx(sums[4] / sums[3] if sums[3] else 0.0)
            assert got.max_distance == pytest.approx(most)
            assert got.mean_to_hub == pytest.approx(mean_hub)
            assert got.max_to_hub == pytest.approx(max_hub)
    total = sum(r.children for r in stats.rows())
    assert total == pytest.approx(areas.children[inside].sum())
    lo, hi = stats.deprived_share_spread()
    shares = [r.deprived / r.children for r in stats.rows() if r.children]
    assert (lo, hi) == (pytest.approx(min(shares)), pytest.approx(max(shares)))
