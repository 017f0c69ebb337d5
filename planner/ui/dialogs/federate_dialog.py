"""Auto-federate: the engine's constraints as a form, run in a worker thread with progress/Cancel.

The window opens :class:`FederateDialog` on its document, and on ``accepted`` pushes one undo
step::

    dialog = FederateDialog(document, parent=window, reoptimise_unlocked=False)
    dialog.accepted.connect(lambda: window.push(dialog.replace_edit()))  # ReplacePlan edit
    dialog.open()
    # afterwards: dialog.result_plan (Plan), dialog.federate_result (FederateResult or
    #             NationalResult), dialog.approximations (list[str]) and dialog.summary()

The form's data is a :class:`planner.domain.request.FederateRequest` (``dialog.request``): the
widgets write into it, and it owns the rules and their messages. The dialog shows its problems
in red (Run waits until there are none; then ``explain.diagnose`` checks the rest) and its notes
below them. "Each authority separately" runs :func:`planner.clustering.national.plan_authorities`
instead of the engine, each authority on its own land (of the document's boundary layer).
Federations come back named after their authority and hub town
(:func:`planner.domain.naming.name_federations`). Cancel stops the run and keeps the dialog open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import is_dataclass, replace

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QDialog, QWidget

from planner.domain.constraints import Balance, Constraints
from planner.domain.naming import AUTHORITY_COLUMNS, name_federations
from planner.domain.plan import Plan, ReplacePlan
from planner.domain.request import FederateRequest
from planner.ui.dialogs.federate_fields import (
    boundary_columns,
    field_labels,
    read_link_groups,
    sentence,
)
from planner.ui.dialogs.federate_form import FederateForm
from planner.ui.dialogs.federate_run import RunMixin, authority_land

__all__ = ["FederateDialog", "read_link_groups", "boundary_columns"]


class FederateDialog(FederateForm, RunMixin, QDialog):
    """Constraints for the federation engine, and a run in a worker thread.

    ``engine``, ``diagnose`` and ``national`` default to
    :func:`planner.clustering.federate.federate`, :func:`planner.clustering.explain.diagnose`
    and :func:`planner.clustering.national.plan_authorities`; tests may pass stand-ins.
    """

    #: Emitted when a run ends with a plan (the result), before ``accept()``.
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
        national: Callable[..., Iterator] | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.reoptimise_unlocked = reoptimise_unlocked
        self._engine, self._diagnose, self._national = engine, diagnose, national
        self._init_run_state()
        self._problems: list[str] = []
        self._labels_cache: dict[str, dict[str, str]] = {}
        plan: Plan = document.plan
        self._centres = plan.centres
        base: Constraints = getattr(document, "constraints", None) or Constraints()
        locked = sum(1 for f in plan.federations.values() if f.locked)
        self.request = FederateRequest(n=len(self._centres), base=base, locked_federations=locked)
        self.setWindowTitle("Re-optimise unlocked centres" if reoptimise_unlocked
                            else "Auto-federate")
        self.setModal(True)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(150)
        self._check_timer.timeout.connect(self.refresh_problems)
        self._build_form(self._centres, document.boundaries, self._intro(locked))
        self._prefill()
        self._connect()
        self.refresh_problems()

    def _intro(self, locked_feds: int) -> str:
        plan = self.document.plan
        return (f"{len(self._centres)} centres"
                + (f"; {len(plan.locked_centres)} locked centres" if plan.locked_centres else "")
                + (f"; {locked_feds} locked federations" if locked_feds else "") + ".")

    # -- filling the form -----------------------------------------------------------------------
    def _prefill(self) -> None:
        r, doc_c, plan = self.request, self.request.base, self.document.plan
        n = len(self._centres)
        k = len(plan.federations) if self.reoptimise_unlocked and plan.federations else (
            doc_c.k_for(n))
        r.k = max(1, min(k, n))
        if doc_c.federations is not None and doc_c.federations == r.k:
            r.min_size, r.max_size = doc_c.min_size, doc_c.max_size  # the planner's own sizes
        r.target_size = max(1, min(doc_c.target_size, n))
        shown = getattr(self.document, "weight_column", None)
        rules = doc_c.balance or ((Balance(shown, 0.10),) if shown else ())
        for rule in rules:
            if rule.column in self.balance.columns:
                self.balance.add_row(rule.column, rule.tolerance, rule.soft)
        r.balance = self.balance.rows()
        self.link_spin.setValue((doc_c.max_link_m or 0.0) / 1000.0)
        self.radius_spin.setValue((doc_c.max_radius_m or 0.0) / 1000.0)
        field = getattr(self.document, "boundary_field", None)
        index = self.boundary_combo.findData(f"layer:{field}") if field else -1
        self.boundary_combo.setCurrentIndex(max(0, index) if self.boundary_combo.count() else -1)
        self.boundary_check.setChecked(bool(doc_c.within_boundaries
                                            and self.boundary_combo.count() > 0))
        self.authority_combo.setCurrentIndex(self._authority_index())
        r.must_link = tuple(doc_c.must_link)
        if r.must_link:
            self.links_info.setText(f"{len(r.must_link)} linked groups from the open plan")
        seed = plan.params.get("seed", 0) if isinstance(plan.params, dict) else 0
        self.seed_spin.setValue(int(seed) if str(seed).lstrip("-").isdigit() else 0)
        self.keep_locked_check.setChecked(True)
        self.keep_locked_check.setEnabled(not self.reoptimise_unlocked)
        self.mode_authority.setEnabled(self.mode_authority.isEnabled()
                                       and not self.reoptimise_unlocked)
        self._show_request()

    def _authority_index(self) -> int:
        """The field most likely to name authorities: dfe_la_name, utla_name, ... else first."""
        for column in AUTHORITY_COLUMNS:
            index = self.authority_combo.findData(f"centres:{column}")
            if index >= 0:
                return index
        return 0 if self.authority_combo.count() else -1

    def _connect(self) -> None:
        self.k_spin.valueChanged.connect(lambda v: self._set(k=v))
        self.target_spin.valueChanged.connect(lambda v: self._set(target_size=v))
        self.min_spin.valueChanged.connect(lambda v: self._set(min_size=v))
        self.max_spin.valueChanged.connect(lambda v: self._set(max_size=v))
        self.sizes_reset_button.clicked.connect(lambda: self._set(min_size=None, max_size=None))
        self.mode_authority.toggled.connect(lambda on: self._set(per_authority=on))
        self.balance.changed.connect(lambda: self._set(balance=self.balance.rows()))
        self.link_spin.valueChanged.connect(lambda v: self._set(max_link_km=v))
        self.radius_spin.valueChanged.connect(lambda v: self._set(max_radius_km=v))
        self.keep_locked_check.toggled.connect(lambda on: self._set(keep_locked=on))
        for signal in (self.boundary_combo.currentIndexChanged, self.boundary_check.toggled,
                       self.authority_combo.currentIndexChanged):
            signal.connect(self._changed)
        self.links_edit.editingFinished.connect(lambda: self.set_links_file(self.links_edit.text()))
        self.links_browse.clicked.connect(self._browse_links)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel_run)
        self.close_button.clicked.connect(self.reject)

    # -- widgets <-> request --------------------------------------------------------------------
    def _set(self, **changes) -> None:
        """A widget changed: put it in the request, show what follows from it, check later."""
        for name, value in changes.items():
            setattr(self.request, name, value)
        self._show_request()
        self._changed()

    def _show_request(self) -> None:
        """Show the request's values (sizes that follow K) without re-entering ``_set``."""
        r = self.request
        lo, hi = r.sizes()
        for spin, value in ((self.k_spin, r.k), (self.target_spin, r.target_size),
                            (self.min_spin, lo), (self.max_spin, hi)):
            spin.blockSignals(True)
            spin.setValue(value)
            spin.blockSignals(False)
        self.mode_authority.blockSignals(True)
        (self.mode_authority if r.per_authority else self.mode_single).setChecked(True)
        self.mode_authority.blockSignals(False)
        self.sizes_reset_button.setEnabled(r.min_size is not None or r.max_size is not None)
        self._update_enabled()

    def _changed(self, *_: object) -> None:
        self._update_enabled()
        self._check_timer.start()
        self.run_button.setEnabled(False)  # until the check has run

    def _update_enabled(self) -> None:
        if self._running:
            return
        each = self.request.per_authority
        self.k_spin.setEnabled(not each)
        self.target_spin.setEnabled(each)
        self.authority_combo.setEnabled(each)
        self.boundary_check.setEnabled(self.boundary_combo.count() > 0 and not each)
        self.boundary_combo.setEnabled(self.boundary_check.isEnabled()
                                       and self.boundary_check.isChecked())
        self.keep_locked_check.setEnabled(not each and not self.reoptimise_unlocked)

    def _labels(self, key: str | None) -> dict[str, str] | None:
        if not key:
            return None
        if key not in self._labels_cache:
            self._labels_cache[key] = field_labels(self._centres, key, self.document.boundaries)
        return self._labels_cache[key]

    def boundary_of(self) -> dict[str, str] | None:
        """Centre id -> boundary label for the chosen field (None when not staying within)."""
        if not (self.boundary_check.isEnabled() and self.boundary_check.isChecked()):
            return None
        return self._labels(self.boundary_combo.currentData())

    def _sync_request(self) -> None:
        """Labels for the chosen field (may raise: a layer that cannot be used)."""
        r = self.request
        if r.per_authority:
            r.boundary_of = self._labels(self.authority_combo.currentData())
            r.within_boundaries = False
        else:
            r.boundary_of = self.boundary_of()
            r.within_boundaries = r.boundary_of is not None

    def constraints(self) -> Constraints:
        """The :class:`Constraints` the fields describe (what Run passes to the engine)."""
        self._sync_request()
        return self.request.to_constraints()

    def _land_graph(self, constraints: Constraints):
        """The document's land graph with these constraints' cuts (None: the engine's own)."""
        make = getattr(self.document, "engine_graph", None)
        return make(constraints) if make is not None else None

    def current_plan(self) -> Plan | None:
        """What the engine must respect: the open plan when keeping locks, else nothing."""
        if self.request.per_authority or not self.keep_locked_check.isChecked():
            return None
        return self.document.plan

    def seed(self) -> int:
        return self.seed_spin.value()

    def authority_field(self) -> str:
        """The name of the field each authority is read from (for messages)."""
        key = self.authority_combo.currentData() or ""
        return key.partition(":")[2] or "authority"

    def must_link(self) -> tuple[tuple[str, ...], ...]:
        return self.request.must_link

    # -- links file -------------------------------------------------------------------------------
    def _browse_links(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _ = QFileDialog.getOpenFileName(
            self, "Links file", self.links_edit.text(), "CSV files (*.csv);;All files (*)"
        )
        if path:
            self.set_links_file(path)

    def set_links_file(self, path) -> None:
        """Read must-link groups from ``path`` (empty: none) and re-check the request."""
        text = str(path or "").strip()
        if self.links_edit.text() != text:
            self.links_edit.setText(text)
        r = self.request
        r.links_error, r.must_link = None, ()
        self.links_info.setText("")
        if text:
            try:
                r.must_link = read_link_groups(text, self._centres)
            except ValueError as exc:
                r.links_error = str(exc)
            else:
                linked = sum(len(g) for g in r.must_link)
                self.links_info.setText(
                    f"{len(r.must_link)} linked groups ({linked} centres) stay together")
        self._changed()

    # -- checking -------------------------------------------------------------------------------
    def problems(self) -> list[str]:
        """Why the request cannot be met (empty if it can, as far as can be told before a run)."""
        return list(self._problems)

    def refresh_problems(self) -> list[str]:
        """Check the request now; show the reasons and enable Run only when there are none."""
        self._check_timer.stop()
        self._problems = self._compute_problems()
        self._show_problems(self._problems)
        notes = [] if self._problems else self.request.notes()
        self.notes_label.setText("\n".join(f"\u2022 {n}" for n in notes))
        self.notes_label.setVisible(bool(notes))
        if not self._running:
            self.run_button.setEnabled(not self._problems)
        return self.problems()

    def _compute_problems(self) -> list[str]:
        try:
            self._sync_request()
        except Exception as exc:  # noqa: BLE001 - e.g. a boundary layer that cannot be used
            return [f"These settings cannot be used: {str(exc).strip(chr(39) + chr(34))}"]
        found = self.request.problems()
        if found or self.request.per_authority:
            return found
        diagnose = self._diagnose or _engine_diagnose()
        try:
            constraints = self.request.to_constraints()
            reasons = diagnose(self._centres, constraints, current=self.current_plan(),
                               graph=self._land_graph(constraints))
        except Exception as exc:  # noqa: BLE001 - a checker bug must not block the planner
            self.status_label.setText(f"Could not check the request in advance: {exc}")
            return []
        if self.status_label.text().startswith("Could not check"):
            self.status_label.clear()
        return [sentence(r) for r in reasons]

    def _show_problems(self, reasons: Sequence[str], heading: str | None = None) -> None:
        if not reasons:
            self.problem_label.clear()
            self.problem_label.hide()
            return
        lines = [heading] if heading else []
        lines += [f"\u2022 {r}" for r in reasons]
        self.problem_label.setText("\n".join(lines))
        self.problem_label.show()

    # -- the run's factory ------------------------------------------------------------------------
    def _factory(self):
        """A no-argument callable making the run's generator (the engine or every authority)."""
        constraints, seed, centres = self.constraints(), self.seed(), self._centres
        if self.request.per_authority:
            national = self._national or _national_engine()
            field = self.authority_field()
            labels = constraints.boundary_of
            land = authority_land(self.document.boundaries)  # each authority on its own land

            def each_authority():
                return national(centres, constraints, authority_of=labels, seed=seed,
                                field_name=field, land=land)

            return each_authority
        engine = self._engine or _engine_federate()
        current = self.current_plan()
        # The engine reads its own copy: the document's plan may change on the GUI thread.
        current = current.copy() if current is not None else None
        names = constraints.boundary_of if constraints.within_boundaries else None
        graph = self._land_graph(constraints)  # the document's land graph (planner.geo.cells)

        def one_plan():
            result = yield from engine(centres, constraints, current=current, graph=graph,
                                       seed=seed)
            return _named(result, names)

        return one_plan

    def replace_edit(self, description: str | None = None) -> ReplacePlan:
        """The undoable edit that puts the result in the document (push it as one command)."""
        if self.result_plan is None:
            raise RuntimeError("no result: the dialog was not run to the end")
        return ReplacePlan.make(self.document.plan, self.result_plan,
                                description or self.windowTitle())


def _named(result, authority_of):
    """The engine's result with its federations named after authority and hub town."""
    plan = getattr(result, "plan", None)
    if not isinstance(plan, Plan):
        return result
    named = name_federations(plan, authority_of)
    if named is plan:
        return result
    if is_dataclass(result):
        return replace(result, plan=named)
    result.plan = named
    return result


def _engine_diagnose() -> Callable[..., list[str]]:
    from planner.clustering.explain import diagnose

    return diagnose


def _engine_federate() -> Callable[..., Iterator]:
    from planner.clustering.federate import federate

    return federate


def _national_engine() -> Callable[..., Iterator]:
    from planner.clustering.national import plan_authorities

    return plan_authorities
