"""The sample's builder (``sample_data/make_sample.py``) does what its README says, on a small
source laid out like the national data, and the committed sample loads with its weight.

The byte-for-byte regeneration from the real national files needs the shared data folder, which
a clone does not have: ``python benchmarks/check_sample.py`` does it.
"""

from __future__ import annotations

import csv
import importlib.util
import shutil
from collections import defaultdict
from pathlib import Path

from planner.geo.io import read_centres
from planner.geo.layers import label_centres, read_boundaries

SOURCES = Path(__file__).resolve().parents[2] / "sample_data"  # the script that builds the sample


def _make_sample_module():
    spec = importlib.util.spec_from_file_location("make_sample", SOURCES / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _fake_source(sample_dir: Path, root: Path, lsoas: list[tuple[float, float, int]]) -> None:
    """The national folder's layout: the sample's centres without their weight column (what the
    national Kent file holds), the districts, and a hand-made small-areas table."""
    kent = root / "sample_kent_medway"
    kent.mkdir(parents=True)
    lines = (sample_dir / "kent_medway_centres.csv").read_text(encoding="utf-8").splitlines()
    (kent / "kent_medway_childrens_centres_2026-08-21.csv").write_text(
        "".join(line.rsplit(",", 1)[0] + "\n" for line in lines), encoding="utf-8")
    shutil.copyfile(sample_dir / "kent_medway_districts.geojson",
                    kent / "kent_medway_lad_may2024_buc.geojson")
    (root / "small_areas").mkdir()
    with (root / "small_areas" / "lsoa2021_census2021_age_england.csv").open(
            "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["lsoa21_code", "age_0_15", "easting", "northing"])
        for i, (x, y, children) in enumerate(lsoas):
            writer.writerow([f"E0{i}", children, x, y])


def test_make_sample_gives_each_centre_the_children_nearest_it(sample_dir, tmp_path):
    with (sample_dir / "kent_medway_centres.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    places = defaultdict(list)
    for row in rows:
        places[(float(row["easting"]), float(row["northing"]))].append(row["urn"])
    pair_xy, pair = [(xy, urns) for xy, urns in places.items() if len(urns) == 2][-1]
    chatham = next((float(r["easting"]), float(r["northing"])) for r in rows
                   if r["urn"] == "20070")
    lsoas = [
        (chatham[0] + 30, chatham[1] - 40, 100),  # next to All Saints, Chatham
        (pair_xy[0], pair_xy[1], 7),  # two linked sites at one postcode: 4 + 3
        (530_000.0, 180_000.0, 1_000),  # central London: outside Kent and Medway, nobody's
    ]
    _fake_source(sample_dir, tmp_path / "shared", lsoas)
    out = tmp_path / "out"
    out.mkdir()
    _make_sample_module().main(tmp_path / "shared", out)

    with (out / "kent_medway_centres.csv").open(encoding="utf-8", newline="") as stream:
        made = {r["urn"]: int(r["children_0_15"]) for r in csv.DictReader(stream)}
    expected = dict.fromkeys(made, 0) | {"20070": 100, pair[0]: 4, pair[1]: 3}
    assert made == expected
    # every other column is the source's, byte for byte, in the source's order
    ours = (out / "kent_medway_centres.csv").read_text(encoding="utf-8").splitlines()
    shipped = (sample_dir / "kent_medway_centres.csv").read_text(encoding="utf-8").splitlines()
    assert [x.rsplit(",", 1)[0] for x in ours] == [x.rsplit(",", 1)[0] for x in shipped]
    assert ((out / "kent_medway_districts.geojson").read_bytes()
            == (sample_dir / "kent_medway_districts.geojson").read_bytes())


def test_sample_loads_with_children_weight(sample_dir):
    result = read_centres(sample_dir / "kent_medway_centres.csv", weight_column="children_0_15")
    weights = result.centres.numeric("children_0_15")
    assert len(weights) == 103
    assert weights.sum() == 355_783  # Kent + Medway LSOAs' children aged 0-15, Census 2021
    assert weights.min() > 0
    districts = read_boundaries(sample_dir / "kent_medway_districts.geojson", result.centres.crs)
    assert len(set(label_centres(result.centres, districts, "lad_name").values())) == 13


def test_sample_readme_carries_the_attribution(sample_dir):
    text = (SOURCES / "README.md").read_text(encoding="utf-8")
    assert "Open Government Licence v3.0" in text and "make_sample.py" in text
