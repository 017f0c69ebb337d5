"""``planner stats`` prints each federation's (and centre's) reach, with no column prepared."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from planner.cli import main
from planner.domain.plan import Plan
from planner.geo.io import read_centres
from planner.geo.planfile import save_plan


@pytest.fixture
def gias_csv(sample_dir, tmp_path) -> Path:
    """The sample as GIAS publishes it: without the ``children_0_15`` column."""
    with open(sample_dir / "kent_medway_centres.csv", newline="", encoding="utf-8") as src:
        rows = list(csv.DictReader(src))
    out = tmp_path / "gias.csv"
    with open(out, "w", newline="", encoding="utf-8") as dst:
        writer = csv.DictWriter(dst, [c for c in rows[0] if c != "children_0_15"],
                               extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return out


@pytest.fixture
def district_plan(sample_dir, tmp_path) -> tuple[Path, Plan]:
    centres = read_centres(sample_dir / "kent_medway_centres.csv").centres
    plan = Plan.from_labels(centres, list(centres.attributes["lad_name"]))
    path = tmp_path / "districts.geojson"
    save_plan(plan, path)
    return path, plan


def test_json_has_reach_per_federation_and_centre(district_plan, capsys):
    path, plan = district_plan
    assert main(["stats", str(path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    reach = report["reach"]
    assert "Indices of Deprivation 2019" in reach["attribution"]
    assert len(reach["centres"]) == 103
    # the sample's children_0_15 (another script, same census table) per district
    theirs = plan.centres.numeric("children_0_15")
    feds = {f["name"]: f for f in reach["federations"]}
    assert len(feds) == 13
    for key, fed in plan.federations.items():
        got = feds[fed.name]["children_0_15"]
        assert got == pytest.approx(theirs[plan.members(key)].sum(), abs=1.0)
    shares = [f["deprived_children"] / f["children_0_15"] for f in feds.values()]
    assert reach["deprived_share_spread"] == pytest.approx([min(shares), max(shares)])
    for f in feds.values():
        assert 0 < f["mean_area_to_hub_m"] <= f["max_area_to_hub_m"]
    by_id = {c["id"]: c for c in reach["centres"]}
    rows = plan.members(next(iter(plan.federations)))
    total = sum(by_id[plan.centres.ids[r]]["children_0_15"] for r in rows)
    assert total == pytest.approx(feds[plan.federations[0].name]["children_0_15"])


def test_text_output_and_reach_weight_on_a_plain_gias_file(gias_csv, capsys):
    assert main(["stats", str(gias_csv), "--weight", "children_0_15_reach"]) == 0
    out = capsys.readouterr().out
    assert "children_0_15_reach: total 355,7" in out
    assert "Reach: 1,105 small areas, 355,783 children 0-15" in out
    assert "Office for National Statistics" in out


def test_text_table_gives_the_spread(district_plan, capsys):
    path, _ = district_plan
    assert main(["stats", str(path)]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("deprived share"))
    lo, hi = (int(v.rstrip("%")) for v in line.split()[2].split("\u2013"))
    table = [x for x in out.splitlines() if x.startswith("Medway ")]
    assert len(table) == 2  # the federation table and the reach table
    share = int(table[1].split()[3].rstrip("%"))
    assert lo <= share <= hi and lo < hi


def test_plan_balances_on_two_reach_figures_of_a_plain_gias_file(gias_csv, sample_dir, tmp_path):
    """The issue's command line, on a file with no figures: the reach columns are added."""
    out = tmp_path / "plan.geojson"
    argv = ["plan", str(gias_csv), "--federations", "5", "--out", str(out),
            "--weight", "children_0_15_reach", "--tolerance", "10",
            "--weight", "deprived_children_reach", "--tolerance", "20"]
    assert main(argv) == 0
    result = read_centres(out)
    plan = result.plan
    # children per centre: the sample's own column (made by another script) is the oracle
    sample = read_centres(sample_dir / "kent_medway_centres.csv").centres
    theirs = sample.numeric("children_0_15")[sample.indices_of(plan.centres.ids)]
    for column, tolerance in (("children_0_15_reach", 0.10), ("deprived_children_reach", 0.20)):
        values = plan.centres.numeric(column)
        if column == "children_0_15_reach":
            assert abs(values - theirs).max() < 1.0
        totals = [values[plan.members(k)].sum() for k in plan.federations]
        mean = sum(totals) / len(totals)
        assert len(totals) == 5
        assert max(abs(t / mean - 1.0) for t in totals) <= tolerance + 1e-6
