"""Neighbourhood graph of centres: which centres count as next to each other.

``neighbourhood_graph(centres, links=...) -> networkx.Graph`` on row indices 0..N-1, edge
attribute ``length`` (metres in the centres' projected CRS) and ``crossing`` (bool).

**From the land (what the application uses).** ``links=(edges, lengths, crossing)`` are plain
arrays computed by :func:`planner.geo.cells.land_cells` (``LandCells.links()``): two centres are
linked when their Voronoi cells, cut to the land the map draws, share a border; separate land
parts are joined by their shortest crossings (``crossing=True``). The geometry stays in
``planner.geo``; this layer only receives the arrays (clustering and geo may not import each
other). Then an explicit ``max_link_m`` cuts longer links, barriers cut the links that cross them,
and ``boundary_of`` cuts links between authorities; an authority left in several pieces is joined
again by its shortest links between them (``crossing=True``), so it stays one region.

**From the points alone** (``links=None``: the engine's fallback when no land is known):

1. Delaunay triangulation of the distinct points, joined with their Euclidean minimum spanning
   tree (a subgraph of the triangulation, so the union is connected). Degenerate layouts (all
   points on a line) fall back to the minimum spanning tree of the complete graph.
2. Coincident points (several centres at one postcode) are joined to each other with length 0
   and share the links of their location, so each can move on its own.
3. Long links are cut. By default (``max_link_m=None``) a link is cut when it is longer than
   ``LOCAL_FACTOR`` times the local spacing at both ends (the mean distance to the 3 nearest other
   locations) *and* it is not in the minimum spanning tree: this removes the long, thin triangles
   along coasts and estuaries without ever disconnecting the graph. With an explicit
   ``max_link_m`` every longer link is cut, spanning tree or not, so the graph may fall apart;
   :func:`planner.clustering.explain.diagnose` names the pieces too small for a federation.
4. Links crossing a barrier (any shapely line or polygon in the centres' CRS: rivers, estuaries,
   motorways) are cut, spanning tree or not.
5. With ``boundary_of`` (centre id -> label), links between centres of different labels are cut,
   and each label's centres are triangulated on their own as well (same rules), so an authority
   whose points interleave with a neighbour's stays connected. Centres with no label keep their
   links.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial import Delaunay, QhullError, cKDTree

from planner.domain.centres import Centres

__all__ = ["neighbourhood_graph", "LOCAL_FACTOR", "adjacency", "crossings"]

Links = tuple[np.ndarray, np.ndarray, np.ndarray]

LOCAL_FACTOR = 3.0


def _distinct(xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct locations and, per row, the index of its location."""
    uniq, inverse = np.unique(xy, axis=0, return_inverse=True)
    return uniq, inverse.reshape(-1)


