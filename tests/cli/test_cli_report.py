"""`planner diff`, `planner log` and `planner report` on hand-made plans with known answers."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main
from planner.domain.changelog import LogEntry
from planner.domain.options import PlanBook
from planner.geo.io import read_centres
from planner.geo.planbook import save_book

ROOT = Path(__file__).resolve().parents[2]

# 12 centres in three groups along a line; B renames every federation (and lists them in another
# order) and moves exactly two centres: C04 to the first group, C11 to the second.
GROUPS_A = ["North"] * 4 + ["Middle"] * 4 + ["South"] * 4
GROUPS_B = ["Uplands"] * 4 + ["Vale"] * 4 + ["Shore"] * 4
GROUPS_B[4] = "Uplands"
GROUPS_B[11] = "Vale"
TRUE_MOVES = {("C04", "Middle", "Uplands"), ("C11", "South", "Vale")}


def _csv(path: Path, groups: list[str], order: list[int] | None = None) -> Path:
    rows = order or list(range(len(groups)))
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "latitude", "longitude", "federation"])
        for i in rows:
            w.writerow([f"C{i:02d}", f"Centre {i}", 51.0 + 0.01 * i, 0.5, groups[i]])
    return path


def test_diff_reports_only_the_true_moves_despite_renamed_federations(tmp_path, capsys):
    a = _csv(tmp_path / "a.csv", GROUPS_A)
    b = _csv(tmp_path / "b.csv", GROUPS_B, order=[11, 3, 7, 0, 8, 4, 9, 1, 2, 10, 5, 6])
    out = tmp_path / "moves.csv"
    assert main(["diff", str(a), str(b), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "2 of 12 centres are in a different federation" in printed
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {(r["centre"], r["federation_a"], r["federation_b"]) for r in rows} == TRUE_MOVES


def test_diff_between_two_options_of_one_file(sample_dir, tmp_path, capsys):
    centres = read_centres(sample_dir / "kent_medway_centres.csv").centres
    from planner.domain.plan import Plan, Reassign, SetFederation

    plan = Plan.from_labels(centres, list(centres.attributes["lad_name"]))
    book = PlanBook.single(plan)
    book.duplicate(0, "Revised")
    revised = book.options[1].plan
    for key in list(revised.federations):  # every federation renamed
        SetFederation.make(revised, key, name=f"Area {key}").apply(revised)
    moved = [revised.member_ids(0)[0], revised.member_ids(3)[1]]
    Reassign.make(revised, moved, 5).apply(revised)
    path = tmp_path / "book.geojson"
    save_book(book, path)
    out = tmp_path / "moves.csv"
    assert main(["diff", str(path), str(path), "--option-a", "Option A", "--option-b", "Revised",
                 "--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as fh:
        assert sorted(r["centre"] for r in csv.DictReader(fh)) == sorted(moved)
    assert main(["diff", str(path), str(path), "--option-b", "Nope"]) == 2
    assert "no option 'Nope'; options are: Option A, Revised" in capsys.readouterr().err


def test_diff_of_plans_with_different_centres_is_refused(tmp_path, capsys):
    a = _csv(tmp_path / "a.csv", GROUPS_A)
    b = _csv(tmp_path / "b.csv", GROUPS_B[:10])
    assert main(["diff", str(a), str(b)]) == 2
    err = capsys.readouterr().err
    assert "a.csv" in err and "b.csv" in err and "different centres" in err


def test_log_exports_every_entry_with_its_reason(sample_dir, tmp_path, capsys):
    from planner.domain.plan import Plan

    centres = read_centres(sample_dir / "kent_medway_centres.csv").centres
    book = PlanBook.single(Plan.from_labels(centres, list(centres.attributes["lad_name"])))
    book.duplicate(0, "B")
    reasons = ["asked by parents at the Chatham meeting", "", "staff, 3 March"]
    for r in reasons:
        book.options[1].log.append(LogEntry("2026-12-01T09:00:00+00:00", "ann", "Move 1 centre",
                                             ("20070",), ("Medway",), ("Swale",), r))
    path = tmp_path / "book.geojson"
    save_book(book, path)
    out = tmp_path / "log.csv"
    assert main(["log", str(path), "--option", "B", "--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["reason"] for r in rows] == reasons
    assert rows[0]["from"] == "Medway" and rows[0]["to"] == "Swale" and rows[0]["who"] == "ann"
    assert main(["log", str(path)]) == 0  # option A (current): header only
    assert capsys.readouterr().out.strip().splitlines()[-1] == \
        "when,who,what,centres,from,to,reason"


@pytest.mark.slow
def test_report_command_writes_an_a4_pack_offscreen(tmp_path):
    if shutil.which("pdfinfo") is None:
        pytest.skip("optional tool missing: pdfinfo")
    a = _csv(tmp_path / "a.csv", GROUPS_A)
    out = tmp_path / "pack.pdf"
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([sys.executable, "-m", "planner", "report", str(a), "--out", str(out)],
                         capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert run.returncode == 0, run.stderr
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    # cover + one page per federation (3) + the change log
    assert "Pages:           5" in info and "595 x 842 pts (A4)" in info
    bad = subprocess.run([sys.executable, "-m", "planner", "report", str(a), "--option", "Z",
                          "--out", str(out)], capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and "no option 'Z'" in bad.stderr


def test_report_refuses_a_non_pdf_name_before_starting_qt(tmp_path, capsys):
    a = _csv(tmp_path / "a.csv", GROUPS_A)
    assert main(["report", str(a), "--out", str(tmp_path / "pack.png")]) == 2
    assert "name it .pdf" in capsys.readouterr().err
    assert not (tmp_path / "pack.png").exists()
