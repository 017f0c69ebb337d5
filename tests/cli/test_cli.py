"""The ``planner`` command: exit codes 0 / 1 / 2, messages not tracebacks."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest

import planner
from planner import launcher
from planner.cli import main
from planner.domain.plan import Plan
from planner.geo.io import read_centres
from planner.geo.planfile import save_plan

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def sample(sample_dir) -> Path:
    return sample_dir / "kent_medway_centres.csv"


@pytest.fixture
def district_plan(sample, tmp_path) -> Path:
    """The sample grouped by district, saved as a plan file."""
    centres = read_centres(sample).centres
    plan = Plan.from_labels(centres, list(centres.attributes["lad_name"]), params={"seed": 3})
    path = tmp_path / "districts.geojson"
    save_plan(plan, path)
    return path


def test_stats_on_the_sample(sample, capsys):
    assert main(["stats", str(sample)]) == 0
    out = capsys.readouterr().out
    assert "103 centres loaded" in out and "EPSG:27700" in out
    assert "share a location" in out  # the warnings are part of the report
    assert "No federations" in out
    assert main(["stats", str(sample), "--weight", "children_0_15"]) == 0
    assert "children_0_15: total 355,783" in capsys.readouterr().out


def test_stats_json_with_federations_and_weight(district_plan, capsys):
    assert main(["stats", str(district_plan), "--json", "--weight", "children_0_15"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["centres"] == 103 and report["unassigned"] == 0
    feds = {f["name"]: f for f in report["federations"]}
    assert len(feds) == 13 and feds["Medway"]["centres"] == 19
    assert sum(f["weight"] for f in feds.values()) == 355_783
    assert feds["Medway"]["max_to_hub_m"] > 1000


def test_stats_pieces_are_the_connected_pieces_counted_here(sample, tmp_path, capsys):
    """Districts as federations, one Dover centre put with Medway (two districts apart)."""
    from planner.clustering.graph import neighbourhood_graph

    centres = read_centres(sample).centres
    labels = list(centres.attributes["lad_name"])
    moved = labels.index("Dover")
    labels[moved] = "Medway"
    path = tmp_path / "moved.geojson"
    save_plan(Plan.from_labels(centres, labels), path)
    assert main(["stats", str(path), "--json"]) == 0
    feds = {f["name"]: f for f in json.loads(capsys.readouterr().out)["federations"]}
    # connected pieces over the graph the command uses (the default neighbourhood graph)
    graph = neighbourhood_graph(centres)
    for name, fed in feds.items():
        members = {i for i, label in enumerate(labels) if label == name}
        pieces = 0
        while members:
            pieces += 1
            todo = [members.pop()]
            while todo:
                near = set(graph.neighbors(todo.pop())) & members
                members -= near
                todo.extend(near)
        assert (fed["pieces"], fed["contiguous"]) == (pieces, pieces == 1), name
    assert (feds["Medway"]["pieces"], feds["Medway"]["contiguous"]) == (2, False)
    assert sum(f["contiguous"] for f in feds.values()) >= 10


def test_stats_text_table(district_plan, capsys):
    assert main(["stats", str(district_plan), "--weight", "children_0_15"]) == 0
    out = capsys.readouterr().out
    assert "13 federations; 0 centres unassigned" in out
    assert any(line.startswith("Medway ") and " 19 " in line for line in out.splitlines())


@pytest.mark.parametrize("args, expected", [
    (["stats", "{tmp}/missing.csv"], "file not found"),
    (["stats", "{tmp}/bad.csv"], "no coordinate columns"),
    (["stats", "{sample}", "--weight", "nope"], "no weight column 'nope'"),
    (["export", "{sample}", "--out", "{tmp}/x.xlsx"], "unknown export type"),
    (["export", "{sample}", "--out", "{tmp}/no/such/dir/x.csv"], "No such file"),
    (["validate", "{tmp}"], "folder"),
])
def test_bad_input_exits_2_with_a_message(args, expected, sample, tmp_path, capsys):
    (tmp_path / "bad.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    argv = [a.format(tmp=tmp_path, sample=sample) for a in args]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err


def test_usage_errors_exit_2(capsys):
    assert main(["stats"]) == 2
    assert "required" in capsys.readouterr().err


def test_version_is_the_project_s(capsys):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"planner {project['version']}\n"


def test_sample_writes_the_bundled_files_and_says_so(sample_dir, tmp_path, capsys):
    folder = tmp_path / "new" / "folder"
    assert main(["sample", str(folder)]) == 0
    names = ["kent_medway_centres.csv", "kent_medway_districts.geojson"]
    assert capsys.readouterr().out.splitlines() == [f"wrote {folder / n}" for n in names]
    assert sorted(p.name for p in folder.iterdir()) == names  # nothing else, no temporary file
    for name in names:
        assert (folder / name).read_bytes() == (sample_dir / name).read_bytes()
    assert main(["stats", str(folder / names[0]), "--weight", "children_0_15"]) == 0
    assert "103 centres loaded" in capsys.readouterr().out


def test_sample_never_replaces_a_file_unless_forced(tmp_path, capsys):
    (tmp_path / "kent_medway_districts.geojson").write_text("mine", encoding="utf-8")
    assert main(["sample", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "kent_medway_districts.geojson: already exists (use --force" in err
    assert (tmp_path / "kent_medway_districts.geojson").read_text(encoding="utf-8") == "mine"
    assert not (tmp_path / "kent_medway_centres.csv").exists()
    assert main(["sample", str(tmp_path), "--force"]) == 0
    assert (tmp_path / "kent_medway_districts.geojson").stat().st_size > 10_000
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert main(["sample", str(tmp_path / "file")]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_export_csv_and_geojson_with_outlines(district_plan, tmp_path, capsys, sample_dir):
    out_csv = tmp_path / "plan.csv"
    assert main(["export", str(district_plan), "--out", str(out_csv)]) == 0
    with out_csv.open(encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    assert header[:5] == ["id", "name", "latitude", "longitude", "federation"]
    out_json = tmp_path / "plan.geojson"
    boundaries = sample_dir / "kent_medway_districts.geojson"
    assert main(["export", str(district_plan), "--out", str(out_json), "--outlines",
                 "--boundaries", str(boundaries)]) == 0
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    kinds = [f["properties"].get("kind") for f in doc["features"]]
    assert kinds.count("outline") == 13 and "crs" not in doc
    assert "wrote 103 centres in 13 federations" in capsys.readouterr().out
    assert read_centres(out_csv).plan.federations[0].name == "Medway"


def test_validate_clean_plan_exits_0(district_plan, capsys):
    code = main(["validate", str(district_plan), "--min-size", "1", "--max-size", "30",
                 "--no-contiguity"])
    assert code == 0, capsys.readouterr().out
    assert "OK" in capsys.readouterr().out


def test_validate_lists_violations_and_exits_1(district_plan, capsys):
    assert main(["validate", str(district_plan), "--max-size", "10", "--no-contiguity"]) == 1
    out = capsys.readouterr().out
    assert "[size] Medway has 19 centres, more than the maximum 10" in out


def test_validate_boundaries(district_plan, sample_dir, capsys):
    boundaries = sample_dir / "kent_medway_districts.geojson"
    args = ["validate", str(district_plan), "--min-size", "1", "--max-size", "103",
            "--no-contiguity", "--boundaries", str(boundaries)]
    assert main(args) == 0
    assert main(args[:-2] + ["--boundaries", str(boundaries), "--boundary-field", "utla_name",
                             "--federations", "13"]) == 0
    capsys.readouterr()


def test_validate_unassigned_centres_file_exits_1(sample, capsys):
    assert main(["validate", str(sample)]) == 1
    assert "103 centre(s) are not in any federation" in capsys.readouterr().out


def test_the_launcher_opens_the_gui_without_a_command(monkeypatch, sample, capsys):
    calls = []
    fake = types.ModuleType("planner.app")
    fake.run_gui = lambda argv: calls.append(list(argv)) or 0
    monkeypatch.setitem(sys.modules, "planner.app", fake)
    monkeypatch.setattr(planner, "app", fake, raising=False)
    assert launcher.main([]) == 0
    assert launcher.main([str(sample)]) == 0
    assert calls == [[], [str(sample)]]
    assert launcher.main(["stats", str(sample)]) == 0  # a sub-command never opens the window
    assert launcher.main(["--version"]) == 0
    assert calls == [[], [str(sample)]]
    assert "103 centres loaded" in capsys.readouterr().out


def test_the_headless_main_never_opens_the_window(capsys):
    assert main([]) == 2
    assert "usage: planner" in capsys.readouterr().out
    assert main(["centres.csv"]) == 2
    assert "invalid choice: 'centres.csv'" in capsys.readouterr().err


def test_python_m_planner_in_a_subprocess(sample, tmp_path):
    ok = subprocess.run([sys.executable, "-m", "planner", "stats", str(sample)],
                        capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stderr
    assert "103 centres loaded" in ok.stdout
    broken = tmp_path / "broken.geojson"
    broken.write_text('{"type": ', encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "planner", "stats", str(broken)],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2
    assert "not valid JSON" in bad.stderr and "Traceback" not in bad.stderr
    headless = ("import sys\nfrom planner.launcher import main\n"
                "code = main(['--version']) + main(['sample', sys.argv[1]])\n"
                "assert code == 0 and not any(m.startswith('PySide6') for m in sys.modules)\n")
    run = subprocess.run([sys.executable, "-c", headless, str(tmp_path / "s")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr  # headless commands never load Qt
    assert run.stdout.startswith("planner ") and "kent_medway_centres.csv" in run.stdout
