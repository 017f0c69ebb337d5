"""The federation panel: one row per federation with its figures, problems and lock; a drop target.

:class:`FederationModel` is a table over ``document.stats`` in the plan's federation order. The name
is editable and the lock is a check box; both go through the :class:`~planner.ui.editing.Editor`
(one undo step each). Rows that break a rule are tinted and say why in their tooltip. Dropping
centre ids (MIME ``application/x-planner-centre-ids``) on a row moves those centres there.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView, QWidget

from planner.domain.constraints import Violation
from planner.ui.document import Document
from planner.ui.editing import Editor
from planner.ui.mime import CENTRE_IDS_MIME, decode_ids
from planner.ui.swatch import swatch_icon

__all__ = ["FederationModel", "FederationPanel", "COLUMNS"]

COLUMNS = (
    "Federation",
    "Centres",
    "Weight",
    "vs mean",
    "Mean km",
    "Max km",
    "Children",
    "Deprived",
    "Deprived share",
    "One piece",
    "Locked",
    "Problems",
)
(COL_NAME, COL_COUNT, COL_WEIGHT, COL_DEV, COL_MEAN, COL_MAX, COL_CHILDREN, COL_DEPRIVED,
 COL_SHARE, COL_CONTIG, COL_LOCK, COL_PROBLEMS) = range(len(COLUMNS))
_NUMERIC = (COL_COUNT, COL_WEIGHT, COL_DEV, COL_MEAN, COL_MAX, COL_CHILDREN, COL_DEPRIVED,
            COL_SHARE)

PROBLEM_BACKGROUND = QColor("#F9D9DC")
KEY_ROLE = Qt.ItemDataRole.UserRole + 1

_ALIGN_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
_TIPS = {
    COL_NAME: "Colour on the map and name (double-click to rename)",
    COL_COUNT: "Number of centres",
    COL_DEV: "Weight relative to the mean federation",
    COL_MEAN: "Mean distance (km) from a centre to the federation's hub",
    COL_MAX: "Distance (km) from the hub to the furthest centre",
    COL_CHILDREN: "Children aged 0-15 (Census 2021) in the small areas nearest to its centres",
    COL_DEPRIVED: "Of those, children in the 30% most deprived small areas (IMD 2019 deciles 1-3)",
    COL_SHARE: "Deprived children as a share of its children; the header gives the spread across "
               "federations",
    COL_CONTIG: "One connected piece of the neighbourhood graph (else: how many pieces)",
    COL_LOCK: "A locked federation keeps its centres (moves and re-optimising leave it alone)",
    COL_PROBLEMS: "Rules this federation breaks (hover the row for details)",
}


class FederationModel(QAbstractTableModel):
    """Rows: federations in plan order. Columns: :data:`COLUMNS`."""

    def __init__(self, document: Document, editor: Editor, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self.editor = editor
        self._keys: list[int] = []
        self._problems: dict[int, list[Violation]] = {}
        self._share_spread: tuple[float, float] | None = None
        self._refresh_keys()
        document.plan_changed.connect(self._on_plan_changed)
        document.plan_replaced.connect(self._reset)

    # -- keeping up with the document ------------------------------------------------------------
    def _refresh_keys(self) -> None:
        self._keys = list(self.document.plan.federations)
        self._mean_weight = self.document.stats.mean_weight
        spread = self.document.reach_stats.deprived_share_spread()
        if spread != self._share_spread:
            self._share_spread = spread
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, COL_SHARE, COL_SHARE)
        self._problems = {}
        for v in self.document.violations():
            if v.federation is not None:
                self._problems.setdefault(v.federation, []).append(v)

    def _reset(self) -> None:
        self.beginResetModel()
        self._refresh_keys()
        self.endResetModel()

    def _on_plan_changed(self, _keys) -> None:
        if list(self.document.plan.federations) != self._keys:
            self._reset()
            return
        self._refresh_keys()
        if self._keys:
            # Deviation from the mean and the size rules depend on every federation: refresh all.
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._keys) - 1,
                                                               len(COLUMNS) - 1))

    # -- lookup ------------------------------------------------------------------------------
    def key_at(self, row: int) -> int:
        return self._keys[row]

    def row_of(self, key: int) -> int:
        return self._keys.index(key)

    def problems(self, key: int) -> list[Violation]:
        return list(self._problems.get(key, ()))

    # -- QAbstractTableModel -----------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == COL_SHARE and self._share_spread is not None:
                lo, hi = self._share_spread
                return f"Deprived share {lo:.0%}\u2013{hi:.0%}"
            return COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            if section == COL_WEIGHT:
                column = self.document.weight_column
                return f"Sum of {column}" if column else "Number of centres (no weight column)"
            return _TIPS.get(section)
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDropEnabled
        if index.column() == COL_NAME:
            f |= Qt.ItemFlag.ItemIsEditable
        elif index.column() == COL_LOCK:
            f |= Qt.ItemFlag.ItemIsUserCheckable
        return f

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return None
        key = self._keys[index.row()]
        col = index.column()
        plan, stats = self.document.plan, self.document.stats
        fed = plan.federations[key]
        s = stats[key] if key in stats else None
        if role == KEY_ROLE:
            return key
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return self._text(col, key, fed, s, role == Qt.ItemDataRole.EditRole)
        if role == Qt.ItemDataRole.DecorationRole and col == COL_NAME:
            return swatch_icon(fed.colour, 14)
        if role == Qt.ItemDataRole.CheckStateRole and col == COL_LOCK:
            return Qt.CheckState.Checked if fed.locked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.TextAlignmentRole and col in _NUMERIC:
            return _ALIGN_RIGHT
        problems = self._problems.get(key)
        if role == Qt.ItemDataRole.BackgroundRole and problems:
            return PROBLEM_BACKGROUND
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{fed.name}: click to zoom to it; drop centres here to move them in"]
            lines += self._reach_tip(key)
            lines += [f"\u26a0 {v.message}" for v in problems or ()]
            return "\n".join(lines)
        return None

    def _text(self, col, key, fed, s, edit: bool):
        if col == COL_NAME:
            return fed.name
        if s is None:
            return None
        if col == COL_COUNT:
            return str(s.count)
        if col == COL_WEIGHT:
            return f"{s.weight:,.0f}"
        if col == COL_DEV:
            dev = s.weight / self._mean_weight - 1.0 if self._mean_weight else 0.0
            return f"{dev * 100:+.1f}%"
        if col == COL_MEAN:
            return f"{s.mean_to_hub / 1000:.1f}"
        if col == COL_MAX:
            return f"{s.max_to_hub / 1000:.1f}"
        if col in (COL_CHILDREN, COL_DEPRIVED, COL_SHARE):
            return self._reach_text(col, key)
        if col == COL_CONTIG:
            if s.count == 0:
                return "empty"
            return "yes" if s.contiguous else f"no ({s.components})"
        if col == COL_PROBLEMS:
            return ", ".join(dict.fromkeys(v.rule for v in self._problems.get(key, ())))
        return None

    def _reach_text(self, col: int, key: int) -> str | None:
        reach = self.document.reach_stats
        if key not in reach:
            return None
        r = reach[key]
        if col == COL_CHILDREN:
            return f"{r.children:,.0f}"
        if col == COL_DEPRIVED:
            return f"{r.deprived:,.0f}"
        return f"{r.deprived_share:.0%}" if r.children > 0 else "\u2013"

    def _reach_tip(self, key: int) -> list[str]:
        reach = self.document.reach_stats
        if key not in reach or reach[key].area_count == 0:
            return []
        r = reach[key]
        return [f"Reach: {r.children:,.0f} children 0-15 ({r.deprived:,.0f} in the 30% most "
                f"deprived areas, {r.deprived_share:.0%}), {r.population:,.0f} residents; its "
                f"{r.area_count:,.0f} small areas lie {r.mean_to_hub / 1000:.1f} km from the hub "
                f"on average (furthest {r.max_to_hub / 1000:.1f} km)"]

    def setData(self, index, value, role=Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self._keys):
            return False
        key = self._keys[index.row()]
        if index.column() == COL_NAME and role == Qt.ItemDataRole.EditRole:
            return self.editor.rename(key, str(value))
        if index.column() == COL_LOCK and role == Qt.ItemDataRole.CheckStateRole:
            locked = Qt.CheckState(value) == Qt.CheckState.Checked
            return self.editor.set_federation(key, locked=locked)
        return False

    # -- drops -------------------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [CENTRE_IDS_MIME]

    def supportedDropActions(self):
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def _drop_row(self, row: int, parent) -> int:
        return parent.row() if parent.isValid() else row

    def canDropMimeData(self, data, action, row, column, parent) -> bool:
        target = self._drop_row(row, parent)
        return (
            data is not None
            and data.hasFormat(CENTRE_IDS_MIME)
            and 0 <= target < len(self._keys)
        )

    def dropMimeData(self, data, action, row, column, parent) -> bool:
        """Move the dropped centres into the federation of the row they were dropped on."""
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        ids = [i for i in decode_ids(data) if i in self.document.plan.centres]
        if not ids:
            return False
        return self.editor.move(ids, self._keys[self._drop_row(row, parent)])


class FederationPanel(QTableView):
    """The table view: click a row to zoom to the federation (or to the problem it has)."""

    federation_activated = Signal(int)  # zoom to the whole federation
    centres_activated = Signal(list)  # zoom to these centres (the ones a rule is about)
    drop_preview = Signal(list, int)  # centres dragged over a row (-1: over no row / left)

    def __init__(self, model: FederationModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setObjectName("federationPanel")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setDragDropOverwriteMode(True)
        self.setDropIndicatorShown(True)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        # Fit the columns when the rows change, not on every edit: ResizeToContents would ask
        # every cell for its size after each move (tens of ms with 160 federations).
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        model.modelReset.connect(self.resizeColumnsToContents)
        self.resizeColumnsToContents()
        self._preview_key: int | None = None
        self.clicked.connect(self._on_clicked)

    def model(self) -> FederationModel:  # type: ignore[override]
        return super().model()  # type: ignore[return-value]

    def selected_key(self) -> int | None:
        index = self.currentIndex()
        if not index.isValid() or not self.selectionModel().isSelected(index):
            return None
        return self.model().key_at(index.row())

    # -- context menu ---------------------------------------------------------------------------
    def contextMenuEvent(self, event) -> None:  # noqa: N802 - Qt override
        index = self.indexAt(event.pos())
        if index.isValid():
            menu = self.menu_for(index.row())
            menu.exec(event.globalPos())
            menu.deleteLater()

    def menu_for(self, row: int) -> QMenu:
        """Zoom to, select the centres of, rename, lock/unlock or remove (if empty) a federation."""
        model = self.model()
        key = model.key_at(row)
        doc = model.document
        fed = doc.plan.federations[key]
        members = doc.plan.member_ids(key)
        menu = QMenu(self)
        menu.addAction("Zoom to", lambda: self.federation_activated.emit(key))
        select = menu.addAction(f"Select its {len(members)} centres",
                                lambda: doc.set_selection(doc.plan.member_ids(key)))
        select.setEnabled(bool(members))
        menu.addSeparator()
        menu.addAction("Rename…", lambda: self.edit(model.index(row, COL_NAME)))
        menu.addAction("Unlock" if fed.locked else "Lock",
                       lambda: model.editor.set_federation(key, locked=not fed.locked))
        remove = menu.addAction("Remove (empty federations only)",
                                lambda: model.editor.remove_empty([key]))
        remove.setEnabled(not members)
        return menu

    # -- live preview while centres are dragged over the rows ------------------------------------
    def dragMoveEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().dragMoveEvent(event)
        ids = decode_ids(event.mimeData())
        if ids:
            index = self.indexAt(event.position().toPoint())
            key = self.model().key_at(index.row()) if index.isValid() else -1
            if key != self._preview_key:
                self._preview_key = key
                self.drop_preview.emit(ids, key)

    def dragLeaveEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().dragLeaveEvent(event)
        self._end_preview()

    def dropEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._end_preview()
        super().dropEvent(event)

    def _end_preview(self) -> None:
        if self._preview_key is not None:
            self._preview_key = None
            self.drop_preview.emit([], -1)

    def _on_clicked(self, index) -> None:
        if not index.isValid() or index.column() == COL_LOCK:
            return
        key = self.model().key_at(index.row())
        centres = [c for v in self.model().problems(key) for c in v.centres]
        if centres:
            self.centres_activated.emit(list(dict.fromkeys(centres)))
        else:
            self.federation_activated.emit(key)

