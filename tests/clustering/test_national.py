"""Every authority in one run (planner.clustering.national) on the bundled Kent and Medway sample.

The sample's 103 centres have ``dfe_la_name`` Kent (84) and Medway (19). The tests relabel the
five Sevenoaks centres as a made-up authority "Tiny", smaller than the minimum, so the cut has
Kent 79, Medway 19 and Tiny 5. Every rule is checked here from scratch: sizes against bounds
worked out by hand, contiguity on a freshly built neighbourhood graph of each authority, links.
With ``land`` each authority is planned on its own land: the federations' pieces are counted with
shapely from the cells, and a hand-made bay shows the line across the water is not a neighbour.
"""

from __future__ import annotations

import geopandas as gpd
import networkx as nx
import numpy as np
import pytest
import shapely
import shapely.affinity
from scipy.spatial import Delaunay

from planner.clustering.graph import neighbourhood_graph
from planner.clustering.national import NationalResult, plan_authorities, summary_rows
from planner.domain.centres import Centres
from planner.domain.constraints import Constraints
from planner.domain.plan import UNASSIGNED
from planner.geo.io import read_centres


@pytest.fixture(scope="module")
def cut(sample_dir) -> Centres:
    """The sample with an ``authority`` column: Sevenoaks centres become the authority "Tiny"."""
    centres = read_centres(sample_dir / "kent_medway_centres.csv").centres
    la, lad = centres.attributes["dfe_la_name"], centres.attributes["lad_name"]
    authority = ["Tiny" if d == "Sevenoaks" else a for a, d in zip(la, lad, strict=True)]
    attrs = dict(centres.attributes, authority=authority)
    return Centres(centres.ids, centres.names, centres.xy, centres.lonlat, centres.crs, attrs)


def labels(centres: Centres) -> dict[str, str]:
    return dict(zip(centres.ids, centres.attributes["authority"], strict=True))


def run(gen) -> tuple[NationalResult, list]:
    seen = []
    while True:
        try:
            seen.append(next(gen))
        except StopIteration as stop:
            return stop.value, seen


def rows_of(centres: Centres, authority: str) -> list[int]:
    return [i for i, a in enumerate(centres.attributes["authority"]) if a == authority]


def connected_in_own_graph(centres: Centres, rows: list[int], members: set[int]) -> bool:
    """Whether ``members`` is one piece of the authority's own neighbourhood graph."""
    sub = Centres([centres.ids[i] for i in rows], [centres.names[i] for i in rows],
                  centres.xy[rows], centres.lonlat[rows], centres.crs)
    graph = neighbourhood_graph(sub)
    local = [j for j, i in enumerate(rows) if i in members]
    return nx.is_connected(graph.subgraph(local))


def test_the_cut_has_the_authorities_the_tests_assume(cut):
    counts = {a: len(rows_of(cut, a)) for a in ("Kent", "Medway", "Tiny")}
    assert counts == {"Kent": 79, "Medway": 19, "Tiny": 5}


def test_every_authority_is_planned_within_its_own_rules(cut):
    linked = _two_kent_neighbours(cut)
    c = Constraints(target_size=20, must_link=(linked,))
    result, progress = run(plan_authorities(cut, c, authority_of=labels(cut), jobs=1))
    plan = result.plan
    assert not np.any(plan.assignment == UNASSIGNED)  # every centre once
    # Hand-worked sizes: Kent 79 -> K = round(3.95) = 4, mean 19.75 +- max(2, 1.975) -> 17-22;
    # Medway 19 -> one federation (not below the minimum 18); Tiny 5 -> one federation.
    expected = {"Kent": (4, 17, 22), "Medway": (1, 19, 19), "Tiny": (1, 5, 5)}
    authority = cut.attributes["authority"]
    by_authority: dict[str, list[int]] = {}
    for key in plan.federations:
        members = set(plan.members(key).tolist())
        names = {authority[i] for i in members}
        assert len(names) == 1, f"{plan.federations[key].name} spans {names}"
        (name,) = names
        by_authority.setdefault(name, []).append(len(members))
        rows = rows_of(cut, name)
        assert connected_in_own_graph(cut, rows, members), plan.federations[key].name
    for name, (k, lo, hi) in expected.items():
        sizes = by_authority[name]
        assert len(sizes) == k and sum(sizes) == len(rows_of(cut, name))
        assert all(lo <= s <= hi for s in sizes), (name, sizes)
    a, b = linked
    assert plan.federation_of(a) == plan.federation_of(b)
    assert progress[0].fraction == 0.0 and progress[-1].fraction == 1.0
    assert [p.fraction for p in progress] == sorted(p.fraction for p in progress)


