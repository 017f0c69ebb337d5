"""Constraints on a plan, and checks that say which federation breaks which rule, by how much.

``check(plan, constraints, ...)`` returns a list of :class:`Violation`; an empty list means the
plan keeps every rule. Each violation carries the rule, the federation (if any), the figure, the
limit and a sentence in a planner's words, so the UI can highlight and explain it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from planner.domain.plan import UNASSIGNED, Plan
from planner.domain.stats import PlanStats

__all__ = ["Constraints", "Violation", "check", "size_bounds", "weight_bounds"]


@dataclass(frozen=True)
class Constraints:
    """What a plan must keep.

    federations:
        K, the number of federations (default ``round(N / target_size)``, target 20).
    target_size:
        Used for K when ``federations`` is None.
    min_size, max_size:
        Centres per federation (default: the mean +-10%, at least +-2).
    weight_column, weight_tolerance:
        Each federation's weight within ``tolerance`` (a fraction: 0.1 = +-10%) of the mean.
    max_link_m:
        Longest link in the neighbourhood graph (None: the graph's default).
    max_radius_m:
        Longest distance from a centre to its federation's hub.
    boundary_of, within_boundaries, boundary_exceptions:
        Centre id -> local authority label; when ``within_boundaries``, no federation may mix
        labels, except for the centres listed in ``boundary_exceptions``.
    must_link:
        Groups of centre ids that must share a federation.
    cannot_link:
        Pairs of centre ids that must not share a federation.
    contiguous:
        Every federation one connected piece of the neighbourhood graph (hard by default).
    fixed_hubs:
        Centre ids the planner has chosen as hubs: each is the hub of its own federation.
    """

    federations: int | None = None
    target_size: int = 20
    min_size: int | None = None
    max_size: int | None = None
    weight_column: str | None = None
    weight_tolerance: float | None = None
    max_link_m: float | None = None
    max_radius_m: float | None = None
    boundary_of: Mapping[str, str] | None = field(default=None, compare=False)
    within_boundaries: bool = False
    boundary_exceptions: tuple[str, ...] = ()
    must_link: tuple[tuple[str, ...], ...] = ()
    cannot_link: tuple[tuple[str, str], ...] = ()
    contiguous: bool = True
    fixed_hubs: tuple[str, ...] = ()

    def k_for(self, n: int) -> int:
        if self.federations is not None:
            return int(self.federations)
        return max(1, int(round(n / max(1, self.target_size))))


def size_bounds(n: int, k: int, constraints: Constraints) -> tuple[int, int]:
    """(min, max) centres per federation: the given ones, else the mean +-10% (at least +-2).

    A default bound gives way to a given one (a given maximum below the default minimum lowers
    the minimum to it), so the only contradiction is one the planner typed.
    """
    mean = n / max(1, k)
    slack = max(2.0, 0.1 * mean)
    lo = constraints.min_size if constraints.min_size is not None else int(np.floor(mean - slack))
    hi = constraints.max_size if constraints.max_size is not None else int(np.ceil(mean + slack))
    # A default bound never contradicts a given one.
    if constraints.min_size is None and constraints.max_size is not None:
        lo = min(lo, hi)
    if constraints.max_size is None and constraints.min_size is not None:
        hi = max(hi, lo)
    return max(0, lo), hi


def weight_bounds(total_weight: float, k: int, constraints: Constraints) -> tuple[float, float]:
    """(min, max) weight per federation: the mean weight +- the tolerance (unbounded if none)."""
    if constraints.weight_column is None or constraints.weight_tolerance is None:
        return 0.0, float("inf")
    mean = total_weight / max(1, k)
    tol = float(constraints.weight_tolerance)
    return mean * (1.0 - tol), mean * (1.0 + tol)


@dataclass(frozen=True)
class Violation:
    # size | weight | contiguity | radius | boundary | must_link | cannot_link | unassigned
    rule: str
    message: str
    federation: int | None = None
    figure: float | None = None
    limit: float | None = None
    centres: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.message


def check(
    plan: Plan,
    constraints: Constraints,
    neighbours: Sequence[Sequence[int]] | None = None,
    stats: PlanStats | None = None,
) -> list[Violation]:
    """Every rule ``plan`` breaks, federation by federation."""
    centres = plan.centres
    weights = None
    if constraints.weight_column:
        reuse = stats is not None and stats.weights is not None
        weights = stats.weights if reuse else centres.numeric(constraints.weight_column)
    if stats is None or (neighbours is not None and stats.neighbours is None):
        stats = PlanStats(plan, weights, neighbours)
    out: list[Violation] = []
    n = len(centres)
    unassigned = np.flatnonzero(plan.assignment == UNASSIGNED)
    if len(unassigned):
        ids = tuple(centres.ids[i] for i in unassigned)
        out.append(
            Violation(
                "unassigned",
                f"{len(ids)} centre(s) are not in any federation",
                figure=len(ids),
                limit=0,
                centres=ids,
            )
        )
    k = len(plan.federations)
    if k == 0:
        return out
    lo, hi = size_bounds(n, constraints.k_for(n) if constraints.federations else k, constraints)
    mean_w = float(weights.sum()) / k if weights is not None else None
    exceptions = set(constraints.boundary_exceptions)
    for key, fed in plan.federations.items():
        s = stats[key]
        if s.count < lo:
            out.append(Violation("size", f"{fed.name} has {s.count} centres, fewer than the "
                                 f"minimum {lo}", key, s.count, lo))
        elif s.count > hi:
            out.append(Violation("size", f"{fed.name} has {s.count} centres, more than the "
                                 f"maximum {hi}", key, s.count, hi))
        if weights is not None and constraints.weight_tolerance is not None and mean_w:
            dev = s.weight / mean_w - 1.0
            if abs(dev) > constraints.weight_tolerance + 1e-9:
                out.append(Violation(
                    "weight",
                    f"{fed.name} serves {s.weight:,.0f} {constraints.weight_column}, "
                    f"{dev:+.1%} from the mean {mean_w:,.0f} (allowed "
                    f"\u00b1{constraints.weight_tolerance:.0%})",
                    key, dev, constraints.weight_tolerance,
                ))
        if constraints.contiguous and neighbours is not None and s.components > 1:
            out.append(Violation("contiguity", f"{fed.name} is in {s.components} separate pieces",
                                 key, s.components, 1))
        if constraints.max_radius_m is not None and s.max_to_hub > constraints.max_radius_m + 1e-6:
            out.append(Violation(
                "radius",
                f"{fed.name} reaches {s.max_to_hub / 1000:.1f} km from its hub, more than "
                f"{constraints.max_radius_m / 1000:.1f} km",
                key, s.max_to_hub, constraints.max_radius_m,
            ))
        if constraints.within_boundaries and constraints.boundary_of:
            labels = {
                constraints.boundary_of.get(centres.ids[i])
                for i in plan.members(key)
                if centres.ids[i] not in exceptions
            }
            labels.discard(None)
            if len(labels) > 1:
                out.append(Violation(
                    "boundary",
                    f"{fed.name} spans {len(labels)} authorities: {', '.join(sorted(labels))}",
                    key, len(labels), 1,
                ))
    for group in constraints.must_link:
        present = [c for c in group if c in centres]
        feds = {plan.federation_of(c) for c in present}
        if len(feds) > 1:
            out.append(Violation(
                "must_link",
                f"linked centres {', '.join(present)} are split across {len(feds)} federations",
                None, len(feds), 1, tuple(present),
            ))
    for a, b in constraints.cannot_link:
        if a in centres and b in centres:
            fa = plan.federation_of(a)
            if fa != UNASSIGNED and fa == plan.federation_of(b):
                name = plan.federations[fa].name
                out.append(Violation("cannot_link", f"centres {a} and {b} must be apart but are "
                                     f"both in {name}", fa, 1, 0, (a, b)))
    return out
