"""What a move would do, before it is made: the figures the drag preview shows (no Qt here)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from planner.domain.plan import UNASSIGNED, EditRefused, Plan, Reassign
from planner.domain.reach_stats import FederationReach, ReachStats, federation_reach
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
    reach_before: dict[int, FederationReach] | None = None
    reach_after: dict[int, FederationReach] | None = None


def preview_move(plan: Plan, stats: PlanStats, ids: Sequence[str], to: int,
                 reach: ReachStats | None = None) -> MovePreview:
    """Figures after moving ``ids`` to federation ``to``, computed on a copy of the plan.

    Only the federations the move touches are recomputed, so this stays cheap on large plans.
    With ``reach`` (the document's reach figures) the preview has their before and after too.
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
    if reach is None:
        return MovePreview(len(ids), to, before, after)
    reach_before = {k: reach[k] for k in after if k in reach}
    reach_after = {k: federation_reach(trial, reach.reach, k, a.hub) for k, a in after.items()}
    return MovePreview(len(ids), to, before, after, None, reach_before, reach_after)


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
        figure += _reach_figure(preview, key)
        if not a.contiguous and a.count:
            figure += f", {a.components} pieces"
        parts.append(f"{name}: {figure}")
    return head + (": " + "; ".join(parts) if parts else "")


def _reach_figure(preview: MovePreview, key: int) -> str:
    """``, children 10,210→11,030, deprived 31%→33%`` (empty without reach figures)."""
    if not preview.reach_after or key not in preview.reach_after:
        return ""
    a = preview.reach_after[key]
    b = (preview.reach_before or {}).get(key)
    before_children = b.children if b else 0.0
    before_share = b.deprived_share if b else 0.0
    return (f", children {before_children:,.0f}\u2192{a.children:,.0f}, deprived "
            f"{before_share:.0%}\u2192{a.deprived_share:.0%}")
