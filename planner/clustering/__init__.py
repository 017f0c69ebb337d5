"""The federation engine (networkx, numpy, scipy; no Qt).

Public API (see docs/CONTRACTS.md):

- :func:`planner.clustering.graph.neighbourhood_graph`: which centres are next to each other.
- :func:`planner.clustering.federate.federate`: a generator yielding ``Progress`` and returning
  ``FederateResult(plan, cost, approximations)``; raises ``Infeasible`` on the first ``next()``.
- :func:`planner.clustering.explain.diagnose` and :class:`~planner.clustering.explain.Infeasible`.

Inside, one idea per module:

- ``problem``: the request as regions for the solver (locks, must-link units, fixed hubs,
  boundaries, K per region) and every reason it cannot be met;
- ``region``: one region's problem and the mutable state its searches share;
- ``start``: seeds, balanced k-means, location-allocation (exact seat assignment or HiGHS LP);
- ``repair``: contiguity, then sizes and weights (paths of moves, swaps, weight chains);
- ``improve``: local search and exact re-splits of adjacent pairs;
- ``solver``: one start end to end, several starts, and the large-neighbourhood search.
"""
