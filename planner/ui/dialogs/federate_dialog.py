"""Auto-federate: the engine's constraints as a form, run in a worker thread with progress/Cancel.

The window opens :class:`FederateDialog` on its document, and on ``accepted`` pushes one undo
step::

    dialog = FederateDialog(document, parent=window, reoptimise_unlocked=False)
    dialog.accepted.connect(lambda: window.push(dialog.replace_edit()))  # ReplacePlan edit
    dialog.open()
    # afterwards: dialog.result_plan (Plan), dialog.federate_result (FederateResult),
    #             dialog.approximations (list[str]) and dialog.summary() for the status bar

Before a run the dialog checks the request (simple counts here, then ``explain.diagnose``) and
shows why it cannot be met in red; Run stays disabled until it can. An ``Infeasible`` raised by
the engine is shown the same way. Cancel stops the run and keeps the dialog open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.domain.centres import Centres
from planner.domain.constraints import Balance, Constraints, size_bounds
from planner.domain.plan import Plan, ReplacePlan
from planner.geo.errors import InputError
from planner.ui.workers import GeneratorWorker

__all__ = ["FederateDialog", "read_link_groups", "boundary_columns"]

NO_WEIGHT = "(none: count centres)"
_BOUNDARY_HINTS = ("lad", "utla", "la_", "authority", "district", "county", "borough", "ward",
                   "region", "boundary")
_ERROR_STYLE = "color: #b00020;"  # readable red on light and dark palettes


# -- pure helpers (no widgets) ------------------------------------------------------------------
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


def basic_problems(
    n: int,
    k: int,
    lo: int,
    hi: int,
    *,
    boundary_labels: int = 0,
    locked_federations: int = 0,
) -> list[str]:
    """Reasons the counts alone make a request impossible, in a planner's words."""
    out = []
    if k > n:
        out.append(f"{n} centres cannot make {k} federations: there are more federations than "
                   "centres.")
    if lo > hi:
        out.append(f"The minimum size ({lo}) is larger than the maximum ({hi}).")
    elif k * lo > n or k * hi < n:
        side = (f"{k} federations of at least {lo} need {k * lo} centres" if k * lo > n
                else f"{k} federations of at most {hi} hold only {k * hi}")
        sizes = f"{lo}" if lo == hi else f"{lo}-{hi}"
        out.append(f"{n} centres cannot make {k} federations of {sizes} centres: {side}.")
    if boundary_labels > k:
        out.append(f"The centres lie in {boundary_labels} different boundaries, so staying "
                   f"within boundaries needs at least {boundary_labels} federations, not {k}.")
    if locked_federations > k:
        out.append(f"{locked_federations} federations are locked, more than the {k} asked for.")
    return out


