"""Pieces of the auto-federate form: field choices read from the data, and the balance rows.

- :func:`read_link_groups`, :func:`boundary_columns`, :func:`field_labels`: what the form offers
  and what a chosen field means (centre id -> label);
- :class:`BalanceRows`: one row per balanced figure (column, tolerance, soft), with add and
  remove buttons; ``rows()`` gives :class:`planner.domain.request.BalanceRow` values.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from planner.domain.centres import Centres
from planner.domain.request import BalanceRow
from planner.geo.errors import InputError

__all__ = ["BalanceRows", "boundary_columns", "field_labels", "optional_km_spin",
           "read_link_groups", "sentence"]

_BOUNDARY_HINTS = ("lad", "utla", "la_", "authority", "district", "county", "borough", "ward",
                   "region", "boundary")


def read_link_groups(path: str | Path, centres: Centres) -> tuple[tuple[str, ...], ...]:
    """Must-link groups (:func:`planner.geo.links.read_links`) in the centres' order.

    ``ValueError`` names the file when it cannot be read or lacks the columns.
    """
    from planner.geo.links import read_links

    try:
        groups, _ = read_links(path, set(centres.ids))
    except InputError as exc:
        raise ValueError(str(exc)) from None
    ordered = [tuple(sorted(g, key=centres.index_of)) for g in groups]
    return tuple(sorted(ordered, key=lambda g: centres.index_of(g[0])))


def boundary_columns(centres: Centres) -> list[str]:
    """Centre attribute columns that can serve as boundaries (a few repeated labels).

    A column qualifies when it has at least two distinct non-blank values and at most half as
    many as there are centres (ids, names and postcodes do not). Columns whose names look like
    authorities (``lad_name``, ``utla_code``, ...) come first.
    """
    n = len(centres)
    out = []
    for col, values in centres.attributes.items():
        distinct = {str(v).strip() for v in values if v is not None and str(v).strip()}
        if 2 <= len(distinct) <= max(2, n // 2):
            out.append(col)
    return sorted(out, key=lambda c: (not any(h in c.lower() for h in _BOUNDARY_HINTS),
                                      out.index(c)))


def field_labels(centres: Centres, key: str, layer=None) -> dict[str, str]:
    """Centre id -> label for a field key: ``"layer:FIELD"`` (the boundary layer's polygon that
    holds the centre) or ``"centres:COLUMN"`` (the centres' own column). Blanks are left out."""
    kind, _, name = key.partition(":")
    if kind == "layer":
        from planner.geo.layers import label_centres

        pairs = label_centres(centres, layer, name).items()
    else:
        pairs = zip(centres.ids, centres.attributes[name], strict=True)
    return {cid: str(v).strip() for cid, v in pairs if v is not None and str(v).strip()}


def sentence(text: object) -> str:
    """The engine's reasons as sentences: a capital first letter and a full stop."""
    text = str(text).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def optional_km_spin(tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(minimum=0.0, maximum=1000.0, decimals=1)
    spin.setSuffix(" km")
    spin.setSpecialValueText("no limit")  # shown at the minimum, 0
    spin.setToolTip(tip + " (0: no limit)")
    return spin


class BalanceRows(QWidget):
    """Balanced figures, one row each: column, within +-%, soft, Remove. ``changed`` on edits."""

    changed = Signal()

    def __init__(self, columns: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.grid = QGridLayout()
        self.widgets: list[tuple[QComboBox, QDoubleSpinBox, QCheckBox, QPushButton]] = []
        self.empty_label = QLabel("No figure balanced: federations are balanced by size only.")
        self.add_button = QPushButton("&Add balanced figure")
        self.add_button.setEnabled(bool(self.columns))
        if not self.columns:
            self.add_button.setToolTip("The centres have no numeric column to balance")
        self.add_button.clicked.connect(lambda: self.add_row())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.add_button)

    def add_row(self, column: str | None = None, tolerance: float = 0.10,
                soft: bool = False) -> int:
        """Add a row (the first column not yet balanced by default); its index."""
        used = {r.column for r in self.rows()}
        if column is None:
            column = next((c for c in self.columns if c not in used), self.columns[0])
        combo = QComboBox()
        combo.addItems(self.columns)
        combo.setCurrentIndex(max(0, combo.findText(column)))
        spin = QDoubleSpinBox(minimum=0.5, maximum=100.0, decimals=1)
        spin.setSuffix(" %")
        spin.setPrefix("\u00b1 ")
        spin.setValue(100.0 * tolerance)
        soft_check = QCheckBox("soft")
        soft_check.setToolTip("A target: aim for it, and report it if only approximated")
        soft_check.setChecked(soft)
        remove = QPushButton("Remove")
        row = len(self.widgets)
        for col, widget in enumerate((combo, spin, soft_check, remove)):
            self.grid.addWidget(widget, row, col)
        entry = (combo, spin, soft_check, remove)
        self.widgets.append(entry)
        combo.currentIndexChanged.connect(self.changed)
        spin.valueChanged.connect(self.changed)
        soft_check.toggled.connect(self.changed)
        remove.clicked.connect(lambda: self.remove_row(self.widgets.index(entry)))
        self.empty_label.setVisible(False)
        self.changed.emit()
        return row

    def remove_row(self, index: int) -> None:
        for widget in self.widgets.pop(index):
            self.grid.removeWidget(widget)
            widget.deleteLater()
        for row, entry in enumerate(self.widgets):  # close the gap
            for col, widget in enumerate(entry):
                self.grid.addWidget(widget, row, col)
        self.empty_label.setVisible(not self.widgets)
        self.changed.emit()

    def rows(self) -> list[BalanceRow]:
        return [BalanceRow(combo.currentText(), spin.value() / 100.0, soft.isChecked())
                for combo, spin, soft, _ in self.widgets]
