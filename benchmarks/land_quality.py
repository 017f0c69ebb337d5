"""Cost, time and memory of the engine on the land graph, against the same engine on the
Delaunay graph (the old neighbours) and the cached lower bounds (``bounds.json``).

    python benchmarks/land_quality.py [--areas kent,lancashire,...,england] [--seeds 0]
    python benchmarks/land_quality.py --speed      # England's land graph vs Delaunay, 5 repeats

Each (area, graph) runs in its own subprocess (peak RSS = its own ``VmHWM``). *graph s* is the
time to read England's districts, take the study area, cut the cells and build the graph; *engine
s* is ``federate`` alone; *cost* is the sum over federations of the distances to the best hub (the
medoid), as bench_engine scores it; *x bound* divides by the larger of the MIP dual bound and the
Lagrangian bound (no contiguity); *pieces* counts federations in more than one piece of the land
graph.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

AREAS5 = ("kent", "lancashire", "hertfordshire", "hampshire", "leeds_bradford")


def _vmhwm_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


def _bound(area: str) -> float:
    data = json.loads((HERE / "bounds.json").read_text())[area]["bounds"]
    values = [data.get("lagrangian", {}).get("extra", {}).get("bound")]
    values.append(data.get("mip", {}).get("extra", {}).get("dual_bound"))
    return max(v for v in values if v is not None)


def _medoid_cost(xy: np.ndarray, labels: np.ndarray) -> float:
    total = 0.0
    for key in np.unique(labels):
        pts = xy[labels == key]
        d = np.sqrt(((pts[:, None, :] - pts[None, :, :]) ** 2).sum(-1))
        total += float(d.sum(1).min())
    return total


def one(area: str, graph_kind: str, seed: int) -> dict:
    from areas import load_area

    from planner.clustering.federate import federate_now
    from planner.clustering.graph import adjacency, neighbourhood_graph
    from planner.domain.constraints import Constraints
    from planner.domain.pieces import pieces
    from planner.geo.land import land_for
    from planner.geo.layers import read_boundaries
    from planner.resources import ENGLAND_DISTRICTS, where

    centres, meta = load_area(area)
    t0 = time.perf_counter()
    layer = read_boundaries(where(ENGLAND_DISTRICTS), centres.crs)
    land = land_for(centres, layer)
    land_graph = neighbourhood_graph(centres, links=land.links())
    t_graph = time.perf_counter() - t0
    graph = land_graph if graph_kind == "land" else None  # None: the engine's own Delaunay
    t1 = time.perf_counter()
    result = federate_now(centres, Constraints(federations=meta.k), graph=graph, seed=seed)
    t_engine = time.perf_counter() - t1
    labels = np.asarray(result.plan.assignment)
    nb = adjacency(land_graph, len(centres))
    split = sum(1 for k in np.unique(labels)
                if len(pieces(np.flatnonzero(labels == k).tolist(), nb)) > 1)
    cost = _medoid_cost(np.asarray(centres.xy), labels)
    return {"area": area, "graph": graph_kind, "seed": seed, "n": len(centres), "k": meta.k,
            "graph_s": round(t_graph, 3), "engine_s": round(t_engine, 3),
            "total_s": round(t_graph + t_engine, 3) if graph_kind == "land" else round(t_engine, 3),
            "cost_km": round(cost / 1000, 1), "x_bound": round(cost / _bound(area), 4),
            "pieces": split, "crossings": int(land.crossing.sum()),
            "peak_rss_mb": round(_vmhwm_mb(), 1)}


def speed(repeats: int = 5) -> str:
    """Time England's land graph (read districts, study area, cells, graph) against Delaunay."""
    from areas import load_area

    from planner.clustering.graph import neighbourhood_graph
    from planner.geo.land import land_for
    from planner.geo.layers import read_boundaries
    from planner.resources import ENGLAND_DISTRICTS, where

    centres, _ = load_area("england")
    land_s, delaunay_s = [], []
    for _ in range(repeats):
        t0 = time.perf_counter()
        layer = read_boundaries(where(ENGLAND_DISTRICTS), centres.crs)
        neighbourhood_graph(centres, links=land_for(centres, layer).links())
        t1 = time.perf_counter()
        neighbourhood_graph(centres)
        land_s.append(t1 - t0)
        delaunay_s.append(time.perf_counter() - t1)
    return (f"England ({len(centres)} centres): land graph best {min(land_s):.3f} s, median "
            f"{sorted(land_s)[repeats // 2]:.3f} s; Delaunay graph best {min(delaunay_s):.3f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--areas", default=",".join(AREAS5 + ("england",)))
    ap.add_argument("--seeds", default="0")
    ap.add_argument("--one", nargs=3, metavar=("AREA", "GRAPH", "SEED"))
    ap.add_argument("--speed", action="store_true")
    args = ap.parse_args(argv)
    if args.speed:
        print(speed())
        return 0
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], int(args.one[2]))))
        return 0
    print("| area | graph | seed | graph s | engine s | total s | cost km | x bound | "
          "pieces on land | crossings | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for area in args.areas.split(","):
        for seed in map(int, args.seeds.split(",")):
            for kind in ("land", "delaunay"):
                out = subprocess.run([sys.executable, __file__, "--one", area, kind, str(seed)],
                                     capture_output=True, text=True, check=False)
                if out.returncode:
                    print(f"| {area} | {kind} | {seed} | failed: {out.stderr[-300:]!r} |")
                    continue
                r = json.loads(out.stdout.strip().splitlines()[-1])
                print(f"| {area} | {kind} | {seed} | {r['graph_s'] if kind == 'land' else ''} | "
                      f"{r['engine_s']} | {r['total_s']} | {r['cost_km']} | {r['x_bound']} | "
                      f"{r['pieces']} | {r['crossings']} | {r['peak_rss_mb']} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
