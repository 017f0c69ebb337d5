"""Compare the option shown with another option (or a plan file): moves table and map rings.

The dock's selector lists the other options of the open file and "Plan file…". The table lists
every centre in a different federation (centre, federation here, federation there), federations
being paired by the centres they share (:func:`planner.domain.compare.compare`). The map rings
those centres in the other plan's federation colour. Both follow edits and option switches.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.compare import Comparison, compare
from planner.domain.plan import Plan
from planner.ui.compare_rings import RingsItem

__all__ = ["MovesModel", "ComparePanel", "NONE_TEXT", "FILE_TEXT"]

NONE_TEXT = "(nothing)"
FILE_TEXT = "Plan file\u2026"


class MovesModel(QAbstractTableModel):
    """One row per centre that differs: centre, its federation here, its federation there."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.comparison: Comparison | None = None
        self.headers = ["Centre", "Here", "There"]

    def set_comparison(self, comparison: Comparison | None, here: str, there: str) -> None:
        self.beginResetModel()
        self.comparison = comparison
        self.headers = ["Centre", f"In {here}", f"In {there}"]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        if parent.isValid() or self.comparison is None:
            return 0
        return len(self.comparison.moves)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or self.comparison is None:
            return None
        move = self.comparison.moves[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (move.name, move.fed_a or "(none)", move.fed_b or "(none)")[index.column()]
        if role == Qt.ItemDataRole.UserRole:
            return move.centre
        return None


class ComparePanel(QWidget):
    """The Compare dock's widget; ``window`` is the MainWindow (document, scene, options)."""

    centres_activated = Signal(list)

    def __init__(self, window, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("compare")
        self.window = window
        self.other: Plan | None = None
        self.other_name = ""
        self.comparison: Comparison | None = None
        self.rings: RingsItem | None = None
        self.selector = QComboBox()
        self.selector.setObjectName("compareSelector")
        self.selector.activated.connect(self._picked)
        self.summary = QLabel("Pick an option to compare with.")
        self.summary.setWordWrap(True)
        self.model = MovesModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(
            lambda ix: self.centres_activated.emit([self.model.data(ix, Qt.ItemDataRole.UserRole)]))
        top = QHBoxLayout()
        top.addWidget(QLabel("Compare with:"))
        top.addWidget(self.selector, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        doc = window.document
        doc.plan_changed.connect(lambda _keys: self.refresh())
        doc.plan_replaced.connect(self.refresh)
        self.fill()

    # -- choosing --------------------------------------------------------------------------------
    def fill(self) -> None:
        """Offer the other options of the open file (called when options change)."""
        names = [n for n in self.window.options.book.names()
                 if n != self.window.options.current.name]
        keep = self.selector.currentText()
        self.selector.blockSignals(True)
        self.selector.clear()
        self.selector.addItems([NONE_TEXT, *names, FILE_TEXT])
        if self.other is not None and self.other_name in names:
            self.selector.setCurrentText(self.other_name)
        elif self.other is not None and keep not in names and keep != NONE_TEXT:
            self.selector.insertItem(len(names) + 1, self.other_name)
            self.selector.setCurrentText(self.other_name)
        self.selector.blockSignals(False)
        self._resolve()
        self.refresh()

    def _resolve(self) -> None:
        """Re-find the compared option by name (it may have been renamed, deleted or shown)."""
        options = self.window.options
        if self.other_name in options.book.names():
            other = options.book.option(self.other_name)
            self.other = None if other is options.current else other.plan
        elif self.other is not None and self.other.centres is options.current.plan.centres:
            self.other = None  # a deleted option

    def _picked(self, index: int) -> None:
        text = self.selector.itemText(index)
        if text == NONE_TEXT:
            self.compare_with(None, "")
        elif text == FILE_TEXT:
            self.compare_file()
        elif text in self.window.options.book.names():
            self.compare_with(self.window.options.book.option(text).plan, text)

    def compare_file(self, path=None) -> bool:
        from pathlib import Path

        from planner.geo.planbook import load_book

        if path is None:
            path = self.window.prompts.open_path("Compare with plan file",
                                                 "Plan files (*.geojson);;All files (*)")
            if not path:
                return False
        try:
            book, _ = load_book(path)
            compare(self.window.document.plan, book.current_option.plan)
        except Exception as exc:  # noqa: BLE001 - any failure is shown, nothing changes
            self.window.prompts.error("Cannot compare", str(exc))
            return False
        self.compare_with(book.current_option.plan, Path(path).name)
        return True

    def compare_with(self, plan: Plan | None, name: str) -> None:
        self.other, self.other_name = plan, name
        self.fill()

    # -- showing ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        plan = self.window.document.plan
        self.comparison = None
        if self.other is not None:
            try:
                self.comparison = compare(plan, self.other)
            except ValueError:
                self.other, self.other_name = None, ""
        here = self.window.options.current.name
        self.model.set_comparison(self.comparison, here, self.other_name)
        if self.comparison is None:
            self.summary.setText("Pick an option to compare with.")
        else:
            n = len(self.comparison.moves)
            self.summary.setText(f"{n} of {len(plan.centres)} centres are in a different "
                                 f"federation in {self.other_name} (ringed in its colour).")
        self._draw_rings()

    def _draw_rings(self) -> None:
        import shiboken6

        scene = self.window.scene
        if self.rings is not None and shiboken6.isValid(self.rings) and self.rings.scene():
            scene.removeItem(self.rings)
        self.rings = None
        if self.comparison is None or not self.comparison.moves:
            return
        cmp, plan = self.comparison, self.window.document.plan
        rows = plan.centres.indices_of([m.centre for m in cmp.moves])
        colours = [cmp.b.federations[m.key_b].colour if m.key_b in cmp.b.federations
                   else "#777777" for m in cmp.moves]
        self.rings = RingsItem(plan.centres.xy[rows], colours)
        scene.addItem(self.rings)
