"""The "Move to federation…" chooser: federations with their colour and size; Enter picks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.domain.plan import UNASSIGNED, Plan
from planner.ui.swatch import swatch_icon

__all__ = ["MoveDialog"]


class MoveDialog(QDialog):
    """Choose the federation to move ``ids`` to. ``chosen()`` is the key after ``accept``."""

    def __init__(self, plan: Plan, ids, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        ids = list(ids)
        self.setWindowTitle("Move to federation")
        sources = {plan.federation_of(i) for i in ids}
        n = len(ids)
        label = QLabel(f"Move {n} selected centre{'s' if n != 1 else ''} to:", self)
        self.list = QListWidget(self)
        for fed in plan.federations.values():
            count = len(plan.members(fed.key))
            text = f"{fed.name}  ({count} centres)" + ("  [locked]" if fed.locked else "")
            item = QListWidgetItem(swatch_icon(fed.colour, 14), text)
            item.setData(Qt.ItemDataRole.UserRole, fed.key)
            if fed.locked:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.list.addItem(item)
        none = QListWidgetItem("No federation (unassign)")
        none.setData(Qt.ItemDataRole.UserRole, UNASSIGNED)
        self.list.addItem(none)
        # Start on the first federation the selection is not already in.
        for row in range(self.list.count()):
            item = self.list.item(row)
            key = item.data(Qt.ItemDataRole.UserRole)
            if key not in sources and item.flags() & Qt.ItemFlag.ItemIsEnabled:
                self.list.setCurrentRow(row)
                break
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.list)
        layout.addWidget(buttons)

    def select_key(self, key: int) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.list.setCurrentRow(row)
                return
        raise KeyError(key)

    def chosen(self) -> int | None:
        item = self.list.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))
