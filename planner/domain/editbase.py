"""The base of every plan edit, and the refusal an edit raises (re-exported by
:mod:`planner.domain.plan`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from planner.domain.plan import Plan

__all__ = ["Edit", "EditRefused"]


class EditRefused(ValueError):
    """An edit that cannot apply (locked centre or federation, stale edit); says why."""


class Edit:
    """Base class of pure, invertible edits."""

    description = "Edit"

    def apply(self, plan: Plan) -> set[int]:  # pragma: no cover - interface
        raise NotImplementedError

    def inverse(self) -> Edit:  # pragma: no cover - interface
        raise NotImplementedError
