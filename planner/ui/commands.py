"""QUndoCommand wrappers over pure domain edits: one gesture is one undo step."""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand

from planner.domain.plan import Edit
from planner.ui.document import Document

__all__ = ["EditCommand"]


class EditCommand(QUndoCommand):
    """Wraps an :class:`~planner.domain.plan.Edit`; redo applies it, undo applies its inverse.

    Build the edit first (``Reassign.make`` refuses locked centres with ``EditRefused``), then push:
    ``stack.push(EditCommand(document, edit))``. ``redo`` runs on push.
    """

    def __init__(self, document: Document, edit: Edit, text: str | None = None) -> None:
        super().__init__(text or edit.description)
        self.document = document
        self.edit = edit
        self._inverse = edit.inverse()

    def redo(self) -> None:
        self.document.apply(self.edit)

    def undo(self) -> None:
        self.document.apply(self._inverse)
