"""Files from the window: bad files keep the plan, unsaved changes prompt, save and reopen."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QFileDialog, QMessageBox

from planner.app import sample_paths

pytestmark = pytest.mark.usefixtures("no_modal_dialogs")


def make_edits(window) -> None:
    """A move, a rename and a lock: three undo steps."""
    plan = window.document.plan
    a, b = list(plan.federations)[:2]
    assert window.editor.move(plan.member_ids(a)[:1], b)
    assert window.editor.rename(b, "North Kent")
    assert window.editor.lock(plan.member_ids(b)[-1:], True)


@pytest.fixture
def critical(monkeypatch):
    calls = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda parent, title, text, *a: calls.append((title, text))))
    return calls


@pytest.fixture
def save_to(monkeypatch):
    """``save_to(path)`` makes the next Save dialogs answer ``path``."""
    answers = []

    def get_save(parent, caption, directory, filters, *args):
        return (str(answers[-1]), filters)

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(get_save))
    return answers.append


@pytest.mark.parametrize("content, problem", [
    ("urn,name,lat,lon\n1,A,51.3,0.5\n2,B,north,0.6\n", "row 3"),
    ("{not json", "not valid JSON"),
])
def test_a_bad_file_shows_the_error_and_keeps_the_plan(main_window, tmp_path, critical,
                                                       content, problem):
    w = main_window
    make_edits(w)
    before = w.document.plan.state()
    path_before, depth = w.document.path, w.stack.count()
    bad = tmp_path / ("bad.csv" if content.startswith("urn") else "bad.geojson")
    bad.write_text(content, encoding="utf-8")

    assert w.files.open_path(bad) is False

    assert len(critical) == 1
    title, text = critical[0]
    assert title == "Cannot open file"
    assert "bad." in text and problem.lower() in text.lower()
    assert w.document.plan.state() == before
    assert w.document.path == path_before and w.stack.count() == depth


def test_a_missing_file_shows_the_error(main_window, tmp_path, critical):
    before = main_window.document.plan.state()
    assert main_window.files.open_path(tmp_path / "nowhere.csv") is False
    assert "nowhere.csv" in critical[0][1]
    assert main_window.document.plan.state() == before


def test_close_with_unsaved_changes_prompts(main_window, monkeypatch, tmp_path, save_to):
    w = main_window
    w.show()
    make_edits(w)
    assert w.isWindowModified() and "[*]" in w.windowTitle()
    answers = []

    def question(parent, title, text, buttons, default):
        answers.append(title)
        return reply

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    reply = QMessageBox.StandardButton.Cancel
    assert w.close() is False
    assert w.isVisible() and answers == ["Unsaved changes"]

    reply = QMessageBox.StandardButton.Save
    save_to(tmp_path / "closing.geojson")
    assert w.close() is True
    assert (tmp_path / "closing.geojson").is_file()
    assert len(answers) == 2


def test_discard_closes_without_saving(main_window, monkeypatch, tmp_path):
    w = main_window
    make_edits(w)
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a: QMessageBox.StandardButton.Discard))
    assert w.close() is True
    assert not list(tmp_path.glob("*.geojson"))


def test_no_prompt_when_nothing_changed(main_window):
    assert main_window.close() is True  # QMessageBox.question would fail the test


def test_save_and_reopen_round_trip(main_window, tmp_path, save_to, monkeypatch):
    w = main_window
    make_edits(w)
    saved_state = w.document.plan.state()
    target = tmp_path / "kent_plan"  # the suffix is added
    save_to(target)

    w.actions.save.trigger()

    path = tmp_path / "kent_plan.geojson"
    assert path.is_file()
    assert not w.isWindowModified() and w.windowTitle().startswith("kent_plan.geojson")
    assert w.stack.isClean()
    assert json.loads(path.read_text(encoding="utf-8"))["planner"]["version"] == 1

    # further edits, then Save writes to the same file without asking
    w.editor.rename(list(w.document.plan.federations)[0], "Medway and Gravesham")
    saved_state = w.document.plan.state()
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a: pytest.fail("Save asked for a path again")))
    assert w.files.save()
    assert w.stack.isClean()

    # reopen in this window (nothing unsaved, so no prompt)
    w.editor.move([w.document.plan.centres.ids[0]], list(w.document.plan.federations)[3])
    w.files.save()
    saved_state = w.document.plan.state()
    assert w.files.open_path(path)
    assert w.document.plan.state() == saved_state
    assert w.document.weight_column == "children_0_15"
    assert w.stack.count() == 0
    assert w.federation_model.index(1, 0).data() == "North Kent"


def test_reopen_in_a_new_window_from_the_command_line(main_window, tmp_path, save_to, qtbot):
    from planner.app import create_main_window

    make_edits(main_window)
    save_to(tmp_path / "plan.geojson")
    assert main_window.files.save_as()
    state = main_window.document.plan.state()
    settings = QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat)
    other = create_main_window(tmp_path / "plan.geojson", settings=settings)
    qtbot.addWidget(other)
    assert other.document.plan.state() == state
    assert other.windowTitle().startswith("plan.geojson")
    assert other.files.save_target == tmp_path / "plan.geojson"


def test_ambiguous_columns_ask_the_mapping_dialog(main_window, monkeypatch, ambiguous_csv):
    w = main_window
    centres = ambiguous_csv
    asked = []

    def mapping(guess):
        asked.append(guess)
        return {"x_column": "easting", "y_column": "northing", "coords": "bng",
                "weight_column": "children_0_15"}

    monkeypatch.setattr(w.prompts, "column_mapping", mapping)
    w.editor.rename(list(w.document.plan.federations)[0], "Renamed")
    w.stack.setClean()
    assert w.files.open_path(centres)
    assert asked and asked[0].ambiguous
    assert len(w.document.plan.centres) == 103
    assert w.document.plan.federations == {}  # a centres file: nothing assigned yet
    assert w.document.weight_column == "children_0_15"
    assert w.stack.count() == 0 and w.federation_model.rowCount() == 0
    assert "Auto-federate" in w.statusBar().currentMessage()


def test_cancelling_the_mapping_dialog_keeps_the_plan(main_window, monkeypatch, ambiguous_csv):
    w = main_window
    before = w.document.plan.state()
    monkeypatch.setattr(w.prompts, "column_mapping", lambda guess: None)
    assert w.files.open_path(ambiguous_csv) is False
    assert w.document.plan.state() == before


def test_unsaved_changes_prompt_before_opening(main_window, monkeypatch, tmp_path):
    from planner.geo.planfile import save_plan

    w = main_window
    other = tmp_path / "other.geojson"
    save_plan(w.document.plan, other)
    make_edits(w)
    before = w.document.plan.state()
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a: QMessageBox.StandardButton.Cancel))
    assert w.files.open_path(other) is False
    assert w.document.plan.state() == before
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a: QMessageBox.StandardButton.Discard))
    assert w.files.open_path(other) is True
    assert w.document.plan.state() != before and w.stack.count() == 0


def test_opening_a_polygon_layer_sets_the_boundaries(main_window, monkeypatch):
    w = main_window
    _, districts = sample_paths()
    before = w.document.plan.state()
    w.document.boundaries = None
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a: (str(districts), "")))
    w.actions.open.trigger()
    assert w.document.boundaries is not None and len(w.document.boundaries) == 13
    assert w.document.boundary_field == "lad_name"
    assert w.document.plan.state() == before
    assert "13 areas" in w.statusBar().currentMessage()


def test_recent_files_are_remembered_in_the_given_settings(main_window, tmp_path, save_to):
    w = main_window
    save_to(tmp_path / "recent.geojson")
    w.files.save_as()
    assert w.files.recent_files()[0] == str((tmp_path / "recent.geojson").resolve())
    w.settings.sync()
    assert "recent.geojson" in (tmp_path / "settings.ini").read_text(encoding="utf-8")
    w.files.fill_recent_menu(w.recent_menu)
    texts = [a.text() for a in w.recent_menu.actions()]
    assert texts[0] == "&1 recent.geojson"


def test_layout_is_saved_on_close_and_restored(main_window, tmp_path, qtbot):
    from planner.app import create_main_window

    w = main_window
    w.table_dock.hide()
    assert w.close()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    other = create_main_window(settings=settings)
    qtbot.addWidget(other)
    other.restore_layout()
    assert other.table_dock.isHidden()
    assert not other.panel_dock.isHidden()


def test_exports_write_geojson_csv_and_png(main_window, tmp_path, save_to):
    w = main_window
    for action, name in [(w.actions.export_geojson, "out.geojson"),
                         (w.actions.export_csv, "out.csv"), (w.actions.export_png, "out.png")]:
        save_to(tmp_path / name)
        action.trigger()
        assert (tmp_path / name).stat().st_size > 0, name
    features = json.loads((tmp_path / "out.geojson").read_text(encoding="utf-8"))["features"]
    assert sum(1 for f in features if f["geometry"]["type"] == "Point") == 103
    header = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()[0]
    assert "federation" in header
    assert (tmp_path / "out.png").read_bytes()[:4] == b"\x89PNG"
    assert w.stack.isClean()  # exporting is not saving, and changes nothing


def test_sample_paths_are_in_the_repository():
    centres, districts = sample_paths()
    assert centres is not None and centres.parent.name == "sample"
    assert isinstance(districts, Path) and districts.is_file()


def test_opening_england_after_kent_draws_england_districts(main_window, data_dir):
    window = main_window
    kent_layer = window.document.boundaries
    assert kent_layer is not None and len(kent_layer) == 13
    # eight authorities at the corners of England: 227 rows, 4 without coordinates
    path = data_dir / "childrens_centres_england_2016-08-04_cut.csv"
    assert window.files.open_path(path)
    layer = window.document.boundaries
    assert layer is not kent_layer
    assert len(layer) == 296
    assert len(window.document.plan.centres) == 223
