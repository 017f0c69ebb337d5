"""Federations that touch get different colours; a planner's colours are kept."""

from __future__ import annotations

import numpy as np

from planner.domain.palette import PALETTE, colour_apart, colour_for


def grid_touching(rows: int, cols: int) -> dict[int, set[int]]:
    touching: dict[int, set[int]] = {}
    for r in range(rows):
        for c in range(cols):
            k = r * cols + c
            touching[k] = set()
            for dr in (-1, 0, 1):
                for dc in (-1, 0, 1):
                    rr, cc = r + dr, c + dc
                    if (dr or dc) and 0 <= rr < rows and 0 <= cc < cols:
                        touching[k].add(rr * cols + cc)
    return touching


def test_touching_federations_differ_on_a_160_federation_grid():
    touching = grid_touching(10, 16)  # 8 neighbours each: denser than a real map
    colours = colour_apart(list(touching), touching)
    assert len(colours) == 160
    assert all(colours[k] != colours[n] for k, ns in touching.items() for n in ns)
    assert set(colours.values()) <= set(PALETTE)


def test_fixed_colours_are_kept_and_avoided_by_neighbours():
    touching = {0: {1, 2}, 1: {0, 2}, 2: {0, 1}}
    colours = colour_apart([0, 1, 2], touching, fixed={0: colour_for(1)})
    assert colours[0] == colour_for(1)
    assert len(set(colours.values())) == 3


def test_few_federations_keep_their_usual_colours():
    touching = {k: {(k + 1) % 5, (k - 1) % 5} for k in range(5)}
    assert colour_apart(range(5), touching) == {k: colour_for(k) for k in range(5)}


def test_random_planar_like_adjacency_never_repeats_a_neighbour_colour():
    from scipy.spatial import Delaunay

    rng = np.random.default_rng(7)
    pts = rng.uniform(size=(300, 2))
    touching: dict[int, set[int]] = {k: set() for k in range(300)}
    for simplex in Delaunay(pts).simplices:
        for a in simplex:
            touching[int(a)].update(int(b) for b in simplex if b != a)
    colours = colour_apart(list(touching), touching)
    assert all(colours[k] != colours[n] for k, ns in touching.items() for n in ns)
