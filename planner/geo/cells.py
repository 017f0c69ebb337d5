"""Land cells: each centre's Voronoi cell cut to the land, and who borders whom.

:func:`land_cells` is the one construction behind the neighbourhood graph, the statistics' "one
piece" and the outlines the map draws, so a federation is one piece exactly when its outline is one
polygon on each land part it touches.

How the cells are made (all on the ``GRID_M`` precision grid, so shared borders match exactly):

1. The Voronoi cells of the distinct centre locations are cut to the land.
2. A cut cell can fall apart (a cell reaching across a bay or an estuary onto the far shore). The
   piece holding its centre (for a centre just off the coast: the nearest piece on the land part
   nearest to it) stays; every other piece goes to the neighbouring cell it shares most border
   with, in rounds, so it joins land that already belongs to a centre on its own shore. Pieces with
   no centre anywhere on their land (a small island of a district) go whole to the nearest centre.
   So every cell is one polygon and an outline never has a piece without a centre in it.
3. Two locations are neighbours when their cells share a border longer than ``MIN_BORDER_M``.
4. Groups of locations that no land path joins (islands, a shore the coastline cuts off) are joined
   by the shortest crossings between their cells, as a spanning tree over the groups: links with
   ``crossing=True``, which the map draws dashed.
5. A centre outside the land also keeps the water part of its cell within ``OUTSIDE_RADIUS_M``,
   so it shows in its federation's outline (this water never counts as a border).

Centres at one location share one cell and are neighbours of each other (length 0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from scipy.spatial import Delaunay, QhullError
from shapely.geometry.base import BaseGeometry

from planner.geo.borders import GRID_M, MIN_BORDER_M, cell_pairs, piece_borders

__all__ = ["GRID_M", "MIN_BORDER_M", "OUTSIDE_RADIUS_M", "LandCells", "land_cells"]

OUTSIDE_RADIUS_M = 1000.0


@dataclass(frozen=True)
class LandCells:
    """Cells and links of a centre table (rows as in the table).

    ``cells[i]``: row ``i``'s cell (rows at one location share the object). ``edges``: (E, 2)
    rows ``i < j``; ``lengths``: centre-to-centre distance (m); ``border``: shared border (m, 0
    for crossings and coincident rows); ``crossing``: joins land that no land path joins.
    """

    land: BaseGeometry
    cells: np.ndarray
    edges: np.ndarray
    lengths: np.ndarray
    border: np.ndarray
    crossing: np.ndarray

    def links(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(edges, lengths, crossing): the plain arrays the clustering layer builds its graph on."""
        return self.edges, self.lengths, self.crossing


