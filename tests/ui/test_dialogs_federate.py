"""FederateDialog: fields pre-filled from the data, constraints from the fields, refusals with
reasons, and runs in the worker thread (progress, finish, cancel, engine refusals)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np
import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog

from planner.domain.centres import Centres
from planner.domain.constraints import Constraints, size_bounds
from planner.domain.plan import UNASSIGNED, Federation, Plan
from planner.ui import workers
from planner.ui.dialogs.federate_dialog import (
    FederateDialog,
    boundary_columns,
    read_link_groups,
)
from planner.ui.document import Document

TIMEOUT = 10_000
LONG_TIMEOUT = 120_000

# The offscreen platform says this whenever a top-level window is shown; it is not our warning.


@pytest.fixture(autouse=True)
def no_dangling_threads(qtbot):
    """Fail a test that leaves a worker thread running (stopping it first, so others are safe)."""
    yield
    left = workers.running_threads()
    if left:
        workers.stop_all(LONG_TIMEOUT)
    assert not left, f"{len(left)} worker thread(s) still running after the test"


def random_centres(n: int, seed: int = 0, *, size_m: float = 40_000.0) -> Centres:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0.0, size_m, (n, 2)) + [500_000.0, 150_000.0]
    rank = np.argsort(np.argsort(xy[:, 0], kind="stable"), kind="stable")
    return Centres(
        ids=[f"c{i}" for i in range(n)],
        names=[f"Centre {i}" for i in range(n)],
        xy=xy,
        lonlat=np.column_stack([np.linspace(0.5, 0.9, n), np.linspace(51.0, 51.4, n)]),
        attributes={
            "pupils": rng.integers(10, 100, n).tolist(),
            # Three west-to-east stripes of equal count: a boundary-like column.
            "district": [f"D{r * 3 // n}" for r in rank],
            "postcode": [f"PC{i}" for i in range(n)],  # unique: not a boundary
        },
    )


@pytest.fixture
def doc(qapp) -> Document:
    return Document(Plan(random_centres(120, seed=1)))


@pytest.fixture
def make(qtbot, doc):
    """``make(**kwargs)``: a FederateDialog on ``doc`` (engine/diagnose stand-ins allowed)."""

    def make_dialog(**kwargs) -> FederateDialog:
        dlg = FederateDialog(doc, **kwargs)
        qtbot.addWidget(dlg)
        return dlg

    return make_dialog


@pytest.fixture
def dialog(make) -> FederateDialog:
    return make()


# -- stand-in engines (same signature as federate) -------------------------------------------------
@dataclass
class FakeResult:
    plan: Plan
    cost: float = 0.0
    approximations: list[str] = field(default_factory=list)


def striped_engine(approximations=()):
    """Yields a few steps, returns a plan cutting the map into K vertical stripes."""

    def engine(centres, constraints, *, current=None, graph=None, seed=0):
        k = constraints.federations
        for i in range(4):
            yield (i / 4, f"step {i + 1}")
        order = np.argsort(centres.xy[:, 0], kind="stable")
        labels = np.empty(len(centres), dtype=int)
        labels[order] = np.arange(len(centres)) * k // len(centres)
        return FakeResult(Plan.from_labels(centres, labels), 1.0, list(approximations))

    return engine


def endless_engine(log: list, release: threading.Event | None = None):
    def engine(centres, constraints, *, current=None, graph=None, seed=0):
        try:
            i = 0
            while True:
                if release is not None:
                    release.wait(TIMEOUT / 1000)
                i += 1
                yield (min(0.9, i / 1e6), f"step {i}")
        finally:
            log.append("finally")

    return engine


class Infeasible(Exception):
    def __init__(self, reasons):
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


# -- defaults -------------------------------------------------------------------------------------
def test_defaults_are_prefilled_from_the_data(dialog, doc):
    n = len(doc.plan.centres)
    assert dialog.k_spin.value() == round(n / 20) == 6
    lo, hi = size_bounds(n, 6, Constraints())
    assert (dialog.min_spin.value(), dialog.max_spin.value()) == (lo, hi) == (18, 22)
    # the file's own figure, then the reach columns every opened plan gets (issue 11)
    assert dialog.balance.columns == doc.plan.centres.numeric_columns() == [
        "pupils", "children_0_15_reach", "deprived_children_reach", "population_reach"]
    assert dialog.balance.rows() == [] and dialog.balance.add_button.isEnabled()
    assert dialog.boundary_check.isEnabled()  # the centres' district column offers itself
    assert not dialog.boundary_check.isChecked()
    assert dialog.seed_spin.value() == 0
    assert dialog.keep_locked_check.isChecked() and dialog.keep_locked_check.isEnabled()
    assert dialog.problems() == []
    assert dialog.run_button.isEnabled()
    assert dialog.windowTitle() == "Auto-federate"


def test_sizes_follow_k(dialog):
    dialog.k_spin.setValue(4)
    assert (dialog.min_spin.value(), dialog.max_spin.value()) == size_bounds(120, 4, Constraints())
    assert dialog.max_spin.value() == 33  # 30 +- 10%, rounded outwards


def test_reoptimise_unlocked_keeps_locks_and_k(qtbot, qapp):
    centres = random_centres(60, seed=2)
    labels = np.arange(60) % 4
    plan = Plan.from_labels(centres, labels)
    plan.federations[0] = Federation(0, "Agreed", "#000000", locked=True)
    plan.locked_centres.add("c5")
    dlg = FederateDialog(Document(plan), reoptimise_unlocked=True)
    qtbot.addWidget(dlg)
    assert dlg.keep_locked_check.isChecked()
    assert not dlg.keep_locked_check.isEnabled()
    assert dlg.k_spin.value() == 4  # the plan's federations, not round(60 / 20)
    assert dlg.current_plan() is dlg.document.plan
    assert "Re-optimise" in dlg.windowTitle()


def test_seed_comes_from_the_plan_params(qtbot, qapp):
    plan = Plan(random_centres(40, seed=3), params={"seed": 17})
    dlg = FederateDialog(Document(plan))
    qtbot.addWidget(dlg)
    assert dlg.seed() == 17


# -- constraints() --------------------------------------------------------------------------------
def test_constraints_match_the_fields(dialog, doc, tmp_path):
    links = tmp_path / "links.csv"
    links.write_text("urn,link_urn,link_name\nc1,c2,x\nc2,c1,x\nc7,c9,y\n", encoding="utf-8")
    dialog.k_spin.setValue(5)
    dialog.min_spin.setValue(20)
    dialog.max_spin.setValue(28)
    dialog.balance.add_row()
    combo, tolerance, soft, _ = dialog.balance.widgets[0]
    assert combo.currentText() == "pupils"
    tolerance.setValue(15.0)
    soft.setChecked(True)
    dialog.link_spin.setValue(12.5)
    dialog.radius_spin.setValue(0.0)  # "no limit"
    dialog.boundary_check.setChecked(True)
    dialog.boundary_combo.setCurrentIndex(dialog.boundary_combo.findData("centres:district"))
    dialog.set_links_file(links)
    dialog.seed_spin.setValue(42)

    c = dialog.constraints()
    assert (c.federations, c.min_size, c.max_size) == (5, 20, 28)
    assert [b.column for b in c.balance] == ["pupils"]
    assert c.balance[0].tolerance == pytest.approx(0.15) and c.balance[0].soft
    assert c.max_link_m == pytest.approx(12_500.0)
    assert c.max_radius_m is None
    assert c.within_boundaries is True
    district = doc.plan.centres.attributes["district"]
    assert c.boundary_of == {f"c{i}": district[i] for i in range(120)}
    assert sorted(set(district)) == ["D0", "D1", "D2"]
    assert c.must_link == (("c1", "c2"), ("c7", "c9"))
    assert dialog.seed() == 42
    assert dialog.boundary_combo.isEnabled()


def test_constraints_without_options_are_none(dialog):
    dialog.radius_spin.setValue(8.0)
    c = dialog.constraints()
    assert c.balance == ()
    assert c.max_link_m is None
    assert c.max_radius_m == pytest.approx(8000.0)
    assert c.boundary_of is None and not c.within_boundaries
    assert c.must_link == ()


def test_constraints_keep_the_documents_other_rules(qtbot, qapp):
    doc = Document(Plan(random_centres(40, seed=4)))
    doc.constraints = Constraints(cannot_link=(("c1", "c2"),), contiguous=False)
    dlg = FederateDialog(doc)
    qtbot.addWidget(dlg)
    c = dlg.constraints()
    assert c.cannot_link == (("c1", "c2"),)
    assert c.contiguous is False


def test_boundary_layer_fields_are_offered(qtbot, document):
    """The shared Kent & Medway document has a district layer (field lad_name)."""
    dlg = FederateDialog(document)
    qtbot.addWidget(dlg)
    data = [dlg.boundary_combo.itemData(i) for i in range(dlg.boundary_combo.count())]
    assert "layer:lad_name" in data
    assert "centres:lad_name" in data  # the centres' own column is offered too
    assert dlg.boundary_combo.currentData() == "layer:lad_name"
    dlg.boundary_check.setChecked(True)
    labels = dlg.constraints().boundary_of
    assert len(labels) == len(document.plan.centres)
    assert len(set(labels.values())) == 13  # Kent's 12 districts and Medway


def test_boundary_check_disabled_without_any_boundary(qtbot, qapp):
    centres = random_centres(30, seed=5)
    bare = Centres(centres.ids, centres.names, centres.xy, centres.lonlat)
    dlg = FederateDialog(Document(Plan(bare)))
    qtbot.addWidget(dlg)
    assert not dlg.boundary_check.isEnabled()
    assert dlg.constraints().boundary_of is None


# -- links and boundary helpers -------------------------------------------------------------------
def test_read_link_groups_connected_components(tmp_path):
    centres = random_centres(10)
    path = tmp_path / "links.csv"
    # c1-c2-c3 chained; c4 and c6 joined through a closed partner 999; c8 links only outside.
    path.write_text(
        "URN,Link_URN\nc1,c2\nc2,c3\nc3,c1\nc4,999\n999,c6\nc8,777\n", encoding="utf-8-sig"
    )
    assert read_link_groups(path, centres) == (("c1", "c2", "c3"), ("c4", "c6"))


def test_read_link_groups_names_a_bad_file(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValueError, match="wrong.csv.*urn and link_urn"):
        read_link_groups(path, random_centres(5))
    with pytest.raises(ValueError, match="missing.csv"):
        read_link_groups(tmp_path / "missing.csv", random_centres(5))


def test_bad_links_file_is_shown_and_refused(dialog, tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    dialog.set_links_file(path)
    assert dialog.refresh_problems() and "urn and link_urn" in dialog.problems()[0]
    assert not dialog.problem_label.isHidden()
    assert not dialog.run_button.isEnabled()
    dialog.set_links_file("")
    assert dialog.refresh_problems() == []
    assert dialog.run_button.isEnabled()


def test_boundary_columns_prefers_authorities():
    centres = random_centres(40)
    assert boundary_columns(centres) == ["district"]  # pupils and postcodes are too varied


# -- refusing an infeasible request ---------------------------------------------------------------
def test_infeasible_request_shows_the_reason_and_does_not_run(qtbot, dialog):
    dialog.show()
    dialog.k_spin.setValue(10)
    dialog.max_spin.setValue(20)
    dialog.min_spin.setValue(15)  # 10 x 15 = 150 > 120 centres
    qtbot.waitUntil(lambda: not dialog.problem_label.isHidden(), timeout=TIMEOUT)
    text = dialog.problem_label.text()
    assert "120 centres cannot make 10 federations" in text
    assert "150" in text
    assert not dialog.run_button.isEnabled()
    assert dialog.run() is False
    assert not dialog.is_running()
    assert workers.running_threads() == []
    assert dialog.result_plan is None
    # Fixing the request clears the reason and enables Run again.
    dialog.k_spin.setValue(6)
    qtbot.waitUntil(lambda: dialog.problem_label.isHidden(), timeout=TIMEOUT)
    assert dialog.run_button.isEnabled()


def test_diagnose_reasons_are_shown(make):
    calls = []

    def diagnose(centres, constraints, current=None, graph=None):
        calls.append(constraints.federations)
        return ["Centre c3 is 40 km from every other centre."]

    dlg = make(diagnose=diagnose)
    assert calls == [6]
    assert "40 km" in dlg.problem_label.text()
    assert not dlg.run_button.isEnabled()
    assert dlg.run() is False


def test_real_diagnose_refuses_a_linked_group_too_big(dialog, tmp_path):
    """Only the engine's diagnosis sees this: 25 linked centres cannot fit a federation of 22."""
    links = tmp_path / "links.csv"
    links.write_text("urn,link_urn\n" + "".join(f"c{i},c{i + 1}\n" for i in range(24)),
                     encoding="utf-8")
    dialog.set_links_file(links)
    assert dialog.must_link() == (tuple(f"c{i}" for i in range(25)),)
    reasons = dialog.refresh_problems()
    assert any("25 centres" in r and "22" in r for r in reasons), reasons
    assert not dialog.problem_label.isHidden()
    assert not dialog.run_button.isEnabled()
    assert dialog.run() is False


