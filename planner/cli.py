"""The ``planner`` command's headless side: its parser and sub-commands (no Qt here).

``planner [FILE]`` opens the desktop application: :mod:`planner.launcher` sends that to
:mod:`planner.app` and everything else to :func:`main`. Sub-commands:

- ``planner stats FILE [--json] [--weight COL]``: centres loaded, warnings, per-federation figures.
- ``planner export PLAN --out FILE.geojson|FILE.csv [--outlines] [--boundaries LAYER]``.
- ``planner validate PLAN [constraint options]``: exit 1 listing the rules the plan breaks.
- ``planner plan ...``: the federation engine (:mod:`planner.cli_plan`).
- ``planner sample PATH``: write the bundled sample files (:mod:`planner.cli_sample`).

A sub-command in its own module provides ``add_parser(subparsers)`` (setting ``func(args) ->
int``) and is listed in ``COMMAND_MODULES``.

Exit codes: 0 success, 1 a plan that breaks its constraints, 2 bad input or a file that cannot be
read or written (the message goes to stderr; never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from planner import cli_plan, cli_report, cli_sample
from planner.domain.constraints import Constraints, check
from planner.domain.plan import UNASSIGNED, Plan
from planner.domain.stats import PlanStats
from planner.geo.errors import InputError

__all__ = ["COMMAND_MODULES", "build_parser", "main", "opens_window"]

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT = 0, 1, 2
#: Modules that register a sub-command with ``add_parser(subparsers)``, in help order.
COMMAND_MODULES = (cli_plan, cli_report, cli_sample)


def _version() -> str:
    try:
        return version("surestart-planner")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


# -- shared helpers ----------------------------------------------------------------------------
def _land(centres, boundaries: Path | None = None, plan: Plan | None = None):
    """The centres' cells and links on the land (planner.geo.land): the layer ``boundaries``,
    else England's districts when they cover the centres (as the window), else the points' hull.
    A plan made per authority is cut within each authority's own land, as it was planned."""
    from planner.geo.land import land_for, plan_groups

    if boundaries is not None:
        from planner.geo.layers import read_boundaries

        layer = read_boundaries(boundaries, centres.crs, centres)
    else:
        from planner.geo.context import boundaries_for

        layer = boundaries_for(centres)[0]
    return land_for(centres, layer, plan_groups(plan) if plan is not None else None)


def _neighbours(centres, max_link_m: float | None = None, land=None) -> list[list[int]]:
    from planner.clustering.graph import neighbourhood_graph

    land = land if land is not None else _land(centres)
    graph = neighbourhood_graph(centres, max_link_m=max_link_m, links=land.links())
    return [sorted(int(v) for v in graph.neighbors(i)) for i in range(len(centres))]


def _print_warnings(warnings: list[str], stream=None) -> None:
    for w in warnings:
        print(f"warning: {w}", file=stream or sys.stderr)


def _weights(centres, column: str | None):
    if not column:
        return None
    try:
        return centres.numeric(column)
    except (KeyError, ValueError) as exc:
        raise InputError(f"{centres.source}: weight {exc}") from None


# -- stats -------------------------------------------------------------------------------------
def _federation_rows(plan: Plan, weights, land=None) -> list[dict]:
    stats = PlanStats(plan, weights, _neighbours(plan.centres, land=land))
    rows = []
    for s in stats.rows():
        fed = plan.federations[s.key]
        rows.append({
            "key": s.key,
            "name": fed.name,
            "colour": fed.colour,
            "locked": fed.locked,
            "hub": None if s.hub is None else plan.centres.ids[s.hub],
            "centres": s.count,
            "weight": s.weight,
            "deviation": stats.deviation(s.key) if s.count else None,
            "mean_to_hub_m": s.mean_to_hub,
            "max_to_hub_m": s.max_to_hub,
            "diameter_m": s.diameter,
            "area_km2": s.area / 1e6,
            "pieces": s.components,
            "contiguous": s.contiguous,
        })
    return rows


