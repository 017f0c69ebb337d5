"""Benchmark the federation engine against reference algorithms and a lower bound.

Run from the repository root with the benchmark venv (see benchmarks/README.md)::

    benchmarks/.venv/bin/python benchmarks/bench_engine.py            # every area
    benchmarks/.venv/bin/python benchmarks/bench_engine.py --quick    # Kent + Medway only
    benchmarks/.venv/bin/python benchmarks/bench_engine.py --areas kent,hampshire

Every method runs in its own subprocess (a fresh interpreter): its wall time is measured around
the algorithm call only (best of ``--repeats``), its peak memory is the subprocess's own peak
resident set size (``VmHWM``, see :func:`_maxrss_mb`; it includes the interpreter, the imports
and the data, about the same for every method; the rise above the level just before the
algorithm ran is given too). Every plan is then scored the same way by this parent process: our
objective (each federation's best hub = its medoid, sum of straight-line distances to it), sizes,
contiguity in our neighbourhood graph, the largest distance to a hub.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import resource
import shlex
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from areas import AREAS, SMALL_AREAS, load_area  # noqa: E402
from references import distance_matrix  # noqa: E402

from planner.domain.pieces import pieces  # noqa: E402

METHODS = ("ours", "kmeans_constrained", "skater", "region_kmeans", "fluidc", "mip", "lagrangian")
LABELS = {
    "ours": "ours: planner federate",
    "kmeans_constrained": "k-means-constrained",
    "skater": "spopt SKATER (floor=min)",
    "region_kmeans": "spopt Region-KMeans",
    "fluidc": "networkx asyn_fluidc",
    "mip": "p-median MIP, HiGHS (no contiguity)",
}
BOUND_METHODS = ("mip", "lagrangian")
BOUNDS_CACHE = HERE / "bounds.json"
BOUND_VERSION = 1  # bump when the lower-bound models change


# --------------------------------------------------------------------------------------------
# the worker: one method on one area, in its own process
# --------------------------------------------------------------------------------------------


def _maxrss_mb() -> float:
    """This process's peak resident set size (MB).

    ``VmHWM`` from ``/proc/self/status`` where it exists: it belongs to the memory image made by
    ``exec``, so it is this worker's own peak. ``ru_maxrss`` is not used for that: Linux carries
    the parent's high-water mark over fork + exec, so every worker of a parent holding England's
    distance matrix would report at least the parent's size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _run_ours(centres, k, seed):
    from planner.clustering.federate import federate  # ImportError: engine not there yet
    from planner.domain.constraints import Constraints

    gen = federate(centres, Constraints(federations=k), seed=seed)
    steps = 0
    try:
        while True:
            next(gen)
            steps += 1
    except StopIteration as stop:
        result = stop.value
    plan = result.plan
    labels = np.asarray(plan.assignment, dtype=int).copy()
    hubs = {}
    for key, fed in plan.federations.items():
        if fed.hub is not None and fed.hub in centres:
            hubs[int(key)] = int(centres.index_of(fed.hub))
    extra = {
        "engine_cost_m": float(result.cost) if result.cost is not None else None,
        "approximations": [str(a) for a in (result.approximations or [])],
        "progress_steps": steps,
        "engine_hubs": hubs,
    }
    return labels, extra