# -- running --------------------------------------------------------------------------------------
def test_a_run_reports_progress_and_accepts_with_the_plan(qtbot, make, doc):
    dialog = make(engine=striped_engine(["weights within 12% (asked 10%)"]))
    dialog.k_spin.setValue(4)
    dialog.refresh_problems()
    seen: list = []
    with qtbot.waitSignal(dialog.accepted, timeout=TIMEOUT):
        assert dialog.run()
        assert dialog.is_running()
        assert not dialog.run_button.isEnabled() and dialog.cancel_button.isEnabled()
        dialog.worker.progress.connect(lambda f, m: seen.append(m))
    assert seen == ["step 1", "step 2", "step 3", "step 4"]
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert len(dialog.result_plan.federations) == 4
    assert dialog.approximations == ["weights within 12% (asked 10%)"]
    assert "approximately" in dialog.summary() and "4 federations" in dialog.summary()
    edit = dialog.replace_edit()
    doc.apply(edit)
    assert doc.plan.state()[0] == dialog.result_plan.state()[0]


def test_the_engine_gets_a_copy_of_the_plan_with_its_locks(qtbot, qapp):
    centres = random_centres(60, seed=6)
    plan = Plan.from_labels(centres, np.arange(60) % 3, params={"seed": 5})
    plan.locked_centres.add("c4")
    calls: list = []
    stripes = striped_engine()

    def engine(centres, constraints, *, current=None, graph=None, seed=0):
        calls.append((current, graph, seed, constraints.federations))
        return (yield from stripes(centres, constraints, current=current, seed=seed))

    dlg = FederateDialog(Document(plan), engine=engine)
    qtbot.addWidget(dlg)
    with qtbot.waitSignal(dlg.accepted, timeout=TIMEOUT):
        assert dlg.run()
    current, graph, seed, k = calls[0]
    assert current is not plan and current.state() == plan.state()
    assert current.locked_centres == {"c4"}
    assert (seed, k) == (5, 3)
    # the engine gets the document's land graph (issue 9), not a Delaunay graph of its own
    assert set(graph.edges) == set(dlg.document.graph.edges)

    dlg2 = FederateDialog(Document(plan), engine=engine)
    qtbot.addWidget(dlg2)
    dlg2.keep_locked_check.setChecked(False)
    with qtbot.waitSignal(dlg2.accepted, timeout=TIMEOUT):
        assert dlg2.run()
    assert calls[1][0] is None  # starting afresh: no plan to respect


