"""Federations the engine makes get colours that differ from every federation they touch."""

from __future__ import annotations

import numpy as np
from scipy.spatial import Delaunay

from planner.clustering.federate import federate_now
from planner.domain.centres import Centres
from planner.domain.constraints import Constraints


def test_touching_federations_never_share_a_colour():
    rng = np.random.default_rng(3)
    xy = rng.uniform(0, 200_000, size=(600, 2))
    centres = Centres([f"c{i}" for i in range(600)], [f"C{i}" for i in range(600)], xy,
                      np.column_stack([-1 + xy[:, 0] / 1e6, 52 + xy[:, 1] / 1e6]))
    plan = federate_now(centres, Constraints(federations=30), seed=1).plan
    colours = {k: f.colour for k, f in plan.federations.items()}
    labels = plan.assignment[Delaunay(xy).simplices]
    clashes = [
        (t[a], t[b]) for t in labels for a, b in ((0, 1), (1, 2), (0, 2))
        if t[a] != t[b] and colours[t[a]] == colours[t[b]]
    ]
    assert len(set(colours.values())) > 5
    assert clashes == []
