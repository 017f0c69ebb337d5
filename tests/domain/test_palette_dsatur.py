"""colour_apart against a plain O(K^2) DSatur written here (the oracle), on random maps."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import Delaunay

from planner.domain.palette import PALETTE, colour_apart, colour_for


def _naive(keys, touching, fixed):
    out = {k: fixed[k] for k in keys if k in fixed}
    nbrs = {k: {int(n) for n in touching.get(k, ()) if n != k} for k in keys}
    todo = [k for k in keys if k not in out]
    while todo:
        k = max(todo, key=lambda k: (len({out[n] for n in nbrs[k] if n in out}),
                                     len(nbrs[k]), -k))
        counts = {c: 0 for c in PALETTE}
        for n in nbrs[k]:
            if n in out and out[n] in counts:
                counts[out[n]] += 1
        out[k] = min(PALETTE, key=lambda c: (counts[c], c != colour_for(k), PALETTE.index(c)))
        todo.remove(k)
    return out


@pytest.mark.parametrize("seed", range(6))
def test_the_colouring_is_the_plain_dsatur_one(seed):
    rng = np.random.default_rng(seed)
    n = 300
    xy = rng.uniform(0, 1, size=(n, 2))
    touching: dict[int, set[int]] = {k: set() for k in range(n)}
    for tri in Delaunay(xy).simplices.tolist():
        for a in tri:
            touching[a].update(b for b in tri if b != a)
    if seed % 2:  # one-sided listings too: k names n but n does not name k
        for k in range(0, n, 7):
            for m in list(touching[k])[:1]:
                touching[m].discard(k)
    keys = [int(k) for k in rng.permutation(n)]
    fixed = {k: PALETTE[k % 3] for k in keys[:10]} if seed >= 3 else {}
    assert colour_apart(keys, touching, fixed) == _naive(keys, touching, fixed)