def test_the_summary_lists_the_small_authority_as_one_federation(cut):
    result, _ = run(plan_authorities(cut, Constraints(target_size=20),
                                     authority_of=labels(cut), jobs=1))
    rows = {r["authority"]: r for r in summary_rows(result)}
    assert list(rows) == ["Kent", "Medway", "Tiny"]
    assert rows["Tiny"]["status"] == "one federation"
    assert rows["Tiny"]["note"] == "5 centres, fewer than the minimum 18: one federation"
    assert (rows["Tiny"]["centres"], rows["Tiny"]["federations"], rows["Tiny"]["sizes"]) == (
        "5", "1", "5")
    assert rows["Medway"]["status"] == "planned" and rows["Medway"]["sizes"] == "19"
    assert rows["Kent"]["federations"] == "4"
    assert sum(int(s) for s in rows["Kent"]["sizes"].split()) == 79
    # The cost is the sum of distances to the hubs, recomputed here from the plan.
    plan = result.plan
    total = 0.0
    for key, fed in plan.federations.items():
        hub = cut.xy[cut.index_of(fed.hub)]
        total += float(np.linalg.norm(cut.xy[plan.members(key)] - hub, axis=1).sum())
    assert result.cost == pytest.approx(total, rel=1e-6)
    assert sum(float(r["cost_km"]) for r in rows.values()) == pytest.approx(total / 1000,
                                                                           abs=0.2)


def test_federations_are_named_after_their_authority_and_hub_town(cut):
    result, _ = run(plan_authorities(cut, Constraints(target_size=20),
                                     authority_of=labels(cut), jobs=1))
    plan = result.plan
    towns = cut.attributes["town"]
    names = [f.name for f in plan.federations.values()]
    assert len(set(names)) == len(names)
    for key, fed in plan.federations.items():
        authority = cut.attributes["authority"][plan.members(key)[0]]
        town = str(towns[cut.index_of(fed.hub)])
        assert fed.name.startswith(f"{authority}: {town.title()}"), fed.name


def test_parallel_and_serial_runs_give_the_same_plan(cut):
    c = Constraints(target_size=20)
    serial, _ = run(plan_authorities(cut, c, authority_of=labels(cut), jobs=1, seed=4))
    parallel, _ = run(plan_authorities(cut, c, authority_of=labels(cut), jobs=2, seed=4))
    assert parallel.plan.state() == serial.plan.state()
    assert [f.name for f in parallel.plan.federations.values()] == [
        f.name for f in serial.plan.federations.values()]


def test_an_authority_no_size_fits_is_refused_and_left_unassigned(cut):
    # 25-26 per federation: Kent's 79 need 4 federations (at most 3 x 26 = 78 in 3), but
    # 4 x 25 = 100 > 79. Medway (19) and Tiny (5) are below the minimum 25: one federation each.
    c = Constraints(target_size=25, min_size=25, max_size=26)
    result, _ = run(plan_authorities(cut, c, authority_of=labels(cut), jobs=1))
    rows = {r["authority"]: r for r in summary_rows(result)}
    assert rows["Kent"]["status"] == "refused"
    assert "79 centres cannot be split into federations of 25-26" in rows["Kent"]["note"]
    assert [a.authority for a in result.refused] == ["Kent"]
    kent = rows_of(cut, "Kent")
    assert np.all(result.plan.assignment[kent] == UNASSIGNED)
    assert len(result.plan.federations) == 2
    assert any("Kent was not planned" in a for a in result.approximations)


