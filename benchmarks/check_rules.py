"""Check a saved plan against the hard rules, independently of the engine.

    python benchmarks/check_rules.py PLAN.geojson CENTRES.csv --federations K --min-size 15 \
        --max-size 25 [--max-radius-m M] [--json OUT]

Reads the plan file as plain JSON (its ``"planner"`` member: the assignment of centre ids to
federation keys and each federation's hub) and the centres CSV (``id,easting,northing``), and
checks, with its own code:

- every centre of the CSV is in exactly one federation, and the plan names no other centre;
- there are exactly K federations, each with a hub that is one of its own members;
- every federation has between the minimum and maximum number of centres;
- every federation is one connected piece of the neighbourhood graph (its own breadth-first
  search over the graph's edges);
- every member is within the maximum distance of its hub, when one is given (the largest such
  distance is always reported).

The only planner code it uses is the graph builder, :func:`planner.clustering.graph.
neighbourhood_graph`, since "connected" is defined in that graph; the engine, its bookkeeping
and ``planner.domain.constraints`` are not used. Exit 0 when every rule holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import deque
from pathlib import Path

import numpy as np

__all__ = ["check_plan", "read_centres_csv", "main"]


def read_centres_csv(path: Path) -> tuple[list[str], np.ndarray]:
    ids, xy = [], []
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            ids.append(row["id"])
            xy.append((float(row["easting"]), float(row["northing"])))
    return ids, np.array(xy, dtype=float)


def _edges(ids: list[str], xy: np.ndarray) -> list[tuple[int, int]]:
    from planner.clustering.graph import neighbourhood_graph
    from planner.domain.centres import Centres

    centres = Centres(ids=ids, names=list(ids), xy=xy, lonlat=np.zeros_like(xy),
                      crs="EPSG:27700", attributes={}, source="check_rules")
    return [(int(a), int(b)) for a, b in neighbourhood_graph(centres).edges()]


def _connected(members: list[int], adj: dict[int, list[int]]) -> bool:
    inside = set(members)
    seen = {members[0]}
    queue = deque([members[0]])
    while queue:
        x = queue.popleft()
        for y in adj.get(x, ()):
            if y in inside and y not in seen:
                seen.add(y)
                queue.append(y)
    return len(seen) == len(inside)


def check_plan(
    plan_doc: dict,
    ids: list[str],
    xy: np.ndarray,
    k: int,
    lo: int,
    hi: int,
    max_radius_m: float | None = None,
    edges: list[tuple[int, int]] | None = None,
) -> dict:
    """Every broken rule (``"broken"``: list of sentences) and the figures checked."""
    member = plan_doc["planner"]
    assignment: dict[str, int] = {str(c): int(f) for c, f in member["assignment"].items()}
    hubs = {int(f["key"]): f.get("hub") for f in member["federations"]}
    row = {c: i for i, c in enumerate(ids)}
    broken: list[str] = []
    if len(row) != len(ids):
        broken.append("the centres file repeats an id")
    missing = [c for c in ids if c not in assignment]
    extra = [c for c in assignment if c not in row]
    if missing:
        broken.append(f"{len(missing)} centres are in no federation (e.g. {missing[:3]})")
    if extra:
        broken.append(f"{len(extra)} unknown centres are assigned (e.g. {extra[:3]})")
    feds: dict[int, list[int]] = {}
    for c, f in assignment.items():
        if c in row:
            feds.setdefault(f, []).append(row[c])
    if len(feds) != k:
        broken.append(f"{len(feds)} federations hold centres, not {k}")
    empty = [f for f in hubs if f not in feds]
    if empty:
        broken.append(f"{len(empty)} federations are listed without centres")
    adj: dict[int, list[int]] = {}
    for a, b in edges if edges is not None else _edges(ids, xy):
        adj.setdefault(a, []).append(b)
        adj.setdefault(b, []).append(a)
    sizes = sorted(len(m) for m in feds.values())
    n_size = n_piece = n_hub = n_far = 0
    worst = 0.0
    for f, members in feds.items():
        if not lo <= len(members) <= hi:
            n_size += 1
        if not _connected(members, adj):
            n_piece += 1
        hub = hubs.get(f)
        if hub is None or hub not in row or row[hub] not in members:
            n_hub += 1
            continue
        d = np.hypot(*(xy[members] - xy[row[hub]]).T)
        worst = max(worst, float(d.max()))
        if max_radius_m is not None and d.max() > max_radius_m + 1e-6:
            n_far += 1
    if n_size:
        broken.append(f"{n_size} federations have a size outside {lo}-{hi} "
                      f"(sizes {sizes[0]}-{sizes[-1]})")
    if n_piece:
        broken.append(f"{n_piece} federations are in more than one piece")
    if n_hub:
        broken.append(f"{n_hub} federations have no hub among their members")
    if n_far:
        broken.append(f"{n_far} federations have a member over {max_radius_m:.0f} m from the hub")
    return {
        "ok": not broken,
        "broken": broken,
        "federations": len(feds),
        "size_min": sizes[0] if sizes else None,
        "size_max": sizes[-1] if sizes else None,
        "max_hub_distance_m": round(worst, 1),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("plan", type=Path)
    ap.add_argument("centres", type=Path)
    ap.add_argument("--federations", type=int, required=True)
    ap.add_argument("--min-size", type=int, required=True)
    ap.add_argument("--max-size", type=int, required=True)
    ap.add_argument("--max-radius-m", type=float, default=None)
    ap.add_argument("--json", type=Path, default=None, help="write the result here too")
    args = ap.parse_args(argv)
    ids, xy = read_centres_csv(args.centres)
    doc = json.loads(args.plan.read_text(encoding="utf-8"))
    out = check_plan(doc, ids, xy, args.federations, args.min_size, args.max_size,
                     args.max_radius_m)
    if args.json:
        args.json.write_text(json.dumps(out))
    print(json.dumps(out))
    return 0 if out["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
