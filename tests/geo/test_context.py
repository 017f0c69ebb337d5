"""The boundary layer under a centres file: kept when it covers them, else England's districts."""

from __future__ import annotations

import numpy as np

from planner.domain.centres import Centres
from planner.geo.context import DEFAULT_BOUNDARIES, boundaries_for, covered_share
from planner.geo.io import read_centres
from planner.geo.layers import read_boundaries


def test_english_centres_get_the_districts_near_them(sample_dir):
    centres = read_centres(sample_dir / "kent_medway_centres.csv").centres
    layer, field = boundaries_for(centres)
    assert field == "lad_name"
    names = set(layer["lad_name"])
    assert {"Medway", "Swale", "Dover", "Sevenoaks"} <= names
    assert "Cornwall" not in names and "Northumberland" not in names
    assert covered_share(layer, centres) == 1.0
    assert layer.crs.to_epsg() == 27700


def test_a_layer_that_covers_the_centres_is_kept(sample_dir):
    centres = read_centres(sample_dir / "kent_medway_centres.csv").centres
    own = read_boundaries(sample_dir / "kent_medway_districts.geojson", centres.crs)
    layer, field = boundaries_for(centres, own, "lad_name")
    assert layer is own and field == "lad_name"


def test_a_layer_that_does_not_cover_the_centres_is_replaced(sample_dir, data_dir):
    kent = read_centres(sample_dir / "kent_medway_centres.csv").centres
    # centres of eight authorities at the corners of England and 16 in Dover and Thanet (Kent)
    england = read_centres(data_dir / "childrens_centres_england_2016-08-04_cut.csv").centres
    kent_districts = read_boundaries(sample_dir / "kent_medway_districts.geojson", kent.crs)
    assert covered_share(kent_districts, england) < 0.2
    layer, _ = boundaries_for(england, kent_districts, "lad_name")
    assert layer is not kent_districts
    assert len(layer) == 296
    assert covered_share(layer, england) > 0.99


def test_centres_outside_england_get_no_backdrop():
    xy = np.array([[2_500_000.0, 1_000_000.0], [2_510_000.0, 1_005_000.0]])  # far outside GB
    centres = Centres(["a", "b"], ["A", "B"], xy, [[10.0, 45.0], [10.1, 45.05]])
    assert DEFAULT_BOUNDARIES.is_file()
    assert boundaries_for(centres) == (None, None)
