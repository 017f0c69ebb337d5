"""End-to-end drags on the map with real mouse events, wired as the main window wires them."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QDrag, QUndoStack

from planner.domain.plan import LockCentres, Reassign, SetFederation
from planner.ui.commands import EditCommand
from planner.ui.items import GhostItem
from planner.ui.map_scene import MIME_CENTRE_IDS, MapScene
from planner.ui.map_view import MapView


@pytest.fixture
def canvas(document, qtbot):
    """(scene, view, undo stack) with drops pushed as EditCommands, as the window does."""
    scene = MapScene(document)
    view = MapView(scene)
    view.resize(900, 700)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.fit_all()
    stack = QUndoStack()

    def push(ids, key):
        stack.push(EditCommand(document, Reassign.make(document.plan, ids, key)))

    scene.centres_dropped.connect(push)
    return scene, view, stack


def vpos(view: MapView, plan, cid: str) -> QPointF:
    x, y = plan.centres.xy[plan.centres.index_of(cid)]
    return QPointF(view.mapFromScene(QPointF(x, -y)))


def separated(view, plan, rows, min_px=14.0):
    """Rows whose symbol is at least ``min_px`` from every other centre (unambiguous targets)."""
    pts = np.array([[p.x(), p.y()] for p in (vpos(view, plan, plan.centres.ids[r])
                                              for r in range(len(plan.centres)))])
    out = []
    for r in rows:
        d = np.hypot(*(pts - pts[r]).T)
        d[r] = np.inf
        inside = 0 <= pts[r][0] < view.viewport().width() and 0 <= pts[r][1] < \
            view.viewport().height()
        if d.min() >= min_px and inside:
            out.append(int(r))
    return out


def pick_pair(view, plan):
    """A centre of one federation and a (well separated) centre of another."""
    a_key, b_key = list(plan.federations)[:2]
    a = separated(view, plan, plan.members(a_key))[0]
    b = separated(view, plan, plan.members(b_key))[0]
    return plan.centres.ids[a], a_key, plan.centres.ids[b], b_key


def test_drag_one_centre_onto_another_federations_centre(canvas, document, qtbot, mouse):
    scene, view, stack = canvas
    plan = document.plan
    a, a_key, b, b_key = pick_pair(view, plan)
    before = plan.state()
    outline_a, outline_b = scene.outlines[a_key], scene.outlines[b_key]
    untouched = {k: g for k, g in scene.outlines.items() if k not in (a_key, b_key)}
    previews = []
    scene.drag_preview.connect(lambda ids, key: previews.append((list(ids), key)))

    with qtbot.waitSignal(scene.centres_dropped, timeout=2000) as dropped:
        mouse(view.viewport()).drag(vpos(view, plan, a), vpos(view, plan, b))

    assert dropped.args == [[a], b_key]
    assert ([a], b_key) in previews
    assert previews[-1] == ([], -1)  # the preview is cleared when the drag ends
    assert plan.federation_of(a) == b_key
    assert stack.count() == 1
    # both outlines were rebuilt and differ; the others were not touched
    assert not scene.outlines[a_key].equals(outline_a)
    assert not scene.outlines[b_key].equals(outline_b)
    assert scene.outlines[b_key].area > outline_b.area
    assert all(scene.outlines[k] is g for k, g in untouched.items())
    assert scene.outline_items[b_key].path().boundingRect().isValid()
    # the moved centre is painted in its new federation's colour, and nothing is left over
    item = scene.centre_items[plan.centres.index_of(a)]
    assert item.brush().color().name().lower() == plan.federations[b_key].colour.lower()
    assert item.opacity() == 1.0
    assert not any(isinstance(i, GhostItem) for i in scene.items())
    # undo restores the exact plan and the outlines
    stack.undo()
    assert plan.state() == before
    assert scene.outlines[a_key].equals(outline_a)
    assert scene.outlines[b_key].equals(outline_b)
    assert item.brush().color().name().lower() == plan.federations[a_key].colour.lower()
    stack.redo()
    assert plan.federation_of(a) == b_key


def test_rubber_band_several_centres_and_drag_them_together(canvas, document, qtbot, mouse):
    scene, view, stack = canvas
    plan = document.plan
    a_key, b_key = list(plan.federations)[:2]
    # a band around a few centres of federation a: from the centroid of its members outwards
    rows = plan.members(a_key)
    pts = np.array([[vpos(view, plan, plan.centres.ids[r]).x(),
                     vpos(view, plan, plan.centres.ids[r]).y()] for r in rows])
    centre = np.round(np.median(pts, axis=0))
    every = np.array([[vpos(view, plan, c).x(), vpos(view, plan, c).y()]
                      for c in plan.centres.ids])
    for half in range(40, 80, 3):  # a band whose edges pass no closer than 2 px to any centre
        lo, hi = centre - half, centre + half
        near_edge = np.any((np.abs(every - lo) < 2) | (np.abs(every - hi) < 2), axis=1)
        if not near_edge.any():
            break
    corner0, corner1 = QPointF(*lo), QPointF(*hi)
    for corner in (corner0, corner1):  # the press must land on empty map
        assert scene.centre_at(view.mapToScene(corner.toPoint()), view.scale_factor) is None
    inside = np.all((every >= lo) & (every <= hi), axis=1)
    expected = {plan.centres.ids[r] for r in np.flatnonzero(inside)}
    assert len(expected) >= 2

    mouse(view.viewport()).drag(corner0, corner1, mods=Qt.KeyboardModifier.ShiftModifier)
    assert set(document.selection) == expected
    before = plan.state()

    target = next(r for r in separated(view, plan, plan.members(b_key))
                  if plan.centres.ids[r] not in expected)
    grab = next(iter(expected))
    with qtbot.waitSignal(scene.centres_dropped, timeout=2000) as dropped:
        mouse(view.viewport()).drag(vpos(view, plan, grab),
                                    vpos(view, plan, plan.centres.ids[target]))
    ids, key = dropped.args
    assert set(ids) == expected and key == b_key
    assert all(plan.federation_of(i) == b_key for i in expected)
    assert stack.count() == 1  # one gesture, one undo step
    stack.undo()
    assert plan.state() == before


def test_escape_cancels_a_drag(canvas, document, qtbot, mouse):
    scene, view, stack = canvas
    plan = document.plan
    a, _, b, b_key = pick_pair(view, plan)
    before = plan.state()
    m = mouse(view.viewport())
    start, end = vpos(view, plan, a), vpos(view, plan, b)
    with qtbot.assertNotEmitted(scene.centres_dropped):
        m.press(start)
        for i in range(1, 6):
            m.move(start + (end - start) * (i / 5))
        assert scene.dragging and scene.drag_target == b_key
        assert any(isinstance(i, GhostItem) for i in scene.items())
        qtbot.keyClick(view, Qt.Key.Key_Escape)
        assert not scene.dragging
        m.move(end)
        m.release(end)
    assert plan.state() == before
    assert stack.count() == 0
    assert not any(isinstance(i, GhostItem) for i in scene.items())
    assert scene.centre_items[plan.centres.index_of(a)].opacity() == 1.0


def test_locked_centre_refuses_with_a_status_message(canvas, document, qtbot, mouse):
    scene, view, stack = canvas
    plan = document.plan
    a, _, b, _ = pick_pair(view, plan)
    document.apply(LockCentres.make(plan, [a], True))
    assert scene.centre_items[plan.centres.index_of(a)].locked
    before = plan.state()
    with qtbot.assertNotEmitted(scene.centres_dropped):
        with qtbot.waitSignal(document.status_message, timeout=2000) as msg:
            mouse(view.viewport()).drag(vpos(view, plan, a), vpos(view, plan, b))
    assert "locked" in msg.args[0]
    assert plan.state() == before and stack.count() == 0
    assert not scene.dragging


def test_locked_federations_refuse_as_source_and_as_target(canvas, document, qtbot, mouse):
    scene, view, stack = canvas
    plan = document.plan
    a, a_key, b, b_key = pick_pair(view, plan)
    document.apply(SetFederation.make(plan, b_key, locked=True))
    before = plan.state()
    # dropping into a locked federation: a message, no drop
    with qtbot.assertNotEmitted(scene.centres_dropped):
        with qtbot.waitSignal(document.status_message, timeout=2000) as msg:
            mouse(view.viewport()).drag(vpos(view, plan, a), vpos(view, plan, b))
    assert plan.federations[b_key].name in msg.args[0] and "locked" in msg.args[0]
    # dragging out of a locked federation: refused at once
    with qtbot.assertNotEmitted(scene.centres_dropped):
        with qtbot.waitSignal(document.status_message, timeout=2000):
            mouse(view.viewport()).drag(vpos(view, plan, b), vpos(view, plan, a))
    assert plan.state() == before and stack.count() == 0


def test_drop_on_an_outline_away_from_centres(canvas, document, qtbot, mouse):
    scene, view, stack = canvas
    plan = document.plan
    a, a_key, _, b_key = pick_pair(view, plan)
    # an empty spot inside b's outline: its representative point, if no centre is there
    spot = scene.outlines[b_key].representative_point()
    at = QPointF(view.mapFromScene(QPointF(spot.x, -spot.y)))
    assert scene.centre_at(view.mapToScene(at.toPoint()), view.scale_factor) is None
    with qtbot.waitSignal(scene.centres_dropped, timeout=2000) as dropped:
        mouse(view.viewport()).drag(vpos(view, plan, a), at)
    assert dropped.args == [[a], b_key]


def test_drop_back_home_or_on_empty_sea_emits_nothing(canvas, document, qtbot, mouse):
    scene, view, stack = canvas
    plan = document.plan
    a, a_key, _, _ = pick_pair(view, plan)
    home = next(r for r in separated(view, plan, plan.members(a_key)) if plan.centres.ids[r] != a)
    with qtbot.assertNotEmitted(scene.centres_dropped):
        mouse(view.viewport()).drag(vpos(view, plan, a), vpos(view, plan, plan.centres.ids[home]))
        sea = next(QPointF(x, y) for x in range(5, 300, 10) for y in (690, 5)
                   if scene.federation_at(view.mapToScene(x, y)) == -1)
        mouse(view.viewport()).drag(vpos(view, plan, a), sea)
    assert stack.count() == 0


def test_leaving_the_viewport_hands_over_to_a_qt_drag(canvas, document, qtbot, mouse,
                                                      monkeypatch):
    scene, view, stack = canvas
    plan = document.plan
    a, _, _, _ = pick_pair(view, plan)
    started = []

    def fake_exec(self, *args, **kwargs):
        started.append(bytes(self.mimeData().data(MIME_CENTRE_IDS)).decode("utf-8"))
        return Qt.DropAction.IgnoreAction

    monkeypatch.setattr(QDrag, "exec", fake_exec)
    with qtbot.assertNotEmitted(scene.centres_dropped):
        mouse(view.viewport()).drag(vpos(view, plan, a), QPointF(-40, 300), steps=12)
    assert started == [a]
    assert not scene.dragging
    assert stack.count() == 0


def test_overlay_shows_the_target_count_after_the_move(canvas, document, mouse):
    scene, view, _ = canvas
    plan = document.plan
    a, _, b, b_key = pick_pair(view, plan)
    m = mouse(view.viewport())
    start, end = vpos(view, plan, a), vpos(view, plan, b)
    m.press(start)
    for i in range(1, 5):
        m.move(start + (end - start) * (i / 4))
    text = scene._overlay.text
    count = document.stats[b_key].count
    assert plan.federations[b_key].name in text and f"{count + 1} centres (+1)" in text
    scene.cancel_drag()
    m.release(end)
    assert plan.federation_of(a) != b_key
