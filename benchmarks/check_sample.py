"""The committed sample is exactly what ``sample_data/make_sample.py`` makes from the national data.

    python benchmarks/check_sample.py        # exit 1 naming any file that differs

Needs the shared data folder (``benchmarks/areas.py``'s ``data_root()``), so it is not a unit
test: ``tests/geo/test_sample_data.py`` checks the builder's logic on a small hand-made source.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

from areas import data_root

from planner.resources import where

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    spec = importlib.util.spec_from_file_location("make_sample",
                                                  ROOT / "sample_data" / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    differ = []
    with tempfile.TemporaryDirectory() as tmp:
        module.main(data_root(), Path(tmp))
        for name in ("kent_medway_centres.csv", "kent_medway_districts.geojson"):
            if (Path(tmp) / name).read_bytes() != where(f"sample/{name}").read_bytes():
                differ.append(name)
    for name in differ:
        print(f"differs from what make_sample.py makes: planner/resources/sample/{name}")
    if not differ:
        print("the sample regenerates byte for byte")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
