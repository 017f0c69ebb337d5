"""The centre table: every centre with its federation, searchable and filterable by federation.

:class:`CentreModel` lists the centres in file order; :class:`CentreFilter` narrows it by a search
text (id, name or district) and a federation. :class:`CentreTable` is the dock widget: a search box,
a federation chooser and the view. Its selection follows ``document.selection`` and sets it; rows
can be dragged onto the federation panel (MIME ``application/x-planner-centre-ids``).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.domain.plan import UNASSIGNED
from planner.ui.document import Document
from planner.ui.mime import CENTRE_IDS_MIME, encode_ids
from planner.ui.swatch import swatch_icon

__all__ = ["CentreModel", "CentreFilter", "CentreTable", "ALL_FEDERATIONS"]

ALL_FEDERATIONS = None
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
DISTRICT_COLUMNS = ("lad_name", "district", "la_name", "dfe_la_name")
(COL_ID, COL_NAME, COL_FED, COL_LOCK, COL_DISTRICT, COL_CHILDREN, COL_DEPRIVED, COL_SHARE,
 COL_MEAN_KM, COL_WEIGHT) = range(10)
REACH_HEADERS = ("Children", "Deprived", "Deprived share", "Reach km")
_REACH_TIPS = (
    "Children aged 0-15 (Census 2021) in the small areas nearest to this centre",
    "Of those, children in the 30% most deprived small areas (IMD 2019 deciles 1-3)",
    "Deprived children as a share of its children",
    "Mean distance (km) from its small areas to the centre (longest in the tooltip)",
)
_ROW_SIGNALS = 200  # above this many changed rows, one signal for the whole table


class CentreModel(QAbstractTableModel):
    """One row per centre (file order). Columns: id, name, federation, locked, district, the
    centre's reach (children, deprived children, their share, mean distance) and the weight."""

    def __init__(self, document: Document, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self._district: tuple | None = None
        self._weights = None
        self._cache_columns()
        document.plan_changed.connect(self._on_plan_changed)
        document.plan_replaced.connect(self._on_replaced)

    def _cache_columns(self) -> None:
        attrs = self.document.plan.centres.attributes
        col = next((c for c in DISTRICT_COLUMNS if c in attrs), None)
        self._district = attrs[col] if col else None
        self._weights = self.document.weights()
        reach = self.document.reach
        self._reach_values = (reach.children, reach.deprived, reach.deprived_share,
                              reach.mean_distance / 1000)

    def _on_replaced(self) -> None:
        self.beginResetModel()
        self._cache_columns()
        self.endResetModel()

    def _on_plan_changed(self, keys) -> None:
        if (self.document.stats.weights is None) != (self._weights is None):
            self._on_replaced()
            return
        # Only the rows now in a touched federation (or in none) can show something new. A few
        # dozen single-row signals keep the filter proxy from re-checking every centre.
        assignment = self.document.plan.assignment
        rows = np.flatnonzero(np.isin(assignment, [*keys, UNASSIGNED]))
        if len(rows) > _ROW_SIGNALS:
            self.dataChanged.emit(self.index(0, COL_FED), self.index(self.rowCount() - 1, COL_LOCK))
            return
        for row in rows.tolist():
            self.dataChanged.emit(self.index(row, COL_FED), self.index(row, COL_LOCK))

    def centre_id(self, row: int) -> str:
        return self.document.plan.centres.ids[row]

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.document.plan.centres)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        return COL_WEIGHT + 1 if self._weights is not None else COL_MEAN_KM + 1

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if (role == Qt.ItemDataRole.ToolTipRole and orientation == Qt.Orientation.Horizontal
                and COL_CHILDREN <= section <= COL_MEAN_KM):
            return _REACH_TIPS[section - COL_CHILDREN]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        names = ["Id", "Name", "Federation", "Locked", "District", *REACH_HEADERS,
                 self.document.weight_column or "Weight"]
        return names[section] if 0 <= section < self.columnCount() else None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsDragEnabled)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        row, col = index.row(), index.column()
        plan = self.document.plan
        cid = plan.centres.ids[row]
        if role == ID_ROLE:
            return cid
        key = int(plan.assignment[row])
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if col == COL_ID:
                return cid
            if col == COL_NAME:
                return plan.centres.names[row]
            if col == COL_FED:
                return plan.federations[key].name if key != UNASSIGNED else "(none)"
            if col == COL_LOCK:
                locked = cid in plan.locked_centres
                if role == SORT_ROLE:
                    return int(locked)
                return "locked" if locked else ""
            if col == COL_DISTRICT:
                return str(self._district[row]) if self._district is not None else ""
            if col == COL_WEIGHT and self._weights is not None:
                w = float(self._weights[row])
                return w if role == SORT_ROLE else f"{w:,.0f}"
            if COL_CHILDREN <= col <= COL_MEAN_KM:
                return self._reach(row, col, role == SORT_ROLE)
            return None
        if role == Qt.ItemDataRole.DecorationRole and col == COL_FED:
            return QColor(plan.federations[key].colour) if key != UNASSIGNED else QColor("#BBBBBB")
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= COL_CHILDREN:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and col == COL_MEAN_KM:
            reach = self.document.reach
            return (f"{reach.area_count[row]:,.1f} small areas; the furthest "
                    f"{reach.distance_max[row] / 1000:.1f} km away")
        return None

    def _reach(self, row: int, col: int, sort: bool):
        value = float(self._reach_values[col - COL_CHILDREN][row])
        if sort:
            return value
        if col in (COL_CHILDREN, COL_DEPRIVED):
            return f"{value:,.0f}"
        if self.document.reach.area_count[row] == 0:
            return "\u2013"
        return f"{value:.0%}" if col == COL_SHARE else f"{value:.1f}"

    # -- drags -------------------------------------------------------------------------------
    def mimeTypes(self) -> list[str]:
        return [CENTRE_IDS_MIME]

    def mimeData(self, indexes):
        rows = sorted({i.row() for i in indexes if i.isValid()})
        return encode_ids(self.centre_id(r) for r in rows)

    def supportedDragActions(self):
        # Copy, never Move: a move would make the view remove the dragged rows from this model.
        return Qt.DropAction.CopyAction


