"""Plan files keep everything: assignment, names, colours, locks, hubs, params, constraints."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest

from planner.domain.constraints import Constraints
from planner.domain.plan import LockCentres, Plan, SetFederation
from planner.geo.io import InputError, read_centres
from planner.geo.planfile import load_plan, save_plan

KENT_CSV = "kent_medway_centres.csv"


@pytest.fixture
def plan(sample_dir) -> Plan:
    centres = read_centres(sample_dir / KENT_CSV).centres
    plan = Plan.from_labels(centres, list(centres.attributes["lad_name"]),
                            params={"seed": 42, "method": "test", "sizes": [6, 10]})
    SetFederation.make(plan, 0, name="Medway North", colour="#123456", locked=True,
                       hub=plan.member_ids(0)[2]).apply(plan)
    SetFederation.make(plan, 3, hub=plan.member_ids(3)[0]).apply(plan)
    LockCentres.make(plan, [plan.member_ids(1)[0], plan.member_ids(2)[1]], True).apply(plan)
    return plan


def test_round_trip_restores_the_plan_exactly(plan, tmp_path):
    path = tmp_path / "kent.geojson"
    constraints = Constraints(federations=13, min_size=4, max_size=20, max_radius_m=25_000.0,
                              must_link=(("20070", "20155"),), cannot_link=(("20222", "20070"),))
    save_plan(plan, path, constraints)
    result = load_plan(path)
    back = result.plan
    assert back.centres.ids == plan.centres.ids
    assert back.state() == plan.state()  # assignment, federations (key/name/colour/lock/hub), locks
    assert back.federations[0].name == "Medway North"
    assert back.federations[0].colour == "#123456" and back.federations[0].locked
    assert back.federations[3].hub == plan.federations[3].hub is not None
    assert back.params == {"seed": 42, "method": "test", "sizes": [6, 10]}
    assert result.constraints == constraints
    assert not [w for w in result.warnings if "hub" in w or "lock" in w]


def test_plan_file_is_plain_geojson_for_qgis(plan, tmp_path):
    path = tmp_path / "kent.geojson"
    save_plan(plan, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert "crs" not in doc and doc["planner"]["version"] == 1
    frame = gpd.read_file(path)
    assert len(frame) == 103 and set(frame.geom_type) == {"Point"}
    assert frame.loc[0, "federation"] == "Medway North"


def test_read_centres_on_a_plan_file_restores_it_too(plan, tmp_path):
    path = tmp_path / "kent.geojson"
    save_plan(plan, path)
    assert read_centres(path).plan.state() == plan.state()


def test_plan_edited_elsewhere_falls_back_to_federation_names(plan, tmp_path):
    path = tmp_path / "kent.geojson"
    save_plan(plan, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    del doc["planner"]["assignment"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    back = load_plan(path).plan
    assert back.state() == plan.state()


def test_damaged_planner_member_is_an_input_error(plan, tmp_path):
    path = tmp_path / "kent.geojson"
    save_plan(plan, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["planner"]["federations"] = [{"name": "no key"}]
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError, match="saved plan is damaged"):
        load_plan(path)


def test_load_plan_of_plain_centres_is_unassigned(sample_dir):
    result = load_plan(sample_dir / KENT_CSV)
    assert len(result.plan.federations) == 0
    assert (result.plan.assignment == -1).all()