def test_the_window_stays_responsive_during_a_run(qtbot, make):
    release = threading.Event()
    log: list = []
    dialog = make(engine=endless_engine(log, release))
    dialog.show()
    assert dialog.run()
    # The engine is stuck in its first step; the GUI thread still runs timers and repaints.
    timer = QTimer(dialog, singleShot=True, interval=10)
    with qtbot.waitSignal(timer.timeout, timeout=TIMEOUT):
        timer.start()
    dialog.repaint()
    release.set()
    with qtbot.waitSignal(dialog.worker.cancelled, timeout=TIMEOUT):
        dialog.cancel_run()
    assert log == ["finally"]


def test_cancel_keeps_the_dialog_open_and_says_so(qtbot, make):
    log: list = []
    dialog = make(engine=endless_engine(log))
    dialog.show()
    assert dialog.run()
    worker = dialog.worker
    with qtbot.waitSignal(worker.progress, timeout=TIMEOUT):
        pass
    with qtbot.waitSignal(worker.cancelled, timeout=TIMEOUT):
        qtbot.mouseClick(dialog.cancel_button, _left())
    assert dialog.status_label.text() == "Cancelled"
    assert dialog.isVisible()
    assert dialog.result_plan is None
    assert not dialog.is_running()
    assert dialog.run_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert log == ["finally"]


