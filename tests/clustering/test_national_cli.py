"""``planner plan --per-authority``: one plan file, the summary printed and written beside it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from planner.cli import main


@pytest.fixture
def cut_csv(sample_dir, tmp_path) -> Path:
    """The sample with Sevenoaks' 5 centres relabelled as the authority "Tiny" (dfe_la_name)."""
    with open(sample_dir / "kent_medway_centres.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["lad_name"] == "Sevenoaks":
            row["dfe_la_name"] = "Tiny"
    path = tmp_path / "cut.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_per_authority_writes_one_plan_and_the_summary_beside_it(cut_csv, tmp_path, capsys):
    out = tmp_path / "national.geojson"
    code = main(["plan", str(cut_csv), "--per-authority", "dfe_la_name", "--target-size", "20",
                 "--jobs", "1", "-q", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    summary = read_rows(tmp_path / "national_authorities.csv")
    # Hand-checked: Kent 79 -> 4 federations of 17-22; Medway 19 -> 1 of 17-21 (19 +- 2);
    # Tiny 5 -> one federation, listed.
    assert [(r["authority"], r["centres"], r["federations"], r["min_size"], r["max_size"],
             r["status"]) for r in summary] == [
        ("Kent", "79", "4", "17", "22", "planned"),
        ("Medway", "19", "1", "17", "21", "planned"),
        ("Tiny", "5", "1", "5", "5", "one federation"),
    ]
    assert summary[1]["sizes"] == "19" and summary[2]["sizes"] == "5"
    kent_sizes = [int(s) for s in summary[0]["sizes"].split()]
    assert sum(kent_sizes) == 79 and all(17 <= s <= 22 for s in kent_sizes)
    assert summary[2]["note"] == "5 centres, fewer than the minimum 18: one federation"
    assert all(float(r["cost_km"]) > 0 for r in summary)
    # The summary is printed too, one line per authority after the header.
    lines = captured.out.splitlines()
    assert lines[0].split()[:3] == ["authority", "centres", "federations"]
    assert [ln.split()[0] for ln in lines[1:]] == ["Kent", "Medway", "Tiny"]
    doc = json.loads(out.read_text(encoding="utf-8"))
    names = {f["name"] for f in doc["planner"]["federations"]}
    assert len(names) == 6
    assert sum(n.startswith("Kent: ") for n in names) == 4
    assert sum(n.startswith("Medway: ") for n in names) == 1
    assert sum(n.startswith("Tiny: ") for n in names) == 1
    by_fed: dict[str, set[str]] = {}
    for feature in doc["features"]:
        props = feature["properties"]
        by_fed.setdefault(props["federation"], set()).add(props["dfe_la_name"])
    assert all(len(v) == 1 and name.startswith(next(iter(v)) + ": ")
               for name, v in by_fed.items())


def test_a_refused_authority_is_listed_and_the_rest_written(cut_csv, tmp_path, capsys):
    out = tmp_path / "plan.csv"
    code = main(["plan", str(cut_csv), "--per-authority", "dfe_la_name", "--target-size", "25",
                 "--min-size", "25", "--max-size", "26", "-q", "--jobs", "1",
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "refused: Kent: 79 centres cannot be split into federations of 25-26" in err
    rows = read_rows(out)
    kent = [r for r in rows if r["dfe_la_name"] == "Kent"]
    assert len(kent) == 79 and all(r["federation"] == "" for r in kent)
    assert len({r["federation"] for r in rows if r["dfe_la_name"] != "Kent"}) == 2
    summary = {r["authority"]: r for r in read_rows(tmp_path / "plan_authorities.csv")}
    assert summary["Kent"]["status"] == "refused" and summary["Kent"]["federations"] == "0"


def test_nothing_planned_exits_1_and_writes_nothing(cut_csv, tmp_path, capsys):
    out = tmp_path / "plan.geojson"
    # Every centre is in the South East: 103 centres cannot make federations of 30-31.
    code = main(["plan", str(cut_csv), "--per-authority", "gor_name", "--target-size", "30",
                 "--min-size", "30", "--max-size", "31", "-q", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "refused: South East: 103 centres cannot be split" in err
    assert not out.exists() and not (tmp_path / "plan_authorities.csv").exists()


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--per-authority", "nosuch"], "no column 'nosuch' to plan by"),
        (["--per-authority", "dfe_la_name", "--federations", "5"], "--federations does not go"),
        (["--per-authority", "dfe_la_name", "--jobs", "0"], "--jobs must be at least 1"),
        (["--per-authority", "dfe_la_name", "--min-size", "20", "--max-size", "10"],
         "--min-size (20) is larger than --max-size (10)"),
        (["--per-authority", "dfe_la_name", "--target-size", "30", "--max-size", "25"],
         "--target-size 30 is outside the sizes -25"),
    ],
)
def test_bad_per_authority_options_exit_2(cut_csv, tmp_path, capsys, extra, message):
    code = main(["plan", str(cut_csv), *extra, "-q", "--out", str(tmp_path / "p.csv")])
    assert code == 2
    assert message in capsys.readouterr().err


def test_one_plan_names_federations_as_the_window_does(sample_dir, tmp_path, capsys):
    out = tmp_path / "plan.geojson"
    code = main(["plan", str(sample_dir / "kent_medway_centres.csv"), "--federations", "5",
                 "-q", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    doc = json.loads(out.read_text(encoding="utf-8"))
    props = {f["properties"]["id"]: f["properties"] for f in doc["features"]}
    feds = doc["planner"]["federations"]
    names = [f["name"] for f in feds]
    assert len(set(names)) == 5
    for fed in feds:
        hub = props[fed["hub"]]
        members = [p for p in props.values() if p["federation"] == fed["name"]]
        authorities = {p["dfe_la_name"] for p in members}
        town = hub["town"].title()
        expected = f"{hub['dfe_la_name']}: {town}" if len(authorities) == 1 else town
        assert fed["name"] in (expected, *(f"{expected} {i}" for i in range(2, 6)))
