"""The scene follows the document: only touched federations are redrawn; hubs, locks, colours."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from PySide6.QtCore import QPointF

from planner.domain.plan import (
    UNASSIGNED,
    AddFederation,
    Federation,
    LockCentres,
    Plan,
    Reassign,
    RemoveFederation,
    SetFederation,
)
from planner.geo.outlines import OutlineBuilder
from planner.ui.items import HubItem, path_from_geometry
from planner.ui.map_scene import MapScene


@pytest.fixture
def scene(document):
    return MapScene(document)


def colour_of(scene, cid):
    item = scene.centre_items[scene.plan.centres.index_of(cid)]
    return item.brush().color().name().lower()


def test_builds_one_item_per_centre_and_federation(scene, document):
    plan = document.plan
    assert len(scene.centre_items) == len(plan.centres)
    assert set(scene.outline_items) == set(plan.federations)
    assert set(scene.hub_items) == set(plan.federations)
    assert scene.boundary_item is not None and not scene.boundary_item.path().isEmpty()
    for cid in plan.centres.ids[:20]:
        assert colour_of(scene, cid) == plan.federations[plan.federation_of(cid)].colour.lower()
    # north up: scene y is minus the northing
    x, y = plan.centres.xy[0]
    pos = scene.centre_items[0].pos()
    assert (pos.x(), pos.y()) == (x, -y)
    # outlines are the builder's, clipped to the districts
    clip = shapely.union_all(document.boundaries.geometry.values)
    fresh = OutlineBuilder(plan.centres, clip).outlines(plan)
    assert all(scene.outlines[k].equals(fresh[k]) for k in fresh)


def test_edit_updates_only_touched_federations(scene, document):
    plan = document.plan
    keys = list(plan.federations)
    moved = plan.member_ids(keys[0])[:2]
    kept = {k: scene.outlines[k] for k in keys[2:]}
    document.apply(Reassign.make(plan, moved, keys[1]))
    assert all(colour_of(scene, c) == plan.federations[keys[1]].colour.lower() for c in moved)
    assert all(scene.outlines[k] is g for k, g in kept.items())
    assert scene.outlines[keys[1]].contains(shapely.Point(plan.centres.xy[
        plan.centres.index_of(moved[0])]))


def test_unassigning_greys_the_centre(scene, document):
    plan = document.plan
    cid = plan.centres.ids[5]
    document.apply(Reassign.make(plan, [cid], UNASSIGNED))
    assert colour_of(scene, cid) == "#bbbbbb"


def test_hub_ring_follows_the_chosen_hub(scene, document):
    plan = document.plan
    key = list(plan.federations)[0]
    hub = plan.member_ids(key)[-1]
    ring = scene.hub_items[key]
    assert isinstance(ring, HubItem) and not ring.chosen
    document.apply(SetFederation.make(plan, key, hub=hub))
    x, y = plan.centres.xy[plan.centres.index_of(hub)]
    assert ring.chosen and (ring.pos().x(), ring.pos().y()) == (x, -y)
    assert "chosen" in scene.tooltip_for(hub)


def test_locks_and_colours_restyle(scene, document):
    plan = document.plan
    key = list(plan.federations)[1]
    cid = plan.member_ids(key)[0]
    item = scene.centre_items[plan.centres.index_of(cid)]
    document.apply(LockCentres.make(plan, [cid], True))
    assert item.locked and item.childItems() and item.childItems()[0].isVisible()
    document.apply(LockCentres.make(plan, [cid], False))
    assert not item.locked and not item.childItems()[0].isVisible()
    document.apply(SetFederation.make(plan, key, colour="#123456"))
    assert colour_of(scene, cid) == "#123456"
    assert scene.outline_items[key].brush().color().name() == "#123456"
    document.apply(SetFederation.make(plan, key, locked=True))
    assert all(scene.centre_items[r].locked for r in plan.members(key))
    assert "Locked" in scene.tooltip_for(cid)


def test_added_and_removed_federations(scene, document):
    plan = document.plan
    fed = Federation(plan.next_key(), "New", "#00AA00")
    document.apply(AddFederation(fed))
    assert fed.key in scene.outline_items and scene.outlines[fed.key].is_empty
    hub = scene.hub_items.get(fed.key)
    assert hub is None or not hub.isVisible()  # an empty federation has no hub to mark
    document.apply(RemoveFederation(fed))
    assert fed.key not in scene.outline_items and fed.key not in scene.outlines


def test_plan_replaced_rebuilds(scene, document, kent_centres):
    labels = (kent_centres.xy[:, 0] > np.median(kent_centres.xy[:, 0])).astype(int)
    document.set_plan(Plan.from_labels(kent_centres, labels), boundaries=None)
    assert set(scene.outline_items) == {0, 1}
    assert scene.boundary_item is None
    assert len(scene.centre_items) == len(kent_centres)
    assert colour_of(scene, kent_centres.ids[0]) == \
        document.plan.federations[int(labels[0])].colour.lower()


def test_path_from_geometry_keeps_holes_and_flips_y():
    donut = shapely.box(0, 0, 10, 10).difference(shapely.box(4, 4, 6, 6))
    path = path_from_geometry(donut)
    assert path.contains(QPointF(1, -1)) and not path.contains(QPointF(5, -5))
    assert not path.contains(QPointF(1, 1))
    assert path_from_geometry(shapely.Polygon()).isEmpty()
    assert path_from_geometry(None).isEmpty()


def test_labels_never_overlap_and_depend_only_on_scale(scene):
    layer = scene.label_layer
    assert not layer.visible_rows(scene.data_rect, layer.MIN_SCALE / 2).size
    scale = 0.01 * 4  # zoomed in: most names fit, crowded ones are left out
    shown = np.flatnonzero(layer.shown_at(scale))
    assert 0 < len(shown) < len(scene.scene_xy)
    x = scene.scene_xy[shown, 0] * scale
    top = scene.scene_xy[shown, 1] * scale
    right, bottom = x + layer._widths[shown] + 0.0, top + layer._height
    for i in range(len(shown)):
        for j in range(i + 1, len(shown)):
            overlap = x[i] < right[j] and x[j] < right[i] and top[i] < bottom[j] and \
                top[j] < bottom[i]
            assert not overlap
    # the same names whichever part of the map is being repainted
    left_half = scene.data_rect.adjusted(0, 0, -scene.data_rect.width() / 2, 0)
    rows = set(layer.visible_rows(left_half, scale).tolist())
    assert rows <= set(shown.tolist())


def test_menu_lists_the_nearest_federations_when_there_are_many(scene, document, monkeypatch):
    import planner.ui.map_scene as ms

    plan = document.plan
    cid = plan.centres.ids[0]
    own = plan.federation_of(cid)
    monkeypatch.setattr(ms, "MENU_FEDERATIONS", 3)
    near = scene.nearest_federations(cid, limit=3)
    assert len(near) == 3 and near[0] == own
    d = {k: scene.outlines[k].distance(shapely.Point(plan.centres.xy[0])) for k in plan.federations}
    assert max(d[k] for k in near) <= min(d[k] for k in plan.federations if k not in near)
    menu = scene.context_menu([cid])
    names = [a.text() for a in menu.actions()[0].menu().actions()]
    assert names == [plan.federations[k].name for k in near]
    assert scene.nearest_federations(cid) == list(plan.federations)


def test_symbols_shrink_when_zoomed_far_out(scene, document):
    item = scene.centre_items[0]
    document.set_selection([item.centre_id])
    other = scene.centre_items[1]
    assert other.rect().width() == 10.0
    scene.set_view_scale(0.001)
    assert other.rect().width() == 7.0
    assert item.rect().width() == 15.0  # the selected symbol keeps its size
    assert scene.tolerance(0.001) < 10.0 / 0.001
    document.set_selection([])
    assert item.rect().width() == 7.0
    scene.set_view_scale(0.01)
    assert other.rect().width() == 10.0 and item.rect().width() == 10.0


def test_outlines_stay_within_the_districts_that_hold_centres(document, kent_boundaries):
    import pandas as pd

    # a far-away district with no centres: it is drawn, but no outline reaches it
    far = kent_boundaries.iloc[[0]].copy()
    far["geometry"] = far.geometry.translate(xoff=-300_000)
    document.boundaries = pd.concat([kent_boundaries, far], ignore_index=True)
    scene = MapScene(document)
    reach = shapely.union_all(list(scene.outlines.values()))
    assert not reach.intersects(far.geometry.iloc[0].buffer(-10))
    assert scene.boundary_item.boundingRect().left() <= far.geometry.iloc[0].bounds[0] + 1
    # "fit all" frames the centres and their outlines, not the far district
    assert scene.data_rect.left() > far.geometry.iloc[0].bounds[2]


def test_crossings_are_drawn_dashed_and_listed(scene, document):
    # Kent: the Isle of Sheppey is its own land part, joined by one crossing (issue 9)
    from PySide6.QtCore import Qt

    pairs = document.crossings
    assert len(pairs) >= 1
    item = scene.crossing_item
    assert item is not None and item.pen().style() == Qt.PenStyle.DashLine
    names = document.plan.centres.names
    assert all(names[a] in item.toolTip() and names[b] in item.toolTip() for a, b in pairs)
    assert all(document.graph[a][b]["crossing"] for a, b in pairs)
