"""The Reach map layer, the reach columns of the centre table and the drag preview's figures."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from planner.geo.small_areas import load_small_areas
from planner.ui.centre_table import COL_CHILDREN, COL_DEPRIVED, COL_SHARE
from planner.ui.items import Z
from planner.ui.reach_layer import DECILE_COLOURS, ReachLayerItem, square_px


def _served_by_brute_force(window):
    """Small areas on the sample's districts and, for each, its nearest centre rows."""
    doc = window.document
    areas = load_small_areas()
    land = shapely.union_all(doc.boundaries.geometry.values)
    on_land = np.flatnonzero([land.contains(shapely.Point(p)) for p in areas.xy])
    xy = doc.plan.centres.xy
    nearest = {}
    for a in on_land:
        d = np.hypot(*(xy - areas.xy[a]).T)
        nearest[int(a)] = set(np.flatnonzero(d == d.min()).tolist())
    return areas, nearest


def test_the_view_menu_toggles_the_layer_and_its_legend(main_window, qtbot):
    w = main_window
    w.show()
    qtbot.waitExposed(w)
    action = w.actions.reach_layer
    assert action.isCheckable() and not action.isChecked()
    assert action in w.view_menu.actions()
    assert w.reach_layer.item is None and not w.reach_layer.legend.isVisible()

    action.trigger()
    item = w.reach_layer.item
    assert item is not None and item.isVisible() and item.scene() is w.scene
    assert w.reach_layer.legend.isVisible()
    _, nearest = _served_by_brute_force(w)
    assert sum(item.counts) == len(nearest)
    # under the federation outlines, above the land
    outline = next(iter(w.scene.outline_items.values()))
    assert w.scene.boundary_item.zValue() < item.zValue() < outline.zValue()
    assert outline.zValue() < w.reach_layer.selection_item.zValue() < Z.CENTRE
    w.view.viewport().update()
    qtbot.waitUntil(lambda: item.painted == len(nearest))

    action.trigger()
    assert not item.isVisible() and not w.reach_layer.legend.isVisible()


def test_a_selected_centres_reach_is_highlighted(main_window, qtbot):
    w = main_window
    w.actions.reach_layer.setChecked(True)
    _, nearest = _served_by_brute_force(w)
    centres = w.document.plan.centres
    for row in (0, 17, 60):
        w.document.set_selection([centres.ids[row]])
        mine = {a for a, rows in nearest.items() if row in rows}
        assert w.reach_layer.selection_item.count == len(mine) > 0
    w.document.set_selection([])
    assert w.reach_layer.selection_item.count == 0


def test_the_layer_survives_a_new_boundary_layer(main_window):
    w = main_window
    w.actions.reach_layer.setChecked(True)
    before = sum(w.reach_layer.item.counts)
    doc = w.document
    doc.set_boundaries(doc.boundaries.iloc[:6].reset_index(drop=True), "lad_name")
    item = w.reach_layer.item
    assert item is not None and item.scene() is w.scene and item.isVisible()
    assert 0 < sum(item.counts) < before  # fewer districts hold centres: less land, fewer areas
    assert sum(item.counts) == int((doc.reach.owner >= 0).sum())


def test_squares_are_painted_in_their_deciles_colour(qapp):
    xy = np.array([[10_000.0 * d, 0.0] for d in range(1, 11)])
    item = ReachLayerItem(xy, np.arange(1, 11))
    scene = QGraphicsScene()
    scene.addItem(item)
    image = QImage(1200, 100, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    # 0.01 px per metre: each square is 900 m * 0.01 = 9 px wide, at x = 100 * decile
    scene.render(painter, QRectF(0, 0, 1200, 100), QRectF(0, -5000, 120_000, 10_000))
    painter.end()
    assert square_px(0.01) == pytest.approx(9.0)
    for d in range(1, 11):
        assert image.pixelColor(100 * d, 50).name() == DECILE_COLOURS[d - 1].lower()
    assert image.pixelColor(150, 50).name() == "#ffffff"  # nothing between the areas
    assert item.painted == 10


def test_a_partial_repaint_draws_only_the_tiles_it_touches(qtbot):
    from PySide6.QtCore import QPointF, QRect
    from PySide6.QtGui import QTransform
    from PySide6.QtWidgets import QGraphicsView

    xy = np.array([[10_000.0 * d, 0.0] for d in range(1, 11)])  # one every 10 km
    item = ReachLayerItem(xy, np.arange(1, 11))
    item.setCacheMode(ReachLayerItem.CacheMode.NoCache)  # the tiles, not the pixel cache
    scene = QGraphicsScene()
    scene.addItem(item)
    view = QGraphicsView(scene)
    qtbot.addWidget(view)
    view.setTransform(QTransform.fromScale(0.01, 0.01))
    view.setSceneRect(QRectF(0, -5000, 120_000, 10_000))
    view.resize(1250, 150)
    view.show()
    qtbot.waitExposed(view)
    view.viewport().update()
    qtbot.waitUntil(lambda: item.painted == 10)
    # the first 30 km: only the tile of the areas at 10, 20 and 30 km (tiles are 40 km)
    right = view.mapFromScene(QPointF(33_000, 0)).x()
    view.viewport().repaint(QRect(0, 0, right, view.viewport().height()))
    assert item.painted == 3


def test_the_centre_table_shows_each_centres_reach(main_window, qtmodeltester):
    w = main_window
    model = w.centre_table.model
    qtmodeltester.check(model)
    _, nearest = _served_by_brute_force(w)
    areas = load_small_areas()
    children = np.zeros(len(w.document.plan.centres))
    deprived = np.zeros_like(children)
    for a, rows in nearest.items():
        for r in rows:
            children[r] += areas.children[a] / len(rows)
            if areas.imd_decile[a] <= 3:
                deprived[r] += areas.children[a] / len(rows)
    for row in (0, 5, 40, 102):
        assert model.index(row, COL_CHILDREN).data() == f"{children[row]:,.0f}"
        assert model.index(row, COL_DEPRIVED).data() == f"{deprived[row]:,.0f}"
        share = deprived[row] / children[row]
        assert model.index(row, COL_SHARE).data() == f"{share:.0%}"
    assert model.headerData(COL_CHILDREN, Qt.Orientation.Horizontal) == "Children"


def test_the_drag_preview_gives_reach_before_and_after(main_window):
    w = main_window
    doc = w.document
    plan = doc.plan
    a, b = list(plan.federations)[:2]
    ids = plan.member_ids(a)[:2]
    rows = plan.centres.indices_of(ids)
    moved = float(doc.reach.children[rows].sum())
    before_b = doc.reach_stats[b].children
    w.status.preview(ids, b)
    text = w.statusBar().currentMessage()
    assert f"children {before_b:,.0f}\u2192{before_b + moved:,.0f}" in text
    before_a = doc.reach_stats[a].children
    assert f"children {before_a:,.0f}\u2192{before_a - moved:,.0f}" in text
    assert "deprived" in text
