"""Outline builder: cells tile the clip area, outlines dissolve members, incremental = full;
engine plans on the land have no exclave; real and broken boundary files export cleanly."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import numpy as np
import pytest
import shapely
import shapely.geometry
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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


# -- outlines on the land: one piece per land part, and real boundary files ------------------------
DATA = Path(__file__).resolve().parents[1] / "data"

_LANDS = {
    "u": shapely.box(0, 0, 10_000, 10_000).difference(shapely.box(3_000, 3_000, 7_000, 10_000)),
    "estuary": shapely.box(0, 0, 20_000, 10_000).difference(
        shapely.box(-1, 4_800, 15_000, 5_200)),
    "islands": shapely.union_all([shapely.box(0, 0, 4_000, 4_000),
                                  shapely.box(6_000, 0, 10_000, 4_000),
                                  shapely.box(0, 6_000, 10_000, 9_000)]),
}


@st.composite
def _layouts(draw):
    land = _LANDS[draw(st.sampled_from(sorted(_LANDS)))]
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = land.bounds
    xy = rng.uniform([x0 - 300, y0 - 300], [x1 + 300, y1 + 300], (200, 2))
    near = shapely.dwithin(land, shapely.points(xy), 250)  # on land, or just off the coast
    n = draw(st.integers(8, 24))
    xy = xy[near][:n]
    k = draw(st.integers(2, max(2, len(xy) // 4)))
    return land, xy, k, seed


@settings(deadline=None, max_examples=20, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(_layouts())
def test_engine_plans_on_the_land_have_no_exclave(layout):
    from planner.clustering.federate import federate
    from planner.clustering.graph import neighbourhood_graph
    from planner.domain.constraints import Constraints
    from planner.geo.cells import land_cells

    land, xy, k, seed = layout
    centres = _centres(xy)
    cells = land_cells(xy, land)
    graph = neighbourhood_graph(centres, links=cells.links())
    gen = federate(centres, Constraints(federations=k), graph=graph, seed=seed)
    try:
        while True:
            next(gen)
    except StopIteration as stop:
        plan = stop.value.plan
    parts = shapely.get_parts(land)
    for key, shape in OutlineBuilder(centres, cells=cells).outlines(plan).items():
        # count the outline's pieces on each land part with shapely alone (not the graph)
        on_land = shapely.get_parts(shapely.intersection(shape, land))
        on_land = [p for p in on_land if p.geom_type == "Polygon" and p.area > 1.0]
        per_part = np.zeros(len(parts), dtype=int)
        for piece in on_land:
            per_part[int(np.argmax(shapely.area(shapely.intersection(parts, piece))))] += 1
        assert per_part.max() <= 1, f"federation {key} is in {per_part.max()} pieces on one part"


def test_an_invalid_boundary_polygon_is_repaired_and_outlined(tmp_path):
    from planner.geo.land import study_area
    from planner.geo.layers import read_boundaries

    path = tmp_path / "bowtie.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Bowtie"},
        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [4000, 4000], [4000, 0],
                                                          [0, 4000], [0, 0]]]}}],
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}}))
    layer = read_boundaries(path, "EPSG:27700")
    assert layer.geometry.is_valid.all()
    c = _centres([(3_500, 1_000), (3_500, 3_000), (500, 2_000)])
    builder = OutlineBuilder(c, study_area(c, layer))
    assert shapely.area(builder.cells).sum() == pytest.approx(8e6, rel=1e-6)


def test_an_irreparable_boundary_polygon_is_refused_naming_file_and_feature(tmp_path):
    from planner.cli import main

    path = tmp_path / "flat.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Flatland"},
        "geometry": {"type": "Polygon", "coordinates": [[[500_000, 180_000], [501_000, 180_000],
                                                          [502_000, 180_000],
                                                          [500_000, 180_000]]]}}],
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}}))
    plan = tmp_path / "plan.geojson"
    assert main(["plan", str(DATA / "slough_centres_2026-08-21.csv"), "-k", "1", "-q",
                 "--out", str(plan)]) == 0
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["export", str(plan), "--out", str(tmp_path / "x.geojson"), "--outlines",
                     "--boundaries", str(path)])
    assert code == 2
    assert "flat.geojson" in err.getvalue() and "feature 1 (Flatland)" in err.getvalue()


@pytest.mark.parametrize("area", ["croydon", "slough"])
def test_export_outlines_with_the_authority_polygon(area, tmp_path):
    # These two failed with "TopologyException: side location conflict" (issue 9).
    from planner.cli import main

    centres = DATA / f"{area}_centres_2026-08-21.csv"
    boundary = DATA / f"{area}_utla_2024_buc.geojson"
    plan, out = tmp_path / "plan.geojson", tmp_path / "out.geojson"
    n = len(centres.read_text(encoding="utf-8").splitlines()) - 1
    k = max(1, round(n / 20))
    assert main(["plan", str(centres), "-k", str(k), "-q", "--boundaries", str(boundary),
                 "--out", str(plan)]) == 0
    assert main(["export", str(plan), "--out", str(out), "--outlines", "--boundaries",
                 str(boundary)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    outlines = [shapely.geometry.shape(f["geometry"]) for f in doc["features"]
                if f["properties"].get("kind") == "outline"]
    assert len(outlines) == k and all(o.is_valid and not o.is_empty for o in outlines)
    # independently: the outlines cover the authority polygon (lon/lat), each in one piece
    authority = shapely.geometry.shape(json.loads(boundary.read_text())["features"][0]["geometry"])
    union = shapely.union_all(outlines)
    assert union.intersection(authority).area == pytest.approx(authority.area, rel=1e-3)
    for o in outlines:
        big = [p for p in shapely.get_parts(o) if p.area > 1e-6]  # ~1 hectare in degrees^2
        assert len(big) == 1
