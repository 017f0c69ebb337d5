"""K, the size bounds and the balanced figures' bounds, with the reasons they cannot be met."""

from __future__ import annotations

import numpy as np

from planner.domain.centres import Centres
from planner.domain.constraints import Constraints, weight_bounds

__all__ = ["balance_bounds", "count_reasons", "label"]


def label(centres: Centres, row: int) -> str:
    """A centre as a planner reads it: name and id."""
    return f"{centres.names[row]} ({centres.ids[row]})"


def count_reasons(n: int, k: int, lo: int, hi: int) -> tuple[list[str], bool]:
    """Reasons K federations of ``lo``-``hi`` centres cannot hold ``n`` centres; and whether
    the request is too broken to look further."""
    if n == 0:
        return ["there are no centres to federate"], True
    if k < 1:
        return [f"{k} federations were asked for; at least 1 is needed"], True
    if k > n:
        return [f"{n} centres cannot make {k} federations"], True
    if lo > hi:
        return [f"the minimum size {lo} is larger than the maximum size {hi}"], True
    reasons = []
    if n < k * lo:
        reasons.append(f"{n} centres cannot make {k} federations of at least {lo}")
    if n > k * hi:
        reasons.append(f"{n} centres cannot make {k} federations of at most {hi}")
    return reasons, False


def balance_bounds(
    centres: Centres, c: Constraints, k: int
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray, list[str]]:
    """(n, B) balanced figures, each one's per-federation (min, max), and the reasons."""
    b = len(c.balance)
    wlo, whi = np.zeros(b), np.full(b, np.inf)
    cols, reasons = [], []
    for j, rule in enumerate(c.balance):
        if rule.tolerance < 0:
            reasons.append(f"the tolerance {rule.tolerance:.0%} for {rule.column} is negative")
        try:
            cols.append(centres.numeric(rule.column))
        except (KeyError, ValueError) as exc:
            reasons.append(f"the weight column {rule.column!r} cannot be used: {exc.args[0]}")
            continue
        total = float(cols[-1].sum())
        if total > 0:
            wlo[j], whi[j] = weight_bounds(total, k, rule)
        elif not rule.soft:
            reasons.append(f"every centre has {rule.column} 0, so there is nothing to balance")
    if not b or len(cols) < b:
        return None, wlo, whi, reasons
    return np.column_stack(cols), wlo, whi, reasons
