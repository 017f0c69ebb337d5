"""The medoid: the member with the least total distance to the others (a federation's hub).

One definition for the engine and the statistics. Exact up to ``EXACT_LIMIT`` members (an m x m
distance array); above it, the exact total distance is computed for the ``CANDIDATES`` members
nearest the mean point only, which keeps memory to ``CANDIDATES x m``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CANDIDATES", "EXACT_LIMIT", "medoid_index"]

EXACT_LIMIT = 1500
CANDIDATES = 200


def _dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    dx = a[:, 0][:, None] - b[:, 0][None, :]
    dy = a[:, 1][:, None] - b[:, 1][None, :]
    return np.sqrt(dx * dx + dy * dy)


def medoid_index(xy: np.ndarray, radius: float | None = None) -> int:
    """Index into ``xy`` of the medoid; with ``radius``, the medoid among the points that reach
    every other within it (if none does, the point whose farthest other is nearest)."""
    xy = np.asarray(xy, dtype=float)
    m = len(xy)
    if m <= 2:
        return 0
    cand = np.arange(m)
    if m > EXACT_LIMIT:
        cand = np.argsort(((xy - xy.mean(0)) ** 2).sum(1), kind="stable")[:CANDIDATES]
    d = _dist(xy[cand], xy)
    total = d.sum(1)
    if radius is not None:
        far = d.max(1)
        ok = far <= radius + 1e-6
        total = np.where(ok, total, np.inf) if ok.any() else far
    return int(cand[int(np.argmin(total))])