def worker(args: argparse.Namespace) -> int:
    out: dict = {"method": args.worker, "area": args.area}
    try:
        import references as ref

        from planner.clustering.graph import neighbourhood_graph
        from planner.domain.constraints import Constraints, size_bounds

        centres, area = load_area(args.area)
        n, k = len(centres), area.k
        lo, hi = size_bounds(n, k, Constraints(federations=k))
        xy = np.asarray(centres.xy)
        method = args.worker
        prep: dict = {}
        if method in ("skater", "region_kmeans", "fluidc"):
            graph = neighbourhood_graph(centres)
            prep["adjacency"] = {int(i): [int(j) for j in graph[i]] for i in graph}
            prep["graph"] = graph
        if method == "mip":
            prep["dist"] = distance_matrix(xy)

        def once():
            if method == "ours":
                return _run_ours(centres, k, args.seed)
            if method == "kmeans_constrained":
                return ref.kmeans_constrained(xy, k, lo, hi, seed=args.seed, n_init=args.n_init), {}
            if method == "skater":
                return ref.skater(xy, prep["adjacency"], k, lo), {}
            if method == "region_kmeans":
                return ref.region_kmeans(xy, prep["adjacency"], k, seed=args.seed), {}
            if method == "fluidc":
                return ref.fluid(prep["graph"], k, seed=args.seed), {}
            if method == "mip":
                res = ref.pmedian_mip(prep["dist"], k, lo, hi, time_limit=args.mip_time)
                labels = res.pop("labels")
                return labels, res
            if method == "lagrangian":
                res = ref.pmedian_lagrangian_bound(
                    xy, k, lo, hi, upper=args.upper, iterations=args.lagrangian_iters,
                    time_limit=args.mip_time,
                )
                return None, res
            raise ValueError(f"unknown method {method!r}")

        out["baseline_rss_mb"] = _maxrss_mb()
        times, labels, extra, same = [], None, {}, True
        for r in range(max(1, args.repeats)):
            t0 = time.perf_counter()
            lab, ex = once()
            times.append(time.perf_counter() - t0)
            if r == 0:
                labels, extra = lab, ex
            elif lab is not None and labels is not None:
                same = same and bool(np.array_equal(lab, labels))
        peak = _maxrss_mb()
        if method == "ours" and args.ours_seeds > 1:
            # Other seeds, once each, untimed: how much the plan depends on the seed.
            others = {}
            for extra_seed in range(args.seed + 1, args.seed + args.ours_seeds):
                lab, _ = _run_ours(centres, k, extra_seed)
                others[str(extra_seed)] = [int(v) for v in lab]
            extra["seed_labels"] = others
        out.update(
            status="ok",
            times=times,
            labels=None if labels is None else [int(v) for v in labels],
            extra=extra,
            repeat_identical=same if len(times) > 1 else None,
            peak_rss_mb=peak,
        )
    except ImportError as exc:
        out.update(status="missing", error=f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # report any failure as a row, not a crash of the whole run
        out.update(
            status="error",
            error=f"{type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(limit=6),
        )
    Path(args.result).write_text(json.dumps(out))
    return 0


# --------------------------------------------------------------------------------------------
# the parent: spawn workers, score plans, write the table
# --------------------------------------------------------------------------------------------


def spawn(method: str, area: str, opts: argparse.Namespace, repeats: int, timeout: float,
          upper: float | None = None) -> dict:
    """Run one worker with a timeout; return its result (``os.wait4`` reaps just that child)."""
    with tempfile.TemporaryDirectory(prefix="bench_") as tmp:
        result = Path(tmp) / "result.json"
        log = Path(tmp) / "log.txt"
        cmd = [
            sys.executable, str(Path(__file__).resolve()), "--worker", method, "--area", area,
            "--result", str(result), "--seed", str(opts.seed), "--repeats", str(repeats),
            "--mip-time", str(opts.mip_time), "--n-init", str(opts.n_init),
            "--lagrangian-iters", str(opts.lagrangian_iters),
            "--ours-seeds", str(opts.ours_seeds),
        ]
        if upper is not None:
            cmd += ["--upper", repr(float(upper))]
        t0 = time.perf_counter()
        with open(log, "wb") as fh:
            proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT)
            timed_out = False
            while True:
                pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
                if pid == proc.pid:
                    break
                if time.perf_counter() - t0 > timeout:
                    proc.kill()
                    pid, status, usage = os.wait4(proc.pid, 0)
                    timed_out = True
                    break
                time.sleep(0.05)
            proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - t0
        if timed_out:
            out = {"status": "timeout", "error": f"killed after {timeout:.0f} s"}
        elif result.exists():
            out = json.loads(result.read_text())
        else:
            tail = log.read_text(errors="replace")[-1500:]
            out = {"status": "error", "error": f"worker exit {proc.returncode}: {tail}"}
        out["wait4_maxrss_mb"] = usage.ru_maxrss / 1024.0  # inflated: see _maxrss_mb
        out["process_seconds"] = wall
        out["method"], out["area"] = method, area
        return out


