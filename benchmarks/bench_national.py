"""Every authority of England in one run: ``planner plan --per-authority`` on the 2026 file.

    python benchmarks/bench_national.py [--jobs 2] [--bound-iterations 600] [--no-bound]

1. Runs the command a planner would type, in a subprocess, timed end to end (reading, planning
   152 authorities on ``--jobs`` processes, writing the plan and the summary)::

       planner plan childrens_centres_england_2026-08-21.csv --per-authority dfe_la_name
           --target-size 20 --links childrens_centre_links_2026-08-21.csv --jobs 2 --out PLAN

2. Checks the written plan against every rule from scratch, here (not with the planner's
   ``check``): each centre in one federation; each federation inside one authority; per
   authority the number of federations and their sizes (mean +- max(2, 10%) for the K used, or
   one federation of all when fewer centres than 18); each federation one piece of its
   authority's land: the union of its centres' cells on the land of the districts holding the
   authority's centres (``planner.geo.land.land_for``, England's districts as the command uses
   them) is one polygon on every land part it touches (counted with shapely, no graph); every
   group of linked centres (union of the links file, worked out here) inside one federation
   within each authority.
3. Times the planning alone in this process: ``--jobs 1`` (the "script around 152 runs") and
   ``--jobs N``, and compares the two plans (they must be equal).
4. Reference: per authority, a lower bound on its cost with the same K and sizes but without
   contiguity (the exact medoid for one federation; the Lagrangian p-median bound of
   ``references.pmedian_lagrangian_bound`` otherwise): the plan's cost over the sum of bounds.

Prints a markdown section for ``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
from areas import NATIONAL_2026, data_root  # noqa: E402

from planner.domain.centres import Centres  # noqa: E402

LINKS_2026 = "childrens_centres/childrens_centre_links_2026-08-21.csv"
FIELD, TARGET, MINIMUM = "dfe_la_name", 20, 18  # 18: the default minimum around 20 (20 - 2)
TIME_TARGET_S = 30.0


def run_cli(centres: Path, links: Path, out: Path, jobs: int) -> tuple[float, float, int, str]:
    """(wall s, CPU s of the command and its worker processes, exit code, stderr)."""
    cmd = [sys.executable, "-m", "planner", "plan", str(centres), "--per-authority", FIELD,
           "--target-size", str(TARGET), "--links", str(links), "--jobs", str(jobs), "-q",
           "--out", str(out)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu, proc.returncode, proc.stderr


def link_groups(path: Path, ids: set[str]) -> list[set[str]]:
    """Connected groups of the links file (union-find here), restricted to ``ids``."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    with open(path, newline="", encoding="utf-8-sig") as fh:
        for row in csv.DictReader(fh):
            a, b = row["urn"].strip(), row["link_urn"].strip()
            if a and b:
                parent[find(a)] = find(b)
    groups: dict[str, set[str]] = defaultdict(set)
    for x in list(parent):
        if x in ids:
            groups[find(x)].add(x)
    return [g for g in groups.values() if len(g) > 1]


def sub_centres(c: Centres, rows: list[int]) -> Centres:
    return Centres([c.ids[i] for i in rows], [c.names[i] for i in rows], c.xy[rows],
                   c.lonlat[rows], c.crs)


def districts(c: Centres):
    """The boundary layer the command plans on without --boundaries (England's districts)."""
    from planner.geo.context import boundaries_for

    return boundaries_for(c)[0]


def pieces(plan, rows: list[int], keys: list[int], layer) -> list[str]:
    """Federations of one authority drawn in more than one polygon on a part of its land: the
    union of the members' cells (cut to the authority's land), counted with shapely."""
    from planner.geo.land import land_for

    c = plan.centres
    cells = land_for(sub_centres(c, rows), layer)
    parts = shapely.get_parts(cells.land)
    local = {r: j for j, r in enumerate(rows)}
    bad = []
    for key in keys:
        outline = shapely.union_all(cells.cells[[local[i] for i in plan.members(key)]])
        for part in parts:
            on_part = [p for p in shapely.get_parts(shapely.intersection(outline, part))
                       if p.geom_type == "Polygon" and p.area > 1.0]
            if len(on_part) > 1:
                bad.append(f"{plan.federations[key].name} is in {len(on_part)} pieces")
                break
    return bad


