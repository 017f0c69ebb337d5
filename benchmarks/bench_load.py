"""Load benchmark: the national 2016 children's centre extract (3,272 rows, 17 unlocated).

    python benchmarks/bench_load.py [CSV] [--runs N]

Times ``planner.geo.io.read_centres`` (parse, validate, project lon/lat to British National Grid)
and prints the best of N runs (default 5). Imports are done before timing. Aim: under 2 s.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from planner.geo.io import read_centres

DEFAULT = (
    Path(__file__).resolve().parents[1].parent
    / "shared" / "data" / "childrens_centres" / "childrens_centres_england_2016-08-04.csv"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        result = read_centres(args.csv)
        times.append(time.perf_counter() - start)
    print(f"{args.csv.name}: {len(result.centres)} centres loaded in {result.centres.crs}, "
          f"{len(result.warnings)} warning(s)")
    print(f"best of {args.runs}: {min(times):.3f} s (first run {times[0]:.3f} s, "
          f"worst {max(times):.3f} s)")


if __name__ == "__main__":
    main()
