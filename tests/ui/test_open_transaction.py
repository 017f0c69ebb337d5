"""File > Open is a transaction: every generated hostile input either opens completely or leaves
the open document, its undo stack and its views exactly as they were, with one error dialog that
names the file. Loading happens off the GUI thread."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))

from hostile_inputs import generate  # noqa: E402

from planner.ui.prompts import Unsaved  # noqa: E402


def _state(window):
    doc = window.document
    return (doc.snapshot(), window.stack.count(), window.stack.index(), doc.path,
            window.windowTitle())


@pytest.fixture
def prompts(main_window):
    errors: list[tuple[str, str]] = []
    main_window.prompts.error = lambda title, text: errors.append((title, text))
    main_window.prompts.unsaved = lambda name: Unsaved.DISCARD
    main_window.prompts.column_mapping = lambda guess: {}
    main_window.prompts.confirm = lambda title, text: False  # "open outside England?": No
    return errors


@pytest.mark.slow
def test_every_hostile_input_through_file_open(main_window, prompts, sample_dir, tmp_path):
    cases = [c for c in generate(sample_dir, tmp_path) if c.kind == "centres"]
    assert len(cases) >= 150
    w = main_window
    assert w.editor.rename(list(w.document.plan.federations)[0], "Edited before opening")
    failures = []
    from planner.ui.file_actions import sniff_kind

    for case in cases:
        if sniff_kind(case.path) == "boundaries":
            continue  # a polygon layer opens as the map's boundaries, by design
        before = _state(w)
        prompts.clear()
        opened = w.files.open_path(case.path)
        if case.expect == "refuse" or case.options:  # the window allows only England
            if opened or _state(w) != before:
                failures.append(f"{case.name}: opened={opened}, document changed")
            elif len(prompts) != 1 or case.path.name not in prompts[0][1]:
                failures.append(f"{case.name}: dialog {prompts}")
        else:
            if not opened or len(w.document.plan.centres) != case.count:
                failures.append(f"{case.name}: opened={opened} {prompts}")
            elif w.stack.count() != 0:
                failures.append(f"{case.name}: the old undo stack survived")
            else:  # back to an edited state for the next refusal to protect
                assert w.editor.rename(list(w.document.plan.federations or [None])[0], "E") \
                    if w.document.plan.federations else True
    assert not failures, "\n".join(failures)


def test_a_refused_plan_leaves_plan_undo_and_views_untouched(main_window, prompts, tmp_path):
    w = main_window
    key = list(w.document.plan.federations)[0]
    assert w.editor.rename(key, "Mine")
    before = _state(w)
    bad = tmp_path / "bad_weight.geojson"
    from planner.geo.planfile import save_plan

    plan = w.document.plan
    save_plan(plan, tmp_path / "good.geojson", w.document.constraints)
    text = (tmp_path / "good.geojson").read_text()
    bad.write_text(text.replace('"version":1', '"version":99'))
    assert w.files.open_path(bad) is False
    assert _state(w) == before
    assert "versions 1 and 2" in prompts[0][1]
    w.stack.undo()  # the old stack still works on the old plan
    assert w.document.plan.federations[key].name != "Mine"


def test_opening_runs_off_the_gui_thread(main_window, prompts, sample_dir, monkeypatch):
    import threading

    from planner.geo import planfile

    seen = []
    real = planfile.load_plan

    def spy(*args, **kwargs):
        seen.append(threading.current_thread() is threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(planfile, "load_plan", spy)
    assert main_window.files.open_path(sample_dir / "kent_medway_centres.csv")
    assert seen == [False]


def test_no_exception_escapes_a_slot(qapp, monkeypatch):
    from PySide6.QtCore import QObject, QTimer, Signal
    from PySide6.QtWidgets import QMessageBox

    from planner.ui import safety

    shown = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda parent, title, text, *a: shown.append(text)))

    @safety.guarded("Cannot do it")
    def slot():
        raise KeyError("the saved plan names no such federation")

    assert slot() is None
    assert "no such federation" in shown[0]

    previous = safety.install_excepthook()
    try:
        class Emitter(QObject):
            fired = Signal()

        emitter = Emitter()
        emitter.fired.connect(lambda: 1 / 0)
        emitter.fired.emit()  # PySide hands the slot's exception to sys.excepthook
        QTimer.singleShot(0, lambda: None)
        qapp.processEvents()
    finally:
        sys.excepthook = previous
    assert any("division by zero" in text for text in shown)


def test_centres_outside_england_open_when_the_planner_says_so(main_window, prompts, tmp_path):
    """Aberdeen's centres are refused as outside England unless the planner answers Yes."""
    path = tmp_path / "aberdeen.csv"
    path.write_text("id,name,latitude,longitude\n"
                    "e1,Torry,57.1350,-2.0850\ne2,Tillydrone,57.1720,-2.1160\n"
                    "e3,Mastrick,57.1530,-2.1630\ne4,Cove,57.1000,-2.0880\n",
                    encoding="utf-8")
    w = main_window
    before = _state(w)
    asked: list[str] = []
    w.prompts.confirm = lambda title, text: asked.append(text) or False
    assert not w.files.open_path(path)
    assert _state(w) == before and len(asked) == 1 and "outside England" in asked[0]
    assert len(prompts) == 1 and "aberdeen.csv" in prompts[0][1]
    w.prompts.confirm = lambda title, text: asked.append(text) or True
    assert w.files.open_path(path)
    assert len(asked) == 2
    assert sorted(w.document.plan.centres.ids) == ["e1", "e2", "e3", "e4"]


@pytest.mark.slow
def test_200000_rows_open_in_the_window_while_it_stays_live(main_window, prompts, sample_dir,
                                                              tmp_path):
    """The big file opens through File > Open with every centre, and the window keeps handling
    events while it loads (a timer on the GUI thread keeps ticking)."""
    from PySide6.QtCore import QTimer

    (big,) = [c for c in generate(sample_dir, tmp_path, big=True) if c.slow]
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(200)
    try:
        assert main_window.files.open_path(big.path), prompts
    finally:
        timer.stop()
    assert len(main_window.document.plan.centres) == big.count
    assert len(ticks) >= 5  # the event loop ran while the file was read and prepared
