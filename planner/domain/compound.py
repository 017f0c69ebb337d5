"""Edits over a whole plan or several edits: :class:`ReplacePlan` (an engine run, one undo step)
and :class:`CompoundEdit` (a gesture of several edits). Re-exported by :mod:`planner.domain.plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from planner.domain.editbase import Edit, EditRefused

if TYPE_CHECKING:  # pragma: no cover
    from planner.domain.plan import Plan

__all__ = ["ReplacePlan", "CompoundEdit"]


@dataclass(frozen=True)
class ReplacePlan(Edit):
    """Replace assignment, federations and params at once (an engine run): one undo step."""

    before: tuple
    after: tuple
    description: str = "Auto-federate"

    @staticmethod
    def snapshot(plan: Plan) -> tuple:
        return (
            tuple(plan.assignment.tolist()),
            tuple(plan.federations.values()),
            tuple(sorted(plan.params.items(), key=lambda kv: kv[0])),
        )

    @classmethod
    def make(
        cls, current: Plan, proposed: Plan, description: str = "Auto-federate"
    ) -> ReplacePlan:
        if proposed.centres is not current.centres and proposed.centres.ids != current.centres.ids:
            raise EditRefused("the proposed plan is for different centres")
        return cls(cls.snapshot(current), cls.snapshot(proposed), description)

    def apply(self, plan: Plan) -> set[int]:
        if self.snapshot(plan)[:2] != self.before[:2]:
            raise EditRefused("the plan changed since this edit was made")
        assignment, feds, params = self.after
        plan.assignment[:] = assignment
        plan.federations = {f.key: f for f in feds}
        plan.params = dict(params)
        return {f.key for f in self.before[1]} | {f.key for f in feds}

    def inverse(self) -> Edit:
        return ReplacePlan(self.after, self.before, self.description)


@dataclass(frozen=True)
class CompoundEdit(Edit):
    """Several edits as one step (applied in order; undone in reverse)."""

    parts: tuple[Edit, ...] = field(default_factory=tuple)
    description: str = "Edit"

    def apply(self, plan: Plan) -> set[int]:
        changed: set[int] = set()
        done: list[Edit] = []
        try:
            for part in self.parts:
                changed |= part.apply(plan)
                done.append(part)
        except EditRefused:
            for part in reversed(done):
                part.inverse().apply(plan)
            raise
        return changed

    def inverse(self) -> Edit:
        return CompoundEdit(tuple(p.inverse() for p in reversed(self.parts)), self.description)
