"""Who borders whom among cells on the ``GRID_M`` grid: matched edges, and measured touches.

Cells on one grid share identical edge segments, so neighbours are found by matching segments
by value (:func:`shared_segments`), linear in the vertices. Pieces that touch without a matched
segment (an edge split differently in the two) are measured by intersecting their boundaries,
but only for pieces of cells that may touch (:func:`cell_pairs`): a box query over all pieces
would be quadratic where cells are long thin strips.
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["GRID_M", "MIN_BORDER_M", "cell_pairs", "piece_borders", "shared_segments"]

GRID_M = 0.1  # precision grid (metres) of the land, the cells and their unions
MIN_BORDER_M = 1.0  # shorter shared borders (corners) do not make neighbours


def cell_pairs(raw: np.ndarray, repaired: np.ndarray) -> np.ndarray:
    """(P, 2) pairs of raw cells that may touch: those sharing an edge (matched by value, as
    the cells are on the grid) and, for the few cells the rounding mended, any whose boxes
    meet. Linear in the cells, where a box query over all cells is not: long thin cells (centres
    a few centimetres apart in a line) have boxes that overlap thousands of others."""
    a, b, _ = shared_segments(raw)
    pairs = [np.column_stack([a, b])]
    fixed = np.flatnonzero(repaired)
    if len(fixed):
        x, y = shapely.STRtree(raw).query(raw[fixed], predicate="intersects")
        x = fixed[x]
        pairs.append(np.column_stack([np.minimum(x, y), np.maximum(x, y)])[x != y])
    return np.unique(np.concatenate(pairs).astype(np.intp), axis=0)


def piece_borders(pieces: np.ndarray, owner: np.ndarray, cell_pairs: np.ndarray):
    """Pairs of pieces sharing a border longer than ``MIN_BORDER_M``, and its length.

    Pieces are on the grid, so neighbours share identical segments: they are matched by value. A
    pair that touches without a matched segment (an edge split differently in the two pieces) is
    measured by intersecting the two boundaries; such a pair comes from two cells that may touch
    (``cell_pairs``, see :func:`_cell_pairs`). Two pieces of one cell touch at points at most.
    """
    z = np.zeros(0, dtype=np.intp)
    if len(pieces) < 2:
        return z, z, np.zeros(0)
    wa, wb, wlen = shared_segments(pieces)
    a, b = _pieces_of_pairs(owner, cell_pairs)
    n = len(pieces)
    keep = ~np.isin(a.astype(np.int64) * n + b, wa.astype(np.int64) * n + wb)
    a, b = a[keep], b[keep]
    touch = shapely.intersects(pieces[a], pieces[b])
    a, b = a[touch], b[touch]
    shared = shapely.intersection(shapely.boundary(pieces[a]), shapely.boundary(pieces[b]),
                                  grid_size=GRID_M)
    a, b = np.concatenate([wa, a]), np.concatenate([wb, b])
    length = np.concatenate([wlen, shapely.length(shared)])
    keep = length > MIN_BORDER_M
    return a[keep], b[keep], length[keep]


def _pieces_of_pairs(owner: np.ndarray, cell_pairs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair of pieces (a < b) whose cells are a pair of ``cell_pairs``."""
    z = np.zeros(0, dtype=np.intp)
    if len(owner) == 0 or len(cell_pairs) == 0:
        return z, z
    order = np.argsort(owner, kind="stable")
    m = int(max(owner.max(), cell_pairs.max())) + 1
    first = np.searchsorted(owner[order], np.arange(m + 1))
    count = np.diff(first)
    x, y = cell_pairs[:, 0], cell_pairs[:, 1]
    both = count[x] * count[y]
    # each pair repeated once per combination of its pieces
    rep = np.repeat(np.arange(len(x)), both)
    k = np.arange(len(rep)) - np.repeat(np.cumsum(both) - both, both)
    cy = count[y][rep]
    a = order[first[x[rep]] + k // np.maximum(cy, 1)]
    b = order[first[y[rep]] + k % np.maximum(cy, 1)]
    return np.minimum(a, b), np.maximum(a, b)


def shared_segments(pieces: np.ndarray):
    """(a, b, length) for pairs of pieces: the total length of the segments they share."""
    rings, ring_of = shapely.get_rings(pieces, return_index=True)
    coords, index = shapely.get_coordinates(rings, return_index=True)
    same = index[:-1] == index[1:]
    p, q = coords[:-1][same], coords[1:][same]
    owner = ring_of[index[:-1][same]]
    key_p = np.round(p / GRID_M).astype(np.int64)
    key_q = np.round(q / GRID_M).astype(np.int64)
    swap = (key_p[:, 0] > key_q[:, 0]) | (
        (key_p[:, 0] == key_q[:, 0]) & (key_p[:, 1] > key_q[:, 1]))
    key_p[swap], key_q[swap] = key_q[swap], key_p[swap].copy()
    keys = np.column_stack([key_p, key_q])
    _, inv, counts = np.unique(keys, axis=0, return_inverse=True, return_counts=True)
    inv = np.asarray(inv).reshape(-1)
    seg_len = np.hypot(*(p - q).T)
    twice = counts[inv] == 2
    order = np.argsort(inv[twice], kind="stable")
    own = owner[twice][order].reshape(-1, 2)
    lens = seg_len[twice][order].reshape(-1, 2)[:, 0]
    lo, hi = own.min(1), own.max(1)
    lens, lo, hi = lens[lo < hi], lo[lo < hi], hi[lo < hi]
    if len(lo) == 0:
        z = np.zeros(0, dtype=np.intp)
        return z, z, np.zeros(0)
    pairs, pinv = np.unique(np.column_stack([lo, hi]), axis=0, return_inverse=True)
    total = np.bincount(np.asarray(pinv).reshape(-1), weights=lens, minlength=len(pairs))
    return pairs[:, 0], pairs[:, 1], total
