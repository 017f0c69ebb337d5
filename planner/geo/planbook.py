"""Plan files that hold several options (version 2 of the ``"planner"`` member), and log CSVs.

Layout::

    "planner": {"version": 2,
                "options": [<a version-1 plan member (planmeta) + "name" + "log">, ...],
                "current": <index>}

The features (what QGIS shows) carry the current option's federations. A book of one option is
written exactly as a plan file always was (version 1, :func:`planner.geo.planfile.save_plan`),
with ``"name"`` and ``"log"`` added to the member only when they say something (a name other than
"Option A", a non-empty log), so files without options look as they always did.
"""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

from planner.domain.changelog import CSV_FIELDS, ChangeLog
from planner.domain.compare import Comparison
from planner.domain.options import DEFAULT_NAME, Option, OptionRefused, PlanBook
from planner.geo import planmeta
from planner.geo._atomic import atomic_write
from planner.geo.errors import InputError
from planner.geo.export import feature_collection, write_json
from planner.geo.io import LoadResult, read_centres

__all__ = ["encode_book", "save_book", "load_book", "book_for", "write_log_csv", "write_moves_csv",
           "MOVES_FIELDS"]

MOVES_FIELDS = ("centre", "name", "federation_a", "federation_b")


def _option_member(option: Option, always: bool) -> dict:
    member = planmeta.encode(option.plan, option.constraints)
    if always or option.name != DEFAULT_NAME:
        member["name"] = option.name
    if always or len(option.log):
        member["log"] = option.log.to_json()
    return member


def encode_book(book: PlanBook) -> dict:
    """The ``"planner"`` member for ``book`` (version 1 for one option, else version 2)."""
    if len(book) == 1:
        return _option_member(book.options[0], always=False)
    return {
        "version": planmeta.OPTIONS_VERSION,
        "options": [_option_member(o, always=True) for o in book.options],
        "current": book.current,
    }


def save_book(book: PlanBook, path: str | os.PathLike) -> None:
    """Write every option of ``book`` atomically as one GeoJSON plan file."""
    document = feature_collection(book.current_option.plan)
    document["planner"] = encode_book(book)
    write_json(document, Path(path))


def _raw_member(path: Path) -> dict | None:
    if path.suffix.lower() not in (".geojson", ".json"):
        return None
    try:
        member = json.loads(path.read_text(encoding="utf-8")).get("planner")
    except (OSError, ValueError, AttributeError):
        return None
    return member if isinstance(member, dict) else None


def _decode_option(plan, constraints, raw: dict, index: int, current: bool,
                   warnings: list[str]) -> Option:
    name = raw.get("name", DEFAULT_NAME if index == 0 else f"Option {index + 1}")
    if not isinstance(name, str):
        raise ValueError(f"option {index + 1}: 'name' must be text")
    try:
        if not current:  # the current one was decoded by read_centres (with the features' labels)
            plan, notes = planmeta.decode_plan(plan.centres, raw, None)
            constraints = planmeta.decode_constraints(raw)
            warnings.extend(f"option {name!r}: {n}" for n in notes)
        log = ChangeLog.from_json(raw.get("log"))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"option {name!r}: {exc}") from None
    return Option(name, plan, constraints, log)


def book_for(path: str | os.PathLike, plan, constraints, warnings: list[str]) -> PlanBook:
    """The book of the file at ``path`` whose current option was read as ``plan`` and
    ``constraints`` (by :func:`planner.geo.io.read_centres`): its other options and every log.
    A file without options is a book of one. Notes go to ``warnings``; InputError if damaged."""
    path = Path(path)
    member = _raw_member(path)
    try:
        if member is not None and member.get("version") == planmeta.OPTIONS_VERSION:
            raws, current = member["options"], int(member.get("current", 0))
        else:
            raws, current = [member or {}], 0
        options = [_decode_option(plan, constraints, raw, i, i == current, warnings)
                   for i, raw in enumerate(raws)]
        return PlanBook(options, current)
    except (KeyError, TypeError, ValueError, OptionRefused) as exc:
        raise InputError(f"{path}: the saved options are damaged ({exc})") from None


def load_book(path: str | os.PathLike) -> tuple[PlanBook, LoadResult]:
    """Open any plan or centres file as a book of options (a plain file: one option)."""
    result = read_centres(path)
    if result.plan is None:
        from planner.domain.plan import Plan

        result.plan = Plan(result.centres)
    return book_for(path, result.plan, result.constraints, result.warnings), result


def write_log_csv(log: ChangeLog, path: str | os.PathLike) -> None:
    """One row per log entry: ``when,who,what,centres,from,to,reason``."""
    with atomic_write(path, newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(CSV_FIELDS))
        writer.writeheader()
        for entry in log:
            writer.writerow(entry.csv_row())


def write_moves_csv(comparison: Comparison, path: str | os.PathLike) -> None:
    """One row per centre that differs: ``centre,name,federation_a,federation_b``."""
    with atomic_write(path, newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(MOVES_FIELDS)
        for m in comparison.moves:
            writer.writerow([m.centre, m.name, m.fed_a, m.fed_b])
