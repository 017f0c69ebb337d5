"""Hard rules on lines of centres: the shape of the 200,000-row hostile file, at several sizes.

    python benchmarks/bench_lines.py [--sizes 3000,20000,200000] [--repo DIR]

The layout is the shipped sample's 103 centres repeated, each copy 1e-6 degrees (11 cm) north
of the one before: a line of N/103 centres per site, as ``tests/hostile`` builds the
200,000-row file. A plan of K = N/20 federations of 18-22 exists (cut every line into runs);
``planner plan FILE -k K`` is run as a planner runs it (a fresh process; ``--repo`` puts another
checkout first on the path, to measure the code before a change), timed, with its peak memory
(``ru_maxrss`` of the child). When it writes a plan, the plan is checked here: each centre in
one federation, K federations, sizes counted by hand, each federation one piece by a
breadth-first search over the land graph (the graph the command plans on: the cells of
``planner.geo.land``; only the graph is taken from the planner).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLE = ROOT / "planner" / "resources" / "sample" / "kent_medway_centres.csv"


def write_lines(n: int, path: Path) -> None:
    with open(SAMPLE, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    lat = header.index("lat")
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for i in range(n):
            row = body[i % len(body)][:]
            if i > 0:  # as the hostile generator: new ids, the first row kept as it was
                row[0] = str(1_000_000 + i)
                row[lat] = f"{float(row[lat]) + (i // len(body)) * 1e-6:.7f}"
            out.writerow(row)


def run_plan(src: Path, k: int, out: Path, repo: Path | None) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(repo if repo is not None else ROOT)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "planner", "plan", str(src), "-k", str(k), "-q",
                           "--out", str(out)], capture_output=True, text=True, env=env,
                          cwd=src.parent)  # not the checkout's folder: `-m` puts the cwd first
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    lines = [ln for ln in done.stderr.splitlines() if not ln.startswith("warning:")]
    return {"exit": done.returncode, "wall_s": round(wall, 1),
            "peak_mb": round(max(peak, before) / 1024), "said": lines[:3]}


def check(src: Path, plan: Path, k: int) -> list[str]:
    from planner.clustering.graph import neighbourhood_graph
    from planner.geo.context import boundaries_for
    from planner.geo.io import read_centres
    from planner.geo.land import land_for

    centres = read_centres(src).centres
    graph = neighbourhood_graph(
        centres, links=land_for(centres, boundaries_for(centres)[0]).links())
    adj: list[list[int]] = [[] for _ in range(len(centres))]
    for a, b in graph.edges():
        adj[a].append(b)
        adj[b].append(a)
    fed_of = {f["properties"]["id"]: f["properties"]["federation"]
              for f in json.loads(plan.read_text())["features"]}
    members: dict[str, list[int]] = {}
    for r, cid in enumerate(centres.ids):
        if cid not in fed_of:
            return [f"centre {cid} in no federation"]
        members.setdefault(fed_of[cid], []).append(r)
    problems = [] if len(members) == k else [f"{len(members)} federations, not {k}"]
    sizes = sorted(len(m) for m in members.values())
    if sizes[0] < 18 or sizes[-1] > 22:
        problems.append(f"sizes {sizes[0]}-{sizes[-1]}")
    for name, rows in members.items():
        inside, seen, todo = set(rows), {rows[0]}, deque([rows[0]])
        while todo:
            for v in adj[todo.popleft()]:
                if v in inside and v not in seen:
                    seen.add(v)
                    todo.append(v)
        if len(seen) != len(rows):
            problems.append(f"{name} in pieces")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="3000,20000,200000")
    ap.add_argument("--repo", type=Path, help="checkout to run `planner plan` from")
    args = ap.parse_args(argv)
    print("| N | K | exit | wall s | peak MB | result |\n|---:|---:|---:|---:|---:|---|")
    for n in (int(x) for x in args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            src, out = Path(tmp) / f"lines_{n}.csv", Path(tmp) / "plan.geojson"
            write_lines(n, src)
            r = run_plan(src, n // 20, out, args.repo)
            if r["exit"] == 0:
                problems = check(src, out, n // 20)
                result = "all rules kept (checked here)" if not problems else "; ".join(problems)
            else:
                result = "refused: " + " / ".join(s.strip("- ") for s in r["said"][1:3])
            print(f"| {n:,} | {n // 20:,} | {r['exit']} | {r['wall_s']} | {r['peak_mb']:,} | "
                  f"{result} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
