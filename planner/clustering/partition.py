"""Large regions split into parts solved on their own: connected, balanced, sized for the bounds.

The solver's dense steps (unit-to-hub costs, the allocation LP, balanced k-means) grow with
units x federations, which is fine for a few thousand centres and not for 30,000. So a region of
more than :data:`PART_MAX_UNITS` units is cut in two, recursively, until every part is small:

- a cut is made where the region splits into whole parts of about equal size (3:2 when five
  parts of at most :data:`PART_MAX_UNITS` are needed); it grows one side from the unit furthest
  along the region's longer axis, always taking the frontier unit lowest along that axis (a
  priority queue over the neighbourhood graph), until it holds its share of the centres: a
  roughly straight cut whose side is connected by construction;
- what is left may fall into pieces: all but the largest join the grown side (each touches it),
  so both sides are connected;
- each side is given the whole number of federations nearest its share that its centres (and
  weights) allow under the size bounds; a cut that allows none is not made;
- a federation fixed by locked centres or a fixed hub goes with its units, which must not be cut
  apart (else the region is not split).

:func:`subproblem` is the region made of some units and some federations ("slots"), which the
large-neighbourhood search and the seam repair use as well.
"""

from __future__ import annotations

import heapq
import math

import numpy as np

from planner.clustering.region import RegionProblem
from planner.domain.pieces import pieces

__all__ = ["PART_MAX_UNITS", "split", "subproblem", "unit_centroids"]

# Regions with more units than this are solved in parts (about 2-3 s each on this machine).
PART_MAX_UNITS = 3000


def unit_centroids(p: RegionProblem) -> np.ndarray:
    """(U, 2) mean position of each unit's centres."""
    sums = np.add.reduceat(p.cxy, p.starts[:-1], axis=0)
    return sums / p.usize[:, None]


def split(p: RegionProblem, max_units: int = PART_MAX_UNITS) -> list[tuple[np.ndarray, list[int]]]:
    """Parts of the region: (sorted unit indices, the region's slots it gets), covering it.

    One part (the whole region with every slot) when it is small enough or cannot be cut.
    Slots fixed by pins go to the part holding their units; the free slots are handed out in
    order.
    """
    everything = [(np.arange(p.n_units), list(range(p.k)))]
    if p.n_units <= max_units or p.k < 2:
        return everything
    xy = unit_centroids(p)
    parts: list[tuple[np.ndarray, int]] = []
    stack = [(np.arange(p.n_units), p.k)]
    while stack:
        units, k = stack.pop()
        cut = None if len(units) <= max_units or k < 2 else _bisect(p, xy, units, k, max_units)
        if cut is None:
            parts.append((units, k))
        else:
            stack.extend(cut)
    if len(parts) == 1:
        return everything
    return _hand_out_slots(p, parts) or everything


def _hand_out_slots(
    p: RegionProblem, parts: list[tuple[np.ndarray, int]]
) -> list[tuple[np.ndarray, list[int]]] | None:
    part_of = np.empty(p.n_units, dtype=np.intp)
    for i, (units, _) in enumerate(parts):
        part_of[units] = i
    pinned: list[list[int]] = [[] for _ in parts]
    for s in range(p.k):
        where = np.unique(part_of[p.pin == s])
        if len(where) > 1:
            return None  # a fixed federation would be cut apart
        if len(where) == 1:
            pinned[int(where[0])].append(s)
    free = iter(sorted(set(range(p.k)) - {s for ss in pinned for s in ss}))
    out = []
    for (units, k), fixed in zip(parts, pinned, strict=True):
        if len(fixed) > k:
            return None
        slots = fixed + [next(free) for _ in range(k - len(fixed))]
        out.append((np.sort(units), slots))
    return out


