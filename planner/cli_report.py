"""``planner diff``, ``planner log`` and ``planner report``: options, changes and the pack.

- ``planner diff A B [--option-a NAME] [--option-b NAME] [--out moves.csv]``: federations matched
  by the centres they share, their figures side by side, and every centre in a different
  federation.
- ``planner log PLAN [--option NAME] [--out log.csv]``: the change log (CSV; stdout without --out).
- ``planner report PLAN [--option NAME] [--compare NAME|FILE] [--boundaries LAYER] --out pack.pdf``:
  the consultation pack. Drawing needs Qt, which starts offscreen inside :func:`_cmd_report`
  only (``planner.ui.report``: this module stays importable without Qt; the import-linter
  contract names that one import as its only exception).

Exit codes as everywhere: 0 done, 2 a file or name that cannot be used (message on stderr).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from planner.domain.changelog import CSV_FIELDS
from planner.domain.compare import Comparison, compare
from planner.domain.options import Option, PlanBook
from planner.geo.errors import InputError

__all__ = ["add_parser"]


def _open(path: Path) -> PlanBook:
    from planner.geo.planbook import load_book

    book, result = load_book(path)
    for w in result.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return book


def _option(book: PlanBook, path: Path, name: str | None) -> Option:
    try:
        return book.option(name)
    except KeyError:
        raise InputError(f"{path}: no option {name!r}; options are: "
                         f"{', '.join(book.names())}") from None


# -- diff --------------------------------------------------------------------------------------
def _print_comparison(cmp: Comparison, name_a: str, name_b: str) -> None:
    print(f"{'federation in ' + name_a:<30} {'centres':>7}   {'federation in ' + name_b:<30} "
          f"{'centres':>7} {'shared':>6}")
    for p in cmp.pairs:
        print(f"{(p.name_a or '(none)')[:30]:<30} {p.count_a:>7}   "
              f"{(p.name_b or '(none)')[:30]:<30} {p.count_b:>7} {p.shared:>6}")
    n = len(cmp.a.centres)
    print(f"\n{len(cmp.moves)} of {n} centres are in a different federation")
    if cmp.moves:
        print(f"{'centre':<12} {'name':<40} {name_a[:22]:<22} {name_b[:22]:<22}")
        for m in cmp.moves:
            print(f"{m.centre:<12} {m.name[:40]:<40} {(m.fed_a or '(none)')[:22]:<22} "
                  f"{(m.fed_b or '(none)')[:22]:<22}")


def _cmd_diff(args: argparse.Namespace) -> int:
    from planner.geo.planbook import write_moves_csv

    book_a = _open(args.a)
    book_b = book_a if args.b == args.a else _open(args.b)
    opt_a = _option(book_a, args.a, args.option_a)
    opt_b = _option(book_b, args.b, args.option_b)
    try:
        cmp = compare(opt_a.plan, opt_b.plan)
    except ValueError as exc:
        raise InputError(f"{args.a} and {args.b}: {exc}") from None
    label_a = f"{args.a.name}:{opt_a.name}" if len(book_a) > 1 else args.a.name
    label_b = f"{args.b.name}:{opt_b.name}" if len(book_b) > 1 else args.b.name
    _print_comparison(cmp, label_a, label_b)
    if args.out is not None:
        write_moves_csv(cmp, args.out)
        print(f"wrote {len(cmp.moves)} moves to {args.out}")
    return 0


# -- log ---------------------------------------------------------------------------------------
def _cmd_log(args: argparse.Namespace) -> int:
    from planner.geo.planbook import write_log_csv

    option = _option(_open(args.plan), args.plan, args.option)
    if args.out is None:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(CSV_FIELDS))
        writer.writeheader()
        for entry in option.log:
            writer.writerow(entry.csv_row())
        return 0
    write_log_csv(option.log, args.out)
    print(f"wrote {len(option.log)} change(s) of {option.name!r} to {args.out}")
    return 0


# -- report ------------------------------------------------------------------------------------
def _other(book: PlanBook, path: Path, name: str | None) -> tuple[Option | None, str]:
    if name is None:
        return None, ""
    if name in book.names():
        return book.option(name), name
    candidate = Path(name)
    if candidate.is_file():
        other = _open(candidate)
        return other.current_option, f"{candidate.name} ({other.current_option.name})"
    raise InputError(f"{path}: --compare {name!r} is neither an option (options are: "
                     f"{', '.join(book.names())}) nor a plan file")


def _boundaries(plan, path: Path | None):
    from planner.geo.context import boundaries_for

    if path is None:
        return boundaries_for(plan.centres)[0]
    from planner.geo.layers import read_boundaries

    return read_boundaries(path, plan.centres.crs)


def _cmd_report(args: argparse.Namespace) -> int:
    if args.out.suffix.lower() != ".pdf":
        raise InputError(f"{args.out}: the pack is a PDF; name it .pdf")
    book = _open(args.plan)
    option = _option(book, args.plan, args.option)
    other, other_name = _other(book, args.plan, args.compare)
    if other is not None and other.plan.centres.ids != option.plan.centres.ids and (
            set(other.plan.centres.ids) != set(option.plan.centres.ids)):
        raise InputError(f"{args.compare}: the plan to compare holds different centres")
    boundaries = _boundaries(option.plan, args.boundaries)
    # Qt starts here, offscreen, and only for this command (the one import of planner.ui).
    import planner.ui.report as report

    report.ensure_gui()
    content = report.build_content(
        option.plan, option=option.name, constraints=option.constraints, log=option.log,
        boundaries=boundaries, other=None if other is None else other.plan,
        other_name=other_name,
    )

    def progress(fraction: float, message: str) -> None:
        if args.verbose:
            print(f"{fraction:4.0%} {message}", file=sys.stderr)

    pages = report.write_pack(content, args.out, progress)
    print(f"wrote {pages} pages ({len(content.federations)} federations) to {args.out}")
    return 0


def add_parser(sub) -> None:
    """Register ``diff``, ``log`` and ``report`` on the ``planner`` sub-command parser."""
    p = sub.add_parser("diff", help="compare two plans (or two options): the centres that moved")
    p.add_argument("a", type=Path, help="first plan file")
    p.add_argument("b", type=Path, help="second plan file (may be the same file)")
    p.add_argument("--option-a", metavar="NAME", help="option of the first file (default: current)")
    p.add_argument("--option-b", metavar="NAME", help="option of the second file")
    p.add_argument("--out", type=Path, help="write the moves as CSV")
    p.set_defaults(func=_cmd_diff)

    p = sub.add_parser("log", help="the change log of an option (when, who, what, why) as CSV")
    p.add_argument("plan", type=Path, help="plan file")
    p.add_argument("--option", metavar="NAME", help="option (default: the current one)")
    p.add_argument("--out", type=Path, help="CSV file (default: print)")
    p.set_defaults(func=_cmd_log)

    p = sub.add_parser("report", help="the consultation pack (A4 PDF) of an option")
    p.add_argument("plan", type=Path, help="plan file")
    p.add_argument("--option", metavar="NAME", help="option (default: the current one)")
    p.add_argument("--compare", metavar="NAME", help="another option, or a plan file, to compare")
    p.add_argument("--boundaries", type=Path, help="district layer to draw (default: England's)")
    p.add_argument("--out", type=Path, required=True, help="pack.pdf")
    p.add_argument("--verbose", action="store_true", help="print progress")
    p.set_defaults(func=_cmd_report)
