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

    ``applied=True`` says the caller already applied the edit (so a refusal surfaced before
    anything reached the stack); the first ``redo`` (made by ``QUndoStack.push``) does nothing.
    """

    def __init__(
        self, document: Document, edit: Edit, text: str | None = None, applied: bool = False
    ) -> None:
        super().__init__(text or edit.description)
        self.document = document
        self.edit = edit
        self._inverse = edit.inverse()
        self._skip_redo = applied

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        self.document.apply(self.edit)

    def undo(self) -> None:
        self.document.apply(self._inverse)
