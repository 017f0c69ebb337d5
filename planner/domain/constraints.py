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
from planner.domain.stats import FederationStats, PlanStats

__all__ = ["Balance", "Constraints", "Violation", "check", "size_bounds", "weight_bounds"]


@dataclass(frozen=True)
class Balance:
    """Each federation's total of ``column`` within ``tolerance`` of the mean federation's.

    ``tolerance`` is a fraction (0.10 = +-10% of the mean). A ``soft`` balance is a target: the
    engine aims for it, and a plan that can only approximate it is returned with the shortfall
    reported; a hard one (the default) is a rule like the sizes.
    """

    column: str
    tolerance: float
    soft: bool = False


@dataclass(frozen=True)
class Constraints:
    """What a plan must keep.

    federations:
        K, the number of federations (default ``round(N / target_size)``, target 20).
    target_size:
        Used for K when ``federations`` is None.
    min_size, max_size:
        Centres per federation (default: the mean +-10%, at least +-2).
    balance:
        :class:`Balance` rules, one per balanced figure (column), each with its own tolerance.
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
    balance: tuple[Balance, ...] = ()
    max_link_m: float | None = None
    max_radius_m: float | None = None
    boundary_of: Mapping[str, str] | None = field(default=None, compare=False)
    within_boundaries: bool = False
    boundary_exceptions: tuple[str, ...] = ()
    must_link: tuple[tuple[str, ...], ...] = ()
    cannot_link: tuple[tuple[str, str], ...] = ()
    contiguous: bool = True
    fixed_hubs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Plan files and callers may give plain (column, tolerance[, soft]) rows or mappings.
        rows = tuple(_balance(b) for b in self.balance)
        object.__setattr__(self, "balance", rows)

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


def _balance(value) -> Balance:
    if isinstance(value, Balance):
        return value
    if isinstance(value, Mapping):
        return Balance(str(value["column"]), float(value["tolerance"]),
                       bool(value.get("soft", False)))
    column, tolerance, *rest = value
    return Balance(str(column), float(tolerance), bool(rest[0]) if rest else False)


def weight_bounds(total_weight: float, k: int, balance: Balance) -> tuple[float, float]:
    """(min, max) of ``balance``'s figure per federation: the mean +- the tolerance."""
    mean = total_weight / max(1, k)
    tol = float(balance.tolerance)
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
    soft: bool = False  # a soft balance target only approximated, not a broken rule

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
    if stats is None or (neighbours is not None and stats.neighbours is None):
        stats = PlanStats(plan, None, neighbours)
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
    for key in plan.federations:
        out += _federation_violations(plan, key, stats[key], constraints, lo, hi,
                                      contiguity=neighbours is not None)
    out += _balance_violations(plan, constraints.balance)
    out += _link_violations(plan, constraints)
    return out


def _federation_violations(plan: Plan, key: int, s: FederationStats, constraints: Constraints,
                           lo: int, hi: int, contiguity: bool) -> list[Violation]:
    """Federation ``key``'s size, pieces, reach from its hub and authorities (``s``: its stats)."""
    out: list[Violation] = []
    fed = plan.federations[key]
    centres = plan.centres
    if s.count < lo:
        out.append(Violation("size", f"{fed.name} has {s.count} centres, fewer than the "
                             f"minimum {lo}", key, s.count, lo))
    elif s.count > hi:
        out.append(Violation("size", f"{fed.name} has {s.count} centres, more than the "
                             f"maximum {hi}", key, s.count, hi))
    if constraints.contiguous and contiguity and s.components > 1:
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
        exceptions = set(constraints.boundary_exceptions)
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
    return out


def _link_violations(plan: Plan, constraints: Constraints) -> list[Violation]:
    """Linked centres split apart, and centres that must be apart together."""
    out: list[Violation] = []
    centres = plan.centres
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


def _balance_violations(plan: Plan, balance: Sequence[Balance]) -> list[Violation]:
    """Federations whose total of a balanced figure is outside its tolerance of the mean."""
    out: list[Violation] = []
    keys = list(plan.federations)
    if not keys:
        return out
    index = {key: i for i, key in enumerate(keys)}
    slot = np.array([index.get(int(a), -1) for a in plan.assignment.tolist()], dtype=np.intp)
    placed = slot >= 0
    for rule in balance:
        values = plan.centres.numeric(rule.column)
        sums = np.bincount(slot[placed], weights=values[placed], minlength=len(keys))
        mean = float(values.sum()) / len(keys)
        if mean <= 0:
            continue
        for i, key in enumerate(keys):
            dev = float(sums[i]) / mean - 1.0
            if abs(dev) <= rule.tolerance + 1e-9:
                continue
            kind = "target " if rule.soft else ""
            out.append(Violation(
                "weight",
                f"{plan.federations[key].name} serves {sums[i]:,.0f} {rule.column}, {dev:+.1%} "
                f"from the mean {mean:,.0f} (allowed {kind}\u00b1{rule.tolerance:.0%})",
                key, dev, rule.tolerance, soft=rule.soft,
            ))
    return out
