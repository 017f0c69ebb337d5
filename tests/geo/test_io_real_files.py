"""Real files load exactly as they are: cuts of the national GIAS extracts (``tests/data``) and
the Kent and Medway sample (CSV shipped in the package, GeoJSON in ``tests/data``)."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from planner.geo.io import InputError, detect_columns, read_centres

# rows, rows without coordinates (counted by hand: blank easting/northing/lat/lon)
NATIONAL = {
    "childrens_centres_england_2016-08-04_cut.csv": (227, 4),
    "childrens_centres_england_2026-08-21_cut.csv": (148, 3),
}


@pytest.fixture(params=["csv", "geojson"])
def kent_file(request, sample_dir, data_dir):
    if request.param == "csv":
        return sample_dir / "kent_medway_centres.csv"
    return data_dir / "kent_medway_childrens_centres_2026-08-21.geojson"


@pytest.mark.parametrize("name", sorted(NATIONAL))
def test_national_extract_loads_with_unlocated_rows_named(data_dir, name):
    rows, unlocated = NATIONAL[name]
    result = read_centres(data_dir / name)
    centres = result.centres
    assert len(centres) == rows - unlocated
    assert centres.crs == "EPSG:27700"
    assert centres.ids[0] == "20001"
    skipped = [w for w in result.warnings if "without coordinates" in w]
    assert len(skipped) == 1 and f"{unlocated} centre(s)" in skipped[0]
    assert "id 20541" in skipped[0]  # unlocated in both snapshots
    assert any("share a location" in w for w in result.warnings)
    # metres in Great Britain, and lon/lat agree with the file's own columns
    assert centres.xy[:, 0].min() > 0 and centres.xy[:, 1].max() < 1.3e6
    with open(data_dir / name, encoding="utf-8") as stream:
        first = next(csv.DictReader(stream))
    row = centres.index_of(first["urn"])
    assert centres.lonlat[row] == pytest.approx([float(first["lon"]), float(first["lat"])])
    assert centres.xy[row] == pytest.approx(
        [float(first["easting"]), float(first["northing"])], abs=2.0
    )
    # every other column kept unchanged as an attribute
    assert centres.attributes["postcode"][row] == first["postcode"]
    assert centres.attributes["easting"][row] == first["easting"]
    assert "urn" not in centres.attributes and "lat" not in centres.attributes
    assert result.plan is None


def test_kent_and_medway_sample_loads(kent_file):
    result = read_centres(kent_file)
    assert len(result.centres) == 103
    assert len(set(result.centres.ids)) == 103
    assert result.centres.crs == "EPSG:27700"
    assert "20070" in result.centres
    counts = {}
    for lad in result.centres.attributes["lad_name"]:
        counts[lad] = counts.get(lad, 0) + 1
    assert counts["Medway"] == 19 and counts["Sevenoaks"] == 5


def test_csv_and_geojson_of_kent_agree(sample_dir, data_dir):
    a = read_centres(sample_dir / "kent_medway_centres.csv").centres
    b = read_centres(data_dir / "kent_medway_childrens_centres_2026-08-21.geojson").centres
    assert a.ids == b.ids
    assert np.abs(a.xy - b.xy).max() < 1.0


def test_links_file_is_not_centres_and_says_why(data_dir):
    with pytest.raises(InputError) as err:
        read_centres(data_dir / "childrens_centre_links_2026-08-21_cut.csv")
    message = str(err.value)
    assert "childrens_centre_links_2026-08-21_cut.csv" in message
    assert "no coordinate columns" in message and "link_urn" in message


def test_detect_columns_on_the_dfe_extract(data_dir):
    guess = detect_columns(data_dir / "childrens_centres_england_2026-08-21_cut.csv")
    assert (guess.id_column, guess.name_column) == ("urn", "name")
    assert (guess.x_column, guess.y_column, guess.coords) == ("lon", "lat", "lonlat")
    assert guess.candidates["easting"] == ["easting"]
    assert not guess.ambiguous  # lat/lon beside BNG place the same centres: no need to ask
    assert "pc_quality" in guess.numeric_columns and "name" not in guess.numeric_columns
    assert guess.preview[0][0] == "20001"


def test_bng_on_request_uses_easting_northing(sample_dir):
    result = read_centres(sample_dir / "kent_medway_centres.csv", coords="bng")
    centres = result.centres
    row = centres.index_of("20070")
    assert tuple(centres.xy[row]) == (576464.0, 167033.0)
    assert "lat" in centres.attributes and "easting" not in centres.attributes
