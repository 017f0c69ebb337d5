"""The History panel: the option's change log, with a reason the planner can edit per entry.

:class:`Recorder` keeps an option's :class:`~planner.domain.changelog.ChangeLog` in step with its
undo stack: every pushed edit adds an entry (when, who, what: centres, from, to); undoing takes the
entry off the log, redoing puts the same entry (with its reason) back. Entries that came with the
file stay. :class:`LogModel` shows the log (the Reason column is editable); :class:`HistoryPanel`
is the dock's widget.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from planner.domain.changelog import ChangeLog, LogEntry, entry_for
from planner.domain.plan import Plan

__all__ = ["Recorder", "LogModel", "HistoryPanel", "COLUMNS"]

COLUMNS = ("When", "Who", "What", "Reason")
REASON = COLUMNS.index("Reason")


class Recorder(QObject):
    """Mirrors ``stack`` into ``log``: ``log = saved entries + entries of the applied commands``."""

    changed = Signal()

    def __init__(self, log: ChangeLog, stack: QUndoStack, who: Callable[[], str],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log = log
        self.stack = stack
        self.who = who
        self.saved = len(log)  # entries read from the file: never undone
        self._pending: list[LogEntry] = []  # one per command on the stack, in order
        stack.indexChanged.connect(self._sync)

    def record(self, what: str, before: np.ndarray, before_feds: dict, plan: Plan) -> LogEntry:
        """Call right after a command was pushed for an edit that changed ``before`` -> plan."""
        index = self.stack.index()
        entry = entry_for(what, before, before_feds, plan, self.who())
        self._pending = self._pending[: index - 1] + [entry]
        self._sync(index)
        return entry

    def _sync(self, index: int) -> None:
        entries = self.log.entries
        del entries[self.saved:]
        entries.extend(self._pending[:index])
        self.changed.emit()


class LogModel(QAbstractTableModel):
    """The change log of the current option; the Reason column is editable."""

    reason_edited = Signal(int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._log = ChangeLog()

    def set_log(self, log: ChangeLog) -> None:
        self.beginResetModel()
        self._log = log
        self.endResetModel()

    def refresh(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._log)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def _what(self, entry: LogEntry) -> str:
        if not entry.centres:
            return entry.what
        row = entry.csv_row()
        return f"{entry.what}: {row['from']} \u2192 {row['to']}"

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        entry = self._log[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                return entry.when.replace("T", " ")[:19]
            return (entry.who, self._what(entry), entry.reason)[col - 1]
        if role == Qt.ItemDataRole.ToolTipRole:
            ids = ", ".join(entry.centres[:20]) + (" ..." if len(entry.centres) > 20 else "")
            return f"{entry.what}\nCentres: {ids or '(none)'}\nReason: {entry.reason or '-'}"
        return None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == REASON else base

    def setData(self, index: QModelIndex, value, role=Qt.ItemDataRole.EditRole) -> bool:  # noqa: N802
        if not index.isValid() or index.column() != REASON or role != Qt.ItemDataRole.EditRole:
            return False
        text = str(value or "").strip()
        entry = self._log[index.row()]
        if text == entry.reason:
            return False
        entry.reason = text
        self.dataChanged.emit(index, index, [role])
        self.reason_edited.emit(index.row())
        return True


class HistoryPanel(QTableView):
    """The log as a table, newest at the bottom; double-click a Reason to write why."""

    def __init__(self, model: LogModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.SelectedClicked)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.setColumnWidth(0, 130)
        self.setColumnWidth(1, 70)
        self.setColumnWidth(2, 220)
        self.setToolTip("Every change to this option; double-click a Reason to say why")
        model.modelReset.connect(self.scrollToBottom)
