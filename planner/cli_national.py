"""``planner plan --per-authority FIELD``: every authority planned on its own, in one run.

Each authority's K follows from its own count and ``--target-size`` (moved to the nearest K the
size rules allow); an authority with fewer centres than the minimum becomes one federation; the
authorities are solved in parallel (``--jobs``, default every core) by
:func:`planner.clustering.national.plan_authorities`. Each authority is planned on its own land:
the cells of its centres on the polygons of the boundary layer that hold them (``--boundaries``,
else England's districts when they cover the centres, as for one plan; else the points' hull), so
no federation is drawn in two pieces. One plan file comes out, federations named
after their authority and hub town; the per-authority summary (K, sizes, cost, anything refused
and why) is printed on stdout and written beside the plan as ``<PLAN stem>_authorities.csv``.
Exit 0 when at least one authority was planned (refused ones are listed), 1 when none could be.
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from planner.geo.errors import InputError

__all__ = ["check_national_args", "land_links", "run_national", "summary_path", "write_summary"]

EXIT_OK, EXIT_NOTHING_PLANNED = 0, 1
_NOT_WITH = (("federations", "--federations"), ("within_boundaries", "--within-boundaries"),
             ("barriers", "--barriers"))


def check_national_args(args: argparse.Namespace) -> None:
    """Options that do not go with --per-authority, or out of range: exit 2."""
    for attr, flag in _NOT_WITH:
        if getattr(args, attr, None):
            raise InputError(f"{flag} does not go with --per-authority: each authority's K "
                             "follows from its count and --target-size")
    if args.target_size < 1:
        raise InputError(f"--target-size must be at least 1, not {args.target_size}")
    if args.jobs is not None and args.jobs < 1:
        raise InputError(f"--jobs must be at least 1, not {args.jobs}")
    lo, hi = args.min_size, args.max_size
    if lo is not None and hi is not None and lo > hi:
        raise InputError(f"--min-size ({lo}) is larger than --max-size ({hi})")
    if (lo is not None and args.target_size < lo) or (hi is not None and args.target_size > hi):
        raise InputError(f"--target-size {args.target_size} is outside the sizes "
                         f"{lo if lo is not None else ''}-{hi if hi is not None else ''}")


def summary_path(out: Path) -> Path:
    """Where the summary goes: beside the plan, ``<stem>_authorities.csv``."""
    return out.with_name(out.stem + "_authorities.csv")


def write_summary(rows: list[dict[str, str]], path: Path) -> None:
    from planner.clustering.national import SUMMARY_COLUMNS
    from planner.geo._atomic import atomic_write

    with atomic_write(path, newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=SUMMARY_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def land_links(args: argparse.Namespace, centres):
    """``authority centres -> (edges, lengths, crossing)`` on the land of the boundary layer in use:
    ``--boundaries``, else England's districts when they cover the centres (as ``planner plan``
    without ``--per-authority``), else none (each authority's buffered hull)."""
    from planner.geo.land import land_for

    if args.boundaries is not None:
        from planner.geo.layers import read_boundaries

        layer = read_boundaries(args.boundaries, centres.crs)
    else:
        from planner.geo.context import boundaries_for

        layer = boundaries_for(centres)[0]

    def links(authority):
        return land_for(authority, layer).links()

    return links


def run_national(args: argparse.Namespace, centres, must_link) -> int:
    """Plan every authority, write the plan and the summary; the exit code."""
    from planner.cli_plan import _Bar, balances, drive, write_plan
    from planner.clustering.national import labels_from_column, plan_authorities, summary_rows
    from planner.domain.constraints import Constraints

    field = args.per_authority
    try:
        labels = labels_from_column(centres, field)
    except KeyError:
        raise InputError(f"{args.centres}: no column {field!r} to plan by; columns are: "
                         f"{', '.join(centres.attributes)}") from None
    constraints = Constraints(
        target_size=args.target_size, min_size=args.min_size, max_size=args.max_size,
        balance=balances(args),
        max_link_m=None if args.max_link_km is None else args.max_link_km * 1000.0,
        max_radius_m=None if args.max_radius_km is None else args.max_radius_km * 1000.0,
        must_link=tuple(must_link),
    )
    gen = plan_authorities(centres, constraints, authority_of=labels, jobs=args.jobs,
                           seed=args.seed, field_name=field, land=land_links(args, centres))
    result = drive(gen, _Bar(sys.stderr, args.quiet))
    rows = summary_rows(result)
    _print_summary(rows, sys.stdout)
    for line in result.refused:
        print(f"refused: {line.authority}: {line.note}", file=sys.stderr)
    if not result.planned:
        print("planner: no authority could be planned; nothing written", file=sys.stderr)
        return EXIT_NOTHING_PLANNED
    write_plan(result.plan, args.out, result.constraints)
    write_summary(rows, summary_path(args.out))
    single = sum(1 for line in result.planned if line.status == "one federation")
    print(f"{len(result.plan.federations)} federations in {len(result.planned)} authorities "
          f"({single} as one federation, {len(result.refused)} refused), "
          f"{result.cost / 1000:,.1f} km in all to their hubs; written to {args.out} and "
          f"{summary_path(args.out).name}", file=sys.stderr)
    return EXIT_OK


def _print_summary(rows: list[dict[str, str]], stream) -> None:
    """The summary as an aligned table (the note last, unpadded)."""
    from planner.clustering.national import SUMMARY_COLUMNS

    cols = SUMMARY_COLUMNS[:-1]
    width = {c: max([len(c)] + [len(r[c]) for r in rows]) for c in cols}
    print("  ".join(c.ljust(width[c]) for c in cols) + "  note", file=stream)
    for r in rows:
        print("  ".join(r[c].ljust(width[c]) for c in cols) + "  " + r["note"], file=stream)
