"""Every question the window asks the planner, in one replaceable object.

The window never calls a modal dialog directly: it asks ``window.prompts``. Tests replace single
methods (or monkeypatch the ``QMessageBox``/``QFileDialog`` static functions these use), so no modal
dialog is ever left waiting.
"""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QWidget

from planner.domain.plan import Plan

__all__ = ["Prompts", "Unsaved"]


class Unsaved(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


class Prompts:
    def __init__(self, parent: QWidget) -> None:
        self.parent = parent
        self.last_summary = ""  # the auto-federate dialog's one-line report of its last run

    # -- files -------------------------------------------------------------------------------
    def open_path(self, caption: str, filters: str, directory: str = "") -> str | None:
        path, _ = QFileDialog.getOpenFileName(self.parent, caption, directory, filters)
        return path or None

    def save_path(self, caption: str, filters: str, suggested: str = "") -> str | None:
        path, _ = QFileDialog.getSaveFileName(self.parent, caption, suggested, filters)
        return path or None

    # -- messages ----------------------------------------------------------------------------
    def error(self, title: str, text: str) -> None:
        QMessageBox.critical(self.parent, title, text)

    def confirm(self, title: str, text: str) -> bool:
        """A yes/no question; No is the default."""
        S = QMessageBox.StandardButton
        return QMessageBox.question(self.parent, title, text, S.Yes | S.No, S.No) == S.Yes

    def unsaved(self, name: str) -> Unsaved:
        S = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.parent,
            "Unsaved changes",
            f"The plan {name} has changes that are not saved.\n\nSave them first?",
            S.Save | S.Discard | S.Cancel,
            S.Save,
        )
        if answer == S.Save:
            return Unsaved.SAVE
        if answer == S.Discard:
            return Unsaved.DISCARD
        return Unsaved.CANCEL

    def about(self, title: str, html: str) -> None:
        QMessageBox.about(self.parent, title, html)

    # -- choices -----------------------------------------------------------------------------
    def choose_federation(self, plan: Plan, ids) -> int | None:
        from planner.ui.move_chooser import MoveDialog

        dialog = MoveDialog(plan, ids, self.parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.chosen()
        finally:
            dialog.deleteLater()

    def column_mapping(self, guess) -> dict | None:
        """The import dialog for ambiguous columns: kwargs for ``read_centres``, or None."""
        from planner.ui.dialogs.import_dialog import ColumnMappingDialog

        dialog = ColumnMappingDialog(guess, self.parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.mapping()
        finally:
            dialog.deleteLater()

    def federate(self, document, reoptimise_unlocked: bool = False) -> Plan | None:
        """The auto-federate dialog (it runs the engine in a worker): the proposed plan, or None."""
        from planner.ui.dialogs.federate_dialog import FederateDialog

        dialog = FederateDialog(document, self.parent, reoptimise_unlocked=reoptimise_unlocked)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            self.last_summary = dialog.summary()
            return dialog.result_plan
        finally:
            dialog.deleteLater()
