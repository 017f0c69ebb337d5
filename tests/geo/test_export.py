"""GeoJSON (RFC 7946) and CSV exports re-import to the same ids and assignment; atomic writes."""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from planner.domain.centres import Centres
from planner.domain.plan import UNASSIGNED, Plan, Reassign
from planner.geo.export import ATTRIBUTION, CSV_COLUMNS, write_csv, write_geojson
from planner.geo.io import read_centres

KENT_CSV = "kent_medway_centres.csv"


@pytest.fixture
def kent_plan(sample_dir) -> Plan:
    centres = read_centres(sample_dir / KENT_CSV).centres
    plan = Plan.from_labels(centres, list(centres.attributes["lad_name"]))
    # one centre unassigned, to check it exports as null / blank
    Reassign.make(plan, [centres.ids[5]], UNASSIGNED).apply(plan)
    return plan


def _same_assignment(a: Plan, b: Plan) -> None:
    assert a.centres.ids == b.centres.ids
    for cid in a.centres.ids:
        fa, fb = a.federation_of(cid), b.federation_of(cid)
        name_a = None if fa == UNASSIGNED else a.federations[fa].name
        name_b = None if fb == UNASSIGNED else b.federations[fb].name
        assert name_a == name_b, cid


def test_geojson_is_rfc7946_and_round_trips(kent_plan, tmp_path):
    path = tmp_path / "plan.geojson"
    write_geojson(kent_plan, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection"
    assert "crs" not in doc
    assert doc["attribution"] == ATTRIBUTION and "Open Government Licence" in ATTRIBUTION
    assert len(doc["features"]) == 103
    for feature in doc["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert feature["geometry"]["type"] == "Point"
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert 0.0 < lon < 1.6 and 50.9 < lat < 51.6  # Kent: lon first
        assert list(feature["properties"])[:3] == ["id", "name", "federation"]
    first = doc["features"][0]["properties"]
    assert first["id"] == "20070" and first["federation"] == "Medway"
    assert first["postcode"] == "ME4 5AZ"
    assert doc["features"][5]["properties"]["federation"] is None
    back = read_centres(path)
    _same_assignment(kent_plan, back.plan)
    assert back.centres.attributes == kent_plan.centres.attributes
    assert np.abs(back.centres.xy - kent_plan.centres.xy).max() < 0.05


def test_csv_header_prefix_exact_and_round_trips(kent_plan, tmp_path):
    path = tmp_path / "plan.csv"
    write_csv(kent_plan, path)
    with path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert tuple(rows[0][:5]) == ("id", "name", "latitude", "longitude", "federation")
    assert CSV_COLUMNS == tuple(rows[0][:5])
    assert rows[0][5:] == list(kent_plan.centres.attributes)
    assert rows[1][0] == "20070" and rows[1][4] == "Medway"
    assert float(rows[1][2]) == pytest.approx(51.374928) and float(rows[1][3]) == pytest.approx(
        0.534029)
    assert rows[6][4] == ""
    back = read_centres(path)
    _same_assignment(kent_plan, back.plan)
    assert back.centres.attributes == kent_plan.centres.attributes


def test_geojson_from_geojson_source_keeps_json_values(data_dir, tmp_path):
    src = data_dir / "kent_medway_childrens_centres_2026-08-21.geojson"
    centres = read_centres(src).centres
    plan = Plan.from_labels(centres, [str(i % 4) for i in range(len(centres))])
    path = tmp_path / "again.geojson"
    write_geojson(plan, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["features"][0]["properties"]["easting"] == 576464.0
    _same_assignment(plan, read_centres(path).plan)


def _tiny(attributes) -> Plan:
    centres = Centres(["a", "b"], ["A", "B"], [[0, 0], [1000, 0]], [[0.5, 51.3], [0.51, 51.3]],
                      attributes=attributes)
    return Plan.from_labels(centres, ["F", "F"])


def test_attribute_clashing_with_fixed_columns_is_renamed(tmp_path):
    plan = _tiny({"Latitude": ["x", "y"], "federation_note": ["n", "m"]})
    path = tmp_path / "clash.csv"
    write_csv(plan, path)
    header = path.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header == ["id", "name", "latitude", "longitude", "federation", "source_Latitude",
                      "federation_note"]


def test_outlines_are_wgs84_polygons_marked_as_outlines(kent_plan, tmp_path):
    xy = kent_plan.centres.xy
    outlines = {
        key: shapely.convex_hull(shapely.multipoints(xy[kent_plan.members(key)])).buffer(500)
        for key in kent_plan.federations
    }
    path = tmp_path / "outlines.geojson"
    write_geojson(kent_plan, path, outlines=outlines)
    doc = json.loads(path.read_text(encoding="utf-8"))
    polys = [f for f in doc["features"] if f["properties"].get("kind") == "outline"]
    assert len(polys) == len(kent_plan.federations)
    medway = next(f for f in polys if f["properties"]["federation"] == "Medway")
    geom = shape(medway["geometry"])
    assert geom.geom_type in ("Polygon", "MultiPolygon") and geom.is_valid
    minx, miny, maxx, maxy = geom.bounds
    assert 0.3 < minx < maxx < 0.8 and 51.2 < miny < maxy < 51.5
    # an export with outlines still re-imports as the same plan: outlines are not centres
    _same_assignment(kent_plan, read_centres(path).plan)


def test_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path):
    path = tmp_path / "plan.geojson"
    path.write_text("previous contents", encoding="utf-8")
    plan = _tiny({"bad": [object(), object()]})  # not JSON-serialisable: fails mid-write
    with pytest.raises(TypeError):
        write_geojson(plan, path)
    assert path.read_text(encoding="utf-8") == "previous contents"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.geojson"]


def test_write_into_missing_folder_names_the_destination(tmp_path):
    from planner.geo.errors import OutputError

    target = tmp_path / "no" / "such" / "plan.csv"
    with pytest.raises(OutputError, match="plan.csv: cannot be written") as caught:
        write_csv(_tiny({}), target)
    assert str(target) in str(caught.value) and ".tmp" not in str(caught.value)


def test_outline_rings_are_anticlockwise(tmp_path):
    from shapely.geometry import MultiPolygon, Polygon

    plan = _tiny({})
    clockwise = Polygon([(0, 0), (0, 1000), (1000, 1000), (1000, 0)])
    outlines = {0: MultiPolygon([clockwise, Polygon([(2000, 0), (2000, 900), (2900, 900)])])}
    path = tmp_path / "rings.geojson"
    write_geojson(plan, path, outlines=outlines)
    doc = json.loads(path.read_text(encoding="utf-8"))
    geom = shape(doc["features"][-1]["geometry"])
    assert geom.geom_type == "MultiPolygon"
    assert all(part.exterior.is_ccw for part in geom.geoms)
