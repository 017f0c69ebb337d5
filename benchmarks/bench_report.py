"""Consultation pack speed: Kent + Medway (the shipped sample plan) and all England (160
federations), built and drawn as ``planner report`` does (Qt offscreen).

    python benchmarks/bench_report.py [--areas kent england] [--out DIR]

For each area: the time to work out the content (outlines, figures, rules), the time to draw the
PDF, the pages and the file size; then ``planner report`` end to end in a fresh process for Kent
(interpreter and Qt start-up included). Targets (issue 12): Kent in a few seconds, England under a
minute. England's plan is the engine's (seed 0, 160 federations) on the 2016 extract; making it is
not timed.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from benchmarks.areas import AREAS, data_root  # noqa: E402

TARGETS_S = {"kent": 5.0, "england": 60.0}


def kent_plan():
    from planner.geo.io import read_centres
    from planner.geo.layers import read_boundaries
    from planner.geo.planmeta import decode_plan
    from planner.resources import SAMPLE_CENTRES, SAMPLE_DISTRICTS, SAMPLE_PLAN, where

    centres = read_centres(where(SAMPLE_CENTRES)).centres
    member = json.loads(where(SAMPLE_PLAN).read_text())["planner"]
    plan, _ = decode_plan(centres, member, None)
    return plan, read_boundaries(where(SAMPLE_DISTRICTS), centres.crs)


def england_plan():
    from planner.clustering.federate import federate_now
    from planner.domain.constraints import Constraints
    from planner.geo.context import boundaries_for
    from planner.geo.io import read_centres

    centres = read_centres(data_root() / AREAS["england"].path).centres
    plan = federate_now(centres, Constraints(federations=AREAS["england"].k), seed=0).plan
    return plan, boundaries_for(centres)[0]


def measure(area: str, out: Path) -> dict:
    from planner.ui.report import build_content, ensure_gui, write_pack

    ensure_gui()
    plan, boundaries = kent_plan() if area == "kent" else england_plan()
    t0 = time.perf_counter()
    content = build_content(plan, option="Option A", boundaries=boundaries)
    t1 = time.perf_counter()
    path = out / f"{area}_pack.pdf"
    pages = write_pack(content, path)
    t2 = time.perf_counter()
    return {"area": area, "centres": len(plan.centres), "federations": len(plan.federations),
            "content_s": t1 - t0, "draw_s": t2 - t1, "total_s": t2 - t0, "pages": pages,
            "mb": path.stat().st_size / 1e6, "target_s": TARGETS_S[area]}


def cli_kent(out: Path) -> float:
    """``planner report`` on the sample plan saved as a plan file, in a fresh process."""
    from planner.geo.planfile import save_plan

    plan, _ = kent_plan()
    src = out / "kent_plan.geojson"
    save_plan(plan, src)
    env = dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen")
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "planner", "report", str(src), "--out",
                          str(out / "kent_cli.pdf")], env=env, capture_output=True, text=True)
    if run.returncode:
        raise SystemExit(run.stderr)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--areas", nargs="+", default=["kent", "england"], choices=TARGETS_S)
    parser.add_argument("--out", type=Path, default=None, help="keep the PDFs here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        print(f"{'area':<8} {'centres':>7} {'feds':>5} {'content':>8} {'draw':>7} {'total':>7} "
              f"{'target':>7} {'pages':>6} {'MB':>6}")
        for area in args.areas:
            r = measure(area, out)
            print(f"{r['area']:<8} {r['centres']:>7} {r['federations']:>5} "
                  f"{r['content_s']:>7.2f}s {r['draw_s']:>6.2f}s {r['total_s']:>6.2f}s "
                  f"{r['target_s']:>6.0f}s {r['pages']:>6} {r['mb']:>6.2f}")
        if "kent" in args.areas:
            print(f"planner report (Kent, fresh process, Qt start-up included): "
                  f"{cli_kent(out):.2f} s")


if __name__ == "__main__":
    main()
