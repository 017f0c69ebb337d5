"""Build ``planner/resources/small_areas/england_lsoa2021.npz``: England's small areas for reach.

    python resources/build_small_areas.py [SHARED_DATA_DIR]

Reads the two tables of ``small_areas/`` in the shared data folder (see its README, section 4):

- ``lsoa2021_census2021_age_england.csv``: the 33,755 LSOAs on 2021 boundaries, with Census 2021
  residents (``total``, ``age_0_15``) and centroids (easting, northing; BNG metres);
- ``lsoa2011_imd2019_england.csv``: the 32,844 LSOAs on 2011 boundaries with IMD 2019 rank and
  decile and their population-weighted centroids.

Each 2021 area takes the IMD 2019 rank and decile of the 2011 area with the same code when the code
is unchanged (ONS keeps a code only for an unchanged area), else of the 2011 area whose centroid is
nearest to its own (a split area's parts lie inside the old area; a merged area takes its nearest
part). The counts of each are printed and written to the folder's README.

The output is one compressed ``.npz`` of plain arrays (about 0.6 MB), loaded by
:func:`planner.geo.small_areas.load_small_areas`.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "planner" / "resources" / "small_areas"
FILE = "england_lsoa2021.npz"
DEFAULT_SHARED = HERE.parent.parent / "shared" / "data"
CENSUS = "small_areas/lsoa2021_census2021_age_england.csv"
IMD = "small_areas/lsoa2011_imd2019_england.csv"


def _read(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def build(shared: Path) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """The arrays to save, and the match counts (``same_code``, ``nearest``)."""
    census, imd = _read(shared / CENSUS), _read(shared / IMD)
    codes = [r["lsoa21_code"] for r in census]
    xy = np.array([[float(r["easting"]), float(r["northing"])] for r in census])
    old_codes = {r["lsoa11cd"]: i for i, r in enumerate(imd)}
    old_xy = np.array([[float(r["easting"]), float(r["northing"])] for r in imd])
    rank = np.array([int(r["imd_rank"]) for r in imd], dtype=np.int32)
    decile = np.array([int(r["imd_decile"]) for r in imd], dtype=np.int8)
    same = np.array([c in old_codes for c in codes])
    source = np.empty(len(codes), dtype=np.int64)
    source[same] = [old_codes[c] for c, s in zip(codes, same, strict=True) if s]
    _, nearest = cKDTree(old_xy).query(xy[~same])
    source[~same] = nearest
    arrays = {
        "code": np.array(codes, dtype="S9"),
        "xy": xy.astype(np.float32),
        "children_0_15": np.array([int(r["age_0_15"]) for r in census], dtype=np.int32),
        "population": np.array([int(r["total"]) for r in census], dtype=np.int32),
        "imd_rank": rank[source],
        "imd_decile": decile[source],
        "imd_matched_by_code": same,
    }
    return arrays, {"same_code": int(same.sum()), "nearest": int((~same).sum())}


def main(shared: Path = DEFAULT_SHARED, out: Path = OUT) -> Path:
    arrays, counts = build(shared)
    out.mkdir(parents=True, exist_ok=True)
    target = out / FILE
    np.savez_compressed(target, **arrays)
    n = len(arrays["code"])
    print(f"{n} small areas: IMD 2019 by unchanged code {counts['same_code']}, by nearest "
          f"2011 centroid {counts['nearest']}; children 0-15 {int(arrays['children_0_15'].sum()):,}"
          f", residents {int(arrays['population'].sum()):,}; {target.stat().st_size:,} bytes")
    return target


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SHARED)
