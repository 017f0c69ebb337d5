"""Drop latency and repaint speed of the map with all of England (3,255 centres, ~160 federations).

A script, not a test::

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_ui_drop.py [--drops 50] [--seed 0]

It opens the 2016 national file (the ~3,500 peak), makes ~160 federations by seeded k-means, shows
the map offscreen at 1280x800 and times:

- a drop: pushing the ``EditCommand`` of a one-centre move on the undo stack, until the document's
  statistics, the two outlines and the centre colours are updated (synchronous); and the same plus
  a full repaint of the viewport. Target: under 50 ms (median of ``--drops`` moves).
- the drag preview: resolving the target federation under the cursor (per mouse move).
- a repaint of the whole map at fit-all, zoomed in, and after a pan step (smooth pan and zoom).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"
CENTRES = DATA / "childrens_centres" / "childrens_centres_england_2016-08-04.csv"
DISTRICTS = DATA / "boundaries" / "england_lad_may2024_buc.geojson"


def kmeans_labels(xy: np.ndarray, k: int, seed: int, iterations: int = 25) -> np.ndarray:
    """Seeded Lloyd's k-means (k-means++ start), chunked to keep memory small."""
    rng = np.random.default_rng(seed)
    centres = [xy[rng.integers(len(xy))]]
    d2 = ((xy - centres[0]) ** 2).sum(1)
    for _ in range(1, k):
        c = xy[rng.choice(len(xy), p=d2 / d2.sum())]
        centres.append(c)
        d2 = np.minimum(d2, ((xy - c) ** 2).sum(1))
    c = np.array(centres)
    labels = np.zeros(len(xy), dtype=int)
    for _ in range(iterations):
        labels = np.argmin(((xy[:, None, :] - c[None, :, :]) ** 2).sum(-1), axis=1)
        for j in range(k):
            members = labels == j
            if members.any():
                c[j] = xy[members].mean(0)
    return labels


