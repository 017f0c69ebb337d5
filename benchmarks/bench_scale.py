"""Scale benchmark: the engine on synthetic "clustered towns" layouts of 3,000 to 100,000 centres.

Run from the repository root (the engine with the project's venv; k-means-constrained, the
reference, with the benchmark venv ``benchmarks/.venv`` when it exists, see README.md)::

    python benchmarks/bench_scale.py                       # 10 x 3k, 5 x 10k, 30k, 100k
    python benchmarks/bench_scale.py --layouts 3k          # one size class (3k, 10k, 30k, 100k)
    python benchmarks/bench_scale.py --layouts towns_3k_0,towns_10k_100
    python benchmarks/bench_scale.py --no-reference        # the engine only

For every layout (:mod:`synthetic`: K = N/20, sizes 15-25) the engine runs in a fresh
subprocess: wall time around ``federate`` only (reading the layout and saving the plan are not
counted), peak resident memory of that process (``VmHWM``). Its plan is saved as a plan file and
checked by :mod:`check_rules` in another subprocess (sizes, K, each centre once, contiguity by
its own search of the neighbourhood graph, hubs). k-means-constrained runs on the same points
in its own subprocess. Both plans are scored the same way here: each federation's best hub (its
medoid), the sum of straight-line distances to it. Results: ``benchmarks/out/scale/*.json`` and
the section "Scale: synthetic layouts" of ``RESULTS.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from synthetic import LAYOUTS, request, towns, write_csv  # noqa: E402

OUT = HERE / "out" / "scale"
REF_PYTHON = HERE / ".venv" / "bin" / "python"
SECTION = "## Scale: synthetic layouts"
TARGETS = {3_000: (10, None), 10_000: (30, None), 30_000: (120, 2048), 100_000: (600, 8192)}
NOTES = [
    "How the engine scales (issue 10, part 2): a region of more than 3,000 units is cut into",
    "connected parts of about equal size (`planner/clustering/partition.py`: a cut grown along",
    "the longer axis over the neighbourhood graph, K per part fitted to the size bounds), each",
    "solved as before on one of two forked workers (`parts.py`), stitched, and the federations",
    "along the seams re-solved with their neighbours (the large-neighbourhood search, two",
    "passes). The search keeps no units x K table (`region.Layout`): memory grows with N, not",
    "N x K. Below 3,000 centres nothing changed but a faster pair re-split (each hub pair once).",
    "Real data with the same engine (`bench_engine.py --methods ours`, one seed, this machine",
    "under load): the five ~100-centre areas 1.0000-1.0065x the exact lower bound as before;",
    "all England 2016 (3,255 centres, K=160: now two parts) 24,238 km = 1.0252x the Lagrangian",
    "bound (was 24,784 km, 1.0483x), contiguous, 6.7 s at load ~5 (was 4.5 s at low load).",
]
# k-means-constrained solves a min-cost flow on all N x K arcs: beyond this it is not run.
REF_MAX_N = 30_000


def _vm_hwm_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


# ------------------------------------------------------------------------------------------
# workers (each in its own process)
# ------------------------------------------------------------------------------------------


def worker_ours(name: str, plan_path: Path, result: Path) -> None:
    from synthetic import as_centres

    from planner.clustering.explain import Infeasible
    from planner.clustering.federate import federate
    from planner.domain.constraints import Constraints
    from planner.geo.planfile import save_plan

    n, seed = LAYOUTS[name]
    k, lo, hi = request(n)
    centres = as_centres(towns(n, seed), name)
    constraints = Constraints(federations=k, min_size=lo, max_size=hi)
    base = _vm_hwm_mb()
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        gen = federate(centres, constraints, seed=0)
        while True:
            next(gen)
    except StopIteration as stop:
        res = stop.value
    except Infeasible as exc:
        out = {"status": "refused", "reasons": list(exc.reasons),
               "seconds": time.perf_counter() - t0, "peak_mb": _vm_hwm_mb()}
        result.write_text(json.dumps(out))
        return
    seconds = time.perf_counter() - t0
    peak = _vm_hwm_mb()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    save_plan(res.plan, plan_path, constraints)
    out = {"status": "ok", "seconds": seconds, "peak_mb": peak, "baseline_mb": base,
           "cpu_seconds": time.process_time() - c0 + kids.ru_utime + kids.ru_stime,
           # the largest pool worker's peak, counted once per worker (an upper bound)
           "workers_peak_mb": kids.ru_maxrss / 1024.0 * _workers(),
           "engine_cost_m": float(res.cost), "approximations": [str(a) for a in res.approximations],
           "labels": [int(v) for v in res.plan.assignment]}
    result.write_text(json.dumps(out))


def _workers() -> int:
    from planner.clustering.parts import WORKERS

    return WORKERS


def worker_reference(name: str, result: Path, n_init: int) -> None:
    from k_means_constrained import KMeansConstrained

    n, seed = LAYOUTS[name]
    k, lo, hi = request(n)
    xy = towns(n, seed)
    t0 = time.perf_counter()
    model = KMeansConstrained(n_clusters=k, size_min=lo, size_max=hi, random_state=0,
                              n_init=n_init)
    labels = model.fit_predict(xy - xy.mean(0))
    out = {"status": "ok", "seconds": time.perf_counter() - t0, "peak_mb": _vm_hwm_mb(),
           "n_init": n_init, "labels": [int(v) for v in labels]}
    result.write_text(json.dumps(out))


# ------------------------------------------------------------------------------------------
# the parent
# ------------------------------------------------------------------------------------------


def _spawn(cmd: list[str], timeout: float) -> tuple[int | None, float]:
    """Run ``cmd``; (exit code or None on timeout, wall seconds)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, timeout=timeout, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        sys.stderr.write(proc.stderr[-2000:])
    return proc.returncode, time.perf_counter() - t0