def _bisect(
    p: RegionProblem, xy: np.ndarray, units: np.ndarray, k: int, max_units: int
) -> list[tuple[np.ndarray, int]] | None:
    """Two connected parts of ``units`` with federation counts that fit, or None."""
    span = np.ptp(xy[units], axis=0)
    along = xy[units, int(np.argmax(span))]
    local = {int(u): i for i, u in enumerate(units.tolist())}
    adj = [[local[v] for v in p.adj[u] if v in local] for u in units.tolist()]
    size = p.usize[units]
    total = float(size.sum())
    # as many final parts as needed, about equal: a 3:2 cut when five parts are wanted
    q = math.ceil(len(units) / max_units)
    k1 = round(k * (q // 2) / q)
    side = _grow(adj, along, size, total * k1 / k)
    rest = [i for i in range(len(units)) if not side[i]]
    if not rest:
        return None
    parts = pieces(rest, adj)
    if len(parts) > 1:
        keep = max(parts, key=lambda pc: (sum(size[i] for i in pc), -min(pc)))
        for pc in parts:
            if pc is not keep:
                side[list(pc)] = True
    k1 = _fit_k(p, units, side, k)
    if k1 is None:
        return None
    return [(units[side], k1), (units[~side], k - k1)]


def _grow(adj: list[list[int]], along: np.ndarray, size: np.ndarray, target: float) -> np.ndarray:
    """A connected set grown from the lowest unit along the axis, lowest frontier first."""
    side = np.zeros(len(adj), dtype=bool)
    start = int(np.argmin(along))
    heap = [(float(along[start]), start)]
    queued = {start}
    got = 0.0
    while heap and got < target:
        _, i = heapq.heappop(heap)
        side[i] = True
        got += size[i]
        for j in adj[i]:
            if j not in queued:
                queued.add(j)
                heapq.heappush(heap, (float(along[j]), j))
    return side


def _fit_k(p: RegionProblem, units: np.ndarray, side: np.ndarray, k: int) -> int | None:
    """Federations for the grown side: nearest its share, both sides within their bounds."""
    size = p.usize[units]
    m1, m = float(size[side].sum()), float(size.sum())
    m2 = m - m1
    lo1, hi1 = math.ceil(m1 / p.hi), math.floor(m1 / p.lo)
    lo2, hi2 = math.ceil(m2 / p.hi), math.floor(m2 / p.lo)
    if p.has_weights:
        w = p.uw[units]
        w1 = w[side].sum(0)
        w2 = w.sum(0) - w1
        for j in range(p.n_weights):
            if p.wsoft is not None and p.wsoft[j]:
                continue  # a soft target does not bound the count
            if np.isfinite(p.whi[j]) and p.whi[j] > 0:
                lo1 = max(lo1, math.ceil(w1[j] / p.whi[j] - 1e-9))
                lo2 = max(lo2, math.ceil(w2[j] / p.whi[j] - 1e-9))
            if p.wlo[j] > 0:
                hi1 = min(hi1, math.floor(w1[j] / p.wlo[j] + 1e-9))
                hi2 = min(hi2, math.floor(w2[j] / p.wlo[j] + 1e-9))
    low, high = max(1, lo1, k - hi2), min(k - 1, hi1, k - lo2)
    if low > high:
        return None
    return int(min(max(round(k * m1 / m), low), high))


def subproblem(
    p: RegionProblem, units: np.ndarray, slots: list[int]
) -> tuple[RegionProblem, np.ndarray]:
    """The region made of ``units`` to be split into ``slots``; its centre rows in ``p``.

    Pins and fixed hubs of those slots carry over (renumbered); cannot-link pairs and the centre
    graph are restricted to the units.
    """
    local = {int(u): i for i, u in enumerate(units.tolist())}
    slot_local = {s_: i for i, s_ in enumerate(slots)}
    rows = np.concatenate([np.arange(p.starts[u], p.starts[u + 1]) for u in units])
    row_local = {int(r): i for i, r in enumerate(rows.tolist())}
    starts = np.concatenate([[0], np.cumsum(p.usize[units]).astype(np.intp)])
    hub_fixed = np.array(
        [row_local.get(int(p.hub_fixed[s_]), -1) if p.hub_fixed[s_] >= 0 else -1 for s_ in slots],
        dtype=np.intp,
    )
    pin = np.array(
        [slot_local.get(int(p.pin[u]), -1) if p.pin[u] >= 0 else -1 for u in units.tolist()],
        dtype=np.intp,
    )
    sub = RegionProblem(
        cxy=p.cxy[rows],
        starts=starts,
        adj=[[local[v] for v in p.adj[u] if v in local] for u in units.tolist()],
        k=len(slots),
        lo=p.lo,
        hi=p.hi,
        uw=None if p.uw is None else p.uw[units],
        wlo=p.wlo,
        whi=p.whi,
        wsoft=p.wsoft,
        radius=p.radius,
        pin=pin,
        hub_fixed=hub_fixed,
        cannot=[{local[o] for o in p.cannot[u] if o in local} for u in units.tolist()],
        contiguous=p.contiguous,
        cadj=None
        if p.cadj is None
        else [[row_local[v] for v in p.cadj[r] if v in row_local] for r in rows.tolist()],
    )
    return sub, rows
