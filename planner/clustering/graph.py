"""Neighbourhood graph of centres (placeholder until the engine issue replaces it).

``neighbourhood_graph(centres) -> networkx.Graph`` on row indices 0..N-1 with edge attribute
``length`` (metres): Delaunay triangulation joined with the minimum spanning tree.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from scipy.spatial import Delaunay, QhullError

from planner.domain.centres import Centres

__all__ = ["neighbourhood_graph"]


def neighbourhood_graph(centres: Centres, **_: object) -> nx.Graph:
    xy = centres.xy
    n = len(xy)
    g = nx.Graph()
    g.add_nodes_from(range(n))
    if n < 2:
        return g
    try:
        tri = Delaunay(xy, qhull_options="QJ")
        for simplex in tri.simplices:
            for a in range(3):
                u, v = int(simplex[a]), int(simplex[(a + 1) % 3])
                g.add_edge(u, v, length=float(np.hypot(*(xy[u] - xy[v]))))
    except (QhullError, ValueError):
        for u in range(n - 1):
            g.add_edge(u, u + 1, length=float(np.hypot(*(xy[u] - xy[u + 1]))))
    return g