class CentreFilter(QSortFilterProxyModel):
    """Rows whose id, name or district contain the search text, in the chosen federation."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._text = ""
        self._federation: int | None = ALL_FEDERATIONS
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

    def set_text(self, text: str) -> None:
        self._change(lambda: setattr(self, "_text", text.strip().casefold()))

    def set_federation(self, key: int | None) -> None:
        self._change(lambda: setattr(self, "_federation", key))

    def _change(self, change) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt >= 6.10
            self.beginFilterChange()
            change()
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:  # pragma: no cover - older Qt
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent) -> bool:
        model: CentreModel = self.sourceModel()  # type: ignore[assignment]
        plan = model.document.plan
        if self._federation is not ALL_FEDERATIONS:
            if int(plan.assignment[source_row]) != self._federation:
                return False
        if not self._text:
            return True
        hay = [plan.centres.ids[source_row], plan.centres.names[source_row]]
        district = model.index(source_row, COL_DISTRICT).data()
        if district:
            hay.append(district)
        return any(self._text in h.casefold() for h in hay)


class CentreTable(QWidget):
    """Search box, federation filter and the table; selection kept in step with the document."""

    centres_activated = Signal(list)  # double-click: zoom the map to these centres

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("centreTable")
        self.document = document
        self.model = CentreModel(document, self)
        self.proxy = CentreFilter(self)
        self.proxy.setSourceModel(self.model)
        self._syncing = False

        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Search name, id or district")
        self.search.setClearButtonEnabled(True)
        self.federation = QComboBox(self)
        self.federation.setToolTip("Show the centres of one federation")
        self.view = QTableView(self)
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.view.setWordWrap(False)

        top = QHBoxLayout()
        top.addWidget(self.search, 2)
        top.addWidget(self.federation, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view)

        self._fill_federations()
        self.search.textChanged.connect(self._on_search)
        self.federation.currentIndexChanged.connect(self._on_federation)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection)
        self.view.doubleClicked.connect(self._on_double_click)
        document.selection_changed.connect(self._show_selection)
        document.plan_replaced.connect(self._on_replaced)
        document.plan_changed.connect(self._on_plan_changed)
        self.view.resizeColumnsToContents()

    # -- federation filter --------------------------------------------------------------------
    def _fill_federations(self) -> None:
        current = self.federation.currentData()
        self.federation.blockSignals(True)
        self.federation.clear()
        self.federation.addItem("All federations", ALL_FEDERATIONS)
        for fed in self.document.plan.federations.values():
            self.federation.addItem(swatch_icon(fed.colour), fed.name, fed.key)
        self.federation.addItem("Not in a federation", UNASSIGNED)
        i = self.federation.findData(current)
        self.federation.setCurrentIndex(max(0, i))
        self.federation.blockSignals(False)
        if i < 0 and current is not ALL_FEDERATIONS:
            self._on_federation(0)

    def _on_plan_changed(self, _keys) -> None:
        feds = self.document.plan.federations.values()
        shown = [(self.federation.itemData(i), self.federation.itemText(i))
                 for i in range(1, self.federation.count() - 1)]
        if shown != [(f.key, f.name) for f in feds]:
            self._fill_federations()
        # No refilter here: the model signals the rows that changed, and the proxy (dynamic
        # filtering) re-checks exactly those.

    def _on_replaced(self) -> None:
        self._fill_federations()
        self.view.resizeColumnsToContents()

    def _on_search(self, text: str) -> None:
        self._refilter(lambda: self.proxy.set_text(text))

    def _on_federation(self, index: int) -> None:
        key = self.federation.itemData(index)
        self._refilter(lambda: self.proxy.set_federation(key))

    def set_federation_filter(self, key: int | None) -> None:
        i = self.federation.findData(key)
        if i >= 0:
            self.federation.setCurrentIndex(i)

    def _refilter(self, change) -> None:
        self._syncing = True
        try:
            change()
        finally:
            self._syncing = False
        self._show_selection(self.document.selection)

    # -- selection in step with the document --------------------------------------------------
    def _on_view_selection(self, *_):
        if self._syncing:
            return
        rows = {self.proxy.mapToSource(i).row() for i in self.view.selectionModel().selectedRows()}
        self.document.set_selection(self.model.centre_id(r) for r in sorted(rows))

    def _show_selection(self, ids) -> None:
        centres = self.document.plan.centres
        selection = QItemSelection()
        last = self.model.columnCount() - 1
        for cid in ids:
            if cid not in centres:
                continue
            row = centres.index_of(cid)
            left = self.proxy.mapFromSource(self.model.index(row, 0))
            if left.isValid():
                selection.select(left, left.siblingAtColumn(last))
        self._syncing = True
        try:
            self.view.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            if not selection.isEmpty():
                self.view.scrollTo(selection.indexes()[0])
        finally:
            self._syncing = False

    def _on_double_click(self, index) -> None:
        if index.isValid():
            self.centres_activated.emit([self.model.centre_id(self.proxy.mapToSource(index).row())])

