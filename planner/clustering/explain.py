"""Why a request cannot be met, in a planner's words, with the numbers.

``diagnose(centres, constraints, current=None, graph=None) -> list[str]`` returns every reason
(an empty list means the engine can run). :class:`Infeasible` carries the same reasons out of
:func:`planner.clustering.federate.federate`. The checks themselves live in
:func:`planner.clustering.problem.prepare`, so the engine and the explanation never disagree:

- counts: "81 centres cannot make 5 federations of at least 18" (or of at most ...);
- areas: "Swale's 10 centres cannot form a federation of at least 18 inside its boundary";
  a part of the map the graph cuts off (long links, barriers) that is too small;
  "the 13 authorities need between 14 and 20 federations in all, not 5";
- locks and links: "centres A and B must be together but are locked in different federations";
  linked groups larger than a federation, or across authorities; cannot-link pairs that are
  linked or locked together; more fixed federations (locks, hubs) than K;
- weights: a missing or non-numeric column, a centre heavier than a federation may be, an area
  whose weight cannot be split within the tolerance.
"""

from __future__ import annotations

import networkx as nx

from planner.domain.centres import Centres
from planner.domain.constraints import Constraints
from planner.domain.plan import Plan

__all__ = ["Infeasible", "diagnose"]


class Infeasible(Exception):
    """The request cannot be met; ``reasons`` says why (one sentence each)."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = list(reasons)
        super().__init__("; ".join(self.reasons) or "the request cannot be met")


def diagnose(
    centres: Centres,
    constraints: Constraints,
    current: Plan | None = None,
    graph: nx.Graph | None = None,
) -> list[str]:
    """Every reason the request cannot be met (empty if the engine can run)."""
    from planner.clustering.problem import prepare

    return list(prepare(centres, constraints, current, graph).reasons)