def land_cells(xy: np.ndarray, land: BaseGeometry) -> LandCells:
    """The cells of points ``xy`` (metres) cut to ``land``: a valid polygonal geometry, best on
    the ``GRID_M`` grid (:func:`planner.geo.land.study_area` gives it so)."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    uniq, loc = np.unique(xy, axis=0, return_inverse=True)
    loc = np.asarray(loc).reshape(-1)
    m = len(uniq)
    if m == 0:
        empty = np.empty((0, 2), dtype=np.intp)
        return LandCells(land, np.empty(0, dtype=object), empty, np.zeros(0), np.zeros(0),
                         np.zeros(0, dtype=bool))
    raw, repaired = _voronoi(uniq, land)
    pieces, owner = _cut(raw, land)
    home = _homes(uniq, land, pieces, owner)
    pa, pb, plen = piece_borders(pieces, owner, cell_pairs(raw, repaired))
    assigned = _assign(uniq, pieces, owner, home, pa, pb, plen)
    cells = _dissolve(m, pieces, assigned)
    loc_edges, borders = _location_borders(assigned, pa, pb, plen)
    bridges = _crossings(uniq, cells, loc_edges)
    cells = _add_outside(uniq, land, raw, cells)
    return _rows(xy, loc, land, cells, loc_edges, borders, bridges)


def _voronoi(pts: np.ndarray, land: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
    """Raw Voronoi cells of distinct points, one per point, in point order, on the grid; and
    which of them the rounding made invalid (mended, so their edges may no longer match)."""
    bounds = pts if land.is_empty else np.vstack([pts, np.asarray(land.bounds).reshape(2, 2)])
    lo, hi = bounds.min(0), bounds.max(0)
    span = max(float((hi - lo).max()), 2 * OUTSIDE_RADIUS_M)
    frame = shapely.box(*(lo - span), *(hi + span))
    if len(pts) == 1:
        return np.array([frame], dtype=object), np.zeros(1, dtype=bool)
    diagram = shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=frame, ordered=True)
    raw = shapely.get_parts(diagram)
    if len(raw) != len(pts):  # pragma: no cover - GEOS guarantees one cell per site
        raise RuntimeError(f"{len(raw)} Voronoi cells for {len(pts)} points")
    # on the grid by rounding the vertices: cells sharing an edge keep identical vertices
    scale = 1.0 / GRID_M  # as GEOS snaps to a grid (round(x * scale) / scale), bit for bit
    raw = shapely.transform(raw, lambda c: np.round(c * scale) / scale)
    bad = ~shapely.is_valid(raw)
    if bad.any():  # a sliver of a cell collapsed by the rounding
        raw[bad] = [_polygonal(shapely.make_valid(g)) for g in raw[bad]]
    return raw, bad


def _cut(raw: np.ndarray, land: BaseGeometry) -> tuple[np.ndarray, np.ndarray]:
    """Polygon pieces of each raw cell inside ``land`` (on the grid), and the cell each came
    from."""
    shapely.prepare(land)
    inside = shapely.contains(land, raw)
    cut = raw.copy()
    for i in np.flatnonzero(~inside):
        local = shapely.clip_by_rect(land, *raw[i].bounds)
        cut[i] = shapely.intersection(raw[i], local, grid_size=GRID_M)
    parts, index = shapely.get_parts(cut, return_index=True)
    keep = np.isin(shapely.get_type_id(parts), [3]) & (shapely.area(parts) > 0)
    return parts[keep], index[keep].astype(np.intp)


def _homes(pts: np.ndarray, land: BaseGeometry, pieces: np.ndarray,
           owner: np.ndarray) -> np.ndarray:
    """Per location, the index of the piece that holds it (else the nearest on its land part,
    else -1)."""
    m = len(pts)
    home = np.full(m, -1, dtype=np.intp)
    if len(pieces) == 0:
        return home
    points = shapely.points(pts)
    hit = shapely.intersects(pieces, points[owner])
    home[owner[hit]] = np.flatnonzero(hit)
    missing = np.flatnonzero(home < 0)
    if len(missing) == 0:
        return home
    parts = shapely.get_parts(land)
    tree = shapely.STRtree(parts)
    near_part = tree.query_nearest(points[missing], all_matches=False)[1] if len(parts) else []
    for j, i in enumerate(missing):
        mine = np.flatnonzero(owner == i)
        if len(mine) == 0:
            continue
        if len(parts):
            on_part = shapely.intersects(parts[near_part[j]], pieces[mine])
            mine = mine[on_part] if on_part.any() else mine[:0]
        if len(mine):
            home[i] = mine[int(np.argmin(shapely.distance(pieces[mine], points[i])))]
    return home


def _assign(pts, pieces, owner, home, pa, pb, plen) -> np.ndarray:
    """The location each piece belongs to (see the module docstring, step 2)."""
    n_pieces = len(pieces)
    assigned = np.full(n_pieces, -1, dtype=np.intp)
    ok = home >= 0
    assigned[home[ok]] = np.flatnonzero(ok)
    nbrs: list[list[tuple[int, float]]] = [[] for _ in range(n_pieces)]
    for x, y, length in zip(pa.tolist(), pb.tolist(), plen.tolist(), strict=True):
        nbrs[x].append((y, length))
        nbrs[y].append((x, length))
    # In rounds: a piece next to assigned land takes the location it shares most border with.
    # Only pieces next to those assigned in the round before can change in the next one.
    lab = assigned.tolist()
    todo = [p for p in range(n_pieces) if lab[p] < 0]
    while todo:
        grant = {}
        for p in todo:
            best = max(((length, q) for q, length in nbrs[p] if lab[q] >= 0), default=None)
            if best is not None:
                grant[p] = lab[best[1]]
        for p, to in grant.items():
            lab[p] = to
        todo = sorted({q for p in grant for q, _ in nbrs[p] if lab[q] < 0})
    assigned[:] = lab
    _assign_stranded(pts, pieces, assigned, nbrs)
    return assigned


def _assign_stranded(pts, pieces, assigned, nbrs) -> None:
    """Groups of pieces no centre's land reaches go whole to the nearest location."""
    tree = shapely.STRtree(shapely.points(pts))
    for start in np.flatnonzero(assigned < 0).tolist():
        if assigned[start] >= 0:
            continue
        group, stack = {start}, [start]
        while stack:
            p = stack.pop()
            for q, _ in nbrs[p]:
                if assigned[q] < 0 and q not in group:
                    group.add(q)
                    stack.append(q)
        rows = sorted(group)
        nearest = tree.query_nearest(shapely.union_all(pieces[rows]), all_matches=False)
        assigned[rows] = int(np.atleast_1d(nearest)[0])


def _dissolve(m: int, pieces: np.ndarray, assigned: np.ndarray) -> np.ndarray:
    cells = np.empty(m, dtype=object)
    order = np.argsort(assigned, kind="stable")
    keys = assigned[order]
    for i in range(m):
        lo, hi = np.searchsorted(keys, [i, i + 1])
        mine = pieces[order[lo:hi]]
        if len(mine) == 0:
            cells[i] = shapely.Polygon()
        elif len(mine) == 1:
            cells[i] = mine[0]
        else:
            cells[i] = shapely.union_all(mine, grid_size=GRID_M)
    return cells