def _candidate_edges(pts: np.ndarray) -> tuple[np.ndarray, bool]:
    """(E, 2) undirected edges between distinct points, and whether they are a fallback.

    Delaunay when the points span the plane; else (collinear, or two points) the complete graph,
    of which the caller keeps only the minimum spanning tree (the chain along the line).
    """
    m = len(pts)
    if m < 2:
        return np.empty((0, 2), dtype=np.intp), False
    if m >= 3:
        try:
            tri = Delaunay(pts)
            s = tri.simplices
            e = np.vstack([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
            e.sort(axis=1)
            return np.unique(e, axis=0), False
        except (QhullError, ValueError):
            pass
    iu = np.triu_indices(m, 1)
    return np.column_stack(iu).astype(np.intp), True


def _mst_mask(pts: np.ndarray, edges: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    m = len(pts)
    if len(edges) == 0:
        return np.zeros(0, dtype=bool)
    # Zero-length edges cannot occur between distinct points; keep weights strictly positive.
    w = coo_matrix((lengths + 1e-9, (edges[:, 0], edges[:, 1])), shape=(m, m)).tocsr()
    tree = minimum_spanning_tree(w).tocoo()
    lo = np.minimum(tree.row, tree.col).astype(np.int64)
    hi = np.maximum(tree.row, tree.col).astype(np.int64)
    tree_keys = np.sort(lo * m + hi)
    keys = edges[:, 0].astype(np.int64) * m + edges[:, 1]
    pos = np.clip(np.searchsorted(tree_keys, keys), 0, max(0, len(tree_keys) - 1))
    return (tree_keys[pos] == keys) if len(tree_keys) else np.zeros(len(edges), dtype=bool)


def _barrier_geoms(barriers) -> list:
    if barriers is None:
        return []
    if hasattr(barriers, "geometry") and hasattr(barriers, "crs"):
        barriers = list(barriers.geometry)
    elif hasattr(barriers, "geom_type") and not isinstance(barriers, (list, tuple)):
        barriers = [barriers]
    return [g for g in barriers if g is not None and not g.is_empty]


def _crossing(pts: np.ndarray, edges: np.ndarray, barriers: list) -> np.ndarray:
    """Mask of edges whose segment intersects any barrier geometry."""
    import shapely
    from shapely.strtree import STRtree

    if not barriers or len(edges) == 0:
        return np.zeros(len(edges), dtype=bool)
    coords = np.stack([pts[edges[:, 0]], pts[edges[:, 1]]], axis=1)
    lines = shapely.linestrings(coords)
    tree = STRtree(barriers)
    hit = tree.query(lines, predicate="intersects")
    mask = np.zeros(len(edges), dtype=bool)
    mask[np.unique(hit[0])] = True
    return mask


def neighbourhood_graph(
    centres: Centres,
    *,
    max_link_m: float | None = None,
    barriers: Iterable | None = None,
    boundary_of: Mapping[str, str] | None = None,
    links: Links | None = None,
) -> nx.Graph:
    """The neighbourhood graph of ``centres`` (see the module docstring for the rules).

    Parameters
    ----------
    links:
        ``(edges (E, 2) rows, lengths (E,) m, crossing (E,) bool)`` from the land
        (``planner.geo.cells.LandCells.links()``). ``None``: Delaunay of the points.
    max_link_m:
        Cut every link longer than this (metres). ``None``: cut only long non-tree links
        (``LOCAL_FACTOR`` times the local spacing), never disconnecting the graph.
    barriers:
        Shapely geometries (or a GeoSeries / GeoDataFrame) in ``centres.crs``; links that
        intersect one are cut.
    boundary_of:
        Centre id -> label (e.g. local authority); links between different labels are cut.
    """
    if links is not None:
        return _land_graph(centres, links, max_link_m, _barrier_geoms(barriers), boundary_of)
    xy = np.asarray(centres.xy, dtype=float)
    n = len(xy)
    g = nx.Graph()
    g.add_nodes_from(range(n))
    geoms = _barrier_geoms(barriers)
    _add_links(g, xy, np.arange(n), max_link_m, geoms)
    if boundary_of:
        label = [boundary_of.get(cid) for cid in centres.ids]
        cut = [
            (u, v)
            for u, v in g.edges
            if label[u] is not None and label[v] is not None and label[u] != label[v]
        ]
        g.remove_edges_from(cut)
        # Each authority is triangulated on its own too, so the links its centres lost to a
        # neighbouring authority's points are replaced by links among themselves: an authority
        # stays one connected piece unless long links or barriers cut it.
        groups: dict[str, list[int]] = {}
        for i, lab in enumerate(label):
            if lab is not None:
                groups.setdefault(lab, []).append(i)
        for rows in groups.values():
            if len(rows) > 1:
                rows_arr = np.asarray(rows)
                _add_links(g, xy[rows_arr], rows_arr, max_link_m, geoms)
    return g


def _add_links(
    g: nx.Graph, xy: np.ndarray, rows: np.ndarray, max_link_m: float | None, geoms: list
) -> None:
    """Add the links among points ``xy`` (graph nodes ``rows``) by the module's rules."""
    if len(xy) < 2:
        return
    pts, loc = _distinct(xy)
    m = len(pts)
    edges, fallback = _candidate_edges(pts)
    lengths = np.hypot(*(pts[edges[:, 0]] - pts[edges[:, 1]]).T) if len(edges) else np.zeros(0)
    if fallback:
        keep = _mst_mask(pts, edges, lengths)
        edges, lengths = edges[keep], lengths[keep]
    keep = np.ones(len(edges), dtype=bool)
    if len(edges):
        in_tree = _mst_mask(pts, edges, lengths)
        if max_link_m is None:
            kq = min(3, m - 1)
            dist, _ = cKDTree(pts).query(pts, k=kq + 1)
            spacing = dist[:, 1:].mean(axis=1)
            limit = LOCAL_FACTOR * np.maximum(spacing[edges[:, 0]], spacing[edges[:, 1]])
            keep &= in_tree | (lengths <= limit)
        else:
            keep &= lengths <= float(max_link_m)
        keep &= ~_crossing(pts, edges, geoms)
    edges, lengths = edges[keep], lengths[keep]

    # Expand distinct locations back to centres: every centre at a location gets its links.
    rows_at: list[list[int]] = [[] for _ in range(m)]
    for i, p in enumerate(loc.tolist()):
        rows_at[p].append(int(rows[i]))
    for (a, b), length in zip(edges.tolist(), lengths.tolist(), strict=True):
        for u in rows_at[a]:
            for v in rows_at[b]:
                g.add_edge(u, v, length=float(length))
    for at in rows_at:
        for i in range(len(at)):
            for j in range(i + 1, len(at)):
                g.add_edge(at[i], at[j], length=0.0)


def adjacency(graph: nx.Graph, n: int) -> list[list[int]]:
    """Adjacency lists ``neighbours[i]`` for rows 0..n-1 (what :class:`PlanStats` takes)."""
    out: list[list[int]] = [[] for _ in range(n)]
    for u, v in graph.edges:
        if u != v and 0 <= u < n and 0 <= v < n:
            out[u].append(int(v))
            out[v].append(int(u))
    for lst in out:
        lst.sort()
    return out


def crossings(graph: nx.Graph) -> list[tuple[int, int]]:
    """The links that join land no land path joins (``crossing=True``), as sorted row pairs."""
    return sorted((min(u, v), max(u, v)) for u, v, c in graph.edges(data="crossing") if c)


def _land_graph(centres: Centres, links: Links, max_link_m: float | None, geoms: list,
                boundary_of: Mapping[str, str] | None) -> nx.Graph:
    xy = np.asarray(centres.xy, dtype=float)
    edges, lengths, crossing = (np.asarray(a) for a in links)
    edges = edges.reshape(-1, 2)
    keep = np.ones(len(edges), dtype=bool)
    if max_link_m is not None:
        keep &= lengths <= float(max_link_m)
    keep &= ~_crossing(xy, edges, geoms)
    label = None
    if boundary_of:
        label = [boundary_of.get(cid) for cid in centres.ids]
        keep &= np.array([label[u] is None or label[v] is None or label[u] == label[v]
                          for u, v in edges.tolist()], dtype=bool)
    g = nx.Graph()
    g.add_nodes_from(range(len(xy)))
    for (u, v), length, cross in zip(edges[keep].tolist(), lengths[keep].tolist(),
                                     crossing[keep].tolist(), strict=True):
        g.add_edge(u, v, length=float(length), crossing=bool(cross))
    if label is not None:
        _rejoin_labels(g, xy, label, max_link_m, geoms)
    return g


def _rejoin_labels(g: nx.Graph, xy: np.ndarray, label: list, max_link_m, geoms: list) -> None:
    """Join each authority's pieces again by its shortest links between them (Kruskal)."""
    groups: dict[str, list[int]] = {}
    for i, lab in enumerate(label):
        if lab is not None:
            groups.setdefault(lab, []).append(i)
    for rows in groups.values():
        parts = list(nx.connected_components(g.subgraph(rows)))
        if len(parts) > 1:
            _join_pieces(g, xy, np.asarray(rows), parts, max_link_m, geoms)


def _join_pieces(g: nx.Graph, xy: np.ndarray, rows: np.ndarray, parts: list, max_link_m,
                 geoms: list) -> None:
    piece = {r: p for p, part in enumerate(parts) for r in part}
    pts, loc = _distinct(xy[rows])
    cand, _ = _candidate_edges(pts)
    first = np.zeros(len(pts), dtype=np.intp)
    first[loc] = rows  # a representative row per location (coincident rows are linked)
    cand = first[cand] if len(cand) else cand.reshape(-1, 2)
    length = np.hypot(*(xy[cand[:, 0]] - xy[cand[:, 1]]).T) if len(cand) else np.zeros(0)
    ok = ~_crossing(xy, cand, geoms)
    if max_link_m is not None:
        ok &= length <= float(max_link_m)
    parent = list(range(len(parts)))
    for e in np.flatnonzero(ok)[np.argsort(length[ok], kind="stable")].tolist():
        a, b = int(cand[e, 0]), int(cand[e, 1])
        pa, pb = _find(parent, piece[a]), _find(parent, piece[b])
        if pa != pb:
            parent[max(pa, pb)] = min(pa, pb)
            g.add_edge(a, b, length=float(length[e]), crossing=True)


def _find(parent: list[int], x: int) -> int:
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x
