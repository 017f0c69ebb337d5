"""``planner plan``: exit 0 with the plan, 1 with the reasons, 2 on bad input."""

from __future__ import annotations

import csv
import json

import pytest
from clustering_data import KENT, KENT_DISTRICTS

from planner.cli import main
from planner.geo.links import read_links

LADS = KENT_DISTRICTS


def test_plan_writes_a_plan_file(tmp_path, capsys):
    out = tmp_path / "plan.geojson"
    code = main(["plan", str(KENT), "--federations", "5", "--seed", "3", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "100%" in err and "5 federations of 18-23 centres" in err
    doc = json.loads(out.read_text())
    feds = {f["properties"]["federation"] for f in doc["features"]}
    assert len(feds) == 5 and len(doc["features"]) == 103
    # the plan file's metadata: keys, names and hubs that agree with the features, and the seed
    meta = doc["planner"]
    name_of = {f["key"]: f["name"] for f in meta["federations"]}
    assert set(name_of.values()) == feds
    by_id = {f["properties"]["id"]: f["properties"]["federation"] for f in doc["features"]}
    assert {cid: name_of[key] for cid, key in meta["assignment"].items()} == by_id
    assert all(by_id[f["hub"]] == f["name"] for f in meta["federations"])
    assert meta["params"]["seed"] == 3


def test_plan_writes_csv_inside_districts_with_links(tmp_path, capsys):
    links = tmp_path / "links.csv"
    with open(KENT, newline="", encoding="utf-8") as fh:
        swale = [row["urn"] for row in csv.DictReader(fh) if row["lad_name"] == "Swale"]
    urns = swale[:2]
    links.write_text(f"urn,link_urn\n{urns[0]},{urns[1]}\n{urns[1]},{urns[0]}\n{urns[0]},999\n")
    out = tmp_path / "plan.csv"
    code = main([
        "plan", str(KENT), "--federations", "14", "--min-size", "5", "--max-size", "19",
        "--boundaries", str(LADS), "--within-boundaries", "--links", str(links), "-q",
        "--out", str(out),
    ])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "1 linked centre id(s)" in err and "%" not in err
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    by_id = {r["id"]: r for r in rows}
    assert len(rows) == 103
    feds: dict[str, set[str]] = {}
    for r in rows:
        feds.setdefault(r["federation"], set()).add(r["lad_name"])
    assert len(feds) == 14 and all(len(lads) == 1 for lads in feds.values())
    assert by_id[urns[0]]["federation"] == by_id[urns[1]]["federation"]


def test_infeasible_request_exits_1_with_reasons(tmp_path, capsys):
    out = tmp_path / "plan.csv"
    code = main(["plan", str(KENT), "--federations", "5", "--boundaries", str(LADS),
                 "--within-boundaries", "--boundary-field", "lad_name", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Swale's 10 centres cannot form a federation of at least 18 inside its boundary" in err
    assert not out.exists()


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--out", "plan.shp"], "written as .geojson"),
        (["--weight", "children", "--out", "p.csv"], "--weight and --tolerance go together"),
        (["--within-boundaries", "--out", "p.csv"], "needs --boundaries"),
        (["--max-link-km", "0", "--out", "p.csv"], "--max-link-km must be positive"),
    ],
)
def test_bad_input_exits_2(tmp_path, capsys, monkeypatch, extra, message):
    monkeypatch.chdir(tmp_path)
    code = main(["plan", str(KENT), "--federations", "5", *extra])
    assert code == 2
    assert message in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path, capsys):
    code = main(["plan", str(tmp_path / "none.csv"), "--federations", "5", "--out",
                 str(tmp_path / "p.csv")])
    assert code == 2 and "none.csv" in capsys.readouterr().err


def test_read_links_groups_components_and_counts_unknown_ids(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("urn,link_urn,link_name\n1,2,x\n2,3,x\n3,2,x\n4,5,x\n6,99,x\n")
    groups, unknown = read_links(path, {"1", "2", "3", "4", "5", "6"})
    assert groups == (("1", "2", "3"), ("4", "5"))
    assert unknown == 1


def test_read_links_needs_its_columns(tmp_path):
    from planner.geo.io import InputError

    path = tmp_path / "links.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="urn"):
        read_links(path, {"1", "2"})
