"""Options in the window: switch, duplicate, rename, delete (undoable), one history each; saved
and reopened with every option; the Compare dock's moves and rings."""

from __future__ import annotations

import json

import pytest

from planner.geo.planfile import save_plan


@pytest.fixture
def w(main_window):
    yield main_window
    main_window.options.set_clean()  # closing at teardown must not prompt


def _switch(w, name: str) -> None:
    index = w.options.book.names().index(name)
    w.options.combo.setCurrentIndex(index)
    w.options.combo.activated.emit(index)  # what a pick in the toolbar selector sends


def _move_two(w) -> tuple[list[str], int]:
    plan = w.document.plan
    a, b = list(plan.federations)[:2]
    ids = plan.member_ids(a)[:2]
    w.scene.centres_dropped.emit(ids, b)
    return ids, b


def test_switching_keeps_each_options_plan_and_undo_history(w):
    original = w.document.plan.state()
    w.actions.duplicate_option.trigger()
    assert w.options.book.names() == ["Option A", "Option B"]
    assert w.options.combo.currentText() == "Option B"
    ids, b = _move_two(w)
    assert w.stack.count() == 1 and w.actions.undo.isEnabled()
    edited = w.document.plan.state()

    _switch(w, "Option A")
    assert w.document.plan.state() == original  # A never saw B's move
    assert w.stack.count() == 0 and not w.actions.undo.isEnabled()
    assert w.federation_model.rowCount() == len(w.document.plan.federations)

    _switch(w, "Option B")
    assert w.document.plan.state() == edited and w.stack.count() == 1
    w.actions.undo.trigger()  # Edit > Undo acts on the option shown
    assert w.document.plan.state() == original
    w.actions.redo.trigger()
    assert all(w.document.plan.federation_of(i) == b for i in ids)


def test_duplicate_rename_delete_are_each_undoable(w):
    ctl = w.options
    w.actions.duplicate_option.trigger()
    assert ctl.rename("Coastal")
    assert [w.options.combo.itemText(i) for i in range(2)] == ["Option A", "Coastal"]
    assert not ctl.rename("Option A")  # names stay unique
    assert "already an option called 'Option A'" in w.statusBar().currentMessage()
    w.actions.delete_option.trigger()
    assert ctl.book.names() == ["Option A"] and w.options.combo.count() == 1
    assert not ctl.delete()  # the last option stays
    w.actions.undo_option.trigger()  # the delete
    assert ctl.book.names() == ["Option A", "Coastal"] and ctl.current.name == "Coastal"
    w.actions.undo_option.trigger()  # the rename
    assert ctl.book.names() == ["Option A", "Option B"]
    w.actions.undo_option.trigger()  # the duplicate
    assert ctl.book.names() == ["Option A"] and ctl.current.name == "Option A"
    w.actions.redo_option.trigger()
    assert ctl.book.names() == ["Option A", "Option B"] and ctl.current.name == "Option B"
    assert w.isWindowModified()


def test_saving_two_options_and_reopening_restores_both_with_their_logs(w, tmp_path,
                                                                         monkeypatch):
    w.actions.duplicate_option.trigger()
    ids, _ = _move_two(w)
    w.history.model().setData(w.history.model().index(0, 3), "Asked by parents")
    b_state = w.document.plan.state()
    _switch(w, "Option A")
    a_state = w.document.plan.state()
    path = tmp_path / "options.geojson"
    monkeypatch.setattr(w.prompts, "save_path", lambda *a, **k: str(path))
    assert w.files.save_as() and not w.isWindowModified()
    raw = json.loads(path.read_text())["planner"]
    assert raw["version"] == 2 and [o["name"] for o in raw["options"]] == ["Option A",
                                                                           "Option B"]

    w.actions.duplicate_option.trigger()  # something to lose, to show reopening replaces it
    w.options.set_clean()
    assert w.files.open_path(path)
    assert w.options.book.names() == ["Option A", "Option B"]
    assert w.options.current.name == "Option A" and w.document.plan.state() == a_state
    _switch(w, "Option B")
    assert w.document.plan.state() == b_state
    log = w.options.current.log
    assert len(log) == 1 and log[0].reason == "Asked by parents"
    assert set(log[0].centres) == set(ids)
    assert w.history.model().index(0, 3).data() == "Asked by parents"


def test_a_one_option_window_saves_todays_plan_file(w, tmp_path, monkeypatch):
    path = tmp_path / "window.geojson"
    monkeypatch.setattr(w.prompts, "save_path", lambda *a, **k: str(path))
    assert w.files.save_as()
    save_plan(w.document.plan, tmp_path / "plain.geojson", w.document.constraints)
    assert path.read_bytes() == (tmp_path / "plain.geojson").read_bytes()


def test_compare_dock_lists_the_moves_and_rings_them_in_the_other_colour(w, qtmodeltester):
    from planner.ui.compare_rings import RingsItem

    w.actions.duplicate_option.trigger()
    plan = w.document.plan
    keys = list(plan.federations)
    for key in keys:  # rename every federation in B: still no move
        w.editor.rename(key, f"B-{plan.federations[key].name}")
    panel = w.compare_panel
    panel.selector.setCurrentText("Option A")
    panel.selector.activated.emit(panel.selector.currentIndex())
    assert panel.model.rowCount() == 0
    ids, _ = _move_two(w)  # B moves two centres out of the first federation
    assert sorted(panel.model.data(panel.model.index(r, 0), 256) for r in range(2)) == sorted(ids)
    assert panel.model.rowCount() == 2
    qtmodeltester.check(panel.model)
    a_plan = w.options.book.option("Option A").plan
    first = a_plan.federations[keys[0]]
    assert {panel.model.index(r, 2).data() for r in range(2)} == {first.name}
    rings = [i for i in w.scene.items() if isinstance(i, RingsItem)]
    assert len(rings) == 1 and len(rings[0].points) == 2
    assert {c.name() for c in rings[0].colours} == {first.colour.lower()}
    w.actions.undo.trigger()  # the table follows edits
    assert panel.model.rowCount() == 0
    assert not [i for i in w.scene.items() if isinstance(i, RingsItem)]


def test_a_damaged_options_file_is_refused_and_the_open_plan_kept(w, tmp_path, monkeypatch):
    w.actions.duplicate_option.trigger()
    path = tmp_path / "options.geojson"
    w.options.save(path)
    doc = json.loads(path.read_text())
    doc["planner"]["options"][1]["log"] = "not a list"
    path.write_text(json.dumps(doc))
    errors = []
    monkeypatch.setattr(w.prompts, "error", lambda title, text: errors.append(text))
    before = (w.options.book.names(), w.document.plan.state())
    assert not w.files.open_path(path)
    assert errors and "options.geojson" in errors[0] and "'log' must be a list" in errors[0]
    assert (w.options.book.names(), w.document.plan.state()) == before


def test_compare_with_a_plan_file(w, tmp_path, monkeypatch):
    path = tmp_path / "other.geojson"
    plan = w.document.plan
    save_plan(plan, path)
    ids, _ = _move_two(w)
    monkeypatch.setattr(w.prompts, "open_path", lambda *a, **k: str(path))
    panel = w.compare_panel
    panel.selector.setCurrentText("Plan file\u2026")
    panel.selector.activated.emit(panel.selector.currentIndex())
    assert sorted(panel.model.data(panel.model.index(r, 0), 256)
                  for r in range(panel.model.rowCount())) == sorted(ids)
    assert "other.geojson" in panel.summary.text()