def _location_borders(assigned, pa, pb, plen) -> tuple[np.ndarray, np.ndarray]:
    """(E, 2) location pairs ``i < j`` whose cells share border, and the border lengths."""
    la, lb = assigned[pa], assigned[pb]
    keep = la != lb
    lo = np.minimum(la[keep], lb[keep])
    hi = np.maximum(la[keep], lb[keep])
    if len(lo) == 0:
        return np.empty((0, 2), dtype=np.intp), np.zeros(0)
    pairs, inv = np.unique(np.column_stack([lo, hi]), axis=0, return_inverse=True)
    total = np.bincount(np.asarray(inv).reshape(-1), weights=plen[keep], minlength=len(pairs))
    ok = total > MIN_BORDER_M
    return pairs[ok], total[ok]


def _crossings(pts: np.ndarray, cells: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Shortest links joining the groups that no land path joins (a spanning tree over groups)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    m = len(pts)
    if m < 2:
        return np.empty((0, 2), dtype=np.intp)
    graph = coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(m, m))
    n_groups, group = connected_components(graph, directed=False)
    if n_groups == 1:
        return np.empty((0, 2), dtype=np.intp)
    cand = _candidate_pairs(pts)
    cand = cand[group[cand[:, 0]] != group[cand[:, 1]]]
    gap = shapely.distance(_or_point(cells[cand[:, 0]], pts[cand[:, 0]]),
                           _or_point(cells[cand[:, 1]], pts[cand[:, 1]]))
    centre = np.hypot(*(pts[cand[:, 0]] - pts[cand[:, 1]]).T)
    parent = list(range(n_groups))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    out = []
    for e in np.lexsort((centre, gap)).tolist():
        ga, gb = find(int(group[cand[e, 0]])), find(int(group[cand[e, 1]]))
        if ga != gb:
            parent[max(ga, gb)] = min(ga, gb)
            out.append(cand[e])
    return np.array(out, dtype=np.intp).reshape(-1, 2)


def _candidate_pairs(pts: np.ndarray) -> np.ndarray:
    """Delaunay edges of the points (a connected set of short pairs); all pairs if degenerate."""
    if len(pts) >= 3:
        try:
            s = Delaunay(pts).simplices
            e = np.vstack([s[:, [0, 1]], s[:, [1, 2]], s[:, [0, 2]]])
            e.sort(axis=1)
            return np.unique(e, axis=0)
        except (QhullError, ValueError):
            pass
    return np.column_stack(np.triu_indices(len(pts), 1)).astype(np.intp)


def _or_point(cells: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Each cell, or its centre's point when the cell is empty."""
    out = cells.copy()
    empty = shapely.is_empty(out)
    out[empty] = shapely.points(xy[empty])
    return out


def _add_outside(pts, land, raw, cells) -> np.ndarray:
    """Centres off the land keep their cell's water within ``OUTSIDE_RADIUS_M`` (step 5)."""
    outside = ~shapely.intersects_xy(land, pts[:, 0], pts[:, 1]) if not land.is_empty \
        else np.ones(len(pts), dtype=bool)
    for i in np.flatnonzero(outside).tolist():
        disc = shapely.Point(pts[i]).buffer(OUTSIDE_RADIUS_M)
        water = shapely.difference(shapely.intersection(raw[i], disc, grid_size=GRID_M), land,
                                   grid_size=GRID_M)
        cells[i] = _polygonal(shapely.union(cells[i], water, grid_size=GRID_M))
    return cells


def _polygonal(geom: BaseGeometry) -> BaseGeometry:
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts, grid_size=GRID_M) if parts else shapely.Polygon()


def _rows(xy, loc, land, cells, loc_edges, borders, bridges) -> LandCells:
    """Expand location cells and links to rows (rows at one location: linked, length 0)."""
    rows_at: list[list[int]] = [[] for _ in range(len(cells))]
    for r, p in enumerate(loc.tolist()):
        rows_at[p].append(r)
    edges, border, crossing = [], [], []
    for pairs, lengths, is_cross in ((loc_edges, borders, False),
                                     (bridges, np.zeros(len(bridges)), True)):
        for (a, b), length in zip(pairs.tolist(), np.asarray(lengths).tolist(), strict=True):
            for u in rows_at[a]:
                for v in rows_at[b]:
                    edges.append((min(u, v), max(u, v)))
                    border.append(length)
                    crossing.append(is_cross)
    for at in rows_at:
        for i in range(len(at)):
            for j in range(i + 1, len(at)):
                edges.append((at[i], at[j]))
                border.append(0.0)
                crossing.append(False)
    e = np.array(edges, dtype=np.intp).reshape(-1, 2)
    lengths = np.hypot(*(xy[e[:, 0]] - xy[e[:, 1]]).T) if len(e) else np.zeros(0)
    return LandCells(land, cells[loc], e, lengths, np.asarray(border, dtype=float),
                     np.asarray(crossing, dtype=bool))