def test_closing_during_a_run_stops_the_thread(qtbot, make):
    log: list = []
    dialog = make(engine=endless_engine(log))
    dialog.show()
    assert dialog.run()
    with qtbot.waitSignal(dialog.worker.progress, timeout=TIMEOUT):
        pass
    dialog.reject()
    assert workers.running_threads() == []
    assert log == ["finally"]
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_engine_infeasible_is_explained_in_the_dialog(qtbot, make):
    def engine(centres, constraints, *, current=None, graph=None, seed=0):
        raise Infeasible(["Federation 'Agreed' is locked with 30 centres, above the maximum 22."])
        yield  # pragma: no cover

    dialog = make(engine=engine)
    dialog.show()
    with qtbot.waitSignal(dialog.worker_failed, timeout=TIMEOUT):
        assert dialog.run()
    text = dialog.problem_label.text()
    assert "cannot meet this request" in text and "above the maximum 22" in text
    assert dialog.isVisible() and dialog.result_plan is None
    assert dialog.run_button.isEnabled()


def test_engine_crash_is_shown_not_raised(qtbot, make):
    def engine(centres, constraints, *, current=None, graph=None, seed=0):
        yield (0.1, "starting")
        raise RuntimeError("solver exploded")

    dialog = make(engine=engine)
    with qtbot.waitSignal(dialog.worker_failed, timeout=TIMEOUT):
        assert dialog.run()
    assert "The run failed" in dialog.problem_label.text()
    assert "solver exploded" in dialog.problem_label.text()


