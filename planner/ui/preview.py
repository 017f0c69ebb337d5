"""What a move would do, before it is made: the figures the drag preview shows (no Qt here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.domain.plan import UNASSIGNED, EditRefused, Plan, Reassign
from planner.domain.stats import FederationStats, PlanStats, compute_federation

__all__ = ["MovePreview", "preview_move", "describe"]


@dataclass(frozen=True)
class MovePreview:
    """Before/after figures for every federation a move touches, or the reason it is refused."""

    count: int
    to: int
    before: dict[int, FederationStats]
    after: dict[int, FederationStats]
    refused: str | None = None


def preview_move(plan: Plan, stats: PlanStats, ids: Sequence[str], to: int) -> MovePreview:
    """Figures after moving ``ids`` to federation ``to``, computed on a copy of the plan.

    Only the federations the move touches are recomputed, so this stays cheap on large plans.
    """
    ids = [str(i) for i in ids]
    try:
        edit = Reassign.make(plan, ids, to)
    except EditRefused as exc:
        return MovePreview(len(ids), to, {}, {}, str(exc))
    trial = plan.copy()
    touched = edit.apply(trial)
    before = {k: stats[k] for k in touched if k in stats}
    after = {
        k: compute_federation(trial, k, stats.weights, stats.neighbours)
        for k in touched
        if k != UNASSIGNED
    }
    return MovePreview(len(ids), to, before, after)


def describe(plan: Plan, preview: MovePreview, weighted: bool) -> str:
    """One status-bar line: ``Move 3 -> Medway: Medway 19 -> 22 centres (mean 3.1 km) ...``."""
    n = preview.count
    head = f"Move {n} centre{'s' if n != 1 else ''}"
    if preview.refused:
        return f"{head}: refused, {preview.refused}"
    if preview.to == UNASSIGNED:
        head += " out of every federation"
    else:
        head += f" to {plan.federations[preview.to].name}"
    parts = []
    order = sorted(preview.after, key=lambda k: (k != preview.to, k))
    for key in order:
        a = preview.after[key]
        b = preview.before.get(key)
        name = plan.federations[key].name if key in plan.federations else str(key)
        figure = f"{b.count if b else 0}\u2192{a.count} centres"
        if weighted:
            figure += f", weight {b.weight if b else 0:,.0f}\u2192{a.weight:,.0f}"
        figure += f", mean to hub {a.mean_to_hub / 1000:.1f} km"
        if not a.contiguous and a.count:
            figure += f", {a.components} pieces"
        parts.append(f"{name}: {figure}")
    return head + (": " + "; ".join(parts) if parts else "")
