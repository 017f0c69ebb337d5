"""ColumnMappingDialog: pre-selected from the guess, OK only with coordinates, mapping() kwargs."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog

from planner.geo.columns import ColumnGuess, guess_columns
from planner.ui.dialogs.import_dialog import ColumnMappingDialog

GIAS_HEADER = ["urn", "name", "easting", "northing", "lat", "lon", "children", "town"]
# The offscreen platform says this whenever a top-level window is shown; it is not our warning.

PREVIEW = [
    ["1001", "Abbey CC", "583000", "158000", "51.29", "0.98", "410", "Faversham"],
    ["1002", "Brook CC", "579500", "166000", "51.36", "0.94", "380", "Sittingbourne"],
]


@pytest.fixture
def make(qtbot):
    def make_dialog(guess) -> ColumnMappingDialog:
        dlg = ColumnMappingDialog(guess)
        qtbot.addWidget(dlg)
        return dlg

    return make_dialog


def gias_guess() -> ColumnGuess:
    guess = guess_columns(GIAS_HEADER)
    guess.preview = [list(r) for r in PREVIEW]
    guess.numeric_columns = ["urn", "easting", "northing", "lat", "lon", "children"]
    return guess


def test_preselected_from_the_guess(make):
    dlg = make(gias_guess())
    assert dlg.mapping() == {
        "id_column": "urn",
        "name_column": "name",
        "x_column": "lon",
        "y_column": "lat",
        "coords": "lonlat",
        "weight_column": None,
    }
    assert dlg.ok_button.isEnabled()
    assert dlg.x_label.text() == "Longitude:" and dlg.y_label.text() == "Latitude:"
    assert "both latitude/longitude and easting/northing" in dlg.findChild(
        type(dlg.hint_label), "intro").text()


def test_preview_shows_the_first_rows(make):
    dlg = make(gias_guess())
    assert dlg.preview.rowCount() == 2
    assert dlg.preview.columnCount() == len(GIAS_HEADER)
    assert dlg.preview.item(1, 1).text() == "Brook CC"
    header = dlg.preview.horizontalHeaderItem(GIAS_HEADER.index("lat")).text()
    assert header == "lat\n[latitude]"  # the chosen role is marked


def test_switching_to_easting_northing_picks_those_columns(make):
    dlg = make(gias_guess())
    dlg.coords_combo.setCurrentIndex(dlg.coords_combo.findData("bng"))
    m = dlg.mapping()
    assert (m["coords"], m["x_column"], m["y_column"]) == ("bng", "easting", "northing")
    assert dlg.x_label.text() == "Easting:"


def test_ok_disabled_until_coordinates_are_chosen(make):
    guess = guess_columns(["site", "title", "east", "north", "kids"])
    assert guess.coords is None
    dlg = make(guess)
    assert not dlg.ok_button.isEnabled()
    assert "longitude and the latitude" in dlg.hint_label.text()
    dlg.coords_combo.setCurrentIndex(dlg.coords_combo.findData("bng"))
    dlg.x_combo.setCurrentIndex(dlg.x_combo.findData("east"))
    assert not dlg.ok_button.isEnabled()
    dlg.y_combo.setCurrentIndex(dlg.y_combo.findData("east"))
    assert not dlg.ok_button.isEnabled()  # the same column twice
    assert "different" in dlg.hint_label.text()
    dlg.y_combo.setCurrentIndex(dlg.y_combo.findData("north"))
    dlg.id_combo.setCurrentIndex(dlg.id_combo.findData("site"))
    dlg.weight_combo.setCurrentIndex(dlg.weight_combo.findData("kids"))
    assert dlg.ok_button.isEnabled()
    assert dlg.mapping() == {
        "id_column": "site",
        "name_column": "title",  # recognised as a name
        "x_column": "east",
        "y_column": "north",
        "coords": "bng",
        "weight_column": "kids",
    }


def test_point_geometry_needs_no_columns(make):
    guess = guess_columns(["urn", "name"], has_geometry=True)
    guess.kind = "geojson"
    dlg = make(guess)
    assert dlg.coords() == "geometry"
    assert dlg.ok_button.isEnabled()
    assert not dlg.x_combo.isEnabled()
    m = dlg.mapping()
    assert (m["coords"], m["x_column"], m["y_column"]) == (None, None, None)


def test_csv_offers_no_geometry_choice(make):
    dlg = make(gias_guess())
    kinds = [dlg.coords_combo.itemData(i) for i in range(dlg.coords_combo.count())]
    assert kinds == ["lonlat", "bng"]


def test_ok_accepts_and_cancel_rejects(make):
    dlg = make(gias_guess())
    dlg.open()
    dlg.ok_button.click()
    assert dlg.result() == QDialog.DialogCode.Accepted
    other = make(gias_guess())
    other.open()
    other.buttons.rejected.emit()
    assert other.result() == QDialog.DialogCode.Rejected


def test_mapping_reads_the_file(make, tmp_path):
    """End to end with the real reader: detect, map (choosing easting/northing), read."""
    from planner.geo import io
    path = tmp_path / "centres.csv"
    path.write_text(
        ",".join(GIAS_HEADER) + "\n" + "\n".join(",".join(r) for r in PREVIEW) + "\n",
        encoding="utf-8",
    )
    dlg = make(io.detect_columns(path))
    dlg.coords_combo.setCurrentIndex(dlg.coords_combo.findData("bng"))
    dlg.weight_combo.setCurrentIndex(dlg.weight_combo.findData("children"))
    centres, plan, _warnings = io.read_centres(path, **dlg.mapping())
    assert centres.ids == ("1001", "1002")
    assert centres.xy[0].tolist() == [583000.0, 158000.0]
    assert plan is None
