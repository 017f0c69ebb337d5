"""Reach benchmark: each centre's small areas, for a county and for all England.

A script, not a test::

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_reach.py [--repeats 5] [--no-write]

Times, in one process (best of ``--repeats`` unless said otherwise):

- loading the shipped small areas (first call, uncached);
- the land (England's districts near the centres, ``geo.context.boundaries_for``, then
  ``geo.land.study_area``), and reach over it (``geo.small_areas.reach_for`` given the land: the
  point-in-land mask and ``domain.reach.compute_reach``), for Kent + Medway and all England (the
  2016 extract, 3,255 centres; the 2026 one, 2,840);
- federation figures for the engine's plan of all England (K=160): building ``ReachStats`` and
  one move's incremental ``update`` (median of 200 random single-centre moves);
- the Reach map layer for all England: building its item, and painting the whole country into a
  1440 x 900 image (median of the repeats). Targets: reach < 1 s, layer paint < 100 ms.

Writes the section "Reach" at the end of ``RESULTS.md`` (replacing an earlier one).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from areas import AREAS, NATIONAL_2026, data_root, load_area  # noqa: E402
from measure import best_of, replace_section  # noqa: E402

SECTION = "## Reach: children and deprivation per centre"


def _national_2026():
    import dataclasses

    AREAS["england2026"] = dataclasses.replace(
        AREAS["england"], key="england2026", title="All England (2026)", path=NATIONAL_2026)
    return load_area("england2026")[0]


def time_reach(centres, repeats: int) -> dict:
    from planner.geo.context import boundaries_for
    from planner.geo.land import study_area
    from planner.geo.small_areas import reach_for

    (layer, _), t_layer = best_of(lambda: boundaries_for(centres), 1)
    land, t_land = best_of(lambda: study_area(centres, layer), repeats)
    reach, t_reach = best_of(lambda: reach_for(centres, land=land), repeats)
    return {"n": len(centres), "layer_s": t_layer, "land_s": t_land, "reach_s": t_reach,
            "areas": int((reach.owner >= 0).sum()), "children": float(reach.children.sum()),
            "deprived": float(reach.deprived.sum()), "reach": reach}


def time_federations(centres, reach, seed: int) -> dict:
    from planner.clustering.federate import federate_now
    from planner.domain.constraints import Constraints
    from planner.domain.plan import Reassign
    from planner.domain.reach_stats import ReachStats
    from planner.domain.stats import PlanStats

    plan = federate_now(centres, Constraints(federations=160), seed=seed).plan
    stats = PlanStats(plan)
    t0 = time.perf_counter()
    rs = ReachStats(plan, reach, lambda k: stats[k].hub)
    build = time.perf_counter() - t0
    rng = np.random.default_rng(seed)
    keys = list(plan.federations)
    times = []
    for row in rng.choice(len(centres), size=200, replace=False):
        to = keys[int(rng.integers(len(keys)))]
        edit = Reassign.make(plan, [centres.ids[int(row)]], to)
        changed = edit.apply(plan)
        stats.update(changed)
        t0 = time.perf_counter()
        rs.update(changed)
        times.append(time.perf_counter() - t0)
    fresh = rs.full_recompute()
    drift = max(abs(rs[k].children - fresh[k].children) for k in fresh)
    return {"build_s": build, "update_ms": statistics.median(times) * 1000,
            "update_max_ms": max(times) * 1000, "drift": drift}


def time_layer(reach, repeats: int) -> dict:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QApplication, QGraphicsScene

    from planner.ui.reach_layer import ReachLayerItem

    QApplication.instance() or QApplication([])
    served = np.flatnonzero(reach.owner >= 0)
    t0 = time.perf_counter()
    item = ReachLayerItem(reach.areas.xy[served], reach.areas.imd_decile[served])
    build = time.perf_counter() - t0
    item.setCacheMode(ReachLayerItem.CacheMode.NoCache)  # time the drawing, not the pixel cache
    scene = QGraphicsScene()
    scene.addItem(item)
    source = item.boundingRect()
    image = QImage(1440, 900, QImage.Format.Format_ARGB32_Premultiplied)
    times = []
    for _ in range(max(3, repeats)):
        image.fill(QColor("white"))
        painter = QPainter(image)
        t0 = time.perf_counter()
        scene.render(painter, QRectF(0, 0, 1440, 900), source)
        times.append(time.perf_counter() - t0)
        painter.end()
    return {"build_s": build, "paint_ms": statistics.median(times) * 1000,
            "painted": item.painted}


def section(rows: dict, fed: dict, layer: dict, load_s: float, cmd: str,
            note: str = "") -> list[str]:
    started = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [SECTION, "", "```", cmd, "```", "",
             f"Run {started}, {os.cpu_count()} CPUs shared with other work (load average "
             f"{os.getloadavg()[0]:.1f}). Loading the shipped small areas "
             f"(33,755 LSOAs, 0.5 MB .npz): {load_s * 1000:.0f} ms.", "",
             "| area | centres | land (s) | reach (s) | small areas served | children 0-15 "
             "| deprived children |", "|---|---:|---:|---:|---:|---:|---:|"]
    for title, r in rows.items():
        lines.append(f"| {title} | {r['n']:,} | {r['land_s']:.3f} | {r['reach_s']:.3f} | "
                     f"{r['areas']:,} | {r['children']:,.0f} | {r['deprived']:,.0f} "
                     f"({r['deprived'] / max(r['children'], 1):.0%}) |")
    eng = rows["All England (2016)"]
    lines += ["", f"All England (2016), the engine's plan with K=160: federation figures built in "
              f"{fed['build_s'] * 1000:.1f} ms; one move updates them in {fed['update_ms']:.2f} "
              f"ms (median of 200 single-centre moves, max {fed['update_max_ms']:.2f} ms; after "
              f"them the incremental children differ from a fresh sum by at most "
              f"{fed['drift']:.1e}).",
              f"Reach layer, all England ({layer['painted']:,} squares): item built in "
              f"{layer['build_s'] * 1000:.0f} ms, the whole country painted into 1440 x 900 in "
              f"{layer['paint_ms']:.1f} ms (median).", "",
              f"**Targets**: reach for all England {eng['reach_s']:.3f} s (land "
              f"{eng['land_s']:.3f} s more) < 1 s: "
              f"{'met' if eng['reach_s'] + eng['land_s'] < 1 else 'MISSED'}; layer paint "
              f"{layer['paint_ms']:.1f} ms < 100 ms: "
              f"{'met' if layer['paint_ms'] < 100 else 'MISSED'}."]
    if note:
        lines += ["", note]
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-write", action="store_true", help="print only")
    ap.add_argument("--note", default="", help="a paragraph to add (e.g. the drop latency)")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    args = ap.parse_args(argv)
    print(f"data: {data_root()}", flush=True)

    from planner.geo.small_areas import load_small_areas

    t0 = time.perf_counter()
    load_small_areas()
    load_s = time.perf_counter() - t0
    rows = {}
    for title, get in (("Kent + Medway (sample)", lambda: load_area("kent")[0]),
                       ("All England (2016)", lambda: load_area("england")[0]),
                       ("All England (2026)", _national_2026)):
        rows[title] = time_reach(get(), args.repeats)
        r = rows[title]
        print(f"{title}: {r['n']} centres, land {r['land_s']:.3f} s, reach {r['reach_s']:.3f} s, "
              f"{r['areas']} areas, {r['children']:,.0f} children", flush=True)
    england = load_area("england")[0]
    reach = rows["All England (2016)"]["reach"]
    fed = time_federations(england, reach, args.seed)
    print(f"federations: build {fed['build_s'] * 1000:.1f} ms, update {fed['update_ms']:.2f} ms",
          flush=True)
    layer = time_layer(reach, args.repeats)
    print(f"layer: build {layer['build_s'] * 1000:.0f} ms, paint {layer['paint_ms']:.1f} ms",
          flush=True)
    lines = section(rows, fed, layer, load_s,
                    "QT_QPA_PLATFORM=offscreen python benchmarks/bench_reach.py",
                    args.note)
    print("\n".join(lines))
    if not args.no_write:
        replace_section(args.out, SECTION, lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