def ms(seconds: list[float]) -> str:
    s = sorted(seconds)
    p90 = s[min(len(s) - 1, int(0.9 * len(s)))]
    return f"median {statistics.median(s) * 1e3:6.1f} ms   p90 {p90 * 1e3:6.1f} ms   " \
           f"max {s[-1] * 1e3:6.1f} ms"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--drops", type=int, default=50)
    ap.add_argument("--federations", type=int, default=160)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if not CENTRES.exists():
        print(f"data not found: {CENTRES}", file=sys.stderr)
        return 2

    import geopandas as gpd
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from planner.domain.plan import Plan, Reassign
    from planner.ui.commands import EditCommand
    from planner.ui.document import Document
    from planner.ui.map_scene import MapScene
    from planner.ui.map_view import MapView

    app = QApplication.instance() or QApplication([])
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average {load:.1f} on {os.cpu_count()} CPUs (wall times include waiting for one)")
    t = time.perf_counter()
    from planner.geo.io import read_centres

    centres = read_centres(CENTRES, coords="bng").centres
    plan = Plan.from_labels(centres, kmeans_labels(centres.xy, args.federations, args.seed))
    districts = gpd.read_file(DISTRICTS).to_crs(centres.crs)
    print(f"{len(centres)} centres, {len(plan.federations)} federations "
          f"(loaded in {time.perf_counter() - t:.2f} s)")

    t = time.perf_counter()
    document = Document(plan)
    document.boundaries = districts
    t_doc = time.perf_counter() - t
    t = time.perf_counter()
    scene = MapScene(document)
    t_scene = time.perf_counter() - t
    view = MapView(scene)
    view.resize(1280, 800)
    view.show()
    app.processEvents()
    view.fit_all()
    t = time.perf_counter()
    view.viewport().grab()
    t_first = time.perf_counter() - t
    print(f"document {t_doc * 1e3:.0f} ms; scene build (cells, items) {t_scene * 1e3:.0f} ms; "
          f"first paint {t_first * 1e3:.0f} ms")

    stack = QUndoStack()
    rng = np.random.default_rng(args.seed)
    graph = document.graph
    sync, looped, painted, cpu, outlines_ok, moved = [], [], [], [], 0, []
    while len(moved) < args.drops:
        row = int(rng.integers(len(centres)))
        other = [v for v in graph.neighbors(row) if plan.assignment[v] != plan.assignment[row]]
        if not other:
            continue
        cid, to = centres.ids[row], int(plan.assignment[other[0]])
        src = plan.federation_of(cid)
        before_src, before_to = scene.outlines[src], scene.outlines[to]
        edit = Reassign.make(plan, [cid], to)
        c0 = time.process_time()
        t0 = time.perf_counter()
        stack.push(EditCommand(document, edit))
        t1 = time.perf_counter()
        app.processEvents()  # the event loop paints what changed
        t2 = time.perf_counter()
        cpu.append(time.process_time() - c0)
        view.viewport().repaint()
        t3 = time.perf_counter()
        sync.append(t1 - t0)
        looped.append(t2 - t0)
        painted.append(t3 - t2 + t1 - t0)
        moved.append(cid)
        item = scene.centre_items[centres.index_of(cid)]
        assert item.colour == plan.federations[to].colour
        assert document.stats[to].count == len(plan.members(to))
        outlines_ok += (scene.outlines[src] is not before_src) and (
            scene.outlines[to] is not before_to)
    print(f"drop -> stats, 2 outlines, colours ({args.drops} drops): {ms(sync)}")
    print(f"drop -> ... + event loop repaints changes:  {ms(looped)}")
    print(f"   the same, CPU time of this process:      {ms(cpu)}")
    print(f"drop -> ... + full repaint at fit-all:      {ms(painted)}")
    print(f"outlines rebuilt for both federations in {outlines_ok}/{len(moved)} drops")

    # undo everything: the plan returns to the start
    t = time.perf_counter()
    while stack.canUndo():
        stack.undo()
    print(f"undo {len(moved)} drops: {(time.perf_counter() - t) * 1e3:.0f} ms")

    # drag preview: resolve the target under the cursor (per mouse move)
    scale = view.scale_factor
    pts = centres.xy[rng.integers(len(centres), size=200)] + rng.normal(0, 1500, (200, 2))
    resolve = []
    for x, y in pts:
        t0 = time.perf_counter()
        scene.federation_at(QPointF(x, -y))
        scene.centre_at(QPointF(x, -y), scale)
        resolve.append(time.perf_counter() - t0)
    print(f"drag preview target lookup (per move):     {ms(resolve)}")

    # pan and zoom smoothness: full repaints
    def repaints(n=20):
        out = []
        for _ in range(n):
            t0 = time.perf_counter()
            view.viewport().repaint()
            out.append(time.perf_counter() - t0)
        return out

    view.fit_all()
    print(f"repaint, fit all (3,255 symbols):          {ms(repaints())}")
    app.processEvents()
    pans = []
    for i in range(20):
        t0 = time.perf_counter()
        view._scroll_by(QPointF(15.0 if i % 2 else -15.0, 10.0))  # as a mouse-drag pan does
        app.processEvents()
        pans.append(time.perf_counter() - t0)
    print(f"pan step (15 px) + paint, fit all:         {ms(pans)}")
    zooms = []
    for i in range(20):
        t0 = time.perf_counter()
        view.zoom_by(1.25 if i % 2 == 0 else 0.8, QPointF(640, 400))
        app.processEvents()
        zooms.append(time.perf_counter() - t0)
    print(f"wheel zoom step + paint, fit all:          {ms(zooms)}")
    london = [c for c in centres.ids if plan.centres.attributes["lad_name"][
        centres.index_of(c)] in ("Camden", "Islington", "Hackney")]
    view.zoom_to_centres(london)
    print(f"repaint, zoomed in with labels ({len(london)} centres in frame): {ms(repaints())}")
    app.processEvents()
    pans = []
    for i in range(20):
        t0 = time.perf_counter()
        view._scroll_by(QPointF(15.0 if i % 2 else -15.0, 10.0))
        app.processEvents()
        pans.append(time.perf_counter() - t0)
    print(f"pan step (15 px) + paint, zoomed in:       {ms(pans)}")
    view.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