def score(labels, dist: np.ndarray, adjacency: list[list[int]], k: int, lo: int, hi: int,
          hubs: dict[int, int] | None = None) -> dict:
    """Our objective and checks for any labelling (label < 0 = unassigned)."""
    labels = np.asarray(labels, dtype=int)
    unassigned = int((labels < 0).sum())
    keys = np.unique(labels[labels >= 0])
    sizes, cost, max_hub, noncontig, engine_hub_cost = [], 0.0, 0.0, 0, 0.0
    for key in keys:
        members = np.flatnonzero(labels == key)
        sub = dist[np.ix_(members, members)]
        sums = sub.sum(1)
        best = int(np.argmin(sums))
        cost += float(sums[best])
        max_hub = max(max_hub, float(sub[best].max()))
        sizes.append(len(members))
        if len(pieces(members.tolist(), adjacency)) > 1:
            noncontig += 1
        if hubs is not None:
            hub = hubs.get(int(key))
            engine_hub_cost += float(dist[members, hub].sum()) if hub is not None else sums[best]
    sizes_arr = np.array(sizes) if sizes else np.array([0])
    return {
        "cost_km": cost / 1000.0,
        "federations": len(keys),
        "size_min": int(sizes_arr.min()),
        "size_max": int(sizes_arr.max()),
        "in_bounds": bool(
            unassigned == 0 and len(keys) == k and sizes_arr.min() >= lo and sizes_arr.max() <= hi
        ),
        "noncontiguous": noncontig,
        "max_to_hub_km": max_hub / 1000.0,
        "unassigned": unassigned,
        "engine_hub_cost_km": engine_hub_cost / 1000.0 if hubs is not None else None,
    }


def _ids_digest(centres) -> str:
    h = hashlib.sha1()
    for cid, (x, y) in zip(centres.ids, centres.xy, strict=True):
        h.update(f"{cid},{x:.1f},{y:.1f};".encode())
    return h.hexdigest()[:16]


def _load_cache() -> dict:
    if BOUNDS_CACHE.exists():
        try:
            return json.loads(BOUNDS_CACHE.read_text())
        except ValueError:
            return {}
    return {}


