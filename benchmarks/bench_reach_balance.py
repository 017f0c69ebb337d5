"""Balanced on two reach figures at once: children (±10%) and deprived children (±20%).

    python benchmarks/bench_reach_balance.py [--seed 0] [--repeats 3] [--no-write]

On the five ~100-centre areas (K=5, the default size bounds), each centre's reach is worked out
as the window does for a file with no figures of its own (``planner.cli_reach.with_reach``:
England's districts near the centres, the land of those holding a centre, nearest-centre small
areas), giving the columns ``children_0_15_reach`` and ``deprived_children_reach``. Then:

- *ours, both*: ``Constraints(federations=5, balance=(Balance('children_0_15_reach', 0.10),
  Balance('deprived_children_reach', 0.20)))``;
- *ours, none*: the same without the balance rules (the cost every ratio divides by);
- the references, which take no weights: k-means-constrained (run here when installed, else the
  plan of the last engine benchmark, ``results.json``), spopt SKATER and Region-KMeans (the plans
  of the last engine benchmark run, checked to be for the same centres), networkx asyn_fluidc.

Every plan is scored here, from its labels alone: cost as ``bench_engine.score``, sizes,
contiguity on our neighbourhood graph, and each figure's deviation from the mean federation.
"All rules" = all assigned, K federations, sizes in bounds, contiguous, children within ±10% and
deprived children within ±20%. Writes the section below at the end of ``RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import references as ref  # noqa: E402
from areas import SMALL_AREAS, load_area  # noqa: E402
from bench_engine import _ids_digest, _revision, score  # noqa: E402
from measure import best_of, replace_section  # noqa: E402

SECTION = "## Balanced on two reach figures: children ±10% and deprived children ±20%"
FIGURES = (("children_0_15_reach", 0.10), ("deprived_children_reach", 0.20))
LABELS = {
    "ours_both": "ours, both balanced",
    "ours_none": "ours, no balance",
    "kmeans_constrained": "k-means-constrained",
    "skater": "spopt SKATER (floor=min)",
    "region_kmeans": "spopt Region-KMeans",
    "fluidc": "networkx asyn_fluidc",
}


def balanced_bound(dist: np.ndarray, k: int, lo: int, hi: int, figures, time_limit: float):
    """Lower bound (km) on the cost of any plan with K federations of lo..hi centres keeping
    every ``(weights, tolerance)`` balance, contiguous or not: the capacitated p-median with the
    balance rows, solved by HiGHS (``scipy.optimize.milp``) for up to ``time_limit`` s; its dual
    bound is valid even when the time runs out. A hub serves itself, as in the planner, and our
    cost (distances to the medoid) is the least over hubs, so the bound holds for it."""
    from scipy import sparse
    from scipy.optimize import LinearConstraint, milp

    n = len(dist)
    nx_ = n * n
    i_of, j_of = np.divmod(np.arange(nx_), n)
    y = nx_ + np.arange(n)
    blocks = []  # (rows, cols, vals, lower, upper) per constraint family
    ones = np.ones(nx_)
    blocks.append((i_of, np.arange(nx_), ones, np.ones(n), np.ones(n)))  # each centre once
    blocks.append((np.r_[np.arange(nx_), np.arange(nx_)], np.r_[np.arange(nx_), nx_ + j_of],
                   np.r_[ones, -ones], np.full(nx_, -np.inf), np.zeros(nx_)))  # x_ij <= y_j
    diag = np.arange(n) * (n + 1)
    blocks.append((np.r_[np.arange(n), np.arange(n)], np.r_[diag, y],
                   np.r_[np.ones(n), -np.ones(n)], np.zeros(n), np.zeros(n)))  # hub in its own
    for per_centre, lower, upper in [(np.ones(n), lo, hi)] + [
            (w, (1 - t) * w.sum() / k, (1 + t) * w.sum() / k) for w, t in figures]:
        vals = per_centre[i_of]
        for bound, sign in ((lower, 1), (upper, -1)):  # sign * (sum_i w_i x_ij - b y_j) >= 0
            blocks.append((np.r_[j_of, np.arange(n)], np.r_[np.arange(nx_), y],
                           sign * np.r_[vals, np.full(n, -bound)], np.zeros(n),
                           np.full(n, np.inf)))
    blocks.append((np.zeros(n, dtype=int), y, np.ones(n), [float(k)], [float(k)]))
    rows, cols, vals, lbs, ubs, offset = [], [], [], [], [], 0
    for r, c, v, lb, ub in blocks:
        rows.append(np.asarray(r) + offset)
        cols.append(c)
        vals.append(v)
        lbs.append(lb)
        ubs.append(ub)
        offset += len(lb)
    a = sparse.csr_array((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                         shape=(offset, nx_ + n))
    cost = np.r_[np.asarray(dist, dtype=float).ravel(), np.zeros(n)]
    t0 = time.perf_counter()
    res = milp(cost, integrality=np.ones(nx_ + n), bounds=(0, 1),
               constraints=LinearConstraint(a, np.concatenate(lbs), np.concatenate(ubs)),
               options={"time_limit": time_limit, "disp": False, "mip_rel_gap": 1e-4})
    bound = getattr(res, "mip_dual_bound", None)
    return {"bound_km": None if bound is None else float(bound) / 1000.0,
            "primal_km": None if res.x is None else float(res.fun) / 1000.0,
            "status": str(res.message), "seconds": time.perf_counter() - t0}


def _stored(previous: dict, key: str, centres) -> dict:
    area = next((a for a in previous.get("areas", []) if a["key"] == key), None)
    if area is None or area.get("digest") != _ids_digest(centres):
        return {}
    return {m: np.asarray(r["labels"], dtype=int) for m, r in area["rows"].items()
            if r.get("status") == "ok" and r.get("labels") is not None}


def _deviations(labels, weights, k) -> tuple[float, float]:
    mean = float(weights.sum()) / k
    keys = np.unique(labels[labels >= 0])
    dev = [float(weights[labels == c].sum()) / mean - 1.0 for c in keys]
    return min(dev), max(dev)


def run_area(key: str, opts, previous: dict) -> dict:
    from planner.cli_reach import with_reach
    from planner.clustering.federate import federate_now
    from planner.clustering.graph import neighbourhood_graph
    from planner.domain.constraints import Balance, Constraints, size_bounds

    centres, area = load_area(key)
    stored = _stored(previous, key, centres)
    centres, _, reach = with_reach(centres, None)
    n, k = len(centres), area.k
    lo, hi = size_bounds(n, k, Constraints(federations=k))
    xy = np.asarray(centres.xy)
    dist = ref.distance_matrix(xy)
    graph = neighbourhood_graph(centres)
    adjacency = [[int(v) for v in graph[u]] for u in range(n)]
    both = Constraints(federations=k, balance=tuple(Balance(c, t) for c, t in FIGURES))

    def ours(constraints):
        return lambda: np.asarray(
            federate_now(centres, constraints, seed=opts.seed).plan.assignment, dtype=int)

    runs = {"ours_both": (ours(both), "run"), "ours_none": (ours(Constraints(federations=k)),
                                                             "run")}
    try:
        import k_means_constrained  # noqa: F401

        runs["kmeans_constrained"] = (lambda: ref.kmeans_constrained(
            xy, k, lo, hi, seed=opts.seed, n_init=opts.n_init), "run")
    except ImportError:
        if "kmeans_constrained" in stored:
            runs["kmeans_constrained"] = (lambda: stored["kmeans_constrained"], "stored")
    for method in ("skater", "region_kmeans"):
        if method in stored:
            runs[method] = (lambda m=method: stored[m], "stored")
    runs["fluidc"] = (lambda: ref.fluid(graph, k, seed=opts.seed), "run")
    weights = {c: centres.numeric(c) for c, _ in FIGURES}
    print(f"== {area.title}: {n} centres, K={k}, sizes {lo}-{hi}, "
          f"{weights['children_0_15_reach'].sum():,.0f} children, "
          f"{weights['deprived_children_reach'].sum():,.0f} deprived", flush=True)
    rows = {}
    for method, (fn, source) in runs.items():
        labels, seconds = best_of(fn, opts.repeats if source == "run" else 1)
        s = score(labels, dist, adjacency, k, lo, hi)
        devs = {c: _deviations(labels, weights[c], k) for c, _ in FIGURES}
        kept = {c: max(-d[0], d[1]) <= t + 1e-9 for (c, t), d in
                zip(FIGURES, devs.values(), strict=True)}
        s.update(source=source, seconds=seconds if source == "run" else None, devs=devs,
                 kept=kept, valid=bool(s["in_bounds"] and s["noncontiguous"] == 0
                                       and all(kept.values())))
        rows[method] = s
        print(f"  {LABELS[method]:28s} {s['cost_km']:8.1f} km  children "
              f"{devs['children_0_15_reach'][0]:+.1%}..{devs['children_0_15_reach'][1]:+.1%}  "
              f"deprived {devs['deprived_children_reach'][0]:+.1%}.."
              f"{devs['deprived_children_reach'][1]:+.1%}  sizes {s['size_min']}-{s['size_max']}"
              f"  noncontig {s['noncontiguous']}  {'ALL RULES' if s['valid'] else ''}",
              flush=True)
    bound = None
    if opts.bound_time > 0:
        bound = balanced_bound(dist, k, lo, hi, [(weights[c], t) for c, t in FIGURES],
                               opts.bound_time)
        print(f"  lower bound with both balance rules (no contiguity): {bound}", flush=True)
    return {"key": key, "title": area.title, "n": n, "k": k, "lo": lo, "hi": hi,
            "served": int((reach.owner >= 0).sum()), "rows": rows, "bound": bound}


def _bound_text(a: dict) -> str:
    b = a.get("bound")
    if not b or b["bound_km"] is None:
        return ""
    base = a["rows"]["ours_none"]["cost_km"]
    ours = a["rows"]["ours_both"]["cost_km"]
    return (f" Lower bound for any plan keeping sizes and both balance rules (contiguous or "
            f"not): **{b['bound_km']:.1f} km**, {b['bound_km'] / base - 1:+.1%} against ours "
            f"without balance, so no plan can keep both rules for less; ours with both is "
            f"{ours / b['bound_km']:.4f}× that bound (HiGHS: {b['status'].split('.')[0]}, "
            f"{b['seconds']:.0f} s).")


def _dev(d) -> str:
    return f"{d[0]:+.1%} .. {d[1]:+.1%}"


def _row(method: str, r: dict, base: float) -> str:
    def mark(ok: bool) -> str:
        return "" if ok else " ✗"

    d, kept = r["devs"], r["kept"]
    children, deprived = FIGURES[0][0], FIGURES[1][0]
    contiguous = "yes" if r["noncontiguous"] == 0 else f"no ({r['noncontiguous']})"
    seconds = "" if r["seconds"] is None else f"{r['seconds']:.3f}"
    return (f"| {LABELS[method]} | {r['cost_km']:.1f} | {r['cost_km'] / base:.4f} | "
            f"{_dev(d[children])}{mark(kept[children])} | "
            f"{_dev(d[deprived])}{mark(kept[deprived])} | "
            f"{r['size_min']}–{r['size_max']}{mark(r['in_bounds'])} | {contiguous} | "
            f"{'yes' if r['valid'] else 'no'} | {r['source']} | {seconds} |")


def section(areas: list[dict], cmd: str, rev: str, seed: int) -> list[str]:
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [SECTION, "", "```", cmd, "```", "",
             f"Run {started}; commit {rev}; seed {seed}. How it is made and scored: the "
             "docstring of `benchmarks/bench_reach_balance.py`. *× no balance* divides the cost "
             "by that of ours without balance rules; *source* says whether the plan was made "
             "in this run or taken from the last engine benchmark (`results.json`; those "
             "references take no weights, so their plans do not change with them).", ""]
    for a in areas:
        lines += [f"**{a['title']}**: {a['n']} centres, sizes {a['lo']}–{a['hi']}, "
                  f"{a['served']:,} small areas served.{_bound_text(a)}", "",
                  "| method | cost (km) | × no balance | children vs mean | deprived vs mean "
                  "| sizes | contiguous | all rules | source | time (s) |",
                  "|---|---:|---:|---|---|---|---|---|---|---:|"]
        base = a["rows"]["ours_none"]["cost_km"]
        lines += [_row(method, r, base) for method, r in a["rows"].items()]
        lines.append("")
    lines.append(summary(areas))
    return lines


def summary(areas: list[dict]) -> str:
    ours = [a["rows"]["ours_both"] for a in areas]
    premium = [a["rows"]["ours_both"]["cost_km"] / a["rows"]["ours_none"]["cost_km"] - 1
               for a in areas]
    ok = sum(r["valid"] for r in ours)
    text = (f"**Summary (generated).** Ours balanced on both figures keeps every rule on {ok} of "
            f"{len(areas)} areas, at {min(premium):+.1%} to {max(premium):+.1%} in total "
            f"distance against ours without balance (target: all rules, ≤ +5%: "
            f"{'met' if ok == len(areas) and max(premium) <= 0.05 else 'MISSED'}). ")
    floors = [(a["title"], a["bound"]["bound_km"] / a["rows"]["ours_none"]["cost_km"] - 1)
              for a in areas if a.get("bound") and a["bound"]["bound_km"] is not None]
    if floors:
        text += ("The balanced lower bounds put the least possible premium at " + ", ".join(
            f"{t} {f:+.1%}" for t, f in floors) + " (against ours without balance): where that "
            "is above 5%, no plan, ours or any other, keeps both rules within +5%. ")
    refs = [m for m in LABELS if not m.startswith("ours")]
    parts = []
    for m in refs:
        have = [a["rows"][m] for a in areas if m in a["rows"]]
        if have:
            both = sum(r["valid"] for r in have)
            kids = sum(r["kept"]["children_0_15_reach"] for r in have)
            dep = sum(r["kept"]["deprived_children_reach"] for r in have)
            parts.append(f"{LABELS[m]} keeps all rules on {both} of {len(have)} (children ±10% "
                         f"on {kids}, deprived ±20% on {dep})")
    plain = [a["rows"]["ours_none"] for a in areas]
    text += "Of the references: " + "; ".join(parts) + ". "
    text += (f"Ours without balance keeps both figures on "
             f"{sum(all(r['kept'].values()) for r in plain)} of {len(plain)}: the balance comes "
             "from the rules, not from the geography.")
    return text


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--areas", default=",".join(SMALL_AREAS))
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--repeats", type=int, default=1)
    p.add_argument("--n-init", type=int, default=10, help="k-means-constrained restarts")
    p.add_argument("--bound-time", type=float, default=120.0,
                   help="seconds for the balanced p-median bound per area (0: skip it)")
    p.add_argument("--no-write", action="store_true")
    p.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    opts = p.parse_args(argv)
    results = HERE / "results.json"
    previous = json.loads(results.read_text()) if results.exists() else {}
    areas = [run_area(k.strip(), opts, previous) for k in opts.areas.split(",") if k.strip()]
    cmd = "python benchmarks/bench_reach_balance.py " + " ".join(argv)
    lines = section(areas, cmd.strip(), _revision(), opts.seed)
    print("\n".join(lines[-1:]))
    if not opts.no_write:
        replace_section(opts.out, SECTION, lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
