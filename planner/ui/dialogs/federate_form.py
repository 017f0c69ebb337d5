"""The auto-federate form's widgets, laid out in groups (no behaviour: the dialog binds them).

:class:`FederateForm` is mixed into :class:`~planner.ui.dialogs.federate_dialog.FederateDialog`;
``_build_form(centres, layer)`` creates the widgets as attributes of the dialog:

- mode: ``mode_single`` (``k_spin`` federations) or ``mode_authority`` ("each authority
  separately, about ``target_spin`` centres per federation", by ``authority_combo``);
- sizes: ``min_spin``, ``max_spin`` and ``sizes_reset_button`` (back to the default rule);
- ``balance`` (:class:`~planner.ui.dialogs.federate_fields.BalanceRows`);
- ``link_spin``, ``radius_spin``; ``boundary_check``, ``boundary_combo``; ``links_edit``,
  ``links_browse``, ``links_info``; ``seed_spin``, ``keep_locked_check``;
- ``problem_label`` (red), ``notes_label``, ``progress_bar``, ``status_label``, and the
  ``run_button``, ``cancel_button``, ``close_button``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
)

from planner.domain.centres import Centres
from planner.ui.dialogs.federate_fields import BalanceRows, boundary_columns, optional_km_spin

__all__ = ["FederateForm", "field_choices"]

_ERROR_STYLE = "color: #b00020;"  # readable red on light and dark palettes


def field_choices(centres: Centres, layer) -> list[tuple[str, str]]:
    """(shown text, key) for every field that can name a centre's boundary or authority."""
    out = []
    if layer is not None:
        geometry = getattr(layer, "geometry", None)
        geom_name = getattr(geometry, "name", "geometry")
        out += [(f"{col} (boundary layer)", f"layer:{col}") for col in layer.columns
                if col != geom_name]
    out += [(f"{col} (centre column)", f"centres:{col}") for col in boundary_columns(centres)]
    return out


class FederateForm:
    """Builds the form's widgets on ``self`` (a QDialog)."""

    def _build_form(self, centres: Centres, layer, intro_text: str) -> None:
        intro = QLabel(intro_text)
        intro.setObjectName("intro")
        choices = field_choices(centres, layer)
        groups = [self._group_federations(len(centres), choices), self._group_balance(centres),
                  self._group_distances(), self._group_boundaries(choices), self._group_run()]
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for group in groups:
            layout.addWidget(group)
        layout.addWidget(self._status_widgets())
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addLayout(self._buttons())
        self._inputs = groups

    def _group_federations(self, n: int, choices) -> QGroupBox:
        self.mode_single = QRadioButton("&One plan of")
        self.mode_authority = QRadioButton("&Each authority separately, about")
        self.mode_single.setChecked(True)
        self.k_spin = QSpinBox(minimum=1, maximum=max(1, n))
        self.k_spin.setToolTip("How many federations to make")
        self.target_spin = QSpinBox(minimum=1, maximum=max(1, n))
        self.target_spin.setToolTip("Each authority gets round(its centres / this) federations")
        self.authority_combo = QComboBox()
        for text, key in choices:
            self.authority_combo.addItem(text, key)
        self.mode_authority.setEnabled(bool(choices))
        one = QHBoxLayout()
        for w in (self.mode_single, self.k_spin, QLabel("federations")):
            one.addWidget(w)
        one.addStretch(1)
        each = QHBoxLayout()
        for w in (self.mode_authority, self.target_spin, QLabel("centres per federation, by")):
            each.addWidget(w)
        each.addWidget(self.authority_combo, 1)
        self.min_spin = QSpinBox(minimum=0, maximum=max(1, n))
        self.max_spin = QSpinBox(minimum=1, maximum=max(1, n))
        self.sizes_reset_button = QPushButton("&Default sizes")
        self.sizes_reset_button.setToolTip("Sizes follow the number of federations again")
        sizes = QHBoxLayout()
        for w in (self.min_spin, QLabel("to"), self.max_spin, QLabel("centres"),
                  self.sizes_reset_button):
            sizes.addWidget(w)
        sizes.addStretch(1)
        group = QGroupBox("Federations")
        form = QFormLayout(group)
        form.addRow(one)
        form.addRow(each)
        form.addRow("Centres in each:", sizes)
        return group

    def _group_balance(self, centres: Centres) -> QGroupBox:
        self.balance = BalanceRows(centres.numeric_columns())
        group = QGroupBox("Balance")
        QVBoxLayout(group).addWidget(self.balance)
        return group

    def _group_distances(self) -> QGroupBox:
        self.link_spin = optional_km_spin("Longest link between neighbouring centres")
        self.radius_spin = optional_km_spin("Longest distance from a centre to its hub")
        group = QGroupBox("Distances")
        form = QFormLayout(group)
        form.addRow("Longest &link:", self.link_spin)
        form.addRow("Longest distance to &hub:", self.radius_spin)
        return group

    def _group_boundaries(self, choices) -> QGroupBox:
        self.boundary_check = QCheckBox("Stay within &boundaries")
        self.boundary_combo = QComboBox()
        for text, key in choices:
            self.boundary_combo.addItem(text, key)
        self.boundary_check.setEnabled(bool(choices))
        if not choices:
            self.boundary_check.setToolTip("Open a boundaries layer to use this")
        self.links_edit = QLineEdit()
        self.links_edit.setPlaceholderText("optional: a GIAS children's centre links CSV")
        self.links_browse = QPushButton("Browse\u2026")
        self.links_info = QLabel("")
        links = QHBoxLayout()
        links.addWidget(self.links_edit, 1)
        links.addWidget(self.links_browse)
        group = QGroupBox("Boundaries and links")
        form = QFormLayout(group)
        form.addRow(self.boundary_check, self.boundary_combo)
        form.addRow("Keep linked centres together:", links)
        form.addRow("", self.links_info)
        return group

    def _group_run(self) -> QGroupBox:
        self.seed_spin = QSpinBox(minimum=0, maximum=2_147_483_647)
        self.seed_spin.setToolTip("The same seed and settings give the same plan")
        self.keep_locked_check = QCheckBox("&Keep locked centres and federations")
        group = QGroupBox("Run")
        form = QFormLayout(group)
        form.addRow("&Seed:", self.seed_spin)
        form.addRow(self.keep_locked_check)
        return group

    def _status_widgets(self):
        from PySide6.QtWidgets import QWidget

        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problems")
        self.problem_label.setStyleSheet(_ERROR_STYLE)
        self.notes_label = QLabel()
        self.notes_label.setObjectName("notes")
        for label in (self.problem_label, self.notes_label):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.hide()
            layout.addWidget(label)
        self.progress_bar = QProgressBar(minimum=0, maximum=1000)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)
        return box

    def _buttons(self) -> QHBoxLayout:
        self.run_button = QPushButton("&Run")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton("&Cancel run")
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.run_button, self.cancel_button, self.close_button):
            buttons.addWidget(b)
        return buttons
