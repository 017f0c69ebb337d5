"""Column mapping for a centres file whose columns are ambiguous (or missing).

The window asks :func:`planner.geo.io.detect_columns` first; when the guess is ambiguous it shows
:class:`ColumnMappingDialog` and passes :meth:`ColumnMappingDialog.mapping` to ``read_centres``::

    guess = detect_columns(path)
    dialog = ColumnMappingDialog(guess, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        result = read_centres(path, **dialog.mapping())

The dialog starts from the guess (``header``, ``id_column``, ``name_column``, ``x_column``,
``y_column``, ``coords``, ``candidates``, ``numeric_columns``, ``preview``, ``ambiguous``) and
only reads those attributes, so any object that has them will do. OK stays disabled until both
coordinate columns are chosen (or the file's own point geometry is used).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

__all__ = ["ColumnMappingDialog", "COORDINATE_KINDS"]

#: coords value -> (label, x role, y role)
COORDINATE_KINDS = {
    "lonlat": ("Longitude / latitude (WGS84 degrees)", "Longitude", "Latitude"),
    "bng": ("Easting / northing (British National Grid, metres)", "Easting", "Northing"),
    "geometry": ("The file's point geometry", "x", "y"),
}
_CANDIDATE_ROLES = {"lonlat": ("lon", "lat"), "bng": ("easting", "northing")}
_NONE = "(none)"
_ROW_IDS = "(none: number the rows)"
_CHOOSE = "(choose a column)"
PREVIEW_ROWS = 10


class ColumnMappingDialog(QDialog):
    """Which columns hold the id, name, coordinates and weight; ``mapping()`` gives the kwargs."""

    def __init__(self, guess, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guess = guess
        self.setWindowTitle("Choose the columns")
        self.header: list[str] = [str(c) for c in getattr(guess, "header", []) or []]
        coords = getattr(guess, "coords", None)
        kind = getattr(guess, "kind", "csv")
        self._has_geometry = coords == "geometry" or kind not in (None, "csv")

        intro = QLabel(self._intro_text())
        intro.setObjectName("intro")
        intro.setWordWrap(True)

        form = self._form()
        self._build_preview()

        self.hint_label = QLabel()
        self.hint_label.setObjectName("hint")
        self.hint_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        if self.preview.rowCount():
            layout.addWidget(QLabel(f"The first {self.preview.rowCount()} rows:"))
            layout.addWidget(self.preview, 1)
        else:
            self.preview.hide()
        layout.addWidget(self.hint_label)
        layout.addWidget(self.buttons)

        self._preselect()
        for combo in (self.id_combo, self.name_combo, self.x_combo, self.y_combo,
                      self.weight_combo):
            combo.currentIndexChanged.connect(self._update)
        self.coords_combo.currentIndexChanged.connect(self._on_kind_changed)
        self._update()

    # -- construction ---------------------------------------------------------------------------
    def _form(self) -> QFormLayout:
        """The column choosers (id, name, coordinates, weight) in a form."""
        self.id_combo = self._column_combo(_ROW_IDS)
        self.name_combo = self._column_combo(_NONE)
        self.coords_combo = QComboBox()
        for key, (label, _, _) in COORDINATE_KINDS.items():
            if key != "geometry" or self._has_geometry:
                self.coords_combo.addItem(label, key)
        self.x_combo = self._column_combo(_CHOOSE)
        self.y_combo = self._column_combo(_CHOOSE)
        self.x_label, self.y_label = QLabel(), QLabel()
        numeric = list(getattr(self.guess, "numeric_columns", None) or self.header)
        self.weight_combo = QComboBox()
        self.weight_combo.addItem(_NONE, None)
        for col in numeric:
            self.weight_combo.addItem(col, col)
        self.weight_combo.setToolTip("A number per centre to balance (children, pupils...)")

        form = QFormLayout()
        form.addRow("&Id:", self.id_combo)
        form.addRow("&Name:", self.name_combo)
        form.addRow("&Coordinates:", self.coords_combo)
        form.addRow(self.x_label, self.x_combo)
        form.addRow(self.y_label, self.y_combo)
        form.addRow("&Weight:", self.weight_combo)
        return form

    def _build_preview(self) -> None:
        """The first rows of the file, read-only."""
        self.preview = QTableWidget()
        self.preview.setObjectName("preview")
        self.preview.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.preview.setWordWrap(False)
        self._fill_preview()

    def _column_combo(self, empty: str) -> QComboBox:
        combo = QComboBox()
        combo.addItem(empty, None)
        for col in self.header:
            combo.addItem(col, col)
        return combo

    def _intro_text(self) -> str:
        g = self.guess
        cands = getattr(g, "candidates", None) or {}
        notes = []
        if getattr(g, "coords", None) is None:
            notes.append("No coordinate columns were recognised: choose them below.")
        if cands.get("lat") and cands.get("easting"):
            notes.append("The file has both latitude/longitude and easting/northing.")
        if len(cands.get("id", [])) > 1:
            notes.append(f"Several columns could be the id: {', '.join(cands['id'])}.")
        fed = getattr(g, "federation_column", None)
        if fed:
            notes.append(f"Federations will be read from the column {fed!r}.")
        return " ".join(notes) or "Check the columns the planner will use."

    def _fill_preview(self) -> None:
        rows = [list(r) for r in (getattr(self.guess, "preview", None) or [])][:PREVIEW_ROWS]
        self.preview.setColumnCount(len(self.header))
        self.preview.setHorizontalHeaderLabels(self.header)
        self.preview.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row[: len(self.header)]):
                text = "" if value is None else str(value)
                self.preview.setItem(r, c, QTableWidgetItem(text))

    def _preselect(self) -> None:
        g = self.guess
        _select(self.id_combo, getattr(g, "id_column", None))
        _select(self.name_combo, getattr(g, "name_column", None))
        coords = getattr(g, "coords", None)
        if coords is None:
            coords = "lonlat"
        index = self.coords_combo.findData(coords)
        self.coords_combo.setCurrentIndex(max(0, index))
        _select(self.x_combo, getattr(g, "x_column", None))
        _select(self.y_combo, getattr(g, "y_column", None))
        _select(self.weight_combo, getattr(g, "weight_column", None))

    # -- behaviour ------------------------------------------------------------------------------
    def coords(self) -> str:
        return self.coords_combo.currentData()

    def _on_kind_changed(self) -> None:
        """Switching lat/lon <-> easting/northing picks that kind's recognised columns."""
        roles = _CANDIDATE_ROLES.get(self.coords())
        cands = getattr(self.guess, "candidates", None) or {}
        if roles:
            for combo, role in zip((self.x_combo, self.y_combo), roles, strict=True):
                found = cands.get(role) or []
                _select(combo, found[0] if found else None)
        self._update()

    def _update(self) -> None:
        kind = self.coords()
        _, x_role, y_role = COORDINATE_KINDS[kind]
        self.x_label.setText(f"{x_role}:")
        self.y_label.setText(f"{y_role}:")
        use_columns = kind != "geometry"
        self.x_combo.setEnabled(use_columns)
        self.y_combo.setEnabled(use_columns)
        problem = self.problem()
        self.ok_button.setEnabled(problem is None)
        self.hint_label.setText(problem or "")
        self._mark_preview()

    def problem(self) -> str | None:
        """Why OK is disabled (None when the mapping is usable)."""
        if self.coords() == "geometry":
            return None
        x, y = self.x_combo.currentData(), self.y_combo.currentData()
        _, x_role, y_role = COORDINATE_KINDS[self.coords()]
        if x is None or y is None:
            missing = [r.lower() for r, v in ((x_role, x), (y_role, y)) if v is None]
            return f"Choose the {' and the '.join(missing)} column."
        if x == y:
            return f"{x_role} and {y_role.lower()} must be different columns."
        return None

    def _mark_preview(self) -> None:
        roles = {
            self.id_combo.currentData(): "id",
            self.name_combo.currentData(): "name",
            self.weight_combo.currentData(): "weight",
        }
        if self.coords() != "geometry":
            _, x_role, y_role = COORDINATE_KINDS[self.coords()]
            roles[self.x_combo.currentData()] = x_role.lower()
            roles[self.y_combo.currentData()] = y_role.lower()
        for c, col in enumerate(self.header):
            role = roles.get(col)
            item = QTableWidgetItem(f"{col}\n[{role}]" if role else col)
            font = QFont(item.font())
            font.setBold(role is not None)
            item.setFont(font)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.preview.setHorizontalHeaderItem(c, item)

    # -- result ---------------------------------------------------------------------------------
    def mapping(self) -> dict:
        """Keyword arguments for :func:`planner.geo.io.read_centres`."""
        geometry = self.coords() == "geometry"
        return {
            "id_column": self.id_combo.currentData(),
            "name_column": self.name_combo.currentData(),
            "x_column": None if geometry else self.x_combo.currentData(),
            "y_column": None if geometry else self.y_combo.currentData(),
            "coords": None if geometry else self.coords(),
            "weight_column": self.weight_combo.currentData(),
        }


def _select(combo: QComboBox, value: str | None) -> None:
    index = combo.findData(value) if value is not None else 0
    combo.setCurrentIndex(index if index >= 0 else 0)
