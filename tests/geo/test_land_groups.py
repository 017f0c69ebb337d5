"""A plan made per authority is drawn on each authority's own land: with groups, a centre's cell
stays inside its own authority and no link joins two authorities. Hand-made: two 10 km squares
side by side; A's east centre is 9 km from the shared edge's west side, so its plain Voronoi cell
reaches about 4 km into B."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from planner.domain.centres import Centres
from planner.domain.plan import Plan
from planner.geo.land import land_for, plan_groups

A = shapely.box(0, 0, 10_000, 10_000)
B = shapely.box(10_000, 0, 20_000, 10_000)
XY = np.array([(1_000, 5_000), (9_000, 5_000), (19_000, 5_000), (19_000, 2_000)], float)
GROUPS = ["A", "A", "B", "B"]


def _centres() -> Centres:
    return Centres([f"c{i}" for i in range(4)], [f"Centre {i}" for i in range(4)], XY,
                   XY / 1e5, "EPSG:27700", {"authority": GROUPS})


def _layer() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"name": ["A", "B"]}, geometry=[A, B], crs="EPSG:27700")


def test_without_groups_a_cell_reaches_into_the_next_authority():
    land = land_for(_centres(), _layer())
    assert land.cells[1].intersection(B).area > 1e7  # about 4 km x 10 km of B
    assert (1, 2) in {tuple(e) for e in land.edges.tolist()}


def test_with_groups_every_cell_stays_in_its_own_authority():
    land = land_for(_centres(), _layer(), GROUPS)
    own = {"A": A, "B": B}
    for row, group in enumerate(GROUPS):
        other = B if group == "A" else A
        assert land.cells[row].intersection(other).area < 1.0, row
        assert land.cells[row].intersection(own[group]).area > 1e7, row
    edges = {tuple(e) for e in land.edges.tolist()}
    assert edges == {(0, 1), (2, 3)}  # each authority's pair, nothing across the line
    assert abs(land.land.area - (A.area + B.area)) < 1.0


def test_plan_groups_reads_the_per_authority_field():
    centres = _centres()
    plan = Plan(centres)
    assert plan_groups(plan) is None
    plan.params = {"per_authority": "authority"}
    assert plan_groups(plan) == GROUPS
