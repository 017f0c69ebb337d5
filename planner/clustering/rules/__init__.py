"""The request's rules, one constraint family per module, each returning its reasons.

Every function here reads the request and says, in a planner's words, why it cannot be met
(``reasons``) or what it had to assume (``notes``); :func:`planner.clustering.problem.prepare`
puts them together into the engine's regions.

- :mod:`.counts`: K, the size bounds and the balanced figures' bounds;
- :mod:`.locks`: locked federations and locked centres of the current plan;
- :mod:`.links`: must-link groups contracted to units;
- :mod:`.hubs`: slots (federations pinned by locked centres) and fixed hubs;
- :mod:`.cannot_link`: pairs that must be apart;
- :mod:`.regions`: boundaries, the graph between units, regions, K per region, hub distance.
"""