# -- the dialog ---------------------------------------------------------------------------------
class FederateDialog(QDialog):
    """Constraints for the federation engine, and a run in a worker thread.

    ``engine`` and ``diagnose`` default to :func:`planner.clustering.federate.federate` and
    :func:`planner.clustering.explain.diagnose`; tests may pass stand-ins with the same
    signatures.
    """

    #: Emitted when a run ends with a plan (the FederateResult), before ``accept()``.
    result_ready = Signal(object)
    #: Emitted when a run ends in a refusal or an error (the message shown), dialog still open.
    worker_failed = Signal(str)

    def __init__(
        self,
        document,
        parent: QWidget | None = None,
        reoptimise_unlocked: bool = False,
        *,
        engine: Callable[..., Iterator] | None = None,
        diagnose: Callable[..., list[str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.reoptimise_unlocked = reoptimise_unlocked
        self._engine = engine
        self._diagnose = diagnose
        # Not ``self.result``: that would hide QDialog.result().
        self.federate_result = None
        self.result_plan: Plan | None = None
        self.approximations: list[str] = []
        self._problems: list[str] = []
        self._must_link: tuple[tuple[str, ...], ...] = ()
        self._links_error: str | None = None
        self._labels_cache: dict[str, dict[str, str]] = {}
        self._worker: GeneratorWorker | None = None
        self._running = False

        plan: Plan = document.plan
        self._centres = plan.centres
        self.setWindowTitle("Re-optimise unlocked centres" if reoptimise_unlocked
                            else "Auto-federate")
        self.setModal(True)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(150)
        self._check_timer.timeout.connect(self.refresh_problems)
        self._build()
        self._prefill()
        self._connect()
        self.refresh_problems()

    # -- construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        n = len(self._centres)
        plan = self.document.plan
        locked_feds = sum(1 for f in plan.federations.values() if f.locked)
        intro = QLabel(
            f"{n} centres"
            + (f"; {len(plan.locked_centres)} locked centres" if plan.locked_centres else "")
            + (f"; {locked_feds} locked federations" if locked_feds else "")
            + "."
        )
        intro.setObjectName("intro")

        self.k_spin = QSpinBox(minimum=1, maximum=max(1, n))
        self.k_spin.setToolTip("How many federations to make")
        self.min_spin = QSpinBox(minimum=0, maximum=max(1, n))
        self.max_spin = QSpinBox(minimum=1, maximum=max(1, n))
        sizes = QHBoxLayout()
        sizes.addWidget(self.min_spin)
        sizes.addWidget(QLabel("to"))
        sizes.addWidget(self.max_spin)
        sizes.addWidget(QLabel("centres"))
        sizes.addStretch(1)
        group_k = QGroupBox("Federations")
        form = QFormLayout(group_k)
        form.addRow("&Number of federations:", self.k_spin)
        form.addRow("Centres in each:", sizes)

        self.weight_combo = QComboBox()
        self.weight_combo.addItem(NO_WEIGHT, None)
        for col in self._centres.numeric_columns():
            self.weight_combo.addItem(col, col)
        self.tolerance_spin = QDoubleSpinBox(minimum=0.5, maximum=100.0, decimals=1)
        self.tolerance_spin.setSuffix(" %")
        self.tolerance_spin.setSingleStep(1.0)
        group_w = QGroupBox("Balance")
        form = QFormLayout(group_w)
        form.addRow("&Weight column:", self.weight_combo)
        form.addRow("Weight within \u00b1:", self.tolerance_spin)

        self.link_spin = _optional_km_spin("Longest link between neighbouring centres")
        self.radius_spin = _optional_km_spin("Longest distance from a centre to its hub")
        group_d = QGroupBox("Distances")
        form = QFormLayout(group_d)
        form.addRow("Longest &link:", self.link_spin)
        form.addRow("Longest distance to &hub:", self.radius_spin)

        self.boundary_check = QCheckBox("Stay within &boundaries")
        self.boundary_combo = QComboBox()
        layer = self.document.boundaries
        if layer is not None:
            geometry = getattr(layer, "geometry", None)
            geom_name = getattr(geometry, "name", "geometry")
            for col in layer.columns:
                if col != geom_name:
                    self.boundary_combo.addItem(f"{col} (boundary layer)", f"layer:{col}")
        for col in boundary_columns(self._centres):
            self.boundary_combo.addItem(f"{col} (centre column)", f"centres:{col}")
        has_fields = self.boundary_combo.count() > 0
        self.boundary_check.setEnabled(has_fields)
        if not has_fields:
            self.boundary_check.setToolTip("Open a boundaries layer to use this")
        self.links_edit = QLineEdit()
        self.links_edit.setPlaceholderText("optional: a GIAS children's centre links CSV")
        self.links_browse = QPushButton("Browse\u2026")
        self.links_info = QLabel("")
        links = QHBoxLayout()
        links.addWidget(self.links_edit, 1)
        links.addWidget(self.links_browse)
        group_b = QGroupBox("Boundaries and links")
        form = QFormLayout(group_b)
        form.addRow(self.boundary_check, self.boundary_combo)
        form.addRow("Keep linked centres together:", links)
        form.addRow("", self.links_info)

        self.seed_spin = QSpinBox(minimum=0, maximum=2_147_483_647)
        self.seed_spin.setToolTip("The same seed and settings give the same plan")
        self.keep_locked_check = QCheckBox("&Keep locked centres and federations")
        group_r = QGroupBox("Run")
        form = QFormLayout(group_r)
        form.addRow("&Seed:", self.seed_spin)
        form.addRow(self.keep_locked_check)

        self.problem_label = QLabel()
        self.problem_label.setObjectName("problems")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(_ERROR_STYLE)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label.hide()
        self.progress_bar = QProgressBar(minimum=0, maximum=1000)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("status")
        self.status_label.setWordWrap(True)

        self.run_button = QPushButton("&Run")
        self.run_button.setDefault(True)
        self.cancel_button = QPushButton("&Cancel run")
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton("Close")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for group in (group_k, group_w, group_d, group_b, group_r):
            layout.addWidget(group)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self._inputs = [group_k, group_w, group_d, group_b, group_r]

    def _prefill(self) -> None:
        doc_c: Constraints = getattr(self.document, "constraints", None) or Constraints()
        plan = self.document.plan
        n = len(self._centres)
        if self.reoptimise_unlocked and plan.federations:
            k = len(plan.federations)
        else:
            k = doc_c.k_for(n)
        self.k_spin.setValue(max(1, min(k, n)))
        same_k = doc_c.federations is not None and doc_c.federations == self.k_spin.value()
        lo, hi = size_bounds(n, self.k_spin.value(), doc_c if same_k else Constraints())
        self._set_sizes(lo, hi)
        first = doc_c.balance[0] if doc_c.balance else None
        shown = first.column if first else getattr(self.document, "weight_column", None)
        index = self.weight_combo.findData(shown) if shown else 0
        self.weight_combo.setCurrentIndex(max(0, index))
        self.tolerance_spin.setValue(100.0 * (first.tolerance if first else 0.10))
        self.link_spin.setValue((doc_c.max_link_m or 0.0) / 1000.0)
        self.radius_spin.setValue((doc_c.max_radius_m or 0.0) / 1000.0)
        field = getattr(self.document, "boundary_field", None)
        index = self.boundary_combo.findData(f"layer:{field}") if field else -1
        self.boundary_combo.setCurrentIndex(max(0, index) if self.boundary_combo.count() else -1)
        within = doc_c.within_boundaries and self.boundary_combo.count() > 0
        self.boundary_check.setChecked(bool(within))
        self._must_link = tuple(doc_c.must_link)
        if self._must_link:
            self.links_info.setText(f"{len(self._must_link)} linked groups from the open plan")
        seed = plan.params.get("seed", 0) if isinstance(plan.params, dict) else 0
        try:
            self.seed_spin.setValue(int(seed))
        except (TypeError, ValueError):
            self.seed_spin.setValue(0)
        self.keep_locked_check.setChecked(True)
        self.keep_locked_check.setEnabled(not self.reoptimise_unlocked)
        self._update_enabled()

    def _connect(self) -> None:
        self.k_spin.valueChanged.connect(self._on_k_changed)
        for spin in (self.min_spin, self.max_spin, self.link_spin, self.radius_spin,
                     self.tolerance_spin):
            spin.valueChanged.connect(self._changed)
        self.weight_combo.currentIndexChanged.connect(self._changed)
        self.boundary_combo.currentIndexChanged.connect(self._changed)
        self.boundary_check.toggled.connect(self._changed)
        self.keep_locked_check.toggled.connect(self._changed)
        self.links_edit.editingFinished.connect(lambda: self.set_links_file(self.links_edit.text()))
        self.links_browse.clicked.connect(self._browse_links)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel_run)
        self.close_button.clicked.connect(self.reject)

    # -- fields -> constraints --------------------------------------------------------------------
    def _set_sizes(self, lo: int, hi: int) -> None:
        for spin, value in ((self.min_spin, lo), (self.max_spin, hi)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)

    def _on_k_changed(self, k: int) -> None:
        self._set_sizes(*size_bounds(len(self._centres), k, Constraints()))
        self._changed()

    def _changed(self, *_: object) -> None:
        self._update_enabled()
        self._check_timer.start()
        self.run_button.setEnabled(False)  # until the check has run

    def _update_enabled(self) -> None:
        if self._running:
            return
        self.tolerance_spin.setEnabled(self.weight_combo.currentData() is not None)
        self.boundary_combo.setEnabled(self.boundary_check.isEnabled()
                                       and self.boundary_check.isChecked())

    def weight_column(self) -> str | None:
        return self.weight_combo.currentData()

    def boundary_of(self) -> dict[str, str] | None:
        """Centre id -> boundary label for the chosen field (None when not staying within)."""
        if not (self.boundary_check.isEnabled() and self.boundary_check.isChecked()):
            return None
        key = self.boundary_combo.currentData()
        if not key:
            return None
        if key not in self._labels_cache:
            kind, _, field = key.partition(":")
            if kind == "layer":
                labels = _layer_labels(self._centres, self.document.boundaries, field)
            else:
                values = self._centres.attributes[field]
                labels = {cid: str(v).strip() for cid, v in zip(self._centres.ids, values,
                                                                 strict=True)
                          if v is not None and str(v).strip()}
            self._labels_cache[key] = labels
        return self._labels_cache[key]

    def constraints(self) -> Constraints:
        """The :class:`Constraints` the fields describe (what Run passes to the engine)."""
        base: Constraints = getattr(self.document, "constraints", None) or Constraints()
        weight = self.weight_column()
        boundary_of = self.boundary_of()
        link_km, radius_km = self.link_spin.value(), self.radius_spin.value()
        return replace(
            base,
            federations=self.k_spin.value(),
            min_size=self.min_spin.value(),
            max_size=self.max_spin.value(),
            balance=(Balance(weight, self.tolerance_spin.value() / 100.0),) if weight else (),
            max_link_m=link_km * 1000.0 if link_km > 0 else None,
            max_radius_m=radius_km * 1000.0 if radius_km > 0 else None,
            boundary_of=boundary_of,
            within_boundaries=boundary_of is not None,
            must_link=self._must_link,
        )

    def current_plan(self) -> Plan | None:
        """What the engine must respect: the open plan when keeping locks, else nothing."""
        return self.document.plan if self.keep_locked_check.isChecked() else None

    def seed(self) -> int:
        return self.seed_spin.value()

    # -- links file -------------------------------------------------------------------------------
    def _browse_links(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Links file", self.links_edit.text(), "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.set_links_file(path)

    def set_links_file(self, path: str | Path | None) -> None:
        """Read must-link groups from ``path`` (empty: none) and re-check the request."""
        text = str(path or "").strip()
        if self.links_edit.text() != text:
            self.links_edit.setText(text)
        self._links_error = None
        if not text:
            self._must_link = ()
            self.links_info.setText("")
        else:
            try:
                self._must_link = read_link_groups(text, self._centres)
            except ValueError as exc:
                self._must_link = ()
                self._links_error = str(exc)
                self.links_info.setText("")
            else:
                linked = sum(len(g) for g in self._must_link)
                self.links_info.setText(
                    f"{len(self._must_link)} linked groups ({linked} centres) stay together"
                )
        self._changed()

    def must_link(self) -> tuple[tuple[str, ...], ...]:
        return self._must_link

    # -- checking -------------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Why the request cannot be met (empty if it can, as far as can be told before a run)."""
        return list(self._problems)

    def refresh_problems(self) -> list[str]:
        """Check the request now; show the reasons and enable Run only when there are none."""
        self._check_timer.stop()
        self._problems = self._compute_problems()
        self._show_problems(self._problems)
        if not self._running:
            self.run_button.setEnabled(not self._problems)
        return self.problems()

    def _compute_problems(self) -> list[str]:
        if self._links_error:
            return [self._links_error]
        try:
            constraints = self.constraints()
        except Exception as exc:  # noqa: BLE001 - e.g. a boundary layer that cannot be used
            return [f"These settings cannot be used: {str(exc).strip(chr(39) + chr(34))}"]
        plan = self.document.plan
        current = self.current_plan()
        labels = set(constraints.boundary_of.values()) if constraints.boundary_of else set()
        locked = sum(1 for f in plan.federations.values() if f.locked) if current else 0
        found = basic_problems(
            len(self._centres), self.k_spin.value(), self.min_spin.value(),
            self.max_spin.value(), boundary_labels=len(labels), locked_federations=locked,
        )
        if found:
            return found
        diagnose = self._diagnose or _engine_diagnose()
        if diagnose is None:
            return []
        try:
            reasons = diagnose(self._centres, constraints, current=current, graph=None)
        except Exception as exc:  # noqa: BLE001 - a checker bug must not block the planner
            self.status_label.setText(f"Could not check the request in advance: {exc}")
            return []
        if self.status_label.text().startswith("Could not check"):
            self.status_label.clear()
        return [_sentence(r) for r in reasons]

    def _show_problems(self, reasons: Sequence[str], heading: str | None = None) -> None:
        if not reasons:
            self.problem_label.clear()
            self.problem_label.hide()
            return
        lines = [heading] if heading else []
        lines += [f"\u2022 {r}" for r in reasons]
        self.problem_label.setText("\n".join(lines))
        self.problem_label.show()

    # -- running ----------------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self._running

    @property
    def worker(self) -> GeneratorWorker | None:
        """The worker of the run in progress (None when idle)."""
        return self._worker

    def run(self) -> bool:
        """Start the engine in a worker thread. False (and nothing runs) if the request is refused.
        """
        if self._running:
            return False
        # Re-check only if a change is still waiting for its check (the dialog is modal: nothing
        # else changes the request); the diagnosis prepares the whole problem.
        pending = self._check_timer.isActive()
        if self.refresh_problems() if pending else self.problems():
            return False
        engine = self._engine
        if engine is None:
            try:
                from planner.clustering.federate import federate as engine
            except ImportError as exc:
                self._show_problems([f"The federation engine is not available ({exc})."])
                return False
        constraints = self.constraints()
        current = self.current_plan()
        # The engine reads its own copy: the document's plan may change on the GUI thread.
        current = current.copy() if current is not None else None
        centres, seed = self._centres, self.seed()

        def factory():
            return engine(centres, constraints, current=current, graph=None, seed=seed)

        self.federate_result = self.result_plan = None
        self.approximations = []
        self._worker = worker = GeneratorWorker(factory, self)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.infeasible.connect(self._on_infeasible)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        self._set_running(True)
        self.status_label.setText("Starting\u2026")
        worker.start()
        return True

    def cancel_run(self) -> None:
        """Stop the run at its next step; the dialog stays open and says "Cancelled"."""
        if self._worker is not None and self._running:
            self._worker.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText("Cancelling\u2026")

    def _set_running(self, running: bool) -> None:
        self._running = running
        for group in self._inputs:
            group.setEnabled(not running)
        self.run_button.setEnabled(not running and not self._problems)
        self.cancel_button.setEnabled(running)
        self.progress_bar.setVisible(running)
        if running:
            self.progress_bar.setValue(0)
            self._show_problems([])
        else:
            self._update_enabled()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress_bar.setValue(int(round(max(0.0, min(1.0, fraction)) * 1000)))
        if message:
            self.status_label.setText(message)

    def _release_worker(self) -> None:
        if self._worker is not None:
            self._worker.deleteLater()
            self._worker = None

    def _on_finished(self, result: object) -> None:
        self._set_running(False)
        self._release_worker()
        plan = getattr(result, "plan", result)
        if not isinstance(plan, Plan):
            self._show_problems([f"The engine returned no plan ({type(result).__name__})."])
            self.status_label.setText("")
            return
        self.federate_result = result
        self.result_plan = plan
        self.approximations = [str(a) for a in (getattr(result, "approximations", None) or [])]
        self.status_label.setText(self.summary())
        self.result_ready.emit(result)
        self.accept()

    def _on_infeasible(self, reasons: list) -> None:
        self._show_problems([_sentence(r) for r in reasons],
                            "The engine cannot meet this request:")

    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self._release_worker()
        self.status_label.setText("")
        if self.problem_label.isHidden():  # not already explained by _on_infeasible
            self._show_problems([message], "The run failed:")
        self.worker_failed.emit(message)

    def _on_cancelled(self) -> None:
        self._set_running(False)
        self._release_worker()
        self.status_label.setText("Cancelled")

    # -- results ----------------------------------------------------------------------------------
    def summary(self) -> str:
        """One line for the status bar: what the run made and anything met only approximately."""
        if self.result_plan is None:
            return ""
        k = len(self.result_plan.federations)
        text = f"{self.windowTitle()}: {k} federation{'s' if k != 1 else ''}"
        if self.approximations:
            text += "; met only approximately: " + "; ".join(self.approximations)
        return text

    def replace_edit(self, description: str | None = None) -> ReplacePlan:
        """The undoable edit that puts the result in the document (push it as one command)."""
        if self.result_plan is None:
            raise RuntimeError("no result: the dialog was not run to the end")
        return ReplacePlan.make(self.document.plan, self.result_plan,
                                description or self.windowTitle())

    # -- closing ----------------------------------------------------------------------------------
    def done(self, code: int) -> None:
        """Closing (Close, Esc, the window's X) stops a run first: no thread outlives the dialog."""
        if self._worker is not None:
            self._worker.shutdown()
            self._release_worker()
            self._set_running(False)
        self._check_timer.stop()
        super().done(code)


def _sentence(text: object) -> str:
    """The engine's reasons as sentences: a capital first letter and a full stop."""
    text = str(text).strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text[-1] in ".!?" else text + "."


def _optional_km_spin(tip: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox(minimum=0.0, maximum=1000.0, decimals=1)
    spin.setSuffix(" km")
    spin.setSpecialValueText("no limit")  # shown at the minimum, 0
    spin.setToolTip(tip + " (0: no limit)")
    return spin


def _layer_labels(centres: Centres, layer, field: str) -> dict[str, str]:
    from planner.geo.layers import label_centres

    return {cid: str(v) for cid, v in label_centres(centres, layer, field).items()
            if v is not None and str(v).strip()}


def _engine_diagnose() -> Callable[..., list[str]] | None:
    try:
        from planner.clustering.explain import diagnose
    except ImportError:
        return None
    return diagnose