def _cmd_stats(args: argparse.Namespace) -> int:
    from planner.cli_reach import REACH_COLUMNS, print_reach, reach_report, with_reach
    from planner.geo.io import read_centres

    own_weight = None if args.weight in REACH_COLUMNS else args.weight
    result = read_centres(args.file, weight_column=own_weight,
                          allow_outside_england=args.allow_outside_england)
    land = _land(result.centres, args.boundaries, result.plan)
    centres, plan, reach = with_reach(result.centres, result.plan, land.land)  # + reach columns
    weights = _weights(centres, args.weight)
    report = {
        "file": str(args.file),
        "centres": len(centres),
        "crs": centres.crs,
        "warnings": list(result.warnings),
        "weight_column": args.weight,
        "federations": [],
        "unassigned": len(centres),
    }
    if plan is not None:
        report["federations"] = _federation_rows(plan, weights, land)
        report["crossings"] = [[centres.ids[a], centres.ids[b]]
                               for (a, b), c in zip(land.edges.tolist(), land.crossing.tolist(),
                                                    strict=True) if c]
        report["unassigned"] = int((plan.assignment == UNASSIGNED).sum())
    report["reach"] = reach_report(reach, centres.ids, plan)
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return EXIT_OK
    print(f"{len(centres)} centres loaded from {args.file} (computed in {centres.crs})")
    _print_warnings(result.warnings, sys.stdout)
    if weights is not None:
        print(f"{args.weight}: total {weights.sum():,.0f}, mean per centre {weights.mean():,.1f}")
    if plan is None:
        print("No federations in this file.")
        print_reach(report["reach"])
        return EXIT_OK
    print(f"{len(plan.federations)} federations; {report['unassigned']} centres unassigned")
    weight_head = f"{args.weight:>14}  {'vs mean':>8}" if args.weight else ""
    print(f"{'federation':<28} {'centres':>7} {weight_head}  {'max to hub':>10}  "
          f"{'diameter':>9}  {'pieces':>6}")
    for row in report["federations"]:
        weight_cells = ""
        if args.weight:
            dev = "" if row["deviation"] is None else f"{row['deviation']:+.1%}"
            weight_cells = f"{row['weight']:>14,.0f}  {dev:>8}"
        print(f"{row['name'][:28]:<28} {row['centres']:>7} {weight_cells}  "
              f"{row['max_to_hub_m'] / 1000:>7.1f} km  {row['diameter_m'] / 1000:>6.1f} km  "
              f"{row['pieces']:>6}")
    if report.get("crossings"):
        pairs = ", ".join(f"{a}-{b}" for a, b in report["crossings"])
        print(f"Crossings (land parts joined over water): {pairs}")
    print_reach(report["reach"])
    return EXIT_OK


# -- export ------------------------------------------------------------------------------------
def _outlines(plan: Plan, boundaries: Path | None):
    from planner.geo.outlines import OutlineBuilder

    # the same cells as the neighbourhood graph (planner.geo.cells), on the same land
    return OutlineBuilder(plan.centres, cells=_land(plan.centres, boundaries, plan)).outlines(plan)


def _cmd_export(args: argparse.Namespace) -> int:
    from planner.geo.export import write_csv, write_geojson
    from planner.geo.planfile import load_plan

    suffix = args.out.suffix.lower()
    if suffix not in (".geojson", ".json", ".csv"):
        raise InputError(f"{args.out}: unknown export type {suffix!r}; use .geojson or .csv")
    result = load_plan(args.plan, allow_outside_england=args.allow_outside_england)
    _print_warnings(result.warnings)
    plan = result.plan
    if suffix == ".csv":
        if args.outlines:
            print("warning: a CSV has no geometry; --outlines ignored", file=sys.stderr)
        write_csv(plan, args.out)
    else:
        from planner.geo._atomic import same_file
        from planner.geo.planfile import save_plan

        outlines = _outlines(plan, args.boundaries) if args.outlines else None
        if result.has_plan and same_file(args.out, args.plan) and "planner" in _member(args.plan):
            save_plan(plan, args.out, result.constraints, outlines)  # keeps locks, hubs, rules
        else:
            write_geojson(plan, args.out, outlines=outlines)
    print(f"wrote {len(plan.centres)} centres in {len(plan.federations)} federations to "
          f"{args.out}")
    return EXIT_OK


def _member(path: Path) -> dict:
    """The top-level members of a GeoJSON ``path`` already read once (empty if not JSON)."""
    from planner.geo.geojsontable import read_geojson

    try:
        return read_geojson(path).foreign
    except InputError:
        return {}


# -- validate ----------------------------------------------------------------------------------
def _constraints(args: argparse.Namespace, saved: Constraints | None, centres) -> Constraints:
    import dataclasses

    base = saved or Constraints()
    changes: dict = {}
    for option in ("federations", "min_size", "max_size"):
        value = getattr(args, option)
        if value is not None:
            changes[option] = value
    if args.weight is not None or args.weight_tolerance is not None:
        changes["balance"] = _balance(args, base)
    if args.max_radius_km is not None:
        changes["max_radius_m"] = args.max_radius_km * 1000.0
    if args.max_link_km is not None:
        changes["max_link_m"] = args.max_link_km * 1000.0
    if args.no_contiguity:
        changes["contiguous"] = False
    if args.boundaries is not None:
        from planner.geo.layers import label_centres, read_boundaries

        layer = read_boundaries(args.boundaries, centres.crs, centres)
        if args.boundary_field not in layer.columns:
            raise InputError(
                f"{args.boundaries}: no field {args.boundary_field!r}; fields are: "
                + ", ".join(c for c in layer.columns if c != "geometry")
            )
        labels = label_centres(centres, layer, args.boundary_field)
        changes["boundary_of"] = {k: str(v) for k, v in labels.items()}
        changes["within_boundaries"] = True
    return dataclasses.replace(base, **changes)


def _balance(args: argparse.Namespace, base: Constraints) -> tuple:
    """``--weight``/``--weight-tolerance`` replace the saved balance rules: a missing one of the
    two is taken from the first saved rule."""
    from planner.domain.constraints import Balance

    first = base.balance[0] if base.balance else None
    column = args.weight or (first.column if first else None)
    tolerance = args.weight_tolerance
    if tolerance is None and first is not None:
        tolerance = first.tolerance
    if column is None or tolerance is None:
        raise InputError("--weight and --weight-tolerance go together (no saved balance rule "
                         "gives the other)")
    return (Balance(column, float(tolerance)),)


