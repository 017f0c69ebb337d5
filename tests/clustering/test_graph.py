"""The neighbourhood graph: connected, coincident points joined, long links, barriers, borders."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from clustering_data import random_centres
from shapely.geometry import LineString, Polygon

from planner.clustering.graph import adjacency, neighbourhood_graph
from planner.domain.centres import Centres


def _centres(xy) -> Centres:
    xy = np.asarray(xy, dtype=float)
    n = len(xy)
    return Centres([f"c{i}" for i in range(n)], [f"C{i}" for i in range(n)], xy, xy / 1e5)


def _two_clusters(gap: float = 40_000.0) -> Centres:
    rng = np.random.default_rng(1)
    left = rng.uniform(0, 5_000, size=(15, 2))
    right = rng.uniform(0, 5_000, size=(15, 2)) + [gap, 0]
    return _centres(np.vstack([left, right]))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_graph_is_connected_with_lengths(seed):
    c = random_centres(np.random.default_rng(seed), 80)
    g = neighbourhood_graph(c)
    assert sorted(g.nodes) == list(range(80))
    assert nx.is_connected(g)
    for u, v, length in g.edges(data="length"):
        assert length == pytest.approx(float(np.hypot(*(c.xy[u] - c.xy[v]))))


def test_default_cut_keeps_the_spanning_tree_across_a_wide_gap():
    c = _two_clusters()
    g = neighbourhood_graph(c)
    assert nx.is_connected(g)
    crossing = [(u, v) for u, v in g.edges if (u < 15) != (v < 15)]
    assert len(crossing) == 1  # only the spanning-tree link survives the long-link cut


def test_explicit_max_link_cuts_everything_longer():
    c = _two_clusters()
    g = neighbourhood_graph(c, max_link_m=10_000)
    assert nx.number_connected_components(g) == 2
    assert max(length for _, _, length in g.edges(data="length")) <= 10_000


def test_coincident_points_are_joined_and_share_links():
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 10_000, size=(20, 2))
    xy[19] = xy[4]
    g = neighbourhood_graph(_centres(xy))
    assert g.has_edge(4, 19) and g[4][19]["length"] == 0.0
    assert set(g[4]) - {19} == set(g[19]) - {4}
    assert nx.is_connected(g)


def test_barrier_line_cuts_crossing_links():
    c = _two_clusters(gap=8_000)
    wall = LineString([(6_500, -10_000), (6_500, 20_000)])
    g = neighbourhood_graph(c, barriers=[wall])
    assert not any((u < 15) != (v < 15) for u, v in g.edges)
    assert nx.number_connected_components(g) == 2
    # the same barrier as a polygon (an estuary) does the same
    estuary = Polygon([(6_000, -10_000), (7_000, -10_000), (7_000, 20_000), (6_000, 20_000)])
    g2 = neighbourhood_graph(c, barriers=[estuary])
    assert not any((u < 15) != (v < 15) for u, v in g2.edges)


def test_boundary_labels_cut_links_between_authorities():
    c = random_centres(np.random.default_rng(4), 60)
    label = {
        cid: ("west" if x < 25_000 else "east") for cid, (x, _) in zip(c.ids, c.xy, strict=True)
    }
    g = neighbourhood_graph(c, boundary_of=label)
    assert all(label[c.ids[u]] == label[c.ids[v]] for u, v in g.edges)
    whole = neighbourhood_graph(c)
    assert any(label[c.ids[u]] != label[c.ids[v]] for u, v in whole.edges)


@pytest.mark.parametrize("n", [0, 1, 2, 5])
def test_tiny_and_collinear_layouts(n):
    xy = np.column_stack([np.arange(n) * 1_000.0, np.zeros(n)])
    g = neighbourhood_graph(_centres(xy))
    assert g.number_of_nodes() == n
    if n >= 2:
        assert nx.is_connected(g)
        assert g.number_of_edges() == n - 1  # the chain along the line


def test_adjacency_lists_match_the_graph():
    c = random_centres(np.random.default_rng(5), 30)
    g = neighbourhood_graph(c)
    nb = adjacency(g, 30)
    assert sum(len(x) for x in nb) == 2 * g.number_of_edges()
    assert all(v in nb[u] and u in nb[v] for u, v in g.edges)


def test_each_authority_stays_connected_when_its_points_interleave_with_a_neighbour():
    # Authority A's centres lie along a road with B's centres just either side of every gap:
    # no A-A link survives in the joint triangulation, but A is triangulated on its own too.
    a = [(2_000.0 * i, 0.0) for i in range(11)]
    b = [(2_000.0 * i + 1_000.0, side * 100.0) for i in range(10) for side in (1, -1)]
    c = _centres(a + b)
    label = {cid: ("A" if i < 11 else "B") for i, cid in enumerate(c.ids)}
    joint = neighbourhood_graph(c)
    assert not any(u < 11 and v < 11 for u, v in joint.edges)
    g = neighbourhood_graph(c, boundary_of=label)
    for lab in "AB":
        rows = [i for i, cid in enumerate(c.ids) if label[cid] == lab]
        assert nx.is_connected(g.subgraph(rows))
    assert all(label[c.ids[u]] == label[c.ids[v]] for u, v in g.edges)


# -- the graph from the land's links (planner.geo.cells computes them; here they are plain arrays)
def _links(pairs, xy, crossing=()):
    e = np.array(sorted(pairs), dtype=np.intp).reshape(-1, 2)
    lengths = np.hypot(*(np.asarray(xy, float)[e[:, 0]] - np.asarray(xy, float)[e[:, 1]]).T)
    return e, lengths, np.array([tuple(p) in set(crossing) for p in e.tolist()], dtype=bool)


def test_land_links_are_the_graph_with_lengths_and_crossings():
    xy = [(0, 0), (1_000, 0), (5_000, 0), (6_000, 0)]
    g = neighbourhood_graph(_centres(xy), links=_links({(0, 1), (1, 2), (2, 3)}, xy, {(1, 2)}))
    assert set(g.edges) == {(0, 1), (1, 2), (2, 3)}
    assert g[1][2]["crossing"] and not g[0][1]["crossing"]
    assert g[1][2]["length"] == pytest.approx(4_000)
    from planner.clustering.graph import crossings

    assert crossings(g) == [(1, 2)]


def test_land_links_u_shaped_coast_from_the_cells():
    # The U-shaped coast of tests/geo/test_land.py: the graph is the cells' links, not Delaunay.
    import shapely

    from planner.geo.cells import land_cells

    land = shapely.box(0, 0, 10_000, 10_000).difference(shapely.box(3_000, 3_000, 7_000, 10_000))
    xy = np.array([(1_500, 8_000), (8_500, 8_000), (5_000, 1_500), (1_500, 4_000),
                   (8_500, 4_000)], float)
    c = _centres(xy)
    assert neighbourhood_graph(c).has_edge(0, 1)  # the straight line across the bay
    g = neighbourhood_graph(c, links=land_cells(xy, land).links())
    assert set(map(tuple, map(sorted, g.edges))) == {(0, 3), (1, 4), (2, 3), (2, 4)}


def test_land_links_cut_by_barriers_and_an_explicit_max_link():
    xy = [(0, 0), (1_000, 0), (5_000, 0), (6_000, 0)]
    links = _links({(0, 1), (1, 2), (2, 3)}, xy, {(1, 2)})
    wall = LineString([(3_000, -100), (3_000, 100)])
    g = neighbourhood_graph(_centres(xy), links=links, barriers=[wall])
    assert set(g.edges) == {(0, 1), (2, 3)}
    g = neighbourhood_graph(_centres(xy), links=links, max_link_m=2_000)
    assert set(g.edges) == {(0, 1), (2, 3)}


def test_land_links_cut_at_authorities_and_a_split_authority_is_joined_again():
    # A's centres 0 and 2 only touch through B's centre 1 (a chain 0-1-2-3): cutting A|B links
    # splits A; it is joined again by its own shortest link (0-2), marked as a crossing.
    xy = [(0, 0), (1_000, 0), (2_000, 0), (3_000, 0)]
    c = _centres(xy)
    label = {"c0": "A", "c1": "B", "c2": "A", "c3": "A"}
    g = neighbourhood_graph(c, links=_links({(0, 1), (1, 2), (2, 3)}, xy), boundary_of=label)
    assert set(map(tuple, map(sorted, g.edges))) == {(0, 2), (2, 3)}
    assert g[0][2]["crossing"] and g[0][2]["length"] == pytest.approx(2_000)
    assert all(label[c.ids[u]] == label[c.ids[v]] for u, v in g.edges)