def test_real_run_makes_k_federations_covering_every_centre(qtbot, dialog, doc):
    dialog.k_spin.setValue(6)
    dialog.seed_spin.setValue(3)
    assert dialog.refresh_problems() == []
    fractions: list[float] = []
    with qtbot.waitSignal(dialog.accepted, timeout=LONG_TIMEOUT):
        assert dialog.run()
        dialog.worker.progress.connect(lambda f, m: fractions.append(f))
    assert fractions and all(0.0 <= f <= 1.0 for f in fractions)
    plan = dialog.result_plan
    assert len(plan.federations) == 6
    assert not np.any(plan.assignment == UNASSIGNED)
    assert set(np.unique(plan.assignment)) == set(plan.federations)
    assert plan.centres.ids == doc.plan.centres.ids
    assert dialog.federate_result.plan is plan
    assert doc.plan.assignment.tolist() == [UNASSIGNED] * 120  # the document is untouched


def test_real_run_stays_within_boundaries(qtbot, dialog):
    dialog.boundary_check.setChecked(True)
    dialog.boundary_combo.setCurrentIndex(dialog.boundary_combo.findData("centres:district"))
    assert dialog.refresh_problems() == []
    with qtbot.waitSignal(dialog.accepted, timeout=LONG_TIMEOUT):
        assert dialog.run()
    plan = dialog.result_plan
    district = dialog.document.plan.centres.attributes["district"]
    for key in plan.federations:
        assert len({district[i] for i in plan.members(key)}) == 1


