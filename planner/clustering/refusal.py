"""Why the engine returns no plan, in a planner's words: the rules its best try still broke.

:func:`refusal` gives the lines of the :class:`~planner.clustering.explain.Infeasible` raised
when every try of :func:`~planner.clustering.federate.federate` left a hard rule broken: what
was tried, the first few rules broken (a linked group that splits a federation named with its
two centres), and what the planner can loosen.
"""

from __future__ import annotations

from planner.clustering.problem import Prepared
from planner.domain.pieces import pieces
from planner.domain.plan import Plan

__all__ = ["refusal"]


def refusal(broken: list, plan: Plan, prep: Prepared, tries: int) -> list[str]:
    """Why no plan was returned, in a planner's words, with the rules the best try still broke."""
    names = {key: f.name for key, f in plan.federations.items()}
    head = (f"no plan keeping every rule was found (tried {tries} times, with more starts "
            f"each time); the best still broke {len(broken)} rule(s)")
    lines = [head]
    for v in broken[:5]:
        text = _explain(v, plan, prep)
        if v.federation in names and names[v.federation].startswith("Federation "):
            text = text.replace(names[v.federation], "one federation", 1)
        lines.append(text)
    if len(broken) > 5:
        lines.append(f"and {len(broken) - 5} more")
    lines.append("loosen the sizes, the balance tolerances or the hub distance, or change K")
    return lines


def _explain(violation, plan: Plan, prep: Prepared) -> str:
    """The violation's sentence, with the cause when a linked group splits a federation."""
    text = str(violation)
    if violation.rule != "contiguity" or violation.federation is None:
        return text
    rows = set(plan.members(violation.federation).tolist())
    for unit in prep.units:
        if len(unit) > 1 and unit[0] in rows and not _linked_together(unit, rows, prep):
            a, b = unit[0], unit[1]
            names = prep.centres.names
            return (f"{text}: linked centres {names[a]} ({prep.centres.ids[a]}) and {names[b]} "
                    f"({prep.centres.ids[b]}) are not neighbours")
    return text


def _linked_together(unit: list[int], rows: set[int], prep: Prepared) -> bool:
    """Whether a linked group's centres are joined by a path inside the federation."""
    return any(set(unit) <= part for part in pieces(rows, prep.neighbours))
