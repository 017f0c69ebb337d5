"""Plan files with options: round trip, one-option files unchanged, the log and its reasons kept."""

from __future__ import annotations

import csv
import json

import pytest

from planner.domain.changelog import LogEntry
from planner.domain.constraints import Constraints
from planner.domain.options import PlanBook
from planner.domain.plan import LockCentres, Plan, Reassign, SetFederation
from planner.geo.io import InputError, read_centres
from planner.geo.planbook import load_book, save_book, write_log_csv
from planner.geo.planfile import save_plan


@pytest.fixture
def plan(sample_dir) -> Plan:
    centres = read_centres(sample_dir / "kent_medway_centres.csv").centres
    plan = Plan.from_labels(centres, list(centres.attributes["lad_name"]), params={"seed": 3})
    SetFederation.make(plan, 0, name="Medway North", hub=plan.member_ids(0)[1]).apply(plan)
    LockCentres.make(plan, [plan.member_ids(2)[0]], True).apply(plan)
    return plan


def _entry(reason: str) -> LogEntry:
    return LogEntry("2026-12-01T10:00:00+00:00", "ann", "Move 1 centre", ("20070",),
                    ("Medway North",), ("Dover",), reason)


def test_one_option_book_writes_todays_file_byte_for_byte(plan, tmp_path):
    constraints = Constraints(federations=13, min_size=3)
    save_plan(plan, tmp_path / "today.geojson", constraints)
    save_book(PlanBook.single(plan, constraints), tmp_path / "book.geojson")
    assert (tmp_path / "book.geojson").read_bytes() == (tmp_path / "today.geojson").read_bytes()


def test_one_option_with_a_log_keeps_the_federation_content(plan, tmp_path):
    save_plan(plan, tmp_path / "today.geojson")
    book = PlanBook.single(plan)
    book.current_option.log.append(_entry("asked by parents"))
    save_book(book, tmp_path / "book.geojson")
    today = json.loads((tmp_path / "today.geojson").read_text())
    saved = json.loads((tmp_path / "book.geojson").read_text())
    assert saved["planner"]["version"] == 1
    assert saved["features"] == today["features"]
    log = saved["planner"].pop("log")
    assert saved["planner"] == today["planner"] and log[0]["reason"] == "asked by parents"
    back, _ = load_book(tmp_path / "book.geojson")
    assert back.current_option.log[0].reason == "asked by parents"


def test_several_options_round_trip_with_their_settings_and_logs(plan, tmp_path):
    book = PlanBook.single(plan, Constraints(federations=13))
    book.options[0].log.append(_entry("first"))
    book.duplicate(0, "Coastal")
    coastal = book.options[1]
    Reassign.make(coastal.plan, [coastal.plan.member_ids(1)[0]], 0).apply(coastal.plan)
    coastal.constraints = Constraints(federations=5, max_size=30)
    coastal.log.append(_entry("second"))
    book.current = 1
    path = tmp_path / "options.geojson"
    save_book(book, path)
    raw = json.loads(path.read_text())["planner"]
    assert raw["version"] == 2 and raw["current"] == 1
    assert [o["name"] for o in raw["options"]] == ["Option A", "Coastal"]
    back, result = load_book(path)
    assert back.names() == ["Option A", "Coastal"] and back.current == 1
    for was, now in zip(book.options, back.options, strict=True):
        assert now.plan.state() == was.plan.state()
        assert now.constraints == was.constraints
        assert [e.reason for e in now.log] == [e.reason for e in was.log]
    # a plain reader (planner stats/export, QGIS) sees the current option
    assert read_centres(path).plan.state() == coastal.plan.state()
    assert result.plan.state() == coastal.plan.state()


def test_damaged_options_are_refused_naming_the_file(plan, tmp_path):
    book = PlanBook.single(plan)
    book.duplicate(0)
    path = tmp_path / "bad.geojson"
    save_book(book, path)
    doc = json.loads(path.read_text())
    doc["planner"]["options"][1]["log"] = [{"who": 5}]
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError, match=r"bad\.geojson.*'who'"):
        load_book(path)


def test_log_csv_has_one_row_per_entry_with_its_reason(tmp_path):
    from planner.domain.changelog import ChangeLog

    log = ChangeLog([_entry("staff, 3 March"), _entry("")])
    write_log_csv(log, tmp_path / "log.csv")
    with open(tmp_path / "log.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["reason"] for r in rows] == ["staff, 3 March", ""]
    assert rows[0]["centres"] == "20070" and rows[0]["from"] == "Medway North"
    assert list(rows[0]) == ["when", "who", "what", "centres", "from", "to", "reason"]
