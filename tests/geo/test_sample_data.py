"""The committed sample is what make_sample.py makes, and it loads with its weight."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from planner.geo.io import read_centres
from planner.geo.layers import label_centres, read_boundaries

SOURCES = Path(__file__).resolve().parents[2] / "sample_data"  # the script that builds the sample


def _make_sample_module(sample_dir):
    spec = importlib.util.spec_from_file_location("make_sample", SOURCES / "make_sample.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_sample_regenerates_byte_for_byte(sample_dir, shared_data, tmp_path):
    _make_sample_module(sample_dir).main(shared_data, tmp_path)
    for name in ("kent_medway_centres.csv", "kent_medway_districts.geojson"):
        assert (tmp_path / name).read_bytes() == (sample_dir / name).read_bytes(), name


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
