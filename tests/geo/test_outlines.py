"""Outline builder: cells tile the clip area, outlines dissolve members, incremental = full."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from planner.domain.centres import Centres
from planner.domain.plan import Plan, Reassign
from planner.geo.outlines import OutlineBuilder, default_clip


def _centres(xy) -> Centres:
    xy = np.asarray(xy, dtype=float)
    n = len(xy)
    return Centres(ids=[f"c{i}" for i in range(n)], names=[f"C{i}" for i in range(n)], xy=xy,
                   lonlat=np.zeros((n, 2)))


@pytest.fixture
def grid_plan() -> Plan:
    rng = np.random.default_rng(7)
    xy = rng.uniform(0, 10_000, size=(60, 2))
    labels = (xy[:, 0] > 5_000).astype(int) + 2 * (xy[:, 1] > 5_000).astype(int)
    return Plan.from_labels(_centres(xy), labels)


def test_cells_tile_the_clip_area(grid_plan):
    clip = shapely.box(-500, -500, 10_500, 10_500)
    builder = OutlineBuilder(grid_plan.centres, clip)
    areas = shapely.area(builder.cells)
    assert np.all(areas > 0)
    assert areas.sum() == pytest.approx(clip.area, rel=1e-9)
    assert shapely.union_all(builder.cells).area == pytest.approx(clip.area, rel=1e-9)
    # each cell holds its own centre
    pts = shapely.points(grid_plan.centres.xy)
    assert np.all(shapely.intersects(builder.cells, pts))


def test_clip_cuts_cells_to_an_irregular_area(grid_plan):
    clip = shapely.Polygon([(-100, -100), (10_100, -100), (-100, 10_100)])  # a triangle
    builder = OutlineBuilder(grid_plan.centres, clip)
    xy = grid_plan.centres.xy
    inside = shapely.contains_xy(clip, xy[:, 0], xy[:, 1])
    assert 0 < inside.sum() < len(xy)
    assert np.all(shapely.within(builder.cells[inside], clip.buffer(1e-6)))
    assert shapely.area(builder.cells[inside]).sum() <= clip.area * (1 + 1e-9)
    # a centre outside the clip keeps a small piece of its cell around it, never nothing
    outside = builder.cells[~inside]
    assert np.all(shapely.area(outside) > 0)
    assert np.all(shapely.intersects(outside, shapely.points(xy[~inside])))
    assert np.all(np.isin(shapely.get_type_id(builder.cells), [3, 6]))  # polygonal only


def test_outline_is_union_of_member_cells(grid_plan):
    builder = OutlineBuilder(grid_plan.centres, shapely.box(-500, -500, 10_500, 10_500))
    outlines = builder.outlines(grid_plan)
    assert set(outlines) == {0, 1, 2, 3}
    for key, shape in outlines.items():
        rows = grid_plan.members(key)
        assert shape.area == pytest.approx(shapely.area(builder.cells[rows]).sum(), rel=1e-9)
        assert shapely.contains_xy(shape.buffer(1e-6), *grid_plan.centres.xy[rows].T).all()
    # quadrant labels on a Voronoi diagram: the four outlines do not overlap
    total = sum(s.area for s in outlines.values())
    assert total == pytest.approx(shapely.union_all(list(outlines.values())).area, rel=1e-9)


def test_incremental_outlines_equal_full(grid_plan):
    builder = OutlineBuilder(grid_plan.centres)
    shapes = builder.outlines(grid_plan)
    moved = grid_plan.member_ids(0)[:3]
    changed = Reassign.make(grid_plan, moved, 3).apply(grid_plan)
    assert changed == {0, 3}
    shapes.update({k: builder.outline(grid_plan, k) for k in changed})
    fresh = OutlineBuilder(grid_plan.centres).outlines(grid_plan)
    for key in fresh:
        assert shapes[key].equals(fresh[key])
    assert not shapes[0].equals(builder.outlines(Plan.from_labels(
        grid_plan.centres, (grid_plan.centres.xy[:, 0] > 5_000).astype(int)
        + 2 * (grid_plan.centres.xy[:, 1] > 5_000).astype(int)))[0])


def test_coincident_centres_share_a_cell_and_empty_federations_are_empty():
    xy = [(0, 0), (0, 0), (1000, 0), (0, 1000)]
    c = _centres(xy)
    plan = Plan.from_labels(c, [0, 1, 1, 1])
    from planner.domain.plan import AddFederation, Federation

    AddFederation(Federation(2, "Empty", "#000000")).apply(plan)
    builder = OutlineBuilder(c)
    assert builder.cells[0].equals(builder.cells[1])
    out = builder.outlines(plan)
    assert out[2].is_empty
    assert out[0].equals(builder.cells[0])
    assert out[1].contains(shapely.Point(1000, 0))


def test_default_clip_contains_every_point_with_a_margin():
    xy = np.array([(0, 0), (10_000, 0), (0, 10_000)], dtype=float)
    clip = default_clip(xy)
    assert shapely.contains_xy(clip, xy[:, 0], xy[:, 1]).all()
    assert clip.contains(shapely.Point(-1000, -1000))
    assert default_clip(np.empty((0, 2))).is_empty


def test_single_centre_gets_the_whole_clip():
    c = _centres([(5.0, 5.0)])
    clip = shapely.box(0, 0, 10, 10)
    builder = OutlineBuilder(c, clip)
    assert builder.cells[0].equals(clip)


def test_plan_for_other_centres_is_rejected(grid_plan):
    builder = OutlineBuilder(_centres([(0, 0), (1, 1)]))
    with pytest.raises(ValueError, match="60 centres"):
        builder.outline(grid_plan, 0)
