"""Must-link groups: linked centres contracted to one unit that moves as a whole."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from planner.clustering.rules.counts import label
from planner.clustering.rules.locks import Locks
from planner.domain.centres import Centres
from planner.domain.constraints import Constraints
from planner.domain.plan import Plan

__all__ = ["Units", "unit_reasons", "units"]


@dataclass
class Units:
    units: list[list[int]]  # centre rows per unit (free centres only)
    unit_of: np.ndarray  # unit per row, -1 for rows of locked federations
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _DSU:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def units(centres: Centres, c: Constraints, lk: Locks, current: Plan | None) -> Units:
    """Units of the free centres; why linked groups clash with locks."""
    n = len(centres)
    dsu = _DSU(n)
    reasons: list[str] = []
    missing: set[str] = set()
    for group in c.must_link:
        rows = [centres.index_of(cid) for cid in group if cid in centres]
        missing |= {str(cid) for cid in group if cid not in centres}
        reason = _locked_clash(centres, rows, lk, current)
        if reason:
            reasons.append(reason)
        free = [r for r in rows if r not in lk.locked_rows]
        for r in free[1:]:
            dsu.union(free[0], r)
    notes = []
    if missing:
        notes.append(f"{len(missing)} linked centre id(s) are not in the centres and were "
                     f"ignored (e.g. {', '.join(sorted(missing)[:3])})")
    root_unit: dict[int, int] = {}
    unit_of = np.full(n, -1, dtype=np.intp)
    out: list[list[int]] = []
    for r in range(n):
        if r in lk.locked_rows:
            continue
        u = root_unit.setdefault(dsu.find(r), len(out))
        if u == len(out):
            out.append([])
        out[u].append(r)
        unit_of[r] = u
    return Units(out, unit_of, reasons, notes)


def _locked_clash(centres: Centres, rows: list[int], lk: Locks, current: Plan | None) -> str:
    """Why a linked group cannot stay together given the locked federations ('' if it can)."""
    locked = [r for r in rows if r in lk.locked_rows]
    free = [r for r in rows if r not in lk.locked_rows]
    keys = {int(lk.key_of_row[r]) for r in locked}
    if len(keys) > 1:
        a, b = next((x, y) for x in locked for y in locked
                    if lk.key_of_row[x] != lk.key_of_row[y])
        return (f"centres {label(centres, a)} and {label(centres, b)} must be together but are "
                "locked in different federations")
    if locked and free:
        fed = current.federations[int(lk.key_of_row[locked[0]])]  # type: ignore[union-attr]
        return (f"centres {label(centres, locked[0])} and {label(centres, free[0])} must be "
                f"together but {fed.name} is locked without the second")
    return ""


def unit_reasons(
    centres: Centres, c: Constraints, groups: list[list[int]], hi: int,
    weights: np.ndarray | None, whi: np.ndarray,
) -> list[str]:
    """Linked groups (or single centres) too big or too heavy for any federation."""
    reasons = []
    for rows in groups:
        if len(rows) > hi:
            names = ", ".join(label(centres, r) for r in rows[:3])
            reasons.append(f"the linked group of {names} and others has {len(rows)} centres, "
                           f"more than the maximum federation size {hi}")
        for j, rule in enumerate(c.balance):
            if weights is None or rule.soft or weights[rows, j].sum() <= whi[j] + 1e-9:
                continue
            reasons.append(
                f"{label(centres, rows[0])}"
                + (f" with its {len(rows) - 1} linked centre(s)" if len(rows) > 1 else "")
                + f" serves {weights[rows, j].sum():,.0f} {rule.column}, more than a "
                f"federation may serve ({whi[j]:,.0f})"
            )
    return reasons