def medoid_cost(xy: np.ndarray, labels: np.ndarray) -> tuple[float, dict[int, int]]:
    """Sum over federations of the distances to its medoid (its best hub), and the medoids."""
    total, hubs = 0.0, {}
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    for rows in np.split(order, bounds):
        d = np.hypot(*(xy[rows][:, None, :] - xy[rows][None, :, :]).transpose(2, 0, 1))
        s = d.sum(1)
        best = int(np.argmin(s))
        total += float(s[best])
        hubs[int(labels[rows[0]])] = int(rows[best])
    return total, hubs


def run_layout(name: str, args: argparse.Namespace) -> dict:
    n, seed = LAYOUTS[name]
    k, lo, hi = request(n)
    xy = towns(n, seed)
    OUT.mkdir(parents=True, exist_ok=True)
    centres_csv = OUT / f"{name}.csv"
    write_csv(xy, centres_csv)
    row: dict = {"layout": name, "n": n, "seed": seed, "k": k, "lo": lo, "hi": hi,
                 "measured": f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M}",
                 "load_before": round(os.getloadavg()[0], 1)}
    with tempfile.TemporaryDirectory(prefix="scale_") as tmp:
        res = Path(tmp) / "ours.json"
        plan = OUT / f"{name}.plan.geojson"
        code, wall = _spawn([sys.executable, __file__, "--worker", "ours", "--layouts", name,
                             "--plan", str(plan), "--result", str(res)], args.timeout)
        ours = json.loads(res.read_text()) if res.exists() else {
            "status": "timeout" if code is None else f"error (exit {code})"}
        ours["process_seconds"] = wall
        if ours["status"] == "ok":
            labels = np.asarray(ours.pop("labels"))
            ours["cost_m"], _ = medoid_cost(xy, labels)
            chk = Path(tmp) / "check.json"
            _spawn([sys.executable, str(HERE / "check_rules.py"), str(plan), str(centres_csv),
                    "--federations", str(k), "--min-size", str(lo), "--max-size", str(hi),
                    "--json", str(chk)], args.timeout)
            ours["check"] = (json.loads(chk.read_text()) if chk.exists()
                             else {"ok": False, "broken": ["the check did not run"]})
        row["ours"] = ours
        if args.no_reference or n > REF_MAX_N or not REF_PYTHON.exists():
            why = ("not run" if args.no_reference else
                   f"not run: N x K = {n * k:,} arcs" if n > REF_MAX_N else "no benchmarks/.venv")
            row["reference"] = {"status": why}
            return row
        row["reference"] = reference(name, xy, args)
    return row


def reference(name: str, xy: np.ndarray, args: argparse.Namespace) -> dict:
    """k-means-constrained on the layout: cached in ``out/scale/ref_<name>.json`` (it does not
    depend on the engine, and takes minutes), rerun with ``--fresh-reference``."""
    n_init = args.n_init if len(xy) <= 3_000 else 1
    res = OUT / f"ref_{name}.json"
    if args.fresh_reference or not res.exists() or json.loads(res.read_text()).get(
        "n_init"
    ) != n_init:
        res.unlink(missing_ok=True)
        code, wall = _spawn([str(REF_PYTHON), __file__, "--worker", "reference", "--layouts",
                             name, "--result", str(res), "--n-init", str(n_init)],
                            args.ref_timeout)
        if not res.exists():
            failed = {"status": f"did not finish in {wall:.0f} s" if code is None
                      else f"error (exit {code})", "process_seconds": wall, "n_init": n_init}
            res.write_text(json.dumps(failed))
            return failed
    ref = json.loads(res.read_text())
    if ref.get("status") != "ok":
        return ref  # a cached failure (e.g. it did not finish within the time allowed)
    labels = np.asarray(ref.pop("labels"))
    ref["cost_m"], _ = medoid_cost(xy, labels)
    return ref


