"""Hard rules on "clustered towns" layouts: does every returned plan keep every rule?

    python benchmarks/bench_hard_rules.py [--n 3000] [--layouts 10]

Layouts: Gaussian towns of Pareto-distributed sizes over a 500 km square plus a uniform rural
quarter, British National Grid coordinates, K = N/20, sizes 15-25 (the family of issue 10). Each
plan the engine returns is checked by an independent checker written here (sizes, every centre
once, K federations, contiguity by BFS in the engine's graph, hub distance); a refusal
(``Infeasible``) is counted as such. Prints one line per layout.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import deque
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.clustering.explain import Infeasible  # noqa: E402
from planner.clustering.federate import federate_now  # noqa: E402
from planner.clustering.graph import neighbourhood_graph  # noqa: E402
from planner.domain.centres import Centres  # noqa: E402
from planner.domain.constraints import Constraints  # noqa: E402


def clustered_towns(n: int, seed: int) -> Centres:
    """Towns (Gaussian, Pareto sizes) over a 500 km square, a quarter of centres rural."""
    rng = np.random.default_rng(seed)
    n_rural = n // 4
    n_town = n - n_rural
    towns = max(1, n // 60)
    sizes = rng.pareto(1.2, towns) + 1.0
    counts = rng.multinomial(n_town, sizes / sizes.sum())
    origin = np.array([300_000.0, 100_000.0])
    pts = [rng.uniform(0, 500_000, (n_rural, 2))]
    for c, s in zip(counts, sizes, strict=True):
        centre = rng.uniform(20_000, 480_000, 2)
        spread = 1_500.0 * np.sqrt(s) + 1_000.0
        pts.append(centre + rng.normal(0, spread, (int(c), 2)))
    xy = np.vstack(pts) + origin
    ids = tuple(f"c{i}" for i in range(n))
    return Centres(ids, ids, xy, np.zeros_like(xy), attributes={})


def independent_check(centres: Centres, plan, graph, k: int, lo: int, hi: int) -> list[str]:
    out = []
    labels = plan.assignment
    if (labels < 0).any():
        out.append(f"{int((labels < 0).sum())} unassigned")
    keys = sorted(set(labels.tolist()) - {-1})
    if len(keys) != k:
        out.append(f"{len(keys)} federations, not {k}")
    adj = {u: set(graph.neighbors(u)) for u in graph.nodes}
    for key in keys:
        rows = np.flatnonzero(labels == key)
        if not lo <= len(rows) <= hi:
            out.append(f"size {len(rows)}")
        members = set(rows.tolist())
        start = next(iter(members))
        seen, todo = {start}, deque([start])
        while todo:
            u = todo.popleft()
            for v in adj[u]:
                if v in members and v not in seen:
                    seen.add(v)
                    todo.append(v)
        if len(seen) != len(members):
            out.append(f"federation {key} in pieces")
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--layouts", type=int, default=10)
    ap.add_argument("--first", type=int, default=0)
    args = ap.parse_args()
    for seed in range(args.first, args.first + args.layouts):
        centres = clustered_towns(args.n, seed)
        k = args.n // 20
        c = Constraints(federations=k, min_size=15, max_size=25)
        graph = neighbourhood_graph(centres)
        t0 = time.perf_counter()
        try:
            result = federate_now(centres, c, graph=graph, seed=0)
        except Infeasible as exc:
            print(f"layout {seed}: refused in {time.perf_counter() - t0:.1f} s: "
                  f"{exc.reasons[0][:120]}", flush=True)
            continue
        dt = time.perf_counter() - t0
        broken = independent_check(centres, result.plan, graph, k, 15, 25)
        status = "all rules kept" if not broken else f"BROKEN: {len(broken)}: {broken[:4]}"
        print(f"layout {seed}: {dt:.1f} s, cost {result.cost / 1000:,.0f} km, {status}",
              flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
