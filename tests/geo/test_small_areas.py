"""The shipped small areas, and reach over real geography: the Kent and Medway sample."""

from __future__ import annotations

import csv

import numpy as np
import pytest
import shapely

from planner.domain.centres import Centres
from planner.domain.reach import REACH_COLUMNS
from planner.geo.io import read_centres
from planner.geo.layers import read_boundaries
from planner.geo.small_areas import (
    attach_reach,
    inside_land,
    load_small_areas,
    reach_for,
    small_areas_in,
)
from planner.resources import SAMPLE_CENTRES, SAMPLE_DISTRICTS, where


def test_the_shipped_file_holds_every_english_small_area():
    areas = load_small_areas()
    assert len(areas) == 33_755
    assert len(set(areas.codes.tolist())) == len(areas)
    assert all(c.startswith("E01") for c in areas.codes[:50])
    # England totals as the data README states them (Census 2021)
    assert areas.children.sum() == 10_483_159
    assert areas.population.sum() == 56_489_608
    assert set(np.unique(areas.imd_decile).tolist()) == set(range(1, 11))
    assert areas.imd_rank.min() >= 1 and areas.imd_rank.max() <= 32_844
    x, y = areas.xy[:, 0], areas.xy[:, 1]
    assert x.min() > 80_000 and x.max() < 660_000 and y.min() > 0 and y.max() < 660_000


def test_an_unchanged_area_keeps_its_own_figures():
    # City of London 001A, read by hand from the two source tables
    areas = load_small_areas()
    i = int(np.flatnonzero(areas.codes == "E01000001")[0])
    assert areas.children[i] == 125 and areas.population[i] == 1477
    assert areas.imd_rank[i] == 29199 and areas.imd_decile[i] == 9
    assert areas.xy[i].tolist() == pytest.approx([532151, 181615], abs=0.1)


def test_inside_land_is_a_point_in_polygon_test():
    areas = load_small_areas()
    i = int(np.flatnonzero(areas.codes == "E01000001")[0])
    x, y = areas.xy[i]
    box = shapely.box(x - 1, y - 1, x + 1, y + 1)
    inside = inside_land(areas, box)
    assert np.flatnonzero(inside).tolist() == [i]
    assert not inside_land(areas, None).any()


def _sample():
    centres = read_centres(where(SAMPLE_CENTRES)).centres
    districts = read_boundaries(where(SAMPLE_DISTRICTS), centres.crs)
    return centres, districts


def test_kent_reach_equals_the_samples_children_column():
    """The sample's ``children_0_15`` was made by another script (sample_data/make_sample.py)
    from the same Census 2021 table and district polygons; only the split between centres at
    one postcode differs (whole numbers there, equal fractions here)."""
    centres, districts = _sample()
    reach = reach_for(centres, districts)
    theirs = centres.numeric("children_0_15")
    assert np.abs(reach.children - theirs).max() < 1.0
    assert reach.children.sum() == pytest.approx(theirs.sum())


def test_kent_reach_against_brute_force_over_the_districts():
    centres, districts = _sample()
    reach = reach_for(centres, districts)
    areas = load_small_areas()
    land = shapely.union_all(districts.geometry.values)
    on_land = np.array([land.contains(shapely.Point(p)) for p in areas.xy])
    deprived = np.zeros(len(centres))
    for a in np.flatnonzero(on_land):
        d = np.hypot(*(centres.xy - areas.xy[a]).T)
        ties = np.flatnonzero(d == d.min())
        if areas.imd_decile[a] <= 3:
            deprived[ties] += areas.children[a] / len(ties)
    assert on_land.sum() == (reach.owner >= 0).sum()
    np.testing.assert_allclose(reach.deprived, deprived, atol=1e-6)


def test_opening_adds_the_reach_columns_as_weights_in_place():
    from planner.domain.plan import Plan

    centres, districts = _sample()
    plan = Plan(centres)
    attached = attach_reach(plan, districts)
    assert plan.centres is attached.centres and attached.source is centres
    for column in REACH_COLUMNS:
        assert column in plan.centres.numeric_columns()
    assert plan.centres.numeric("children_0_15_reach").sum() == pytest.approx(
        attached.reach.children.sum(), abs=0.1 * len(centres))
    # another plan over the same centres (a second option) shares the one centre table
    other = Plan(centres)
    assert attach_reach(other, districts, attached) is attached
    assert other.centres is plan.centres
    # another land: worked out again, the columns replaced rather than added
    fewer = districts.iloc[:5].reset_index(drop=True)
    again = attach_reach(plan, fewer, attached)
    assert again is not attached
    assert list(plan.centres.attributes).count("children_0_15_reach") == 1
    assert plan.centres.numeric("children_0_15_reach").sum() < attached.reach.children.sum()


def test_centres_outside_england_reach_nothing():
    lonlat = np.array([[2.35, 48.85], [2.30, 48.87]])  # Paris
    from planner.geo.projection import lonlat_to_metric

    xy, crs = lonlat_to_metric(lonlat)
    centres = Centres(["a", "b"], ["A", "B"], xy, lonlat, crs)
    reach = reach_for(centres)
    assert reach.children.tolist() == [0.0, 0.0]
    assert len(small_areas_in(crs)) == 33_755


def test_the_national_file_gets_figures_without_any_column(tmp_path):
    """A GIAS extract as published (no children column): reach comes from the shipped data."""
    with open(where(SAMPLE_CENTRES), newline="", encoding="utf-8") as src:
        rows = list(csv.DictReader(src))
    out = tmp_path / "gias.csv"
    with open(out, "w", newline="", encoding="utf-8") as dst:
        keep = [c for c in rows[0] if c != "children_0_15"]
        writer = csv.DictWriter(dst, keep, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    centres = read_centres(out).centres
    assert "children_0_15" not in centres.attributes
    reach = reach_for(centres, read_boundaries(where(SAMPLE_DISTRICTS), centres.crs))
    assert reach.children.sum() > 300_000 and reach.deprived.sum() > 50_000
