"""Hit testing and drop resolution without Qt."""

from __future__ import annotations

import numpy as np
import shapely

from planner.domain.plan import UNASSIGNED
from planner.ui.hit_testing import PointIndex, federation_at, resolve_drop

XY = np.array([(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0), (1000.0, 1000.0)])


def test_nearest_within_tolerance_and_exclusions():
    idx = PointIndex(XY)
    assert idx.nearest(3, 4, tolerance=10) == 0
    assert idx.nearest(50, 0, tolerance=10) is None
    assert idx.nearest(97, 1, tolerance=10) == 1
    assert idx.nearest(97, 1, tolerance=10, exclude=[1]) is None
    assert idx.nearest(60, 40, tolerance=200) == 1  # nearest of several candidates


def test_coincident_centres_resolve_to_the_lowest_row():
    idx = PointIndex(np.array([(5.0, 5.0), (5.0, 5.0)]))
    assert idx.nearest(5, 5, tolerance=1) == 0
    assert idx.nearest(5, 5, tolerance=1, exclude=[0]) == 1


def test_rect_and_lasso_selection():
    idx = PointIndex(XY)
    assert idx.in_rect(150, 150, -10, -10).tolist() == [0, 1, 2, 3]  # corners in any order
    assert idx.in_rect(50, -5, 150, 150).tolist() == [1, 2]
    triangle = np.array([(-10, -10), (150, -10), (-10, 150)])
    assert idx.in_polygon(triangle).tolist() == [0, 1, 3]
    assert idx.in_polygon(triangle[:2]).size == 0

def test_self_crossing_lasso_selects_both_lobes_not_the_waist():
    # A bow tie crossing itself at (50, 50): its lobes are the triangles (-10,-30) (50,50)
    # (-10,130) and (110,130) (110,-30) (50,50). At x = 0 the left lobe spans y from -16.7 to
    # 116.7, and at x = 100 the right lobe spans the same; at x = 50 it is the single point y = 50.
    bowtie = np.array([(-10, -30), (110, 130), (110, -30), (-10, 130)])
    points = np.array([(0, 0), (100, 0), (100, 100), (0, 100),  # in the lobes
                       (50, 0), (50, 100), (50, 60), (-20, 50), (120, 50)])  # waist and outside
    assert PointIndex(points).in_polygon(bowtie).tolist() == [0, 1, 2, 3]


def test_empty_index():
    idx = PointIndex(np.empty((0, 2)))
    assert idx.nearest(0, 0, 10) is None
    assert idx.in_polygon(np.array([(0, 0), (1, 0), (0, 1)])).size == 0


def test_federation_at_prefers_the_smallest_containing_outline():
    outlines = {3: shapely.box(0, 0, 100, 100), 7: shapely.box(40, 40, 60, 60)}
    assert federation_at(10, 10, outlines) == 3
    assert federation_at(50, 50, outlines) == 7
    assert federation_at(500, 500, outlines) == UNASSIGNED
    assert federation_at(1, 1, {}) == UNASSIGNED


def test_resolve_drop_centre_beats_outline_and_dragged_centres_are_ignored():
    idx = PointIndex(XY)
    assignment = np.array([0, 1, 1, 0, UNASSIGNED])
    outlines = {0: shapely.box(-50, -50, 50, 150), 1: shapely.box(50, -50, 150, 150)}
    kw = dict(index=idx, assignment=assignment, outlines=outlines)
    # on centre 1 (federation 1)
    assert resolve_drop(95, 0, 10, **kw) == 1
    # the dragged centre itself is not a target: the outline under it decides
    assert resolve_drop(100, 0, 10, dragged_rows=[1], **kw) == 1
    assert resolve_drop(20, 50, 10, dragged_rows=[1], **kw) == 0
    # a centre in no federation is not a target, nor is empty map
    assert resolve_drop(1000, 1000, 10, **kw) == UNASSIGNED
    assert resolve_drop(-500, -500, 10, **kw) == UNASSIGNED
    # a centre wins over the outline it sits in when they disagree
    assignment2 = np.array([1, 1, 1, 0, UNASSIGNED])
    assert resolve_drop(0, 0, 10, index=idx, assignment=assignment2, outlines=outlines) == 1
