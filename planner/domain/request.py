"""What a planner asks the federation engine for, and whether the counts alone allow it.

:class:`FederateRequest` is the auto-federate dialog's model, free of Qt: the dialog binds its
widgets to the fields and shows :meth:`~FederateRequest.problems` (reasons the request cannot be
met: Run waits until there are none) and :meth:`~FederateRequest.notes` (what will happen that the
planner should know). :meth:`~FederateRequest.to_constraints` is what the engine gets.

Sizes follow :func:`planner.domain.constraints.size_bounds`: ``min_size``/``max_size`` are None
until the planner types one, and a size the planner typed stays when K changes.

Each authority separately (``per_authority``): an authority's K is ``max(1, round(n / target))``,
moved to the nearest K the size rules allow (:func:`size_authority`, shared with
:mod:`planner.clustering.national`); an authority with fewer centres than the minimum becomes one
federation and is listed; one that no K fits is refused and listed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from planner.domain.constraints import Balance, Constraints, size_bounds

__all__ = [
    "AuthoritySizing",
    "BalanceRow",
    "FederateRequest",
    "national_minimum",
    "size_authority",
    "size_problems",
]

#: At most this many K values are tried for one authority: its K, then K-1 or K+1.
K_TRIES = 3


@dataclass(frozen=True)
class BalanceRow:
    """One balanced figure: each federation's ``column`` total within ``tolerance`` of the mean."""

    column: str
    tolerance: float = 0.10  # a fraction: 0.10 = +-10%
    soft: bool = False


def size_problems(n: int, k: int, lo: int, hi: int) -> list[str]:
    """Why ``n`` centres cannot make ``k`` federations of ``lo``-``hi`` each (empty: they can)."""
    out = []
    if k > n:
        out.append(f"{n} centres cannot make {k} federations: there are more federations than "
                   "centres.")
    if lo > hi:
        out.append(f"The minimum size ({lo}) is larger than the maximum ({hi}).")
    elif k * lo > n or k * hi < n:
        side = (f"{k} federations of at least {lo} need {k * lo} centres" if k * lo > n
                else f"{k} federations of at most {hi} hold only {k * hi}")
        sizes = f"{lo}" if lo == hi else f"{lo}-{hi}"
        out.append(f"{n} centres cannot make {k} federations of {sizes} centres: {side}.")
    return out


def national_minimum(target: int, min_size: int | None, max_size: int | None) -> int:
    """The fewest centres of a federation when each authority is planned on its own.

    The typed minimum, else the default minimum of a federation of ``target`` centres (18 for
    20). An authority with fewer centres becomes one federation and is listed.
    """
    if min_size is not None:
        return int(min_size)
    return size_bounds(target, 1, Constraints(max_size=max_size))[0]


@dataclass(frozen=True)
class AuthoritySizing:
    """How one authority is sized: the K values to try (best first) and their size bounds."""

    authority: str
    n: int
    tries: tuple[tuple[int, int, int], ...]  # (k, min, max); empty: refused
    single: bool = False  # fewer centres than the minimum: one federation of them all
    reason: str = ""  # why single, or why refused

    @property
    def refused(self) -> bool:
        return not self.tries