def check_plan(plan, links: Path) -> tuple[list[str], dict]:
    """Every rule, checked here from scratch; (problems, per-authority figures)."""
    c = plan.centres
    layer = districts(c)
    la = [str(v) for v in c.attributes[FIELD]]
    problems: list[str] = []
    unassigned = int((plan.assignment < 0).sum())
    if unassigned:
        problems.append(f"{unassigned} centres unassigned")
    rows_of: dict[str, list[int]] = defaultdict(list)
    for i, a in enumerate(la):
        rows_of[a].append(i)
    feds_of: dict[str, list[int]] = defaultdict(list)
    for key in plan.federations:
        members = plan.members(key)
        names = {la[i] for i in members}
        if len(names) != 1:
            problems.append(f"{plan.federations[key].name} spans {sorted(names)}")
            continue
        feds_of[names.pop()].append(key)
    figures = {}
    for a, rows in rows_of.items():
        n, keys = len(rows), feds_of.get(a, [])
        sizes = sorted((len(plan.members(k)) for k in keys), reverse=True)
        k = len(keys)
        if n < MINIMUM:
            lo = hi = n
            ok_k = k == 1
        else:
            mean = n / max(1, k)
            slack = max(2.0, 0.1 * mean)
            lo, hi = math.floor(mean - slack), math.ceil(mean + slack)
            ok_k = abs(k - round(n / TARGET)) <= 1 and k >= 1
        if not ok_k or sum(sizes) != n or not all(lo <= s <= hi for s in sizes):
            problems.append(f"{a}: {n} centres in {k} federations of {sizes}, rule {lo}-{hi}")
        problems += pieces(plan, rows, keys, layer)
        figures[a] = (n, k, sizes, lo, hi)
    for group in link_groups(links, set(c.ids)):
        by_la: dict[str, set[int]] = defaultdict(set)
        for cid in group:
            i = c.index_of(cid)
            by_la[la[i]].add(int(plan.assignment[i]))
        for a, feds in by_la.items():
            if len(feds) > 1:
                problems.append(f"linked centres {sorted(group)} split in {a}")
    return problems, figures


def plan_cost(plan) -> float:
    """Sum of the distances from the centres to their hubs, here."""
    c = plan.centres
    return sum(float(np.linalg.norm(c.xy[plan.members(k)] - c.xy[c.index_of(f.hub)],
                                    axis=1).sum()) for k, f in plan.federations.items())


def lower_bounds(plan, figures, iterations: int) -> tuple[float, float, int]:
    """(sum of per-authority bounds, our cost, authorities bounded by the Lagrangian)."""
    from references import pmedian_lagrangian_bound

    c = plan.centres
    la = [str(v) for v in c.attributes[FIELD]]
    total_bound = total_cost = 0.0
    lagrangian = 0
    for a, (_n, k, _sizes, lo, hi) in figures.items():
        rows = [i for i, x in enumerate(la) if x == a]
        xy = c.xy[rows]
        cost = 0.0
        for key in {int(plan.assignment[i]) for i in rows}:
            hub = c.xy[c.index_of(plan.federations[key].hub)]
            cost += float(np.linalg.norm(c.xy[plan.members(key)] - hub, axis=1).sum())
        total_cost += cost
        if k == 1:
            d = np.linalg.norm(xy[:, None, :] - xy[None, :, :], axis=2)
            total_bound += float(d.sum(axis=1).min())  # the medoid: exact
        else:
            bound = pmedian_lagrangian_bound(xy, k, lo, hi, upper=cost, iterations=iterations)
            total_bound += float(bound["bound"])
            lagrangian += 1
    return total_bound, total_cost, lagrangian


