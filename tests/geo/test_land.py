"""Cells on the land and who borders whom, on hand-made layouts where the land and the straight
lines between the points (Delaunay) disagree. Expected neighbours are counted by hand from the
drawn layout; the Delaunay triangulation of the same points (scipy) shows the disagreement."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from scipy.spatial import Delaunay

from planner.domain.centres import Centres
from planner.geo.cells import land_cells
from planner.geo.errors import InputError
from planner.geo.land import land_for, repair_polygons, study_area


def _pairs(cells, crossing=None) -> set[tuple[int, int]]:
    keep = np.ones(len(cells.edges), bool) if crossing is None else cells.crossing == crossing
    return {(int(a), int(b)) for a, b in cells.edges[keep]}


def _delaunay(xy) -> set[tuple[int, int]]:
    out = set()
    for s in Delaunay(np.asarray(xy, float)).simplices:
        for i in range(3):
            a, b = sorted((int(s[i]), int(s[(i + 1) % 3])))
            out.add((a, b))
    return out


# A U-shaped coast: a 4 km wide bay open to the north between two arms.
U_LAND = shapely.box(0, 0, 10_000, 10_000).difference(shapely.box(3_000, 3_000, 7_000, 10_000))
# 0: top of the west arm, 1: top of the east arm, 2: bottom middle, 3: west arm low, 4: east low
U_XY = [(1_500, 8_000), (8_500, 8_000), (5_000, 1_500), (1_500, 4_000), (8_500, 4_000)]


def test_u_shaped_coast_no_link_across_the_bay():
    cells = land_cells(np.array(U_XY, float), U_LAND)
    assert (0, 1) in _delaunay(U_XY)  # the straight line across the bay
    assert _pairs(cells) == {(0, 3), (1, 4), (2, 3), (2, 4)}
    assert not cells.crossing.any()


def test_u_shaped_coast_centre_just_off_the_inner_shore():
    # centre 5 sits in the bay, 300 m off the east arm: its straight-line neighbour is 0 across
    # the water, but its cell is on the east arm only.
    xy = U_XY + [(6_700, 8_000)]
    cells = land_cells(np.array(xy, float), U_LAND)
    assert (0, 5) in _delaunay(xy)
    pairs = _pairs(cells)
    assert (0, 5) not in pairs and (1, 5) in pairs
    assert {(0, 3), (2, 3), (2, 4)} <= pairs
    east_arm = shapely.box(7_000, 3_000, 10_000, 10_000)
    land_part = shapely.intersection(cells.cells[5], U_LAND)
    assert land_part.area > 0 and shapely.within(land_part, east_arm.buffer(1))
    assert shapely.intersects(cells.cells[5], shapely.Point(6_700, 8_000))  # shows on the map


# An estuary cut 15 km into the land from the west; the two shores meet only at its head.
ESTUARY = shapely.box(0, 0, 20_000, 10_000).difference(shapely.box(-1, 4_800, 15_000, 5_200))
# 0, 1 north shore; 2, 3 south shore; 4 at the head, where the shores meet
ESTUARY_XY = [(2_000, 7_000), (8_000, 7_000), (2_000, 3_000), (8_000, 3_000), (18_000, 5_000)]


def test_estuary_shores_meet_only_at_the_head():
    cells = land_cells(np.array(ESTUARY_XY, float), ESTUARY)
    assert {(0, 2), (1, 3)} & _delaunay(ESTUARY_XY)
    assert _pairs(cells) == {(0, 1), (2, 3), (1, 4), (3, 4)}
    assert not cells.crossing.any()  # a land path exists: no crossing


def test_two_islands_joined_by_their_shortest_crossing():
    land = shapely.union(shapely.box(0, 0, 4_000, 4_000), shapely.box(6_000, 0, 10_000, 4_000))
    xy = np.array([(1_000, 1_000), (3_000, 3_000), (7_000, 1_000), (9_000, 3_000)], float)
    cells = land_cells(xy, land)
    assert _pairs(cells, crossing=False) == {(0, 1), (2, 3)}
    # cells 1 and 2 face each other across the 2 km strait (as do 0 and 2 at a corner; the
    # shorter centre-to-centre link wins the tie)
    assert _pairs(cells, crossing=True) == {(1, 2)}
    west = shapely.union_all(cells.cells[:2])
    assert west.equals_exact(shapely.box(0, 0, 4_000, 4_000).normalize(), 1e-6) or \
        abs(west.area - 16e6) < 1 and shapely.within(west, shapely.box(0, 0, 4_000, 4_000))


def test_a_cell_never_reaches_across_water_and_a_bare_islet_goes_to_the_nearest_centre():
    west, east = shapely.box(0, 0, 4_000, 4_000), shapely.box(4_500, 0, 20_000, 4_000)
    islet = shapely.box(0, 6_000, 500, 6_500)  # no centre on it
    land = shapely.union_all([west, east, islet])
    xy = np.array([(3_500, 2_000), (19_000, 2_000)], float)
    cells = land_cells(xy, land)
    # the straight bisector (x = 11,250) would give centre 0 the west third of the east island
    assert cells.cells[1].area == pytest.approx(east.area)
    assert shapely.within(cells.cells[1], east.buffer(1))
    assert cells.cells[0].area == pytest.approx(west.area + islet.area)
    assert len(shapely.get_parts(cells.cells[0])) == 2
    assert _pairs(cells, crossing=True) == {(0, 1)}


def test_coincident_centres_share_a_cell_and_stay_neighbours():
    xy = np.array([(1_000, 1_000), (1_000, 1_000), (3_000, 1_000)], float)
    cells = land_cells(xy, shapely.box(0, 0, 4_000, 2_000))
    assert cells.cells[0] is cells.cells[1]
    assert _pairs(cells) == {(0, 1), (0, 2), (1, 2)}
    zero = cells.lengths[[tuple(e) == (0, 1) for e in cells.edges.tolist()]]
    assert zero.tolist() == [0.0]


def test_cells_tile_the_land_exactly():
    rng = np.random.default_rng(11)
    xy = rng.uniform(0, 10_000, (60, 2))
    xy = xy[shapely.contains_xy(U_LAND, xy[:, 0], xy[:, 1])]
    assert len(xy) > 30
    cells = land_cells(xy, U_LAND)
    assert shapely.area(cells.cells).sum() == pytest.approx(U_LAND.area, rel=1e-6)
    assert shapely.union_all(cells.cells).area == pytest.approx(U_LAND.area, rel=1e-6)
    # every cell is one polygon holding its own centre (no pieces without a centre)
    assert all(shapely.get_type_id(c) == 3 for c in cells.cells)
    assert shapely.intersects(cells.cells, shapely.points(xy)).all()


def _centres(xy) -> Centres:
    xy = np.asarray(xy, float)
    n = len(xy)
    return Centres([f"c{i}" for i in range(n)], [f"C{i}" for i in range(n)], xy, xy / 1e5)


def test_study_area_takes_the_polygons_holding_centres_and_repairs_them():
    import geopandas as gpd

    bowtie = shapely.Polygon([(0, 0), (4_000, 4_000), (4_000, 0), (0, 4_000)])  # self-crossing
    far = shapely.box(50_000, 0, 60_000, 10_000)
    layer = gpd.GeoDataFrame(geometry=[bowtie, far])
    land = study_area(_centres([(3_500, 1_000), (3_500, 3_000)]), layer)
    assert land.is_valid and land.area == pytest.approx(8e6)
    cells = land_for(_centres([(3_500, 1_000), (3_500, 3_000)]), layer)
    assert shapely.area(cells.cells).sum() == pytest.approx(8e6)


def test_repair_refuses_an_irreparable_polygon_naming_file_and_feature():
    flat = shapely.Polygon([(0, 0), (1_000, 0), (2_000, 0), (0, 0)])  # no area at all
    good = shapely.box(0, 0, 10, 10)
    with pytest.raises(InputError, match=r"areas\.geojson.*feature 2 \(Flatland\)"):
        repair_polygons([good, flat], "areas.geojson", ["Goodshire", "Flatland"])
    out = repair_polygons([shapely.Polygon([(0, 0), (4, 4), (4, 0), (0, 4)])], "x")
    assert out[0].is_valid and out[0].area == pytest.approx(8.0)


def test_a_cell_piece_across_the_bay_joins_a_centre_on_its_own_shore():
    # The top of the east arm is nearer (in a straight line) to W on the west arm than to E, the
    # only centre on the east arm: W's raw cell reaches across the bay. That piece goes to E.
    xy = np.array([(2_800, 9_000), (9_900, 3_500), (5_000, 500)], float)  # W, E, S
    east_top = shapely.box(7_000, 8_000, 10_000, 10_000)
    assert np.hypot(7_500 - 2_800, 9_500 - 9_000) < np.hypot(7_500 - 9_900, 9_500 - 3_500)
    cells = land_cells(xy, U_LAND)
    assert shapely.get_type_id(cells.cells[0]) == 3  # one polygon
    assert shapely.intersection(cells.cells[0], shapely.box(7_000, 3_000, 10_000, 10_000)).area \
        == pytest.approx(0, abs=1)
    assert shapely.covers(cells.cells[1].buffer(1), east_top)
    assert (0, 1) not in _pairs(cells)


@pytest.mark.parametrize("seed", range(6))
def test_neighbours_are_exactly_the_cells_sharing_a_border_brute_force(seed):
    # Every pair of cells compared, boundary against boundary (n^2, fine for 80): the links the
    # land gives (found from matched edges and neighbouring Voronoi cells only) must be exactly
    # the pairs whose shared border is longer than MIN_BORDER_M. Jagged land: the U with a
    # seeded scatter of islands and inlets, so cells are cut into pieces and reassigned.
    from planner.geo.cells import GRID_M, MIN_BORDER_M

    rng = np.random.default_rng(seed)
    land = U_LAND
    for x, y, r in rng.uniform([0, 0, 150], [10_000, 10_000, 900], (12, 3)):
        bite = shapely.Point(x, y).buffer(r, 6)
        land = land.difference(bite) if rng.random() < 0.6 else land.union(bite)
    land = shapely.set_precision(land, GRID_M)
    xy = rng.uniform(0, 10_000, (200, 2))
    xy = xy[shapely.contains_xy(land, xy[:, 0], xy[:, 1])][:80]
    cells = land_cells(xy, land)
    found = _pairs(cells, crossing=False)
    expected = set()
    bounds = shapely.boundary(cells.cells)
    for i in range(len(xy)):
        for j in range(i + 1, len(xy)):
            shared = shapely.intersection(bounds[i], bounds[j], grid_size=GRID_M)
            if shapely.length(shared) > MIN_BORDER_M:
                expected.add((i, j))
    assert len(expected) > 100
    assert found == expected


def test_centres_a_few_centimetres_apart_in_lines_link_only_cells_that_share_a_border():
    # The shape of the 200,000-row hostile file: sites of 150 centres each in a north-south line,
    # 11 cm apart (under the 10 cm grid's rounding, cells are strips a grid step or two tall).
    # Whatever the rounding does, a link between two cells on land means a shared border longer
    # than MIN_BORDER_M (so "one piece" in the graph is one piece on the map), and each cell
    # holds its own centre.
    from planner.geo.cells import GRID_M, MIN_BORDER_M

    rng = np.random.default_rng(5)
    sites = rng.uniform(500, 9_500, (8, 2))
    xy = np.vstack([s + np.column_stack([np.zeros(150), 0.11 * np.arange(150)]) for s in sites])
    land = shapely.box(0, 0, 10_000, 10_000)
    cells = land_cells(xy, land)
    on_land = ~cells.crossing & (cells.border > 0)
    assert on_land.sum() >= len(xy) - 1
    for (a, b) in cells.edges[on_land].tolist():
        shared = shapely.intersection(shapely.boundary(cells.cells[a]),
                                      shapely.boundary(cells.cells[b]), grid_size=GRID_M)
        assert shapely.length(shared) > MIN_BORDER_M, (a, b)
    assert shapely.intersects(cells.cells, shapely.points(xy)).all()
