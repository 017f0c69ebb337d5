"""Saves and exports write files as a careful editor does: permissions, symlinks, no temporary
files left behind (on error, and from killed runs), errors naming the destination, the input
protected, a plan exported over itself keeping everything."""

from __future__ import annotations

import errno
import json
import os
import stat

import pytest

from planner.cli import main
from planner.geo._atomic import atomic_write, clean_orphans
from planner.geo.errors import OutputError
from planner.geo.export import write_csv, write_geojson
from planner.geo.planfile import load_plan, save_plan


@pytest.fixture
def plan(sample_dir):
    return load_plan(sample_dir / "kent_medway_centres.csv").plan


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_file_gets_the_umask_mode(tmp_path, plan):
    old = os.umask(0o022)
    try:
        write_csv(plan, tmp_path / "a.csv")
        os.umask(0o002)
        write_geojson(plan, tmp_path / "b.geojson")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "a.csv") == 0o644
    assert _mode(tmp_path / "b.geojson") == 0o664


def test_an_existing_file_keeps_its_mode(tmp_path, plan):
    target = tmp_path / "shared.geojson"
    target.write_text("old")
    os.chmod(target, 0o664)
    save_plan(plan, target)
    assert _mode(target) == 0o664 and json.loads(target.read_text())["planner"]


def test_a_symlinked_destination_writes_its_target(tmp_path, plan):
    real = tmp_path / "real" / "plan.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_csv(plan, link)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text().startswith("id,name,latitude,longitude,federation")


def test_an_error_removes_the_temporary_file_and_keeps_the_old(tmp_path):
    target = tmp_path / "keep.txt"
    target.write_text("precious")
    with pytest.raises(RuntimeError):
        with atomic_write(target) as stream:
            stream.write("half")
            raise RuntimeError("boom")
    assert target.read_text() == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.txt"]


def test_disk_full_names_the_destination_not_the_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "full.csv"

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(OutputError) as caught:
        with atomic_write(target) as stream:
            stream.write("x")
    text = str(caught.value)
    assert str(target) in text and "disk is full" in text and ".tmp" not in text
    assert list(tmp_path.iterdir()) == []


def test_orphans_of_killed_runs_are_cleaned_before_the_next_write(tmp_path, plan):
    target = tmp_path / "plan.geojson"
    dead = tmp_path / ".plan.geojson.999999999.abcd.tmp"  # a pid no process has
    dead.write_text("x" * 1000)
    old = tmp_path / ".plan.geojson.oldstyle.tmp"
    old.write_text("x")
    os.utime(old, (0, 0))
    other = tmp_path / ".other.geojson.999999999.x.tmp"
    other.write_text("x")
    save_plan(plan, target)
    assert not dead.exists() and not old.exists()
    assert other.exists()  # another file's leftovers wait for that file's next write
    assert clean_orphans(tmp_path / "other.geojson") == 1


def test_special_destinations_are_refused(tmp_path, plan):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    with pytest.raises(OutputError, match="named pipe"):
        write_csv(plan, fifo)
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_an_export_never_overwrites_the_input(tmp_path, sample_dir, capsys):
    centres = tmp_path / "centres.csv"
    centres.write_bytes((sample_dir / "kent_medway_centres.csv").read_bytes())
    before = centres.read_bytes()
    assert main(["plan", str(centres), "-k", "5", "-q", "--out", str(centres)]) == 2
    assert "read from" in capsys.readouterr().err
    assert main(["export", str(centres), "--out", str(centres)]) == 2
    assert centres.read_bytes() == before


def test_exporting_a_plan_onto_itself_keeps_locks_colours_hubs_and_rules(tmp_path, plan):
    from dataclasses import replace

    from planner.domain.constraints import Constraints
    from planner.domain.plan import Federation, LockCentres, Reassign

    plan.federations[0] = Federation(0, "North", "#112233", locked=False)
    Reassign.make(plan, plan.centres.ids[:10], 0).apply(plan)
    plan.federations[0] = replace(plan.federations[0], hub=plan.centres.ids[0], locked=True)
    LockCentres.make(plan, plan.centres.ids[20:22], True).apply(plan)
    path = tmp_path / "plan.geojson"
    save_plan(plan, path, Constraints(federations=5, min_size=3))
    assert main(["export", str(path), "--out", str(path)]) == 0
    again = load_plan(path)
    assert again.plan.federations[0] == plan.federations[0]
    assert again.plan.locked_centres == plan.locked_centres
    assert again.constraints.federations == 5 and again.constraints.min_size == 3
