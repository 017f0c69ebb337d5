"""``planner plan``: the federation engine from the command line.

    planner plan CENTRES --federations K [--min-size N] [--max-size N]
                 [--weight COLUMN --tolerance PCT ...] [--max-link-km D] [--max-radius-km R]
                 [--boundaries FILE --within-boundaries [--boundary-field NAME]]
                 [--barriers FILE] [--links FILE] [--seed S] --out PLAN.geojson|PLAN.csv
    planner plan CENTRES --per-authority FIELD [--target-size 20] [--min-size N] [--max-size N]
                 [--links FILE] [--jobs N] [other rules as above] --out PLAN

``--per-authority`` plans each authority on its own (:mod:`planner.cli_national`): one plan file,
and a per-authority summary printed and written beside it (``PLAN_authorities.csv``).

A progress bar goes to stderr. Exit 0 with the plan written (anything met only approximately is
listed as a warning); 1 when the request is infeasible, with the reasons; 2 on bad input (raised
as :class:`planner.geo.io.InputError`, which ``planner.cli.main`` reports).

``--out``: ``.csv`` writes one row per centre; ``.geojson`` / ``.json`` writes a plan file
(GeoJSON that QGIS opens, carrying the plan's keys, names, colours, hubs, params and the
constraints). ``--links`` reads a GIAS children's centre links CSV (columns ``urn`` and
``link_urn``): each connected group of linked centres must share a federation; ids that are not
among the centres are ignored (with a note).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.geo.errors import InputError

__all__ = ["add_parser", "balances", "drive", "run", "write_plan"]

EXIT_OK, EXIT_INFEASIBLE, EXIT_BAD_INPUT = 0, 1, 2
_DEFAULT_BOUNDARY_FIELDS = ("lad_name", "utla_name", "name", "LAD24NM", "CTYUA24NM")


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Register ``plan`` on an ``argparse`` sub-parsers object; sets ``func=run``."""
    p = subparsers.add_parser(
        "plan",
        help="propose federations (balanced, contiguous, compact) and write the plan",
        description=__doc__.split("\n\n")[0],
    )
    p.add_argument("centres", type=Path, help="centres file (CSV, GeoJSON, GPKG, SHP)")
    p.add_argument("--federations", "-k", type=int, metavar="K", help="number of federations")
    p.add_argument("--min-size", type=int, metavar="N", help="fewest centres per federation")
    p.add_argument("--max-size", type=int, metavar="N", help="most centres per federation")
    p.add_argument("--weight", metavar="COLUMN", action="append",
                   help="numeric column to balance, each followed by its --tolerance "
                        "(repeat both to balance several figures at once)")
    p.add_argument("--tolerance", type=float, metavar="PCT", action="append",
                   help="allowed deviation of the --weight before it from the mean, in percent")
    p.add_argument("--max-link-km", type=float, metavar="D",
                   help="cut neighbourhood links longer than D km")
    p.add_argument("--max-radius-km", type=float, metavar="R",
                   help="longest distance from a centre to its hub, km")
    p.add_argument("--boundaries", type=Path, metavar="FILE",
                   help="authority polygons: the land (default: England's districts)")
    p.add_argument("--within-boundaries", action="store_true",
                   help="keep every federation inside one authority")
    p.add_argument("--boundary-field", metavar="NAME",
                   help="the authority name field of --boundaries (default: detected)")
    p.add_argument("--barriers", type=Path, metavar="FILE",
                   help="lines or polygons no link may cross (rivers, estuaries, motorways)")
    p.add_argument("--links", type=Path, metavar="FILE",
                   help="GIAS links CSV (urn, link_urn): linked centres stay together")
    p.add_argument("--per-authority", metavar="FIELD",
                   help="plan each authority (the centres' FIELD, e.g. dfe_la_name) on its own")
    p.add_argument("--target-size", type=int, default=20, metavar="N",
                   help="with --per-authority: about N centres per federation (default 20)")
    p.add_argument("--jobs", type=int, metavar="N",
                   help="with --per-authority: processes in parallel (default: every core)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--out", type=Path, required=True, metavar="PLAN",
                   help="output: PLAN.geojson (plan file) or PLAN.csv")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
    return p


