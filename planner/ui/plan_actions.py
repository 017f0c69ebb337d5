"""Edit and Plan menu behaviour: move, lock, delete, select all, auto-federate, add federation.

Delete: with centres selected it takes them out of their federations (they become unassigned and
the rule check lists them); with none selected it removes the federation selected in the panel if
that federation is empty. Both are one undo step; locked centres and federations refuse.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from planner.domain.plan import UNASSIGNED

__all__ = ["PlanController"]


class PlanController(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window

    @property
    def document(self):
        return self.window.document

    @property
    def editor(self):
        return self.window.editor

    def _selection_or_hint(self, what: str) -> list[str]:
        ids = list(self.document.selection)
        if not ids:
            self.window.status.message(f"Select centres on the map or in the table to {what}")
        return ids

    # -- Edit menu ---------------------------------------------------------------------------
    def move_to(self, ids=None) -> bool:
        """Move to federation…: ask where, then move (one undo step)."""
        ids = list(ids) if ids else self._selection_or_hint("move them")
        if not ids:
            return False
        key = self.window.prompts.choose_federation(self.document.plan, ids)
        if key is None:
            return False
        return self.editor.move(ids, key)

    def toggle_lock(self, ids=None) -> bool:
        ids = list(ids) if ids else self._selection_or_hint("lock them")
        if not ids:
            return False
        ok = self.editor.toggle_lock(ids)
        if ok:
            locked = ids[0] in self.document.plan.locked_centres
            n = len(ids)
            self.window.status.message(
                f"{'Locked' if locked else 'Unlocked'} {n} centre{'s' if n != 1 else ''}"
            )
        return ok

    def select_all(self) -> None:
        self.document.set_selection(self.document.plan.centres.ids)

    def delete(self) -> bool:
        ids = list(self.document.selection)
        if ids:
            ok = self.editor.move(ids, UNASSIGNED)
            if ok:
                self.document.set_selection(())
            return ok
        key = self.window.panel.selected_key()
        if key is None:
            self.window.status.message(
                "Delete takes selected centres out of their federation, or removes the empty "
                "federation selected in the panel"
            )
            return False
        return self.editor.remove_empty([key])

    # -- Plan menu ---------------------------------------------------------------------------
    def auto_federate(self) -> bool:
        return self._federate(reoptimise=False, description="Auto-federate")

    def reoptimise_unlocked(self) -> bool:
        return self._federate(reoptimise=True, description="Re-optimise unlocked")

    def _federate(self, reoptimise: bool, description: str) -> bool:
        proposed = self.window.prompts.federate(self.document, reoptimise_unlocked=reoptimise)
        if proposed is None:
            return False
        ok = self.editor.replace_plan(proposed, description)
        if ok:
            summary = getattr(self.window.prompts, "last_summary", "") or (
                f"{description}: {len(proposed.federations)} federations"
            )
            self.window.status.message(f"{summary} (Ctrl+Z undoes it)", 15000)
        return ok

    def add_federation(self) -> int:
        key = self.editor.add_federation()
        name = self.document.plan.federations[key].name
        self.window.status.message(f"Added {name}: drop centres on its row in the panel")
        return key

    def remove_empty_federations(self) -> bool:
        plan = self.document.plan
        empty = [k for k in plan.federations if not len(plan.members(k))]
        if not empty:
            self.window.status.message("No empty federation to remove")
            return False
        return self.editor.remove_empty(empty)