def test_an_engine_refusal_moves_to_the_next_nearest_k(cut):
    """Target 10: Kent's 79 make K = round(7.9) = 8 federations of 7-12 (9.9 +- 2). A linked group
    of 13 Kent centres fits none of them, so the run falls back to 7 federations of 9-14
    (79 / 7 = 11.3 +- 2), and says why."""
    kent = rows_of(cut, "Kent")
    graph = neighbourhood_graph(Centres([cut.ids[i] for i in kent], [cut.names[i] for i in kent],
                                        cut.xy[kent], cut.lonlat[kent], cut.crs))
    group = list(nx.bfs_tree(graph, 0).nodes)[:13]  # a connected patch of 13
    linked = tuple(cut.ids[kent[j]] for j in group)
    c = Constraints(target_size=10, must_link=(linked,))
    result, _ = run(plan_authorities(cut, c, authority_of=labels(cut), jobs=1))
    kent_line = next(a for a in result.authorities if a.authority == "Kent")
    assert kent_line.federations == 7
    assert all(9 <= s <= 14 for s in kent_line.sizes) and sum(kent_line.sizes) == 79
    assert "could not make 8 federations" in kent_line.note
    assert "13 centres, more than the maximum federation size 12" in kent_line.note
    assert len({result.plan.federation_of(x) for x in linked}) == 1


def test_centres_without_an_authority_are_listed(cut):
    lab = labels(cut)
    gone = [cid for cid, a in lab.items() if a == "Tiny"]
    for cid in gone:
        del lab[cid]
    result, _ = run(plan_authorities(cut, Constraints(), authority_of=lab, jobs=1,
                                     field_name="authority"))
    line = result.authorities[-1]
    assert (line.authority, line.centres, line.status) == ("(no authority)", 5, "refused")
    assert np.all(result.plan.assignment[cut.indices_of(gone)] == UNASSIGNED)


def _two_kent_neighbours(cut: Centres) -> tuple[str, str]:
    """The two closest Kent centres at different places (by a brute-force search)."""
    kent = rows_of(cut, "Kent")
    best = None
    for a in kent:
        for b in kent:
            d = float(np.linalg.norm(cut.xy[a] - cut.xy[b]))
            if a < b and d > 0 and (best is None or d < best[0]):
                best = (d, a, b)
    return cut.ids[best[1]], cut.ids[best[2]]


# -- each authority on its own land -----------------------------------------------------------
def authority_land(layer):
    """What the command line and the window pass: an authority's centres -> its land's links."""
    from planner.geo.land import land_for

    return lambda sub: land_for(sub, layer).links()


def pieces_per_land_part(cells, land, members) -> list[int]:
    """How many polygons (over 1 m²) the union of ``members``' cells makes on each part of
    ``land`` it touches: worked out with shapely from the cells, not from any graph."""
    outline = shapely.union_all(cells[sorted(members)])
    counts = []
    for part in shapely.get_parts(land):
        on_part = [p for p in shapely.get_parts(shapely.intersection(outline, part))
                   if p.geom_type == "Polygon" and p.area > 1.0]
        if on_part:
            counts.append(len(on_part))
    return counts