def _boundary_field(frame, wanted: str | None, path: Path) -> str:
    fields = [c for c in frame.columns if c != frame.geometry.name]
    if wanted:
        if wanted not in fields:
            raise InputError(f"{path}: no field {wanted!r}; fields are: {', '.join(fields)}")
        return wanted
    for name in _DEFAULT_BOUNDARY_FIELDS:
        if name in fields:
            return name
    text = [c for c in fields if frame[c].dtype == object]
    if len(text) == 1:
        return text[0]
    raise InputError(
        f"{path}: say which field names the authority with --boundary-field; fields are: "
        + ", ".join(fields)
    )


class _Bar:
    """A one-line progress bar on stderr (redrawn in place when stderr is a terminal)."""

    def __init__(self, stream, quiet: bool) -> None:
        self.stream = stream
        self.quiet = quiet
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.last = -1

    def show(self, fraction: float, message: str) -> None:
        if self.quiet:
            return
        pct = int(round(100 * max(0.0, min(1.0, fraction))))
        if not self.tty and pct == self.last:
            return
        self.last = pct
        filled = pct * 30 // 100
        line = f"[{'#' * filled}{'.' * (30 - filled)}] {pct:3d}% {message}"
        if self.tty:
            self.stream.write("\r" + line[:100].ljust(100))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def done(self) -> None:
        if self.tty and not self.quiet:
            self.stream.write("\n")
            self.stream.flush()


def run(args: argparse.Namespace) -> int:
    """Run the engine for ``planner plan``; returns the exit code."""
    from planner.geo.io import read_centres

    _check_args(args)
    from planner.cli_reach import REACH_COLUMNS, loaded_with_reach

    weights = args.weight or []
    own = [w for w in weights if w not in REACH_COLUMNS]  # reach columns are added, not read
    loaded = read_centres(args.centres, weight_column=own[0] if own else None,
                          allow_outside_england=getattr(args, "allow_outside_england", False))
    if len(own) < len(weights):
        loaded = loaded_with_reach(loaded)
    centres = loaded.centres
    for w in loaded.warnings:
        print(f"warning: {w}", file=sys.stderr)
    for column in weights:
        if column not in centres.attributes:
            raise InputError(f"{args.centres}: no weight column {column!r}")
        try:
            centres.numeric(column)
        except ValueError as exc:
            raise InputError(f"{args.centres}: {exc}") from None
    if args.per_authority is not None:
        from planner.cli_national import run_national

        return run_national(args, centres, _must_link(args, centres))
    return _run_one(args, loaded)


def _check_args(args: argparse.Namespace) -> None:
    """Refuse contradictory or out-of-range options (exit 2) before reading anything."""
    out: Path = args.out
    if out.suffix.lower() not in (".csv", ".geojson", ".json"):
        raise InputError(f"{out}: the plan is written as .geojson (a plan file) or .csv")
    if args.federations is not None and args.federations < 1:
        raise InputError(f"--federations must be at least 1, not {args.federations}")
    weights, tolerances = args.weight or [], args.tolerance or []
    if len(weights) != len(tolerances):
        raise InputError("--weight and --tolerance go together: give one --tolerance after "
                         f"each --weight ({len(weights)} weight(s), {len(tolerances)} "
                         "tolerance(s))")
    for tol in tolerances:
        if tol < 0:
            raise InputError(f"--tolerance must not be negative, not {tol}")
    if args.within_boundaries and args.boundaries is None:
        raise InputError("--within-boundaries needs --boundaries FILE")
    for flag, value in (("--max-link-km", args.max_link_km),
                        ("--max-radius-km", args.max_radius_km)):
        if value is not None and value <= 0:
            raise InputError(f"{flag} must be positive, not {value}")
    for flag, value in (("--min-size", args.min_size), ("--max-size", args.max_size)):
        if value is not None and value < 1:
            raise InputError(f"{flag} must be at least 1, not {value}")
    if args.per_authority is not None:
        from planner.cli_national import check_national_args

        check_national_args(args)


def _must_link(args: argparse.Namespace, centres) -> tuple[tuple[str, ...], ...]:
    if args.links is None:
        return ()
    from planner.geo.links import read_links

    must_link, unknown = read_links(args.links, set(centres.ids))
    if unknown:
        print(f"note: {unknown} linked centre id(s) in {args.links} are not among the "
              "centres and were ignored", file=sys.stderr)
    return must_link


