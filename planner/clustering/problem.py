"""Turn a request (centres, constraints, current plan, graph) into regions for the solver.

:func:`prepare` does everything the engine needs before optimising, and collects every reason the
request cannot be met (so :mod:`planner.clustering.explain` and :mod:`federate` share one truth).
Each constraint family is a module of :mod:`planner.clustering.rules` returning its reasons:

- K, the size bounds and each balanced figure's bounds (``counts``);
- locked federations of the current plan are set aside unchanged; locked centres pin their
  federation (``locks``), a *slot* that keeps its key, name and colour; fixed hubs pin a slot of
  their own (``hubs``);
- must-link groups are contracted to units, one unit moving as a whole (``links``); cannot-link
  pairs are kept per unit (``cannot_link``);
- the graph is cut between authorities when ``within_boundaries`` (centres listed as exceptions,
  or without a label, join the authority of their nearest linked neighbour), and its connected
  pieces become regions, each given a whole number of federations (proportional to its centres,
  within what its size and weights allow) that add up to K (``regions``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np

from planner.clustering.rules import regions as rg
from planner.clustering.rules.cannot_link import cannot_link
from planner.clustering.rules.counts import balance_bounds, count_reasons
from planner.clustering.rules.hubs import Slot, slots
from planner.clustering.rules.links import unit_reasons, units
from planner.clustering.rules.locks import locks
from planner.domain.centres import Centres
from planner.domain.constraints import Constraints, size_bounds
from planner.domain.plan import Federation, Plan

__all__ = ["Prepared", "Slot", "prepare"]


@dataclass
class Prepared:
    centres: Centres
    n: int
    k: int
    lo: int
    hi: int
    weights: np.ndarray | None  # (n, B): one column per balance rule, None without rules
    wlo: np.ndarray  # (B,) per-federation bounds of each balanced figure
    whi: np.ndarray
    neighbours: list[list[int]]  # centre adjacency used for contiguity (after boundary cuts)
    kept: list[Federation] = field(default_factory=list)  # locked federations, unchanged
    units: list[list[int]] = field(default_factory=list)  # centre rows per unit
    unit_adj: list[list[int]] = field(default_factory=list)
    unit_pin: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    slots: list[Slot] = field(default_factory=list)
    regions: list[list[int]] = field(default_factory=list)  # units per region
    region_k: list[int] = field(default_factory=list)
    region_names: list[str] = field(default_factory=list)
    region_of_unit: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    cannot: list[set[int]] = field(default_factory=list)  # per unit
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def prepare(
    centres: Centres,
    constraints: Constraints,
    current: Plan | None = None,
    graph: nx.Graph | None = None,
) -> Prepared:
    """Everything the engine needs, and every reason (``.reasons``) the request is impossible."""
    from planner.clustering.graph import adjacency, neighbourhood_graph

    c = constraints
    n, k = len(centres), c.k_for(len(centres))
    lo, hi = size_bounds(n, k, c)
    weights, wlo, whi, reasons = balance_bounds(centres, c, k)
    given_graph = graph is not None
    if graph is None:
        graph = neighbourhood_graph(centres, max_link_m=c.max_link_m)
    prep = Prepared(centres, n, k, lo, hi, weights, wlo, whi, adjacency(graph, n))
    prep.reasons = reasons
    more, stop = count_reasons(n, k, lo, hi)
    reasons += more
    if stop:
        return prep
    lk = locks(centres, current, k)
    prep.kept, prep.notes = lk.kept, list(lk.notes)
    reasons += lk.reasons
    if lk.reasons:
        return prep
    un = units(centres, c, lk, current)
    prep.units, prep.notes = un.units, prep.notes + un.notes
    reasons += un.reasons + unit_reasons(centres, c, un.units, hi, weights, whi)
    k_free = k - len(lk.kept)
    sl = slots(centres, c, lk, un, current, k_free)
    prep.slots, prep.unit_pin = sl.slots, sl.unit_pin
    prep.notes += sl.notes
    reasons += sl.reasons
    prep.cannot, more = cannot_link(centres, c, lk, un, sl)
    reasons += more
    lab = rg.boundary_labels(centres, c, graph, prep.notes)
    if lab is not None:
        neighbours = prep.neighbours
        if not given_graph:  # each authority triangulated on its own, so it stays one piece
            by_id = dict(zip(centres.ids, lab, strict=True))
            neighbours = adjacency(
                neighbourhood_graph(centres, max_link_m=c.max_link_m, boundary_of=by_id), n
            )
        prep.neighbours = [[v for v in nb if lab[v] == lab[u]] for u, nb in enumerate(neighbours)]
    _regions(prep, c, un.unit_of, lab, k_free)
    if c.max_radius_m is not None and not prep.reasons:
        reasons += rg.radius_reasons(prep, un.unit_of, float(c.max_radius_m))
    return prep


def _regions(prep: Prepared, c: Constraints, unit_of: np.ndarray, lab: list | None,
             k_free: int) -> None:
    """Regions, their names, the region of each slot, and K per region (with reasons)."""
    reg = rg.regions(prep.centres, c, prep.units, unit_of, prep.neighbours, lab)
    prep.regions, prep.region_names, prep.unit_adj = reg.regions, reg.names, reg.unit_adj
    prep.region_of_unit = reg.region_of_unit
    prep.reasons += reg.reasons
    for s, slot in enumerate(prep.slots):
        regs = sorted({int(reg.region_of_unit[u]) for u in np.flatnonzero(prep.unit_pin == s)})
        slot.region = regs[0] if regs else -1
        if len(regs) > 1:
            name = slot.federation.name if slot.federation else "a fixed hub's federation"
            prep.reasons.append(
                f"the locked centres of {name} lie in {len(regs)} areas that cannot be joined "
                f"({' and '.join(prep.region_names[r] for r in regs[:2])})"
            )
    prep.region_k, more = rg.allocate_k(prep, k_free, lab is not None, c, bool(prep.reasons))
    prep.reasons += more
