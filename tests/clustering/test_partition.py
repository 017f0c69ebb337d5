"""Large regions solved in parts: the cut, the stitched plan, and the memory guard.

Oracles: a breadth-first search and counts written here, the exact brute force on a tiny
instance, and the request's own arithmetic; nothing is taken from the engine's bookkeeping.
"""

from __future__ import annotations

from collections import deque
from itertools import product

import numpy as np
import pytest
from scipy.spatial import Delaunay

from planner.clustering import capacity, solver
from planner.clustering.explain import Infeasible
from planner.clustering.federate import federate_now
from planner.clustering.partition import split
from planner.clustering.region import RegionProblem
from planner.domain.centres import Centres
from planner.domain.constraints import Constraints


def _towns(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    towns = rng.uniform(0, 50_000, size=(max(1, n // 40), 2))
    pick = rng.integers(len(towns), size=n // 2)
    xy = np.concatenate([towns[pick] + rng.normal(0, 1_500, size=(len(pick), 2)),
                         rng.uniform(0, 50_000, size=(n - len(pick), 2))])
    return np.unique(np.round(xy), axis=0)


def _delaunay_adj(xy: np.ndarray) -> list[list[int]]:
    adj: list[set[int]] = [set() for _ in range(len(xy))]
    for tri in Delaunay(xy).simplices.tolist():
        for a in tri:
            adj[a].update(b for b in tri if b != a)
    return [sorted(s) for s in adj]


def _bfs_connected(members: set[int], adj) -> bool:
    start = next(iter(members))
    seen, queue = {start}, deque([start])
    while queue:
        x = queue.popleft()
        for y in adj[x]:
            if y in members and y not in seen:
                seen.add(y)
                queue.append(y)
    return seen == members


def _problem(xy: np.ndarray, k: int, lo: int, hi: int) -> RegionProblem:
    return RegionProblem(xy, np.arange(len(xy) + 1), _delaunay_adj(xy), k=k, lo=lo, hi=hi)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_large_region_is_cut_into_connected_parts_that_can_each_be_planned(seed):
    xy = _towns(2_000, seed)
    n = len(xy)
    k = n // 20
    p = _problem(xy, k, 15, 25)
    parts = split(p, max_units=300)
    assert len(parts) >= 6
    seen_units = np.concatenate([units for units, _ in parts])
    assert sorted(seen_units.tolist()) == list(range(n))  # every centre in exactly one part
    slots = [s for _, ss in parts for s in ss]
    assert sorted(slots) == list(range(k))  # every federation in exactly one part
    for units, ss in parts:
        assert len(units) <= 300 or len(ss) == 1
        assert _bfs_connected(set(units.tolist()), p.adj)
        assert 15 * len(ss) <= len(units) <= 25 * len(ss)


def test_a_plan_solved_in_parts_keeps_every_rule(monkeypatch):
    monkeypatch.setattr(solver, "PART_MAX_UNITS", 250)
    xy = _towns(1_200, 7)
    n = len(xy)
    k = n // 20
    centres = Centres(ids=[f"c{i}" for i in range(n)], names=[f"c{i}" for i in range(n)],
                      xy=xy, lonlat=np.zeros_like(xy), crs="EPSG:27700", attributes={},
                      source="test")
    result = federate_now(centres, Constraints(federations=k, min_size=15, max_size=25))
    plan = result.plan
    adj = _delaunay_adj(xy)
    from planner.clustering.graph import adjacency, neighbourhood_graph

    graph_adj = adjacency(neighbourhood_graph(centres), n)
    assert len(plan.federations) == k
    assert (plan.assignment >= 0).all()
    for key in plan.federations:
        members = set(np.flatnonzero(plan.assignment == key).tolist())
        assert 15 <= len(members) <= 25
        assert _bfs_connected(members, graph_adj)
    # the cost it reports is the sum of distances to the hubs it names
    hubs = {key: centres.index_of(f.hub) for key, f in plan.federations.items()}
    cost = sum(float(np.hypot(*(xy[i] - xy[hubs[int(plan.assignment[i])]]))) for i in range(n))
    assert result.cost == pytest.approx(cost, rel=1e-9)
    assert adj  # the Delaunay graph was built (the graph used above may cut long links)


def test_parts_match_the_exact_optimum_on_a_tiny_instance(monkeypatch):
    # Two clusters of four on a line, far apart, K=2, sizes 4: any cut into parts must still
    # find the one optimal plan, found here by brute force over all labellings.
    monkeypatch.setattr(solver, "PART_MAX_UNITS", 4)
    xy = np.array([[0, 0], [1_000, 0], [2_000, 10], [3_000, 0],
                   [20_000, 0], [21_000, 10], [22_000, 0], [23_000, 0]], dtype=float)
    centres = Centres(ids=[str(i) for i in range(8)], names=[str(i) for i in range(8)], xy=xy,
                      lonlat=np.zeros_like(xy), crs="EPSG:27700", attributes={}, source="t")
    got = federate_now(centres, Constraints(federations=2, min_size=4, max_size=4)).cost
    best = np.inf
    for labels in product((0, 1), repeat=8):
        lab = np.array(labels)
        if (lab == 0).sum() != 4:
            continue
        total = 0.0
        for s in (0, 1):
            m = xy[lab == s]
            total += min(np.hypot(*(m - h).T).sum() for h in m)
        best = min(best, total)
    assert got == pytest.approx(best)


def test_a_run_too_large_for_the_memory_is_refused_up_front(monkeypatch):
    monkeypatch.setattr(capacity, "available_mb", lambda: 200.0)
    xy = _towns(200, 3)
    n = len(xy)
    centres = Centres(ids=[str(i) for i in range(n)], names=[str(i) for i in range(n)], xy=xy,
                      lonlat=np.zeros_like(xy), crs="EPSG:27700", attributes={}, source="t")
    with pytest.raises(Infeasible) as info:
        federate_now(centres, Constraints(federations=n // 20))
    assert "memory" in info.value.reasons[0] and f"{n:,} centres" in info.value.reasons[0]


def test_the_memory_estimate_grows_linearly_and_refuses_only_beyond_what_is_free():
    assert capacity.refusal(100_000, available=8_000.0) is None
    assert capacity.refusal(100_000, available=500.0) is not None
    small, large = capacity.estimate_mb(10_000), capacity.estimate_mb(100_000)
    assert large - small == pytest.approx(9 * (capacity.estimate_mb(20_000) - small))


def test_running_out_of_memory_is_a_refusal_not_a_traceback(monkeypatch):
    def boom(*args, **kwargs):
        raise MemoryError
        yield  # pragma: no cover

    monkeypatch.setattr(solver, "solve_region", boom)
    import planner.clustering.federate as fed

    monkeypatch.setattr(fed, "solve_region", boom)
    xy = _towns(100, 4)
    n = len(xy)
    centres = Centres(ids=[str(i) for i in range(n)], names=[str(i) for i in range(n)], xy=xy,
                      lonlat=np.zeros_like(xy), crs="EPSG:27700", attributes={}, source="t")
    with pytest.raises(Infeasible) as info:
        federate_now(centres, Constraints(federations=n // 20))
    assert "ran out of memory" in info.value.reasons[0]


def test_parts_give_the_same_plan_on_one_process_or_two(monkeypatch):
    from planner.clustering import parts

    monkeypatch.setattr(solver, "PART_MAX_UNITS", 200)
    xy = _towns(700, 11)
    n = len(xy)
    centres = Centres(ids=[str(i) for i in range(n)], names=[str(i) for i in range(n)], xy=xy,
                      lonlat=np.zeros_like(xy), crs="EPSG:27700", attributes={}, source="t")
    request = Constraints(federations=n // 20, min_size=15, max_size=25)
    monkeypatch.setattr(parts, "WORKERS", 1)
    one = federate_now(centres, request, seed=5)
    monkeypatch.setattr(parts, "WORKERS", 2)
    pools = []
    real_pool = parts._pool

    def recording_pool(n_parts):
        pool = real_pool(n_parts)
        pools.append(pool)
        return pool

    monkeypatch.setattr(parts, "_pool", recording_pool)
    two = federate_now(centres, request, seed=5)
    assert pools and all(pool is not None for pool in pools)  # two processes did run
    assert np.array_equal(one.plan.assignment, two.plan.assignment)
    assert one.cost == two.cost
