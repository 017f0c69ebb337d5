"""Exclaves in exported plans: federations drawn in more than one piece on one land part.

The counter is independent of the planner: it reads only an exported GeoJSON (centre points and
``kind: "outline"`` features, as ``planner export --outlines`` writes them) and the boundary file,
with geopandas and shapely. The land is the union of the boundary polygons holding a centre (or
within 5 km of one); its parts are its polygons. An *exclave* is a second (third...) outline piece
over 1 km² of one federation on the same land part. An *orphan* is an outline piece over 1 km²
holding none of its federation's centres on a land part that has centres (a small island with no
centre of its own, given to the nearest centre, is not one).

    python benchmarks/exclaves.py count PLAN_EXPORT.geojson BOUNDARIES.geojson
    python benchmarks/exclaves.py run [--only kent,authorities,england,national]
                                      [--out RESULTS.json]

``run`` makes the exports with the ``planner`` command (in-process: ``planner.cli.main``): the
Kent sample, seeds 0-4, children_0_15 +-10%, K=5, its districts; every upper-tier authority of the
2026 centres file with its own UTLA polygon, K = max(1, round(n / 20)); all England (2016 file),
K=160, sizes 17-24, with the districts of England; ``national`` (not run by default): the whole
2026 file in one run, ``--per-authority dfe_la_name --target-size 20 --links`` (each authority on
its own land) with the upper-tier authorities' polygons.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
MIN_AREA_M2 = 1e6
NEAR_M = 5_000.0
BNG = "EPSG:27700"


def count(export: str | Path, boundaries: str | Path) -> dict:
    """Exclaves and orphans per federation of an exported plan (see the module docstring)."""
    frame = gpd.read_file(export).to_crs(BNG)
    kind = frame["kind"] if "kind" in frame.columns else pd.Series([None] * len(frame))
    outlines = frame[kind == "outline"]
    points = frame[frame.geometry.geom_type == "Point"]
    layer = gpd.read_file(boundaries).to_crs(BNG)
    polys = np.asarray(shapely.make_valid(layer.geometry.to_numpy()))
    tree = shapely.STRtree(polys)
    pts = points.geometry.to_numpy()
    hit = set(tree.query(pts, predicate="dwithin", distance=NEAR_M)[1].tolist())
    land = shapely.union_all(polys[sorted(hit)])
    parts = shapely.get_parts(land)
    part_tree = shapely.STRtree(parts)
    by_fed: dict[str, dict] = {}
    for fed, geom in zip(outlines["federation"], outlines.geometry, strict=True):
        mine = pts[(points["federation"] == fed).to_numpy()]
        pieces = [p for p in shapely.get_parts(shapely.make_valid(geom))
                  if p.geom_type == "Polygon" and p.area > MIN_AREA_M2]
        on_part: dict[int, list[float]] = {}
        orphans = 0
        for piece in pieces:
            cand = part_tree.query(piece, predicate="intersects")
            if len(cand) == 0:
                continue
            overlap = shapely.area(shapely.intersection(parts[cand], piece))
            on_part.setdefault(int(cand[int(np.argmax(overlap))]), []).append(piece.area)
            home = parts[cand[int(np.argmax(overlap))]]
            if (not shapely.intersects(piece.buffer(1.0), mine).any()
                    and shapely.intersects(home.buffer(200.0), pts).any()):
                orphans += 1  # a piece without its centres on land that has centres
        exclaves = sum(len(v) - 1 for v in on_part.values())
        by_fed[str(fed)] = {"exclaves": exclaves, "orphans": orphans,
                            "land_parts": len(on_part),
                            "exclave_km2": sum(sum(sorted(v)[:-1]) for v in on_part.values()) / 1e6}
    return {
        "federations": len(by_fed),
        "exclaves": sum(f["exclaves"] for f in by_fed.values()),
        "orphans": sum(f["orphans"] for f in by_fed.values()),
        "federations_with_exclaves": sum(1 for f in by_fed.values() if f["exclaves"]),
        "exclave_km2": round(sum(f["exclave_km2"] for f in by_fed.values()), 1),
        "by_federation": by_fed,
    }


# -- making the exports (the planner's own command, in-process) -----------------------------------
def _planner(argv: list[str]) -> int:
    from planner.cli import main

    try:
        return main(argv)
    except Exception as exc:  # noqa: BLE001 - a crash is a result here (e.g. an older planner)
        print(f"crash: {type(exc).__name__}: {exc}", file=sys.stderr)
        return -1


def _plan_and_count(centres: Path, boundaries: Path, plan_args: list[str], work: Path,
                    tag: str) -> dict:
    plan, out = work / f"{tag}.plan.geojson", work / f"{tag}.out.geojson"
    t0 = time.perf_counter()
    rc = _planner(["plan", str(centres), "--out", str(plan), "-q", "--boundaries",
                   str(boundaries), *plan_args])
    seconds = time.perf_counter() - t0
    if rc != 0:
        return {"area": tag, "status": f"plan exit {rc}"}
    rc = _planner(["export", str(plan), "--out", str(out), "--outlines", "--boundaries",
                   str(boundaries)])
    if rc != 0:
        return {"area": tag, "status": f"export exit {rc}"}
    result = count(out, boundaries)
    result.pop("by_federation")
    return {"area": tag, "status": "ok", "plan_seconds": round(seconds, 2), **result}


def run_kent(work: Path) -> list[dict]:
    from areas import KENT_SAMPLE, data_root

    root = data_root()
    districts = root / "sample_kent_medway" / "kent_medway_lad_may2024_buc.geojson"
    from planner.resources import where

    centres = where("sample/kent_medway_centres.csv")  # has children_0_15
    _ = KENT_SAMPLE
    return [_plan_and_count(centres, districts, ["-k", "5", "--weight", "children_0_15",
                                                 "--tolerance", "10", "--seed", str(seed)],
                            work, f"kent_seed{seed}") for seed in range(5)]


def run_authorities(work: Path) -> list[dict]:
    from areas import NATIONAL_2026, data_root

    root = data_root()
    table = pd.read_csv(root / NATIONAL_2026, dtype=str)
    table = table[table["easting"].notna() & table["northing"].notna()]
    utla = gpd.read_file(root / "boundaries" / "england_utla_2024_dissolved_from_lad_buc.geojson")
    out = []
    for name, rows in sorted(table.groupby("utla_name")):
        poly = utla[utla["utla_name"] == name]
        if poly.empty:
            out.append({"area": name, "status": "no UTLA polygon"})
            continue
        safe = "".join(ch if ch.isalnum() else "_" for ch in name)
        centres, boundary = work / f"{safe}.csv", work / f"{safe}.geojson"
        rows.to_csv(centres, index=False)
        poly.to_file(boundary, driver="GeoJSON")
        k = max(1, round(len(rows) / 20))
        out.append(_plan_and_count(centres, boundary, ["-k", str(k)], work, safe))
    return out


def run_england(work: Path) -> list[dict]:
    from areas import NATIONAL_2016, data_root

    from planner.resources import ENGLAND_DISTRICTS, where

    return [_plan_and_count(data_root() / NATIONAL_2016, where(ENGLAND_DISTRICTS),
                            ["-k", "160", "--min-size", "17", "--max-size", "24"], work,
                            "england2016")]


def run_national(work: Path) -> list[dict]:
    from areas import NATIONAL_2026, data_root

    root = data_root()
    utla = root / "boundaries" / "england_utla_2024_dissolved_from_lad_buc.geojson"
    links = root / "childrens_centres" / "childrens_centre_links_2026-08-21.csv"
    return [_plan_and_count(root / NATIONAL_2026, utla,
                            ["--per-authority", "dfe_la_name", "--target-size", "20", "--links",
                             str(links), "--jobs", "2"], work, "national2026")]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("count")
    c.add_argument("export")
    c.add_argument("boundaries")
    r = sub.add_parser("run")
    r.add_argument("--only", default="kent,authorities,england")
    r.add_argument("--out", type=Path)
    args = ap.parse_args(argv)
    if args.cmd == "count":
        print(json.dumps(count(args.export, args.boundaries), indent=1))
        return 0
    runs = {"kent": run_kent, "authorities": run_authorities, "england": run_england,
            "national": run_national}
    results: dict[str, list[dict]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.only.split(","):
            results[name] = runs[name](Path(tmp))
            rows = results[name]
            ok = [r for r in rows if r["status"] == "ok"]
            print(f"{name}: {len(ok)}/{len(rows)} ok, exclaves {sum(r['exclaves'] for r in ok)}, "
                  f"orphans {sum(r['orphans'] for r in ok)}, federations with exclaves "
                  f"{sum(r['federations_with_exclaves'] for r in ok)}/"
                  f"{sum(r['federations'] for r in ok)}", flush=True)
            for r in rows:
                if r["status"] != "ok" or r["exclaves"] or r["orphans"]:
                    print("   ", r, flush=True)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
