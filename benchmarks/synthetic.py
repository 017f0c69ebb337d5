"""Synthetic layouts of centres: "clustered towns" over a 500 km square of England.

The family the scale benchmark (``bench_scale.py``) plans, as a new user's data might look:

- three quarters of the centres sit in Gaussian *towns*: town centres uniform over the square,
  town sizes Pareto-distributed (a few cities, many small towns), each town's spread growing with
  the square root of its size (a town of 100 centres has a standard deviation of about 4 km);
- one quarter is *rural*: uniform over the square;
- coordinates are British National Grid easting/northing (EPSG:27700, metres), the square
  100,000-600,000 m both ways, inside England's extent; points are rounded to the metre and kept
  distinct (as postcodes of different centres usually are);
- K = N / 20 federations of 15-25 centres (:func:`request`).

Every layout is fixed by ``(n, seed)``. The named sets (:data:`LAYOUTS`) are the benchmark's:
10 layouts at N=3,000, 5 at 10,000, one at 30,000 and one at 100,000.

    python benchmarks/synthetic.py --n 3000 --seed 0 --out towns_3000_0.csv   # a CSV to open
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

__all__ = ["LAYOUTS", "towns", "request", "as_centres", "write_csv", "EXTENT"]

EXTENT = (100_000.0, 600_000.0)  # the square's easting and northing range (m)
RURAL_SHARE = 0.25
PARETO_SHAPE = 1.2  # town sizes: a heavy tail (Zipf-like cities)
CENTRES_PER_TOWN = 30  # mean town size; the number of towns follows from N
TOWN_SIGMA_M = 400.0  # spread of a one-centre town; grows with sqrt(size)

# name -> (n, seed): the benchmark's layouts
LAYOUTS: dict[str, tuple[int, int]] = {
    **{f"towns_3k_{s}": (3_000, s) for s in range(10)},
    **{f"towns_10k_{s}": (10_000, 100 + s) for s in range(5)},
    "towns_30k_0": (30_000, 300),
    "towns_100k_0": (100_000, 1_000),
}


def _town_sizes(n_town: int, rng: np.random.Generator) -> np.ndarray:
    """Pareto town sizes adding up to ``n_town`` (each at least one centre)."""
    n_towns = max(1, round(n_town / CENTRES_PER_TOWN))
    raw = rng.pareto(PARETO_SHAPE, n_towns) + 1.0
    raw = np.minimum(raw, 50.0 * np.median(raw))  # no single town holds most of the map
    sizes = np.maximum(1, np.floor(raw / raw.sum() * n_town)).astype(int)
    # hand out the rounding remainder to the largest towns (or take it back from them)
    order = np.argsort(-sizes)
    diff = n_town - int(sizes.sum())
    i = 0
    while diff != 0:
        j = order[i % len(order)]
        step = 1 if diff > 0 else -1
        if sizes[j] + step >= 1:
            sizes[j] += step
            diff -= step
        i += 1
    return sizes


def towns(n: int, seed: int) -> np.ndarray:
    """(n, 2) distinct easting/northing points (metres) of the clustered-towns family."""
    rng = np.random.default_rng([20_261_202, int(n), int(seed)])
    lo, hi = EXTENT
    n_rural = int(round(RURAL_SHARE * n))
    sizes = _town_sizes(n - n_rural, rng)
    centres = rng.uniform(lo, hi, size=(len(sizes), 2))
    parts = [rng.uniform(lo, hi, size=(n_rural, 2))]
    for (cx, cy), m in zip(centres, sizes, strict=True):
        sigma = TOWN_SIGMA_M * np.sqrt(m)
        parts.append(rng.normal((cx, cy), sigma, size=(m, 2)))
    xy = np.clip(np.round(np.concatenate(parts)), lo, hi)
    # distinct points: nudge duplicates by a metre until none is left
    while True:
        _, first = np.unique(xy, axis=0, return_index=True)
        dup = np.setdiff1d(np.arange(len(xy)), first)
        if len(dup) == 0:
            break
        xy[dup] += rng.integers(-3, 4, size=(len(dup), 2))
        xy[dup] = np.clip(xy[dup], lo, hi)
    return xy[rng.permutation(len(xy))]


def request(n: int) -> tuple[int, int, int]:
    """(K, min size, max size) for a layout of ``n`` centres: K = N/20, sizes 15-25."""
    return n // 20, 15, 25


def as_centres(xy: np.ndarray, name: str = "towns"):
    """A :class:`planner.domain.centres.Centres` of the points (ids ``S000001``...)."""
    from pyproj import Transformer

    from planner.domain.centres import Centres

    to_ll = Transformer.from_crs("EPSG:27700", "EPSG:4326", always_xy=True)
    lon, lat = to_ll.transform(xy[:, 0], xy[:, 1])
    ids = [f"S{i + 1:06d}" for i in range(len(xy))]
    return Centres(
        ids=ids,
        names=[f"{name} centre {i + 1}" for i in range(len(xy))],
        xy=np.asarray(xy, dtype=float),
        lonlat=np.column_stack([lon, lat]),
        crs="EPSG:27700",
        attributes={},
        source=f"synthetic:{name}",
    )


def write_csv(xy: np.ndarray, path: Path) -> None:
    """A centres CSV (id, name, easting, northing) that ``planner plan`` reads."""
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "name", "easting", "northing"])
        for i, (x, y) in enumerate(xy.tolist()):
            w.writerow([f"S{i + 1:06d}", f"Centre {i + 1}", int(x), int(y)])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    write_csv(towns(args.n, args.seed), args.out)
    k, lo, hi = request(args.n)
    print(f"{args.out}: {args.n} centres; plan with K={k}, sizes {lo}-{hi}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