def _fmt_row(r: dict) -> str:
    o, ref = r["ours"], r["reference"]
    t_lim, m_lim = TARGETS.get(r["n"], (None, None))
    if o["status"] != "ok":
        return (f"| {r['layout']} | {r['n']:,} | {r['k']} | {o['status']} | | | | | | | "
                f"{'; '.join(o.get('reasons', []))[:80]} |")
    chk = o["check"]
    rules = "all kept" if chk["ok"] else "; ".join(chk["broken"])
    ratio = (f"{o['cost_m'] / ref['cost_m']:.4f}" if ref.get("status") == "ok" else ref["status"])
    load = f"{r.get('load_before', float('nan')):.1f}"
    t_ok = "" if t_lim is None else (" ✓" if o["seconds"] < t_lim else f" ✗ (> {t_lim} s)")
    m_ok = "" if m_lim is None else (" ✓" if o["peak_mb"] < m_lim else f" ✗ (> {m_lim} MB)")
    ref_t = f"{ref['seconds']:.1f}" if ref.get("status") == "ok" else "-"
    cpu = f"{o['cpu_seconds']:.0f}" if "cpu_seconds" in o else "-"
    mem = o["peak_mb"] + o.get("workers_peak_mb", 0.0)
    return (f"| {r['layout']} | {r['n']:,} | {r['k']} | {o['seconds']:.1f}{t_ok} | {cpu} | "
            f"{load} | {o['peak_mb']:.0f} / {mem:.0f}{m_ok} | {o['cost_m'] / 1000:,.0f} | "
            f"{ratio} | {ref_t} | {rules} |")


def write_section(args: argparse.Namespace) -> None:
    """The section of RESULTS.md, from every layout measured so far (``out/scale/*.json``)."""
    rows = [json.loads((OUT / f"{name}.json").read_text()) for name in LAYOUTS
            if (OUT / f"{name}.json").exists()]
    when = sorted(r.get("measured", "") for r in rows)
    lines = [
        SECTION, "",
        f"Measured {when[0]} to {when[-1]} UTC on {platform.node()} ({os.cpu_count()} cores, "
        "shared with the other helpers' jobs: the load average (1 min) just before each run is",
        "in the table; wall times are inflated by it, CPU seconds much less). Command (each size",
        "class can be run on its own; the table keeps the rows of earlier runs):", "",
        "    python benchmarks/bench_scale.py [--layouts 3k,10k,30k,100k]", "",
        "Layouts from `benchmarks/synthetic.py` (clustered towns, K = N/20, sizes 15-25). Time:",
        "wall seconds around `federate` in a fresh process (✓/✗: the target), and CPU seconds",
        "of that process and its pool workers. Memory: the process's peak RSS / that plus the",
        "largest worker's peak once per worker (an upper bound of the total). Cost: sum of",
        "distances to each federation's medoid, in km, scored the same way for both; ratio =",
        "ours / k-means-constrained (below 1: ours is cheaper). Rules: checked by",
        "`benchmarks/check_rules.py` (independent: its own BFS over the neighbourhood graph).",
        "k-means-constrained: n_init 10 at 3,000, 1 above (its min-cost flow has N x K arcs;",
        "at 100,000 that is 500 million arcs, not run).",
        "",
        "| layout | N | K | ours s | CPU s | load | peak MB | cost km | ratio vs k-m-c "
        "| k-m-c s | rules |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    lines += [_fmt_row(r) for r in rows]
    lines += ["", *NOTES]
    text = (HERE / "RESULTS.md").read_text(encoding="utf-8")
    block = "\n".join(lines) + "\n"
    if SECTION in text:
        head, _, tail = text.partition(SECTION)
        nxt = tail.find("\n## ")
        text = head + block + (tail[nxt:] if nxt >= 0 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + block
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")


def _names(spec: str) -> list[str]:
    out = []
    for part in spec.split(","):
        part = part.strip()
        if part in LAYOUTS:
            out.append(part)
        else:
            out += [n for n in LAYOUTS if n.startswith(f"towns_{part}_")]
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--layouts", default="3k,10k,30k,100k")
    ap.add_argument("--no-reference", action="store_true")
    ap.add_argument("--n-init", type=int, default=10)
    ap.add_argument("--timeout", type=float, default=1200)
    ap.add_argument("--ref-timeout", type=float, default=900)
    ap.add_argument("--fresh-reference", action="store_true",
                    help="rerun k-means-constrained even when a cached result exists")
    ap.add_argument("--no-report", action="store_true", help="do not touch RESULTS.md")
    ap.add_argument("--worker", choices=("ours", "reference"), help=argparse.SUPPRESS)
    ap.add_argument("--plan", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)
    if args.worker == "ours":
        worker_ours(args.layouts, args.plan, args.result)
        return 0
    if args.worker == "reference":
        worker_reference(args.layouts, args.result, args.n_init)
        return 0
    rows = []
    for name in _names(args.layouts):
        row = run_layout(name, args)
        rows.append(row)
        print(_fmt_row(row), flush=True)
        (OUT / f"{name}.json").write_text(json.dumps(row, indent=1))
    if not args.no_report:
        write_section(args)
    return 0 if all(r["ours"].get("check", {}).get("ok") for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
