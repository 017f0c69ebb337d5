"""The last word before a plan leaves the engine: an independent check of every hard rule.

:func:`broken_rules` does not read the engine's bookkeeping (its sizes, weights and pieces per
slot); it checks the finished :class:`~planner.domain.plan.Plan` with
:func:`planner.domain.constraints.check` in the graph the engine planned on, and adds what
``check`` does not know: K federations, every centre once, each hub one of its members, and the
locks of the current plan kept exactly. Soft balance targets come back separately.
"""

from __future__ import annotations

import numpy as np

from planner.domain.constraints import Constraints, Violation, check
from planner.domain.plan import UNASSIGNED, Plan

__all__ = ["broken_rules"]


def broken_rules(
    plan: Plan,
    constraints: Constraints,
    neighbours: list[list[int]],
    k: int,
    current: Plan | None = None,
) -> tuple[list[Violation], list[Violation]]:
    """(hard rules broken, soft targets only approximated) by ``plan``."""
    found = check(plan, constraints, neighbours)
    hard = [v for v in found if not v.soft]
    soft = [v for v in found if v.soft]
    if len(plan.federations) != k:
        hard.append(Violation("count", f"the plan has {len(plan.federations)} federations, "
                              f"not the {k} asked for", None, len(plan.federations), k))
    for key, fed in plan.federations.items():
        if fed.hub is not None and plan.federation_of(fed.hub) != key:
            hard.append(Violation("hub", f"the hub of {fed.name} is not one of its centres",
                                  key))
        if not len(plan.members(key)):
            hard.append(Violation("size", f"{fed.name} has no centres", key, 0, 1))
    hard += _locks_broken(plan, current)
    return hard, soft


def _locks_broken(plan: Plan, current: Plan | None) -> list[Violation]:
    if current is None:
        return []
    out = []
    for key, fed in current.federations.items():
        if not fed.locked:
            continue
        same = key in plan.federations and np.array_equal(
            plan.assignment == key, current.assignment == key
        )
        if not same:
            out.append(Violation("lock", f"locked federation {fed.name} was changed", key))
    for cid in current.locked_centres:
        was = current.federation_of(cid)
        if was != UNASSIGNED and plan.federation_of(cid) != was:
            out.append(Violation("lock", f"locked centre {cid} left "
                                 f"{current.federations[was].name}", None, centres=(cid,)))
    return out