def run_area(key: str, opts: argparse.Namespace, cache: dict,
             previous: dict | None = None) -> dict:
    from planner.clustering.graph import neighbourhood_graph
    from planner.domain.constraints import Constraints, size_bounds

    centres, area = load_area(key)
    n, k = len(centres), area.k
    lo, hi = size_bounds(n, k, Constraints(federations=k))
    dist = distance_matrix(centres.xy)
    graph = neighbourhood_graph(centres)
    adjacency = [[int(v) for v in graph[u]] for u in range(n)]
    small = key != "england"
    repeats = opts.repeats if small else opts.repeats_large
    timeout = opts.timeout if small else opts.timeout_large
    print(f"== {area.title}: {n} centres, K={k}, sizes {lo}-{hi}", flush=True)
    rows: dict[str, dict] = {}
    for method in opts.methods:
        if method in BOUND_METHODS:
            continue
        reps = 1 if (not small and method in ("kmeans_constrained", "skater")) else repeats
        res = spawn(method, key, opts, reps, timeout)
        if res.get("status") == "ok" and res.get("labels") is not None:
            hubs = res.get("extra", {}).get("engine_hubs") if method == "ours" else None
            if hubs is not None:
                hubs = {int(a): int(b) for a, b in hubs.items()}
            res["score"] = score(res["labels"], dist, adjacency, k, lo, hi, hubs)
            seed_labels = res.get("extra", {}).get("seed_labels")
            if seed_labels:
                res["seed_scores"] = {
                    sd: score(lab, dist, adjacency, k, lo, hi) for sd, lab in seed_labels.items()
                }
        rows[method] = res
        _say(method, res)
    digest = _ids_digest(centres)
    if previous and previous.get("digest") == digest and (previous["k"], previous["lo"],
                                                          previous["hi"]) == (k, lo, hi):
        # --keep-previous: rows of methods not run now come from the last run, re-scored on
        # today's neighbourhood graph; their time and memory are the last run's.
        for method, res in previous["rows"].items():
            if method in rows or method in BOUND_METHODS:
                continue
            res = dict(res)
            res.setdefault("from_previous", previous.get("started", "an earlier run"))
            if res.get("status") == "ok" and res.get("labels") is not None:
                res["score"] = score(res["labels"], dist, adjacency, k, lo, hi)
            rows[method] = res
        rows = {m: rows[m] for m in METHODS if m in rows}

    # Lower bounds: the MIP (its plan is a row too) and the Lagrangian bound. Cached per area,
    # since they do not depend on the engine; --recompute-bounds refreshes them.
    cached = cache.get(key)
    fresh = (
        cached is not None and cached.get("digest") == digest and cached.get("k") == k
        and cached.get("lo") == lo and cached.get("hi") == hi
        and cached.get("version") == BOUND_VERSION
    )
    bounds = dict(cached.get("bounds", {})) if fresh and not opts.recompute_bounds else {}
    feasible_costs = [
        r["score"]["cost_km"] * 1000.0
        for r in rows.values()
        if r.get("score") and r["score"]["in_bounds"]
    ]
    for method in BOUND_METHODS:
        if method not in opts.methods or method in bounds:
            continue
        if method == "mip" and n > opts.mip_max_n:
            bounds[method] = {
                "status": "skipped",
                "error": f"{n} centres means {n * n:,} binaries "
                f"(limit --mip-max-n {opts.mip_max_n}); the Lagrangian bound is used",
            }
            continue
        upper = None
        if method == "lagrangian":
            mip = bounds.get("mip", {})
            primal = (mip.get("extra") or {}).get("primal")
            if primal is not None:
                feasible_costs.append(float(primal))
            upper = min(feasible_costs) if feasible_costs else None
        res = spawn(method, key, opts, 1, opts.mip_time * 2 + 300, upper=upper)
        res["computed"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
        bounds[method] = res
        _say(method, res)
    if any(m in bounds for m in BOUND_METHODS):
        cache[key] = {"digest": digest, "k": k, "lo": lo, "hi": hi, "version": BOUND_VERSION,
                      "bounds": bounds}
    for res in bounds.values():  # (re)score: the neighbourhood graph may have changed
        if res.get("status") == "ok" and res.get("labels") is not None:
            res["score"] = score(res["labels"], dist, adjacency, k, lo, hi)
    if "mip" in bounds and ("mip" in opts.methods or opts.keep_previous):
        rows["mip"] = bounds["mip"]
    lb, lb_source = None, "none"
    mip = bounds.get("mip", {})
    if mip.get("status") == "ok" and mip.get("extra", {}).get("dual_bound") is not None:
        lb, lb_source = mip["extra"]["dual_bound"] / 1000.0, "mip"
    lag = bounds.get("lagrangian", {})
    if lag.get("status") == "ok" and lag.get("extra", {}).get("bound") is not None:
        value = lag["extra"]["bound"] / 1000.0
        if lb is None or value > lb:
            lb, lb_source = value, "lagrangian"
    return {
        "key": key, "title": area.title, "note": area.note, "n": n, "k": k, "lo": lo, "hi": hi,
        "rows": rows, "bounds": bounds, "lower_bound_km": lb, "lower_bound_source": lb_source,
        "repeats": repeats, "graph_edges": graph.number_of_edges(), "digest": digest,
        "started": opts.started,
    }


def _say(method: str, res: dict) -> None:
    s = res.get("score")
    if s:
        t = min(res["times"]) if res.get("times") else float("nan")
        print(f"   {method:20s} cost {s['cost_km']:10.1f} km  sizes {s['size_min']}-{s['size_max']}"
              f"  noncontig {s['noncontiguous']}  {t:8.3f} s  {res.get('peak_rss_mb', 0):.0f} MB",
              flush=True)
    else:
        extra = res.get("extra") or {}
        msg = res.get("error") or ", ".join(f"{a}={b}" for a, b in extra.items())
        print(f"   {method:20s} {res.get('status')}: {msg[:200]}", flush=True)


# --------------------------------------------------------------------------------------------
# report
# --------------------------------------------------------------------------------------------


def _fmt_time(res: dict) -> str:
    times = res.get("times") or []
    if not times:
        return "–"
    best = min(times)
    txt = f"{best:.3f}" if best < 10 else f"{best:.1f}"
    return txt + (f" (best of {len(times)})" if len(times) > 1 else "")


def _bound_text(a: dict) -> str:
    parts = []
    mip = a["bounds"].get("mip", {})
    ex = mip.get("extra") or {}
    if mip.get("status") == "ok":
        gap = ex.get("gap")
        parts.append(
            f"MIP {ex.get('status')}: dual bound {ex['dual_bound'] / 1000:.1f} km"
            + (f", best plan {ex['primal'] / 1000:.1f} km, gap {gap:.2%}"
               if ex.get("primal") else "")
            + f" after {ex.get('solve_seconds', 0):.0f} s ({ex.get('nodes')} B&B nodes;"
            f" computed {mip.get('computed', '?')})"
        )
    elif mip:
        parts.append(f"MIP {mip.get('status')}: {mip.get('error', '')}")
    lag = a["bounds"].get("lagrangian", {})
    ex = lag.get("extra") or {}
    if lag.get("status") == "ok":
        parts.append(
            f"Lagrangian bound {ex['bound'] / 1000:.1f} km ({ex['iterations']} subgradient "
            f"iterations, {ex['seconds']:.1f} s)"
        )
    elif lag:
        parts.append(f"Lagrangian {lag.get('status')}: {lag.get('error', '')}")
    lb = a["lower_bound_km"]
    source = {"mip": "the MIP's dual bound", "lagrangian": "the Lagrangian bound"}.get(
        a["lower_bound_source"], a["lower_bound_source"])
    head = (f"**Lower bound used: {lb:.1f} km** ({source})"
            if lb is not None else "**No lower bound computed**")
    return head + ". " + "; ".join(parts) + "."


def table(a: dict) -> list[str]:
    lb = a["lower_bound_km"]
    out = [
        f"### {a['title']}: {a['n']} centres, K={a['k']}, sizes {a['lo']}–{a['hi']}",
        "",
        f"{a['note'][:1].upper() + a['note'][1:]}. {_bound_text(a)}",
        "",
        "| method | cost (km) | × lower bound | sizes | sizes in bounds | not contiguous "
        "| max to hub (km) | time (s) | peak RSS (MB) | notes |",
        "|---|---:|---:|---|---|---:|---:|---|---:|---|",
    ]
    for method, res in a["rows"].items():
        s = res.get("score")
        name = LABELS.get(method, method)
        if not s:
            msg = (res.get("error") or res.get("status", "")).replace("|", "/").splitlines()
            out.append(f"| {name} | – | – | – | – | – | – | – | – | {res.get('status')}: "
                       f"{msg[0][:160] if msg else ''} |")
            continue
        notes = []
        if res.get("repeat_identical") is False:
            notes.append("repeats differ")
        if res.get("from_previous"):
            notes.append(f"from the run of {res['from_previous']} (re-scored)")
        ex = res.get("extra") or {}
        if method == "ours":
            if ex.get("approximations"):
                notes.append("approximations: " + "; ".join(ex["approximations"])[:200])
            seeds = res.get("seed_scores")
            if seeds:
                costs = [s["cost_km"]] + [v["cost_km"] for v in seeds.values()]
                ok = all(v["in_bounds"] and v["noncontiguous"] == 0 for v in seeds.values())
                base = int(min(seeds, key=int)) - 1
                notes.append(
                    f"seeds {base}–{base + len(costs) - 1}: {min(costs):.1f}–"
                    f"{max(costs):.1f} km, median {float(np.median(costs)):.1f}"
                    + (f" ({min(costs) / lb:.4f}–{max(costs) / lb:.4f}×)" if lb else "")
                    + ("; all valid" if ok else "; NOT ALL VALID")
                )
            ec = ex.get("engine_cost_m")
            if ec is not None and abs(ec / 1000.0 - s["cost_km"]) > 1e-3 * max(1, s["cost_km"]):
                notes.append(f"engine reports {ec / 1000:.1f} km with its hubs")
        if method == "mip":
            notes.append(f"{ex.get('status')}, gap {ex.get('gap', 0) or 0:.2%}; "
                         f"time is the solve, limit {ex.get('time_limit', 0):.0f} s")
        if s["unassigned"]:
            notes.append(f"{s['unassigned']} unassigned")
        if lb and s["in_bounds"] and s["cost_km"] < lb * (1 - 1e-9):
            notes.append("BELOW THE LOWER BOUND: a bug in the bound or the scoring")
        if s["federations"] != a["k"]:
            notes.append(f"{s['federations']} federations")
        ratio = f"{s['cost_km'] / lb:.4f}" if lb else "–"
        rss = res.get("peak_rss_mb")
        base = res.get("baseline_rss_mb")
        rss_txt = f"{rss:.0f}" + (f" (+{rss - base:.0f})" if base and rss else "")
        timing = _fmt_time(res) if method != "mip" else f"{ex.get('solve_seconds', 0):.1f}"
        out.append(
            f"| {name} | {s['cost_km']:.1f} | {ratio} | {s['size_min']}–{s['size_max']} | "
            f"{'yes' if s['in_bounds'] else 'NO'} | {s['noncontiguous']} | "
            f"{s['max_to_hub_km']:.1f} | {timing} | {rss_txt} | {'; '.join(notes)} |"
        )
    out.append("")
    return out


def targets(areas: list[dict]) -> list[str]:
    out = ["## Targets", ""]
    for a in areas:
        ours = a["rows"].get("ours", {})
        kmc = a["rows"].get("kmeans_constrained", {})
        s, ks = ours.get("score"), kmc.get("score")
        if not s:
            why = (ours.get("error") or "").splitlines()
            out.append(f"- **{a['title']}**: ours not measured ({ours.get('status', 'not run')}"
                       f"{': ' + why[0][:160] if why else ''}).")
            continue
        lb = a["lower_bound_km"]
        t = min(ours["times"])
        checks = []
        if s["in_bounds"] and s["noncontiguous"] == 0:
            checks.append("valid (all assigned, sizes in bounds, contiguous): met")
        else:
            checks.append(f"valid: MISSED (sizes {s['size_min']}–{s['size_max']} vs "
                          f"{a['lo']}–{a['hi']}, {s['noncontiguous']} not contiguous, "
                          f"{s['unassigned']} unassigned)")
        if ks:
            diff = s["cost_km"] / ks["cost_km"] - 1
            verdict = "met" if diff < 0 else "MISSED"
            checks.append(f"cost vs k-means-constrained {diff:+.2%}: {verdict}")
            seeds = ours.get("seed_scores")
            if seeds:
                costs = [s["cost_km"]] + [v["cost_km"] for v in seeds.values()]
                valid = all(v["in_bounds"] and v["noncontiguous"] == 0 for v in seeds.values())
                checks.append(
                    f"over {len(costs)} seeds {min(costs) / ks['cost_km'] - 1:+.2%} to "
                    f"{max(costs) / ks['cost_km'] - 1:+.2%} vs k-means-constrained"
                    + (f", {min(costs) / lb:.4f}–{max(costs) / lb:.4f}× the bound" if lb else "")
                    + (", all valid" if valid else ", NOT ALL VALID")
                )
        else:
            checks.append(f"k-means-constrained {kmc.get('status', 'not run')}")
        if a["key"] == "england":
            checks.append(f"time {t:.2f} s < 10 s: {'met' if t < 10 else 'MISSED'}")
            rss = ours.get("peak_rss_mb", 0)
            checks.append(f"peak RSS {rss:.0f} MB < 1024 MB: {'met' if rss < 1024 else 'MISSED'}")
            if lb:
                checks.append(f"{s['cost_km'] / lb:.4f}× the lower bound")
                loose = [
                    a2["bounds"]["lagrangian"]["extra"]["bound"]
                    / a2["bounds"]["mip"]["extra"]["dual_bound"]
                    for a2 in areas
                    if a2["bounds"].get("mip", {}).get("status") == "ok"
                    and a2["bounds"]["mip"].get("extra", {}).get("status") == "Optimal"
                    and a2["bounds"].get("lagrangian", {}).get("status") == "ok"
                ]
                if loose:
                    checks.append(
                        "only a Lagrangian bound exists here, and on the areas where the MIP was "
                        f"solved that bound was {1 - max(loose):.1%}–{1 - min(loose):.1%} below "
                        "the exact optimum, so much of this ratio is the bound's looseness"
                    )
        else:
            if lb:
                r = s["cost_km"] / lb
                verdict = "met" if r <= 1.02 else "MISSED"
                checks.append(f"{r:.4f}× the lower bound ≤ 1.02: {verdict}")
                mip = (a["bounds"].get("mip") or {}).get("extra") or {}
                if mip.get("primal") and (mip.get("gap") or 0) > 1e-4:
                    checks.append(
                        f"the MIP was not solved to optimality (gap {mip['gap']:.2%}), so the "
                        f"bound is loose: against the MIP's best plan (no contiguity) ours is "
                        f"{s['cost_km'] * 1000 / mip['primal']:.4f}×"
                    )
            checks.append(f"time {t:.3f} s < 0.5 s: {'met' if t < 0.5 else 'MISSED'}")
        out.append(f"- **{a['title']}**: " + "; ".join(checks) + ".")
    small = [a for a in areas if a["key"] != "england" and a["rows"].get("ours", {}).get("score")]
    if small:
        ratios = [a["rows"]["ours"]["score"]["cost_km"] / a["lower_bound_km"]
                  for a in small if a["lower_bound_km"]]
        vs_kmc = [a["rows"]["ours"]["score"]["cost_km"]
                  / a["rows"]["kmeans_constrained"]["score"]["cost_km"] - 1
                  for a in small if a["rows"].get("kmeans_constrained", {}).get("score")]
        times = [min(a["rows"]["ours"]["times"]) for a in small]
        valid = sum(1 for a in small if a["rows"]["ours"]["score"]["in_bounds"]
                    and a["rows"]["ours"]["score"]["noncontiguous"] == 0)
        summary = f"Over the {len(small)} areas of about 100 centres: {valid} valid plans"
        if ratios:
            summary += f"; cost {min(ratios):.4f}–{max(ratios):.4f}× the lower bound"
        if vs_kmc:
            summary += f"; {min(vs_kmc):+.2%} to {max(vs_kmc):+.2%} against k-means-constrained"
        summary += f"; {min(times):.3f}–{max(times):.3f} s (best of the repeats)."
        out.append("")
        out.append(summary)
    out.append("")
    return out


def _revision() -> str:
    rev = subprocess.run(["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(HERE.parent), "status", "--porcelain", "--", "planner"],
        capture_output=True, text=True,
    ).stdout.split("\n")
    dirty = sorted(line[3:] for line in dirty if line.strip())
    if dirty:
        rev += " plus uncommitted changes in " + ", ".join(dirty)
    return rev


def write_report(areas: list[dict], opts: argparse.Namespace, path: Path, started: str,
                 elapsed: float, rev: str | None = None) -> None:
    cmd = "benchmarks/.venv/bin/python benchmarks/bench_engine.py " + " ".join(
        shlex.quote(a) for a in opts.argv
    )
    rev = rev or _revision()
    lines = [
        "# Engine benchmark results",
        "",
        "Setup (once, from the repository root):",
        "",
        "```",
        "python3.11 -m venv benchmarks/.venv",
        "benchmarks/.venv/bin/pip install -e . -r benchmarks/requirements.txt",
        "```",
        "",
        "This run:",
        "",
        "```",
        cmd.strip(),
        "```",
        "",
        f"Started {started}, took {elapsed / 60:.1f} min; commit {rev}; Python "
        f"{platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores "
        "(shared with other work, so timings are noisy: compare ratios, not absolute seconds).",
        "",
        "How to read it: *cost* is our objective for every method alike: for each federation the "
        "best hub (the medoid: the member with the smallest sum of straight-line distances to "
        "the others), summed over all centres (km). *× lower bound* divides it by the lower bound "
        "of the capacitated p-median with the same K and size bounds but **without** contiguity "
        "(HiGHS MIP dual bound, or the Lagrangian bound when larger or when the MIP does not "
        "fit), so every plan, ours included, is ≥ 1. *Not contiguous* counts federations that "
        "are more than one piece of our neighbourhood graph "
        "(`planner.clustering.graph.neighbourhood_graph`). *Time* is wall time around the "
        "algorithm call only, best of the repeats (ours includes building its own neighbourhood "
        "graph inside `federate`; the graph-based references get our graph ready-made). *Peak "
        "RSS* is the subprocess's own peak resident set size (`VmHWM` of /proc/self/status: "
        "interpreter, imports and data included), with the rise above its level just before "
        "the algorithm ran in brackets; `ru_maxrss` of the child is not used because Linux "
        "carries the parent's high-water mark over fork + exec. *× lower bound* below 1 only "
        "happens for plans that break the size bounds. SKATER and Region-KMeans are given our "
        "neighbourhood graph as a libpysal `W`; SKATER gets floor = the minimum size and has "
        "no maximum; Region-KMeans and asyn_fluidc have no size bounds at all. "
        "k-means-constrained and the MIP ignore contiguity.",
        "",
    ]
    lines += targets(areas)
    lines += ["## Results", ""]
    for a in areas:
        lines += table(a)
    # Keep the section bench_weighted.py appends (it is its own run, not this one's).
    weighted = "\n## Balanced on children served"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if weighted in old:
        lines += [weighted.strip() + old.split(weighted, 1)[1].rstrip("\n")]
    path.write_text("\n".join(lines) + "\n")


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="Kent + Medway only")
    p.add_argument("--areas", default="all",
                   help=f"comma-separated from {', '.join(AREAS)}; 'small' (the ~100-centre "
                   "areas) or 'all' (default)")
    p.add_argument("--methods", default=",".join(METHODS),
                   help=f"comma-separated from {', '.join(METHODS)}")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--ours-seeds", type=int, default=5,
                   help="also run ours (untimed) with the next N-1 seeds and report the spread")
    p.add_argument("--repeats", type=int, default=3, help="timing repeats, ~100-centre areas")
    p.add_argument("--repeats-large", type=int, default=1, help="timing repeats, all England")
    p.add_argument("--timeout", type=float, default=300.0, help="s per method, small areas")
    p.add_argument("--timeout-large", type=float, default=600.0, help="s per method, England")
    p.add_argument("--mip-time", type=float, default=1200.0, help="HiGHS time limit (s)")
    p.add_argument("--mip-max-n", type=int, default=400, help="skip the MIP above this N")
    p.add_argument("--lagrangian-iters", type=int, default=3000)
    p.add_argument("--n-init", type=int, default=10, help="k-means-constrained restarts")
    p.add_argument("--recompute-bounds", action="store_true",
                   help=f"ignore the cached lower bounds in {BOUNDS_CACHE.name}")
    p.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    p.add_argument("--json", type=Path, default=HERE / "results.json")
    p.add_argument("--keep-previous", action="store_true",
                   help="keep rows of methods not run now from --json (e.g. with --methods ours)")
    p.add_argument("--report-only", action="store_true",
                   help="rewrite --out from the figures in --json without running anything")
    # worker mode (internal)
    p.add_argument("--worker", help=argparse.SUPPRESS)
    p.add_argument("--area", help=argparse.SUPPRESS)
    p.add_argument("--result", help=argparse.SUPPRESS)
    p.add_argument("--upper", type=float, default=None, help=argparse.SUPPRESS)
    opts = p.parse_args(argv)
    if opts.worker:
        return worker(opts)
    opts.argv = argv
    if opts.report_only:
        saved = json.loads(opts.json.read_text())
        meta = saved.get("meta", {}) if isinstance(saved, dict) else {}
        areas = saved["areas"] if isinstance(saved, dict) else saved
        opts.argv = meta.get("argv", argv)
        write_report(areas, opts, opts.out, meta.get("started", "?"), meta.get("elapsed", 0.0),
                     meta.get("rev", "unknown"))
        print(f"wrote {opts.out} from {opts.json}", flush=True)
        return 0
    if opts.quick:
        keys = ["kent"]
    elif opts.areas == "all":
        keys = list(AREAS)
    elif opts.areas == "small":
        keys = list(SMALL_AREAS)
    else:
        keys = [s.strip() for s in opts.areas.split(",") if s.strip()]
    unknown = [k for k in keys if k not in AREAS]
    if unknown:
        p.error(f"unknown area(s) {', '.join(unknown)}; choose from {', '.join(AREAS)}")
    opts.methods = [m.strip() for m in opts.methods.split(",") if m.strip()]
    bad = [m for m in opts.methods if m not in METHODS]
    if bad:
        p.error(f"unknown method(s) {', '.join(bad)}; choose from {', '.join(METHODS)}")
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    opts.started = started
    rev = _revision()
    t0 = time.perf_counter()
    cache = _load_cache()
    previous: dict[str, dict] = {}
    if opts.keep_previous and opts.json.exists():
        saved = json.loads(opts.json.read_text())
        for a in saved["areas"] if isinstance(saved, dict) else saved:
            previous[a["key"]] = a
    results = []
    for key in keys:
        results.append(run_area(key, opts, cache, previous.get(key)))
        BOUNDS_CACHE.write_text(json.dumps(cache, indent=1, sort_keys=True) + "\n")
        opts.json.parent.mkdir(parents=True, exist_ok=True)
        meta = {"argv": argv, "started": started, "elapsed": time.perf_counter() - t0,
                "rev": rev}
        opts.json.write_text(json.dumps({"meta": meta, "areas": results}, default=str))
        write_report(results, opts, opts.out, started, time.perf_counter() - t0, rev)
    print(f"wrote {opts.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
