"""``planner sample PATH``: write the bundled Kent and Medway sample into a folder.

    planner sample PATH [--force]

Writes ``kent_medway_centres.csv`` (the 103 centres with their ``children_0_15`` weight) and
``kent_medway_districts.geojson`` (their 13 district boundaries) into PATH, creating the folder if
needed, and prints each file it wrote. An existing file is replaced only with ``--force`` (exit 2
naming it otherwise). The files are the ones the application opens on first run, so
``planner stats``, ``planner plan`` and the window can be tried on them at once.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner import resources
from planner.geo._atomic import atomic_write
from planner.geo.errors import InputError

__all__ = ["SAMPLE_FILES", "add_parser", "run"]

SAMPLE_FILES = (resources.SAMPLE_CENTRES, resources.SAMPLE_DISTRICTS)


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``sample`` on an ``argparse`` sub-parsers object; sets ``func=run``."""
    p = subparsers.add_parser("sample", help="write the Kent and Medway sample files into a folder",
                              description=__doc__.split("\n\n")[0])
    p.add_argument("path", type=Path, help="folder to write into (created if missing)")
    p.add_argument("--force", action="store_true", help="replace files that already exist")
    p.set_defaults(func=run)
    return p


def run(args: argparse.Namespace) -> int:
    folder: Path = args.path
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: not a folder")
    targets = [(resources.where(name), folder / Path(name).name) for name in SAMPLE_FILES]
    if not args.force:
        existing = [str(target) for _, target in targets if target.exists()]
        if existing:
            raise InputError(f"{', '.join(existing)}: already exists (use --force to replace)")
    folder.mkdir(parents=True, exist_ok=True)
    for source, target in targets:
        with atomic_write(target, newline="") as stream:
            stream.write(source.read_text(encoding="utf-8"))
        print(f"wrote {target}")
    return 0