def _cmd_validate(args: argparse.Namespace) -> int:
    from planner.geo.planfile import load_plan

    mapping = {"weight_column": args.weight} if args.weight else None
    result = load_plan(args.plan, mapping, allow_outside_england=args.allow_outside_england)
    _print_warnings(result.warnings)
    plan = result.plan
    constraints = _constraints(args, result.constraints, plan.centres)
    for rule in constraints.balance:
        _weights(plan.centres, rule.column)
    neighbours = _neighbours(plan.centres, constraints.max_link_m,
                             _land(plan.centres, args.boundaries, plan))
    violations = check(plan, constraints, neighbours)
    broken = [v for v in violations if not v.soft]
    for v in violations:
        if v.soft:
            print(f"  [target] {v.message}")
    if not broken:
        print(f"OK: {len(plan.centres)} centres in {len(plan.federations)} federations keep "
              "every rule")
        return EXIT_OK
    print(f"{len(broken)} problem(s):")
    for v in broken:
        print(f"  [{v.rule}] {v.message}")
    return EXIT_VIOLATIONS


def add_area_option(parser: argparse.ArgumentParser) -> None:
    """``--allow-outside-england``: read centres outside England (see planner.geo.area)."""
    parser.add_argument("--allow-outside-england", action="store_true",
                        help="accept centres outside England (the planner checks coordinates "
                        "against England to catch swapped or wrong columns)")


# -- parser and entry point --------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    return _parser_and_commands()[0]


def _parser_and_commands() -> tuple[argparse.ArgumentParser, dict]:
    parser = argparse.ArgumentParser(
        prog="planner",
        description="Plan federations of SureStart children's centres. "
        "With no command (or just a FILE) it opens the desktop application.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("stats", help="centres loaded, warnings and per-federation figures")
    p.add_argument("file", type=Path, help="centres or plan file (CSV, GeoJSON, GPKG, SHP)")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--weight", metavar="COL", help="numeric column to sum per federation")
    p.add_argument("--boundaries", type=Path,
                   help="the land whose cells say who borders whom (default: England's districts)")
    p.set_defaults(func=_cmd_stats)

    p = sub.add_parser("export", help="write a plan as GeoJSON (for QGIS) or CSV")
    p.add_argument("plan", type=Path, help="plan or centres file")
    p.add_argument("--out", type=Path, required=True, help="FILE.geojson or FILE.csv")
    p.add_argument("--outlines", action="store_true", help="add federation outlines (GeoJSON)")
    p.add_argument("--boundaries", type=Path,
                   help="the land outlines are cut to (default: England's districts)")
    p.set_defaults(func=_cmd_export)

    p = sub.add_parser("validate", help="check a plan against its constraints (exit 1 if broken)")
    p.add_argument("plan", type=Path, help="plan file (its saved constraints are the defaults)")
    p.add_argument("--federations", type=int, metavar="K", help="number of federations")
    p.add_argument("--min-size", type=int, help="fewest centres per federation")
    p.add_argument("--max-size", type=int, help="most centres per federation")
    p.add_argument("--weight", metavar="COL", help="weight column for --weight-tolerance")
    p.add_argument("--weight-tolerance", type=float, metavar="FRACTION",
                   help="allowed weight deviation from the mean, e.g. 0.1 for 10%%")
    p.add_argument("--max-radius-km", type=float, help="longest distance from a centre to its hub")
    p.add_argument("--max-link-km", type=float, help="longest neighbourhood link")
    p.add_argument("--no-contiguity", action="store_true", help="allow federations in pieces")
    p.add_argument("--boundaries", type=Path, help="polygon layer federations must stay within")
    p.add_argument("--boundary-field", default="lad_name", help="label field of --boundaries")
    p.set_defaults(func=_cmd_validate)

    for module in COMMAND_MODULES:
        module.add_parser(sub)
    for name in ("stats", "export", "validate", "plan"):
        if name in sub.choices:
            add_area_option(sub.choices[name])
    return parser, sub.choices


def opens_window(argv: list[str]) -> bool:
    """True when ``argv`` asks for the desktop application: nothing, or a file and no command."""
    return not argv or (argv[0] not in _parser_and_commands()[1] and not argv[0].startswith("-"))


def main(argv: list[str] | None = None) -> int:
    """Run a headless ``planner`` sub-command with ``argv`` (default: ``sys.argv[1:]``); return
    the exit code. Without a sub-command it prints the usage and returns 2 (the ``planner``
    console script opens the window instead: :mod:`planner.launcher`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser, _ = _parser_and_commands()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # usage errors (2), --help and --version (0)
        return int(exc.code or 0)
    if getattr(args, "func", None) is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"planner: {exc}", file=sys.stderr)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"planner: {where}{exc.strerror or exc}", file=sys.stderr)
    return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
