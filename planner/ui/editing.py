"""The window side of editing: turn gestures into domain edits and push one undo step each.

Views (the map scene, the federation panel, the centre table, menu actions) never touch the undo
stack. They call an :class:`Editor`, which builds the pure edit, applies it through the document and
pushes an :class:`~planner.ui.commands.EditCommand`. A refused edit (a locked centre or federation)
changes nothing, pushes nothing, and is reported on ``document.status_message``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtGui import QUndoStack

from planner.domain.palette import colour_for
from planner.domain.plan import (
    UNASSIGNED,
    AddFederation,
    CompoundEdit,
    Edit,
    EditRefused,
    Federation,
    LockCentres,
    Plan,
    Reassign,
    RemoveFederation,
    ReplacePlan,
    SetFederation,
)
from planner.ui.commands import EditCommand
from planner.ui.document import Document

__all__ = ["Editor"]


class Editor:
    """Builds, applies and pushes edits for ``document`` on ``stack``."""

    def __init__(self, document: Document, stack: QUndoStack) -> None:
        self.document = document
        self.stack = stack
        # Called after each push with (text, assignment before, federations before, plan): the
        # change log's recorder (planner.ui.history_panel.Recorder) listens here.
        self.on_pushed: Callable | None = None

    # -- the one way in ------------------------------------------------------------------------
    def push(self, make: Callable[[Plan], Edit], text: str | None = None) -> bool:
        """Build an edit with ``make(plan)``, apply it, push it. False (+ message) if refused."""
        plan = self.document.plan
        before = (plan.assignment.copy(), dict(plan.federations))
        try:
            edit = make(plan)
            self.document.apply(edit)
        except EditRefused as exc:
            self.refuse(str(exc))
            return False
        command = EditCommand(self.document, edit, text, applied=True)
        self.stack.push(command)
        if self.on_pushed is not None:
            self.on_pushed(command.text(), *before, self.document.plan)
        return True

    def refuse(self, reason: str) -> None:
        self.document.status_message.emit(f"Not done: {reason}")

    # -- gestures ------------------------------------------------------------------------------
    def move(self, ids: Iterable[str], to: int) -> bool:
        """Move centres to federation ``to`` (``UNASSIGNED`` takes them out of every federation)."""
        ids = [str(i) for i in ids]
        plan = self.document.plan
        if not ids:
            return False
        if all(plan.federation_of(i) == to for i in ids):
            return False  # dropped where they already are: nothing to undo
        ok = self.push(lambda p: _move_edit(p, ids, to))
        if ok:
            where = plan.federations[to].name if to != UNASSIGNED else "no federation"
            n = len(ids)
            self.document.status_message.emit(
                f"Moved {n} centre{'s' if n != 1 else ''} to {where}"
            )
        return ok

    def lock(self, ids: Iterable[str], lock: bool) -> bool:
        ids = [str(i) for i in ids]
        edit = LockCentres.make(self.document.plan, ids, lock)
        if not edit.ids:
            return False
        return self.push(lambda p: LockCentres.make(p, ids, lock))

    def toggle_lock(self, ids: Iterable[str]) -> bool:
        """Lock the selection, or unlock it if every centre in it is already locked."""
        ids = [str(i) for i in ids]
        if not ids:
            return False
        all_locked = all(i in self.document.plan.locked_centres for i in ids)
        return self.lock(ids, not all_locked)

    def set_federation(self, key: int, **changes) -> bool:
        fed = self.document.plan.federations.get(key)
        if fed is None or all(getattr(fed, k) == v for k, v in changes.items()):
            return False
        return self.push(lambda p: SetFederation.make(p, key, **changes))

    def rename(self, key: int, name: str) -> bool:
        name = name.strip()
        if not name:
            self.refuse("a federation needs a name")
            return False
        return self.set_federation(key, name=name)

    def set_hub(self, centre_id: str) -> bool:
        key = self.document.plan.federation_of(centre_id)
        if key == UNASSIGNED:
            self.refuse("the centre is not in a federation")
            return False
        return self.set_federation(key, hub=centre_id)

    def add_federation(self) -> int:
        plan = self.document.plan
        key = plan.next_key()
        names = {f.name for f in plan.federations.values()}
        n = len(plan.federations) + 1
        while f"Federation {n}" in names:
            n += 1
        fed = Federation(key=key, name=f"Federation {n}", colour=colour_for(key))
        self.push(lambda p: AddFederation(fed))
        return key

    def remove_empty(self, keys: Iterable[int]) -> bool:
        """Remove the federations in ``keys`` that have no centres (one undo step)."""
        plan = self.document.plan
        feds = [plan.federations[k] for k in keys if k in plan.federations]
        full = [f for f in feds if len(plan.members(f.key))]
        if full:
            self.refuse(f"federation {full[0].name!r} still has centres; move them out first")
            return False
        if not feds:
            return False
        parts = tuple(RemoveFederation(f) for f in feds)
        edit = parts[0] if len(parts) == 1 else CompoundEdit(parts, "Remove federations")
        return self.push(lambda p: edit)

    def replace_plan(self, proposed: Plan, description: str = "Auto-federate") -> bool:
        return self.push(lambda p: ReplacePlan.make(p, proposed, description))


def _move_edit(plan: Plan, ids: list[str], to: int) -> Edit:
    """Reassign ``ids``; a federation whose hub leaves it loses that hub in the same step."""
    move = Reassign.make(plan, ids, to)
    leaving = set(ids)
    unhub = tuple(
        SetFederation.make(plan, key, hub=None)
        for key, fed in plan.federations.items()
        if key != to and fed.hub in leaving
    )
    return CompoundEdit((move, *unhub), move.description) if unhub else move