def size_authority(
    authority: str, n: int, target: int, min_size: int | None = None,
    max_size: int | None = None,
) -> AuthoritySizing:
    """The K values (with their size bounds) to try for an authority of ``n`` centres."""
    minimum = national_minimum(target, min_size, max_size)
    if n < minimum:
        return AuthoritySizing(authority, n, ((1, n, n),), True,
                               f"{n} centres, fewer than the minimum {minimum}: one federation")
    given = Constraints(min_size=min_size, max_size=max_size)
    fits = []
    for k in range(1, n + 1):
        lo, hi = size_bounds(n, k, given)
        if not size_problems(n, k, lo, hi):
            fits.append((k, lo, hi))
    ideal = n / max(1, target)
    k = max(1, round(ideal))
    near = sorted((t for t in fits if abs(t[0] - k) <= 1),
                  key=lambda t: (t[0] != k, abs(t[0] - ideal), t[0]))
    if near:
        return AuthoritySizing(authority, n, tuple(near[:K_TRIES]))
    if fits:  # the size rules force a K further from the target
        fits.sort(key=lambda t: (abs(t[0] - ideal), t[0]))
        return AuthoritySizing(authority, n, (fits[0],))
    lo, hi = size_bounds(n, k, given)
    if lo > hi:
        reason = f"the minimum size ({lo}) is larger than the maximum ({hi})"
    else:
        a = -(-n // hi)  # the fewest federations that can hold them all
        reason = (f"{n} centres cannot be split into federations of {lo}-{hi}: "
                  f"{a - 1} federation{'s hold' if a != 2 else ' holds'} at most {(a - 1) * hi}, "
                  f"{a} need at least {a * lo}")
    return AuthoritySizing(authority, n, (), False, reason)


@dataclass
class FederateRequest:
    """The auto-federate form as data (see the module docstring).

    ``n`` centres; ``k`` federations; ``min_size``/``max_size`` as typed (None: the default
    rule); ``balance`` rows; distances in km (0: no limit); ``boundary_of`` the chosen field's
    labels (None: no field chosen), used when ``within_boundaries`` or ``per_authority``;
    ``base`` the open plan's other rules (cannot-link, hubs, contiguity), kept as they are.
    """

    n: int
    k: int = 1
    min_size: int | None = None
    max_size: int | None = None
    per_authority: bool = False
    target_size: int = 20
    balance: list[BalanceRow] = field(default_factory=list)
    max_link_km: float = 0.0
    max_radius_km: float = 0.0
    boundary_of: Mapping[str, str] | None = None
    within_boundaries: bool = False
    must_link: tuple[tuple[str, ...], ...] = ()
    links_error: str | None = None
    keep_locked: bool = True
    locked_federations: int = 0
    seed: int = 0
    base: Constraints = field(default_factory=Constraints)

    # -- sizes --------------------------------------------------------------------------------
    def sizes(self) -> tuple[int, int]:
        """(min, max) centres per federation as the engine will read them, for the current K."""
        if self.per_authority:
            lo = national_minimum(self.target_size, self.min_size, self.max_size)
            hi = self.max_size if self.max_size is not None else size_bounds(
                self.target_size, 1, Constraints(min_size=self.min_size))[1]
            return lo, hi
        return size_bounds(self.n, self.k, Constraints(min_size=self.min_size,
                                                       max_size=self.max_size))

    def authorities(self) -> list[AuthoritySizing]:
        """Per-authority mode: each authority's sizing, by name (centres without a label left out).
        """
        counts = Counter(v for v in (self.boundary_of or {}).values() if v)
        return [size_authority(a, n, self.target_size, self.min_size, self.max_size)
                for a, n in sorted(counts.items())]

    # -- checking -----------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Why the request cannot be met, in a planner's words (empty: Run may start)."""
        if self.links_error:
            return [self.links_error]
        out = self._balance_problems()
        if self.per_authority:
            return out + self._authority_problems()
        lo, hi = self.sizes()
        out += size_problems(self.n, self.k, lo, hi)
        labels = len(set((self.boundary_of or {}).values())) if self.within_boundaries else 0
        if labels > self.k:
            out.append(f"The centres lie in {labels} different boundaries, so staying within "
                       f"boundaries needs at least {labels} federations, not {self.k}.")
        if self.keep_locked and self.locked_federations > self.k:
            out.append(f"{self.locked_federations} federations are locked, more than the "
                       f"{self.k} asked for.")
        hubs = len(self.base.fixed_hubs)
        if hubs > self.k:
            out.append(f"{hubs} centres are chosen as hubs, each of its own federation: more "
                       f"than the {self.k} asked for.")
        return out

    def _balance_problems(self) -> list[str]:
        seen = Counter(row.column for row in self.balance)
        return [f"{col} is balanced twice: keep one row for it." for col, m in seen.items()
                if m > 1]

    def _authority_problems(self) -> list[str]:
        if not self.boundary_of:
            return ["Choose the field that names each centre's authority."]
        if self.target_size < 1:
            return [f"The target size must be at least 1, not {self.target_size}."]
        lo, hi = self.sizes()
        if lo > hi:
            return [f"The minimum size ({lo}) is larger than the maximum ({hi})."]
        if not lo <= self.target_size <= hi:
            return [f"The target of {self.target_size} centres per federation is outside the "
                    f"sizes {lo}-{hi}."]
        sized = self.authorities()
        if all(s.refused for s in sized):
            return ["No authority can be planned: " + "; ".join(
                f"{s.authority}: {s.reason}" for s in sized[:3]) + "."]
        return []

    def notes(self) -> list[str]:
        """What the run will do that the planner should know (does not stop Run)."""
        if not self.per_authority or self.problems():
            return []
        sized = self.authorities()
        out = []
        single = [s for s in sized if s.single]
        if single:
            names = ", ".join(f"{s.authority} ({s.n})" for s in single[:6])
            more = f" and {len(single) - 6} more" if len(single) > 6 else ""
            have = "authorities have" if len(single) != 1 else "authority has"
            out.append(f"{len(single)} {have} fewer centres than the minimum "
                       f"{self.sizes()[0]}, so each becomes one federation: {names}{more}.")
        for s in (s for s in sized if s.refused):
            out.append(f"{s.authority} will be left unplanned: {s.reason}.")
        unlabelled = sum(1 for v in (self.boundary_of or {}).values() if not v)
        unlabelled += self.n - len(self.boundary_of or {})
        if unlabelled:
            have = "centres have" if unlabelled != 1 else "centre has"
            out.append(f"{unlabelled} {have} no authority and will be left unplanned.")
        if self.keep_locked and self.locked_federations:
            out.append("Each authority is planned afresh: locked federations are not kept.")
        return out

    # -- to the engine ------------------------------------------------------------------------
    def to_constraints(self) -> Constraints:
        """The engine's :class:`Constraints` (per authority: the rules each authority keeps)."""
        c = replace(
            self.base,
            max_link_m=self.max_link_km * 1000.0 if self.max_link_km > 0 else None,
            max_radius_m=self.max_radius_km * 1000.0 if self.max_radius_km > 0 else None,
            must_link=tuple(self.must_link),
            **balance_fields(self.balance),
        )
        if self.per_authority:
            return replace(c, federations=None, target_size=self.target_size,
                           min_size=self.min_size, max_size=self.max_size,
                           boundary_of=self.boundary_of, within_boundaries=True)
        lo, hi = self.sizes()
        within = bool(self.within_boundaries and self.boundary_of)
        return replace(c, federations=self.k, min_size=lo, max_size=hi,
                       boundary_of=self.boundary_of if within else None,
                       within_boundaries=within)


def balance_fields(rows: list[BalanceRow]) -> dict:
    """The Constraints field for the balance rows."""
    return {"balance": tuple(Balance(r.column, r.tolerance, r.soft) for r in rows)}