def _boundary_labels(args: argparse.Namespace, centres) -> dict[str, str] | None:
    if args.boundaries is None:
        return None
    from planner.geo.layers import label_centres, read_boundaries

    frame = read_boundaries(args.boundaries, centres.crs, centres)
    field = _boundary_field(frame, args.boundary_field, args.boundaries)
    return {k: str(v) for k, v in label_centres(centres, frame, field).items()}


def _land_links(args: argparse.Namespace, centres):
    """Neighbours from the land's cells (planner.geo.cells): the --boundaries layer, else England's
    districts when they cover the centres (as the window draws them), else the points' hull."""
    from planner.geo.land import land_for

    if args.boundaries is not None:
        from planner.geo.layers import read_boundaries

        frame = read_boundaries(args.boundaries, centres.crs)
    else:
        from planner.geo.context import boundaries_for

        frame = boundaries_for(centres)[0]
    return land_for(centres, frame).links()


def _run_one(args: argparse.Namespace, loaded) -> int:
    """One plan for all the centres (no --per-authority)."""
    from planner.clustering.graph import neighbourhood_graph
    from planner.domain.constraints import Constraints

    centres = loaded.centres
    boundary_of = _boundary_labels(args, centres)
    barriers = None
    if args.barriers is not None:
        from planner.geo.layers import read_barriers

        barriers = read_barriers(args.barriers, centres.crs)
    max_link_m = None if args.max_link_km is None else args.max_link_km * 1000.0
    constraints = Constraints(
        federations=args.federations,
        min_size=args.min_size,
        max_size=args.max_size,
        balance=balances(args),
        max_link_m=max_link_m,
        max_radius_m=None if args.max_radius_km is None else args.max_radius_km * 1000.0,
        boundary_of=boundary_of,
        within_boundaries=bool(args.within_boundaries),
        must_link=_must_link(args, centres),
    )
    graph = neighbourhood_graph(centres, max_link_m=max_link_m, barriers=barriers,
                                boundary_of=boundary_of if args.within_boundaries else None,
                                links=_land_links(args, centres))
    from planner.clustering.federate import federate

    gen = federate(centres, constraints, current=loaded.plan, graph=graph, seed=args.seed)
    result = drive(gen, _Bar(sys.stderr, args.quiet))
    if result is None:
        return EXIT_INFEASIBLE
    for note in result.approximations:
        print(f"warning: {note}", file=sys.stderr)
    from planner.domain.naming import name_federations

    plan = name_federations(result.plan, boundary_of if args.within_boundaries else None)
    write_plan(plan, args.out, constraints)
    sizes = [len(plan.members(k)) for k in plan.federations]
    print(
        f"{len(plan.federations)} federations of {min(sizes)}-{max(sizes)} centres, "
        f"{result.cost / 1000:,.1f} km in all to their hubs; written to {args.out}",
        file=sys.stderr,
    )
    return EXIT_OK


def balances(args: argparse.Namespace) -> tuple:
    """The balance rules: each --weight with the --tolerance after it (percent)."""
    from planner.domain.constraints import Balance

    pairs = zip(args.weight or [], args.tolerance or [], strict=True)
    return tuple(Balance(column, tol / 100.0) for column, tol in pairs)


def drive(gen, bar: _Bar):
    """Run a progress generator to its end: its value, or None after printing its refusal."""
    from planner.clustering.explain import Infeasible

    try:
        while True:
            progress = next(gen)
            bar.show(progress.fraction, progress.message)
    except Infeasible as exc:
        bar.done()
        print("planner: the request cannot be met:", file=sys.stderr)
        for reason in exc.reasons:
            print(f"  - {reason}", file=sys.stderr)
        return None
    except StopIteration as stop:
        bar.done()
        return stop.value


def write_plan(plan, out: Path, constraints) -> None:
    """``out`` as CSV (one row per centre) or a plan file, by its suffix."""
    if out.suffix.lower() == ".csv":
        from planner.geo.export import write_csv

        write_csv(plan, out)
    else:
        from planner.geo.planfile import save_plan

        save_plan(plan, out, constraints)
