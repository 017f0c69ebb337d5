"""``planner plan``: the federation engine from the command line.

    planner plan CENTRES --federations K [--min-size N] [--max-size N]
                 [--weight COLUMN --tolerance PCT ...] [--max-link-km D] [--max-radius-km R]
                 [--boundaries FILE --within-boundaries [--boundary-field NAME]]
                 [--barriers FILE] [--links FILE] [--seed S] --out PLAN.geojson|PLAN.csv

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

__all__ = ["add_parser", "run"]

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
    p.add_argument("--boundaries", type=Path, metavar="FILE", help="authority polygons")
    p.add_argument("--within-boundaries", action="store_true",
                   help="keep every federation inside one authority")
    p.add_argument("--boundary-field", metavar="NAME",
                   help="the authority name field of --boundaries (default: detected)")
    p.add_argument("--barriers", type=Path, metavar="FILE",
                   help="lines or polygons no link may cross (rivers, estuaries, motorways)")
    p.add_argument("--links", type=Path, metavar="FILE",
                   help="GIAS links CSV (urn, link_urn): linked centres stay together")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    p.add_argument("--out", type=Path, required=True, metavar="PLAN",
                   help="output: PLAN.geojson (plan file) or PLAN.csv")
    p.add_argument("--quiet", "-q", action="store_true", help="no progress bar")
    p.set_defaults(func=run)
    return p


def _boundary_field(frame, wanted: str | None, path: Path) -> str:
    from planner.geo.io import InputError

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
    from planner.clustering.explain import Infeasible
    from planner.clustering.federate import federate
    from planner.clustering.graph import neighbourhood_graph
    from planner.domain.constraints import Balance, Constraints
    from planner.geo.io import InputError, read_centres

    out: Path = args.out
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".geojson", ".json"):
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

    loaded = read_centres(args.centres, weight_column=weights[0] if weights else None)
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

    boundary_of = None
    if args.boundaries is not None:
        from planner.geo.layers import label_centres, read_boundaries

        frame = read_boundaries(args.boundaries, centres.crs)
        field = _boundary_field(frame, args.boundary_field, args.boundaries)
        boundary_of = {k: str(v) for k, v in label_centres(centres, frame, field).items()}
    barriers = None
    if args.barriers is not None:
        from planner.geo.layers import read_barriers

        barriers = read_barriers(args.barriers, centres.crs)
    must_link: tuple[tuple[str, ...], ...] = ()
    if args.links is not None:
        from planner.geo.links import read_links

        must_link, unknown = read_links(args.links, set(centres.ids))
        if unknown:
            print(f"note: {unknown} linked centre id(s) in {args.links} are not among the "
                  "centres and were ignored", file=sys.stderr)

    max_link_m = None if args.max_link_km is None else args.max_link_km * 1000.0
    constraints = Constraints(
        federations=args.federations,
        min_size=args.min_size,
        max_size=args.max_size,
        balance=tuple(
            Balance(column, tol / 100.0) for column, tol in zip(weights, tolerances, strict=True)
        ),
        max_link_m=max_link_m,
        max_radius_m=None if args.max_radius_km is None else args.max_radius_km * 1000.0,
        boundary_of=boundary_of,
        within_boundaries=bool(args.within_boundaries),
        must_link=must_link,
    )
    graph = neighbourhood_graph(
        centres,
        max_link_m=max_link_m,
        barriers=barriers,
        boundary_of=boundary_of if args.within_boundaries else None,
    )
    bar = _Bar(sys.stderr, args.quiet)
    gen = federate(centres, constraints, current=loaded.plan, graph=graph, seed=args.seed)
    try:
        while True:
            progress = next(gen)
            bar.show(progress.fraction, progress.message)
    except Infeasible as exc:
        bar.done()
        print("planner: the request cannot be met:", file=sys.stderr)
        for reason in exc.reasons:
            print(f"  - {reason}", file=sys.stderr)
        return EXIT_INFEASIBLE
    except StopIteration as stop:
        result = stop.value
    bar.done()
    for note in result.approximations:
        print(f"warning: {note}", file=sys.stderr)

    if suffix == ".csv":
        from planner.geo.export import write_csv

        write_csv(result.plan, out)
    else:
        from planner.geo.planfile import save_plan

        save_plan(result.plan, out, constraints)
    sizes = [len(result.plan.members(k)) for k in result.plan.federations]
    print(
        f"{len(result.plan.federations)} federations of {min(sizes)}-{max(sizes)} centres, "
        f"{result.cost / 1000:,.1f} km in all to their hubs; written to {out}",
        file=sys.stderr,
    )
    return EXIT_OK