@pytest.mark.slow
def test_real_long_run_can_be_cancelled(qtbot, qapp):
    doc = Document(Plan(random_centres(3000, seed=7, size_m=400_000.0)))
    dlg = FederateDialog(doc)
    qtbot.addWidget(dlg)
    assert dlg.k_spin.value() == 150
    assert dlg.refresh_problems() == []
    dlg.show()
    assert dlg.run()
    with qtbot.waitSignal(dlg.worker.progress, timeout=LONG_TIMEOUT):
        pass
    with qtbot.waitSignal(dlg.worker.cancelled, timeout=LONG_TIMEOUT):
        dlg.cancel_run()
    assert dlg.status_label.text() == "Cancelled"
    assert dlg.result_plan is None and dlg.federate_result is None
    assert dlg.isVisible()


def _left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


# -- sizes the planner typed ----------------------------------------------------------------------
def test_a_typed_size_is_never_overwritten_by_a_change_of_k(qtbot, dialog):
    dialog.show()
    line = dialog.min_spin.lineEdit()
    line.selectAll()
    qtbot.keyClicks(line, "15")
    assert dialog.min_spin.value() == 15 and dialog.request.min_size == 15
    for k in (5, 4, 7, 6):
        dialog.k_spin.setValue(k)
        assert dialog.min_spin.value() == 15, k
    # The maximum, never typed, follows K (120 / 4 = 30 +- 3 -> 33, raised to the typed 15 at
    # most), and the constraints carry both.
    dialog.k_spin.setValue(4)
    assert dialog.max_spin.value() == 33
    assert (dialog.constraints().min_size, dialog.constraints().max_size) == (15, 33)
    assert dialog.sizes_reset_button.isEnabled()
    qtbot.mouseClick(dialog.sizes_reset_button, _left())
    assert (dialog.min_spin.value(), dialog.max_spin.value()) == size_bounds(120, 4,
                                                                             Constraints())
    assert not dialog.sizes_reset_button.isEnabled()


# -- balance rows ---------------------------------------------------------------------------------
def two_figure_doc() -> Document:
    centres = random_centres(60, seed=9)
    attrs = dict(centres.attributes, children=[10 + i % 7 for i in range(60)])
    return Document(Plan(Centres(centres.ids, centres.names, centres.xy, centres.lonlat,
                                 attributes=attrs)))


def test_balance_rows_are_added_and_removed(qtbot, qapp):
    dlg = FederateDialog(two_figure_doc())
    qtbot.addWidget(dlg)
    # the file's own figures first, then the reach columns every opened plan gets (issue 11)
    assert dlg.balance.columns == ["pupils", "children", "children_0_15_reach",
                                   "deprived_children_reach", "population_reach"]
    qtbot.mouseClick(dlg.balance.add_button, _left())
    qtbot.mouseClick(dlg.balance.add_button, _left())
    assert [r.column for r in dlg.balance.rows()] == ["pupils", "children"]  # next unused
    dlg.balance.widgets[1][1].setValue(5.0)
    c = dlg.constraints()
    assert [(b.column, round(b.tolerance, 3), b.soft) for b in c.balance] == [
        ("pupils", 0.1, False), ("children", 0.05, False)]
    qtbot.mouseClick(dlg.balance.widgets[0][3], _left())  # Remove the pupils row
    assert [(b.column, round(b.tolerance, 3)) for b in dlg.constraints().balance] == [
        ("children", 0.05)]
    # The same figure twice is refused, in words, and Run waits.
    qtbot.mouseClick(dlg.balance.add_button, _left())
    dlg.balance.widgets[1][0].setCurrentIndex(dlg.balance.widgets[1][0].findText("children"))
    assert dlg.refresh_problems() == ["children is balanced twice: keep one row for it."]
    assert not dlg.run_button.isEnabled()


