"""Regenerate the Kent & Medway sample from ../shared/data (run from anywhere).

    python sample_data/make_sample.py [SHARED_DATA_DIR]

Writes, next to this script:
- ``kent_medway_centres.csv``: the 103 Kent and Medway children's centres exactly as in
  ``sample_kent_medway/kent_medway_childrens_centres_2026-08-21.csv`` plus one column,
  ``children_0_15``: Census 2021 residents aged 0-15 in the LSOAs (2021) nearest to the centre.
  Each LSOA whose centroid lies inside the Kent + Medway district polygons goes to the nearest
  centre (straight-line distance in British National Grid); a centre's figure is the sum of its
  LSOAs' ``age_0_15`` (centres sharing a postcode share it equally).
- ``kent_medway_districts.geojson``: a byte-for-byte copy of the 13 district polygons.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import numpy as np
import shapely
from pyproj import Transformer
from scipy.spatial import cKDTree

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "planner" / "resources" / "sample"
DEFAULT_SHARED = HERE.parent.parent / "shared" / "data"
CENTRES = "sample_kent_medway/kent_medway_childrens_centres_2026-08-21.csv"
DISTRICTS = "sample_kent_medway/kent_medway_lad_may2024_buc.geojson"
LSOAS = "small_areas/lsoa2021_census2021_age_england.csv"
WEIGHT = "children_0_15"


def _read_csv(path: Path) -> tuple[list[str], list[dict]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        reader = csv.DictReader(stream)
        return list(reader.fieldnames or []), list(reader)


def _kent_medway_bng(path: Path):
    import json

    doc = json.loads(path.read_text(encoding="utf-8"))
    area = shapely.union_all([shapely.geometry.shape(f["geometry"]) for f in doc["features"]])
    to_bng = Transformer.from_crs("EPSG:4326", "EPSG:27700", always_xy=True)
    return shapely.transform(area, lambda xy: np.column_stack(to_bng.transform(xy[:, 0],
                                                                                  xy[:, 1])))


def children_per_centre(centres: list[dict], lsoas: list[dict], area) -> np.ndarray:
    """Children aged 0-15 in the in-area LSOAs nearest to each centre (whole numbers).

    Centres at the same coordinates (linked sites sharing a postcode) share their LSOAs' total
    equally; the remainder of the integer split goes to the first of them in file order.
    """
    centre_xy = np.array([[float(c["easting"]), float(c["northing"])] for c in centres])
    lsoa_xy = np.array([[float(r["easting"]), float(r["northing"])] for r in lsoas])
    children = np.array([int(r["age_0_15"]) for r in lsoas])
    inside = shapely.contains_xy(area, lsoa_xy[:, 0], lsoa_xy[:, 1])
    places, place_of = np.unique(centre_xy, axis=0, return_inverse=True)
    place_of = np.asarray(place_of).reshape(-1)
    _, nearest = cKDTree(places).query(lsoa_xy[inside])
    per_place = np.bincount(nearest, weights=children[inside], minlength=len(places))
    per_place = per_place.round().astype(int)
    out = np.zeros(len(centres), dtype=int)
    for place, total in enumerate(per_place):
        rows = np.flatnonzero(place_of == place)
        share, extra = divmod(int(total), len(rows))
        out[rows] = share
        out[rows[:extra]] += 1
    return out


def main(shared: Path = DEFAULT_SHARED, out: Path = OUT) -> None:
    header, centres = _read_csv(shared / CENTRES)
    _, lsoas = _read_csv(shared / LSOAS)
    weights = children_per_centre(centres, lsoas, _kent_medway_bng(shared / DISTRICTS))
    with (out / "kent_medway_centres.csv").open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=header + [WEIGHT], lineterminator="\n")
        writer.writeheader()
        for row, w in zip(centres, weights, strict=True):
            writer.writerow({**row, WEIGHT: int(w)})
    shutil.copyfile(shared / DISTRICTS, out / "kent_medway_districts.geojson")
    print(f"{len(centres)} centres, {int(weights.sum()):,} children aged 0-15 assigned")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SHARED)
