"""The History panel is the change log: who, when, what (centres, from, to) and an editable
reason; undo takes an entry off, redo puts it back with its reason."""

from __future__ import annotations

import getpass
from datetime import UTC, datetime

import pytest

from planner.ui.preferences import PreferencesDialog, set_user_name, user_name


@pytest.fixture
def w(main_window):
    yield main_window
    main_window.options.set_clean()


def test_each_edit_is_logged_with_who_when_what_and_from_to(w, qtmodeltester):
    set_user_name(w.settings, "J. Smith (consultation lead)")
    plan = w.document.plan
    a, b = list(plan.federations)[:2]
    ids = plan.member_ids(a)[:2]
    name_a, name_b = plan.federations[a].name, plan.federations[b].name
    start = datetime.now(UTC).replace(microsecond=0)
    w.scene.centres_dropped.emit(ids, b)
    w.editor.rename(b, "Medway Towns")
    log = w.options.current.log
    assert len(log) == 2
    move, rename = log[0], log[1]
    assert move.who == "J. Smith (consultation lead)"
    assert start <= datetime.fromisoformat(move.when) <= datetime.now(UTC)
    assert move.centres == tuple(ids) and move.sources == (name_a, name_a)
    assert move.targets == (name_b, name_b)
    assert rename.what == f"Rename {name_b!r} to 'Medway Towns'" and rename.centres == ()
    model = w.history.model()
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    assert model.index(0, 2).data() == f"Move 2 centres: {name_a} \u2192 {name_b}"


def test_reasons_are_editable_and_survive_undo_and_redo(w):
    model = w.history.model()
    plan = w.document.plan
    a, b = list(plan.federations)[:2]
    w.scene.centres_dropped.emit(plan.member_ids(a)[:1], b)
    from PySide6.QtCore import Qt

    assert model.flags(model.index(0, 3)) & Qt.ItemFlag.ItemIsEditable  # the reason
    assert not model.flags(model.index(0, 2)) & Qt.ItemFlag.ItemIsEditable  # what was done
    w.options.set_clean()
    assert model.setData(model.index(0, 3), "  Staff asked, 3 March  ")
    assert model.index(0, 3).data() == "Staff asked, 3 March"
    assert w.isWindowModified()  # a reason is saved with the file: unsaved until then
    w.actions.undo.trigger()
    assert model.rowCount() == 0 and len(w.options.current.log) == 0
    w.actions.redo.trigger()
    assert model.rowCount() == 1 and w.options.current.log[0].reason == "Staff asked, 3 March"
    w.scene.centres_dropped.emit(plan.member_ids(a)[:1], b)  # a new edit after undo
    w.actions.undo.trigger()
    w.actions.undo.trigger()
    w.scene.centres_dropped.emit(plan.member_ids(b)[:1], a)  # replaces the undone ones
    assert model.rowCount() == 1 and w.options.current.log[0].reason == ""


def test_preferences_name_the_recorder_and_blank_means_the_login(w, qtbot):
    dialog = PreferencesDialog(w.settings, w)
    qtbot.addWidget(dialog)
    dialog.name_edit.setText("Ann Planner")
    dialog.accept()
    assert user_name(w.settings) == "Ann Planner"
    dialog = PreferencesDialog(w.settings, w)
    qtbot.addWidget(dialog)
    assert dialog.name_edit.text() == "Ann Planner"
    dialog.name_edit.setText("   ")
    dialog.accept()
    assert user_name(w.settings) == getpass.getuser()
