"""Locks from the current plan: locked federations kept whole, locked centres pinned."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from planner.clustering.rules.counts import label
from planner.domain.centres import Centres
from planner.domain.plan import UNASSIGNED, Federation, Plan

__all__ = ["Locks", "locks"]


@dataclass
class Locks:
    key_of_row: np.ndarray  # the current plan's federation key per row (UNASSIGNED without one)
    locked_rows: set[int] = field(default_factory=set)  # rows of locked federations
    kept: list[Federation] = field(default_factory=list)  # locked federations, unchanged
    pinned_key: dict[int, int] = field(default_factory=dict)  # locked centre row -> its key
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def locks(centres: Centres, current: Plan | None, k: int) -> Locks:
    """The locks of ``current`` (none without it), and why they cannot be kept."""
    n = len(centres)
    out = Locks(np.full(n, UNASSIGNED, dtype=np.int64))
    if current is None:
        return out
    if current.centres.ids != centres.ids:
        out.reasons.append("the current plan is for a different set of centres")
        return out
    out.key_of_row = current.assignment.copy()
    for fed in current.federations.values():
        if fed.locked:
            out.kept.append(fed)
            out.locked_rows.update(np.flatnonzero(out.key_of_row == fed.key).tolist())
    for cid in sorted(current.locked_centres):
        r = centres.index_of(cid)
        key = int(out.key_of_row[r])
        if key == UNASSIGNED:
            out.notes.append(f"locked centre {label(centres, r)} is in no federation, so it "
                             "was placed like any other")
        elif r not in out.locked_rows:
            out.pinned_key[r] = key
    if len(out.kept) > k:
        out.reasons.append(f"{len(out.kept)} federations are locked, more than the {k} asked for")
    return out
