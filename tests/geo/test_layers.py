"""Boundary and barrier layers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from planner.domain.centres import Centres
from planner.geo.errors import InputError
from planner.geo.io import read_centres
from planner.geo.layers import label_centres, read_barriers, read_boundaries


@pytest.fixture(scope="module")
def kent(sample_dir):
    centres = read_centres(sample_dir / "kent_medway_centres.csv")
    return centres.centres, sample_dir / "kent_medway_districts.geojson"


def test_boundaries_are_reprojected_to_metres(kent):
    centres, path = kent
    layer = read_boundaries(path, centres.crs)
    assert len(layer) == 13 and layer.crs.to_epsg() == 27700
    minx, miny, maxx, maxy = layer.total_bounds
    assert 500_000 < minx < maxx < 660_000 and 100_000 < miny < maxy < 200_000
    assert layer.geometry.is_valid.all()


def test_every_kent_centre_is_labelled_with_its_district(kent):
    centres, path = kent
    layer = read_boundaries(path, "EPSG:4326")
    before = layer.copy()
    labels = label_centres(centres, layer, "lad_name")
    expected = dict(zip(centres.ids, centres.attributes["lad_name"], strict=True))
    assert labels == expected
    assert layer.crs.to_epsg() == 4326 and layer.geom_equals(before).all()  # caller's frame kept


def _sea_centre(centres, dx: float) -> Centres:
    """A centre ``dx`` metres north of Margate's coast (off the generalised coastline)."""
    row = int(np.argmax(centres.xy[:, 1] - 0.001 * centres.xy[:, 0]))
    xy = centres.xy[row] + [0.0, dx]
    return Centres(["sea"], ["Sea"], [xy], [[1.38, 51.40]], crs=centres.crs)


def test_centre_just_outside_the_coast_takes_the_nearest_polygon(kent):
    centres, path = kent
    layer = read_boundaries(path, centres.crs)
    sea = _sea_centre(centres, 3000.0)
    labels = label_centres(sea, layer, "lad_name")
    assert set(labels) == {"sea"} and labels["sea"] in set(layer["lad_name"])
    assert label_centres(sea, layer, "lad_name", max_distance_m=10.0) == {}


def test_unknown_field_names_the_fields(kent):
    centres, path = kent
    with pytest.raises(KeyError, match="lad_code"):
        label_centres(centres, read_boundaries(path, centres.crs), "district")


def test_barriers_lines_and_polygons(tmp_path):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Medway"},
         "geometry": {"type": "LineString", "coordinates": [[0.4, 51.3], [0.6, 51.4]]}},
        {"type": "Feature", "properties": {"name": "Estuary"},
         "geometry": {"type": "Polygon",
                      "coordinates": [[[0.7, 51.4], [0.8, 51.4], [0.8, 51.5], [0.7, 51.4]]]}},
    ]}
    path = tmp_path / "barriers.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    barriers = read_barriers(path, "EPSG:27700")
    assert [g.geom_type for g in barriers] == ["LineString", "Polygon"]
    assert 560_000 < barriers[0].bounds[0] < 600_000


def test_point_layers_are_not_barriers_or_boundaries(data_dir, tmp_path):
    points = data_dir / "kent_medway_childrens_centres_2026-08-21.geojson"
    with pytest.raises(InputError, match="feature 1 \\(Point\\)"):
        read_barriers(points, "EPSG:27700")
    with pytest.raises(InputError, match="must be polygons"):
        read_boundaries(points, "EPSG:27700")


def test_missing_and_broken_layers(tmp_path):
    with pytest.raises(InputError, match="file not found"):
        read_boundaries(tmp_path / "none.geojson", "EPSG:27700")
    broken = tmp_path / "broken.geojson"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="broken.geojson"):
        read_boundaries(broken, "EPSG:27700")
