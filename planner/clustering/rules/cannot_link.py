"""Cannot-link pairs: centres that must be in different federations."""

from __future__ import annotations

from planner.clustering.rules.counts import label
from planner.clustering.rules.hubs import Slots
from planner.clustering.rules.links import Units
from planner.clustering.rules.locks import Locks
from planner.domain.centres import Centres
from planner.domain.constraints import Constraints

__all__ = ["cannot_link"]


def cannot_link(
    centres: Centres, c: Constraints, lk: Locks, un: Units, sl: Slots
) -> tuple[list[set[int]], list[str]]:
    """Per unit, the units it must not share a federation with; and the pairs that cannot be
    apart (linked, or locked together)."""
    cannot: list[set[int]] = [set() for _ in un.units]
    reasons: list[str] = []
    locked = lk.locked_rows
    for a_id, b_id in c.cannot_link:
        if a_id not in centres or b_id not in centres:
            continue
        a, b = centres.index_of(a_id), centres.index_of(b_id)
        pair = f"centres {label(centres, a)} and {label(centres, b)} must be apart but are"
        if a in locked or b in locked:
            if a in locked and b in locked and lk.key_of_row[a] == lk.key_of_row[b]:
                reasons.append(f"{pair} locked in the same federation")
            continue
        ua, ub = un.unit_of[a], un.unit_of[b]
        if ua == ub:
            reasons.append(f"{pair} linked to be together")
        elif sl.unit_pin[ua] >= 0 and sl.unit_pin[ua] == sl.unit_pin[ub]:
            reasons.append(f"{pair} locked in the same federation")
        else:
            cannot[ua].add(int(ub))
            cannot[ub].add(int(ua))
    return cannot, reasons