def test_every_federation_is_one_piece_of_its_authoritys_land(sample_dir):
    """The sample by its own authority column (Kent 84, Medway 19), about 10 per federation, on
    the sample's districts: each federation's cells (on its authority's land) make one polygon on
    every land part they touch. The Delaunay graph gives a federation in two pieces here."""
    from planner.geo.land import land_for
    from planner.geo.layers import read_boundaries

    centres = read_centres(sample_dir / "kent_medway_centres.csv").centres
    layer = read_boundaries(sample_dir / "kent_medway_districts.geojson", centres.crs)
    authority = dict(zip(centres.ids, centres.attributes["dfe_la_name"], strict=True))
    c = Constraints(target_size=10)
    result, _ = run(plan_authorities(centres, c, authority_of=authority, jobs=1,
                                     land=authority_land(layer)))
    parallel, _ = run(plan_authorities(centres, c, authority_of=authority, jobs=2,
                                       land=authority_land(layer)))
    assert parallel.plan.state() == result.plan.state()
    delaunay, _ = run(plan_authorities(centres, c, authority_of=authority, jobs=1))
    worst = {}
    for name in ("Kent", "Medway"):
        rows = [i for i, cid in enumerate(centres.ids) if authority[cid] == name]
        cells = land_for(Centres([centres.ids[i] for i in rows], [centres.names[i] for i in rows],
                                 centres.xy[rows], centres.lonlat[rows], centres.crs), layer)
        local = {r: j for j, r in enumerate(rows)}
        for label, plan in (("land", result.plan), ("delaunay", delaunay.plan)):
            for key in plan.federations:
                members = [local[i] for i in plan.members(key) if i in local]
                if members:
                    counts = pieces_per_land_part(cells.cells, cells.land, members)
                    worst[label] = max(worst.get(label, 0), *counts)
    assert len(result.plan.federations) == 10 and not np.any(result.plan.assignment < 0)
    assert worst["land"] == 1
    assert worst["delaunay"] > 1  # the layout does test something


def bay_layout():
    """A U-shaped coast (authority "Bay": a 40 km square less a 4 km wide bay from the north
    down to 6 km from the south edge) with 9 centres: 4 up the west shore at x = 17 km, 4 up the
    east shore at x = 23 km (6 km apart across the water, 8 km apart along each shore), one on
    the southern strip; and "Other", a square 10 km east with 3 centres. On the land the Bay's
    centres form one chain round the bay; Delaunay joins the two shores across the water."""
    from pyproj import Transformer

    km, x0, y0 = 1000.0, 400_000.0, 300_000.0
    bay = shapely.difference(shapely.box(0, 0, 40 * km, 40 * km),
                             shapely.box(18 * km, 6 * km, 22 * km, 40 * km))
    other = shapely.box(50 * km, 0, 60 * km, 10 * km)
    layer = gpd.GeoDataFrame({"name": ["Bay", "Other"]},
                             geometry=[shapely.affinity.translate(g, x0, y0)
                                       for g in (bay, other)], crs="EPSG:27700")
    pts = [(17, 38), (17, 30), (17, 22), (17, 14), (20, 3), (23, 14), (23, 22), (23, 30),
           (23, 38), (52, 2), (55, 5), (58, 8)]
    xy = np.array(pts, dtype=float) * km + [x0, y0]
    lonlat = np.column_stack(Transformer.from_crs(27700, 4326, always_xy=True)
                             .transform(xy[:, 0], xy[:, 1]))
    ids = [f"c{i}" for i in range(len(pts))]
    centres = Centres(ids, ids, xy, lonlat, "EPSG:27700",
                      {"authority": ["Bay"] * 9 + ["Other"] * 3})
    return centres, layer


def test_an_authority_is_not_joined_across_its_bay(tmp_path):
    centres, layer = bay_layout()
    authority = dict(zip(centres.ids, centres.attributes["authority"], strict=True))
    tri = Delaunay(centres.xy[:9]).simplices
    assert any({0, 8} <= set(s.tolist()) for s in tri)  # the straight line across the bay
    c = Constraints(target_size=3, min_size=3, max_size=3)
    result, _ = run(plan_authorities(centres, c, authority_of=authority, jobs=2,
                                     land=authority_land(layer)))
    plan = result.plan
    got = sorted(sorted(plan.members(k).tolist()) for k in plan.federations)
    # By hand: 3 x 3 consecutive centres of the chain round the bay is the only way on the land.
    assert got == [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]
    # Without the land, the cheaper straight lines win: a federation crosses the water.
    delaunay, _ = run(plan_authorities(centres, c, authority_of=authority, jobs=1))
    assert delaunay.cost < result.cost
    crossing = [m for m in (set(delaunay.plan.members(k).tolist())
                            for k in delaunay.plan.federations)
                if m & {0, 1, 2} and m & {6, 7, 8}]
    assert crossing