# -- each authority separately ------------------------------------------------------------------
def authority_doc() -> Document:
    """107 centres in three west-to-east strips: West 50, East 50 and Tiny 7."""
    centres = random_centres(107, seed=10)
    rank = np.argsort(np.argsort(centres.xy[:, 0], kind="stable"), kind="stable")
    la = ["West" if r < 50 else "East" if r < 100 else "Tiny" for r in rank]
    attrs = dict(centres.attributes, dfe_la_name=la)
    return Document(Plan(Centres(centres.ids, centres.names, centres.xy, centres.lonlat,
                                 attributes=attrs)))


def test_each_authority_mode_lists_small_authorities_and_plans_each(qtbot, qapp):
    doc = authority_doc()
    dlg = FederateDialog(doc)
    qtbot.addWidget(dlg)
    assert dlg.authority_combo.currentData() == "centres:dfe_la_name"
    dlg.show()
    qtbot.mouseClick(dlg.mode_authority, _left())
    assert dlg.request.per_authority and not dlg.k_spin.isEnabled()
    assert not dlg.keep_locked_check.isEnabled() and dlg.current_plan() is None
    dlg.target_spin.setValue(20)
    assert dlg.refresh_problems() == []
    assert "1 authority has fewer centres than the minimum 18" in dlg.notes_label.text()
    assert "Tiny (7)" in dlg.notes_label.text() and not dlg.notes_label.isHidden()
    with qtbot.waitSignal(dlg.accepted, timeout=LONG_TIMEOUT):
        assert dlg.run()
    plan = dlg.result_plan
    la = doc.plan.centres.attributes["dfe_la_name"]
    # Hand-worked: West and East (50 each) -> round(2.5) = 2 federations of 22-28 (25 +- 2.5);
    # Tiny (7) -> one federation of all 7.
    sizes: dict[str, list[int]] = {}
    for key, fed in plan.federations.items():
        members = plan.members(key)
        (name,) = {la[i] for i in members}
        assert fed.name.startswith(f"{name}: "), fed.name
        sizes.setdefault(name, []).append(len(members))
    assert sorted(sizes["Tiny"]) == [7]
    for name in ("West", "East"):
        assert len(sizes[name]) == 2 and sum(sizes[name]) == 50
        assert all(22 <= s <= 28 for s in sizes[name]), sizes
    assert not np.any(plan.assignment == UNASSIGNED)
    assert dlg.summary() == "Auto-federate: 5 federations in 3 authorities (1 as one)"


def test_each_authority_mode_refuses_sizes_that_miss_the_target(qtbot, qapp):
    dlg = FederateDialog(authority_doc())
    qtbot.addWidget(dlg)
    dlg.mode_authority.setChecked(True)
    dlg.target_spin.setValue(20)
    dlg.min_spin.setValue(22)
    dlg.max_spin.setValue(25)
    assert dlg.refresh_problems() == [
        "The target of 20 centres per federation is outside the sizes 22-25."]
    assert not dlg.run_button.isEnabled()


def test_a_real_run_names_federations_after_authority_and_hub(qtbot, dialog):
    dialog.boundary_check.setChecked(True)
    dialog.boundary_combo.setCurrentIndex(dialog.boundary_combo.findData("centres:district"))
    assert dialog.refresh_problems() == []
    with qtbot.waitSignal(dialog.accepted, timeout=LONG_TIMEOUT):
        assert dialog.run()
    plan = dialog.result_plan
    district = plan.centres.attributes["district"]
    for key, fed in plan.federations.items():
        hub_name = plan.centres.names[plan.centres.index_of(fed.hub)]
        label = district[plan.members(key)[0]]
        assert fed.name in (f"{label}: {hub_name}", f"{label}: {hub_name} 2"), fed.name
    assert dialog.federate_result.plan is plan