def in_process(centres_path: Path, links: Path, jobs: int, on_land: bool = True):
    from planner.clustering.national import labels_from_column, plan_authorities
    from planner.domain.constraints import Constraints
    from planner.geo.io import read_centres
    from planner.geo.land import land_for
    from planner.geo.links import read_links

    c = read_centres(centres_path).centres
    groups, _ = read_links(links, set(c.ids))
    start = time.perf_counter()  # the lands are part of the planning (the command's layer)
    layer = districts(c)
    gen = plan_authorities(c, Constraints(target_size=TARGET, must_link=groups),
                           authority_of=labels_from_column(c, FIELD), jobs=jobs,
                           land=(lambda sub: land_for(sub, layer).links()) if on_land else None)
    while True:
        try:
            next(gen)
        except StopIteration as stop:
            return time.perf_counter() - start, stop.value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--bound-iterations", type=int, default=600)
    parser.add_argument("--no-bound", action="store_true")
    args = parser.parse_args()
    from planner.geo.planfile import load_plan

    root = data_root()
    centres_path, links = root / NATIONAL_2026, root / LINKS_2026
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "national.geojson"
        wall, cpu, code, err = run_cli(centres_path, links, out, args.jobs)
        if code != 0:
            print(err, file=sys.stderr)
            return 1
        plan = load_plan(out).plan
        with open(Path(tmp) / "national_authorities.csv", newline="", encoding="utf-8") as fh:
            summary = list(csv.DictReader(fh))
    problems, figures = check_plan(plan, links)
    serial_s, serial = in_process(centres_path, links, 1)
    parallel_s, parallel = in_process(centres_path, links, args.jobs)
    same = serial.plan.state() == parallel.plan.state() == plan.state()
    report(args, (wall, cpu), plan, summary, problems, figures, serial_s, parallel_s, same)
    old_s, old = in_process(centres_path, links, args.jobs, on_land=False)
    old_problems, _ = check_plan(old.plan, links)
    print(f"- Reference, each authority on the Delaunay graph of its points (the previous "
          f"graph, same run): {old_s:.1f} s, cost {old.cost / 1000:,.1f} km "
          f"(land / Delaunay {plan_cost(plan) / old.cost:.4f}); the same check finds "
          f"{len(old_problems)} problems: " + "; ".join(old_problems[:6]) + ".")
    if not args.no_bound:
        bound, cost, lagr = lower_bounds(plan, figures, args.bound_iterations)
        print(f"- Cost {cost / 1000:,.1f} km against a lower bound of {bound / 1000:,.1f} km "
              f"(same K and sizes per authority, no contiguity; {len(figures) - lagr} exact "
              f"medoids, {lagr} Lagrangian bounds of {args.bound_iterations} iterations): "
              f"**{cost / bound:.4f}x** the bound.")
    return 0 if not problems and wall < TIME_TARGET_S else 1


def report(args, times, plan, summary, problems, figures, serial_s, parallel_s, same) -> None:
    wall, cpu = times
    status = defaultdict(int)
    for row in summary:
        status[row["status"]] += 1
    multi = [f for f in figures.values() if f[1] > 1]
    print(f"### Run of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
          f"{len(plan.centres)} centres, {len(figures)} authorities, --jobs {args.jobs}\n")
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores "
          "(shared with other work: timings are noisy).\n")
    print(f"- `planner plan --per-authority {FIELD} --target-size {TARGET} --links ...` end to "
          f"end: **{wall:.1f} s** (target < {TIME_TARGET_S:.0f} s: "
          f"{'met' if wall < TIME_TARGET_S else 'NOT met'}); CPU {cpu:.1f} s in the command "
          "and its worker processes.")
    print(f"- {len(plan.federations)} federations; authorities: {status['planned']} planned, "
          f"{status['one federation']} one federation (fewer than {MINIMUM} centres), "
          f"{status['refused']} refused; {len(multi)} authorities with several federations.")
    print(f"- Independent check (sizes, one authority per federation, one polygon per land "
          f"part of each authority's land (cells, shapely), linked groups): "
          f"**{len(problems)} problems**"
          + ("" if not problems else ": " + "; ".join(problems[:5])) + ".")
    print(f"- Planning alone (in process): --jobs 1 {serial_s:.1f} s, --jobs {args.jobs} "
          f"{parallel_s:.1f} s (x{serial_s / parallel_s:.2f}); plans identical: {same}.")


if __name__ == "__main__":
    raise SystemExit(main())
