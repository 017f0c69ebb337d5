"""Start-up: the sample with a proposed plan, the cached proposal, the real process, bad paths."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from planner import app
from planner.ui.preview import describe, preview_move

ROOT = Path(__file__).resolve().parents[2]


def test_the_cached_sample_plan_is_current():
    """If this fails, the sample changed: run ``python resources/make_sample_plan.py``."""
    from planner.ui.file_actions import load_plan_file

    centres_path, _ = app.sample_paths()
    loaded = load_plan_file(centres_path)
    plan = app.cached_sample_plan(loaded.plan.centres, centres_path)
    assert plan is not None
    assert len(plan.federations) == app.SAMPLE_FEDERATIONS
    assert (plan.assignment >= 0).all()


def test_a_stale_cache_is_ignored(tmp_path):
    from planner.ui.file_actions import load_plan_file

    centres_path, _ = app.sample_paths()
    centres = load_plan_file(centres_path).plan.centres
    stale = tmp_path / "cache.json"
    stale.write_text(app.SAMPLE_PLAN_CACHE.read_text(encoding="utf-8").replace(
        '"source_sha256": "', '"source_sha256": "0'), encoding="utf-8")
    assert app.cached_sample_plan(centres, centres_path, stale) is None
    assert app.cached_sample_plan(centres, centres_path, tmp_path / "missing.json") is None


def test_the_sample_keeps_every_rule_of_its_constraints(qapp):
    doc, warnings = app._sample_document()
    assert warnings == []
    c = doc.constraints
    assert c.federations == 5
    assert [(b.column, b.tolerance) for b in c.balance] == [("children_0_15", 0.1)]
    assert doc.violations() == []
    assert doc.boundaries is not None and len(doc.boundaries) == 13


def test_a_bad_path_on_the_command_line_opens_the_sample_and_says_why(qtbot, tmp_path,
                                                                      monkeypatch):
    errors = []
    monkeypatch.setattr(QMessageBox, "critical",
                        staticmethod(lambda parent, title, text: errors.append(text)))
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = app.create_main_window(tmp_path / "missing.csv", settings=settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: len(errors) == 1, timeout=2000)
    assert "missing.csv" in errors[0]
    assert window.federation_model.rowCount() == 5


def test_preview_move_is_computed_on_a_copy(document):
    plan = document.plan
    a, b = list(plan.federations)[:2]
    ids = plan.member_ids(a)[:2]
    before = plan.state()
    result = preview_move(plan, document.stats, ids, b)
    assert plan.state() == before
    assert result.refused is None
    assert result.after[b].count == document.stats[b].count + 2
    assert result.after[a].count == document.stats[a].count - 2
    text = describe(plan, result, weighted=False)
    assert text.startswith(f"Move 2 centres to {plan.federations[b].name}: ")
    plan.locked_centres.add(ids[0])
    refused = preview_move(plan, document.stats, ids, b)
    assert refused.refused and "locked" in describe(plan, refused, False)


@pytest.mark.slow
def test_the_planner_process_shows_the_window_and_exits(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PLANNER_EXIT_AFTER_SHOW="1",
               XDG_CONFIG_HOME=str(tmp_path), HOME=str(tmp_path))
    start = time.time()
    result = subprocess.run([sys.executable, "-m", "planner"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    shown = [line for line in result.stderr.splitlines() if line.startswith("planner-shown ")]
    assert len(shown) == 1
    fields = shown[0].split()
    assert float(fields[1]) > start
    assert fields[4:] == ["federations", "5", "centres", "103"]  # the sample plan on first run
    assert "Traceback" not in result.stderr
