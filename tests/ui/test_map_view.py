"""The map view: selection gestures, pan and zoom, context menu, labels, furniture, PNG export."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QToolTip

from planner.ui.map_scene import MapScene
from planner.ui.map_view import ATTRIBUTION, MapView, centre_ids_mime, nice_scale_length


@pytest.fixture
def view(document, qtbot):
    scene = MapScene(document)
    v = MapView(scene)
    v.resize(900, 700)
    qtbot.addWidget(v)
    v.show()
    qtbot.waitExposed(v)
    v.fit_all()
    return v


def vpos(view, cid) -> QPointF:
    plan = view.map_scene.document.plan
    x, y = plan.centres.xy[plan.centres.index_of(cid)]
    return QPointF(view.mapFromScene(QPointF(x, -y)))


def lonely(view, min_px=14.0) -> list[str]:
    """Centre ids at least ``min_px`` from any other symbol, inside the viewport."""
    plan = view.map_scene.document.plan
    pts = np.array([[vpos(view, c).x(), vpos(view, c).y()] for c in plan.centres.ids])
    out = []
    for r, p in enumerate(pts):
        d = np.hypot(*(pts - p).T)
        d[r] = np.inf
        if d.min() >= min_px and 0 <= p[0] < view.viewport().width() and \
                0 <= p[1] < view.viewport().height():
            out.append(plan.centres.ids[r])
    return out


def empty_spot(view) -> QPointF:
    scene = view.map_scene
    for x in range(300, 600, 7):
        for y in range(200, 500, 7):
            if scene.centre_at(view.mapToScene(x, y), view.scale_factor) is None:
                return QPointF(x, y)
    raise AssertionError("no empty spot")


def centre_in_view(view, cid) -> bool:
    return view.viewport().rect().contains(vpos(view, cid).toPoint())


def test_click_selects_and_modifier_click_toggles(view, document, mouse):
    a, b = lonely(view)[:2]
    m = mouse(view.viewport())
    m.click(vpos(view, a))
    assert document.selection == (a,)
    m.click(vpos(view, b), mods=Qt.KeyboardModifier.ControlModifier)
    assert document.selection == (a, b)
    m.click(vpos(view, a), mods=Qt.KeyboardModifier.ShiftModifier)
    assert document.selection == (b,)
    item = view.map_scene.centre_items[document.plan.centres.index_of(b)]
    assert item.selected and item.rect().width() > 10
    m.click(empty_spot(view))
    assert document.selection == ()
    assert not item.selected


def test_selection_from_elsewhere_restyles_the_symbols(view, document):
    ids = document.plan.member_ids(1)[:3]
    document.set_selection(ids)
    items = view.map_scene.centre_items
    assert {i.centre_id for i in items if i.selected} == set(ids)
    document.set_selection([])
    assert not any(i.selected for i in items)


def test_lasso_selects_the_centres_inside(view, document, mouse):
    plan = document.plan
    before = plan.state()
    dropped = []
    view.map_scene.centres_dropped.connect(lambda ids, key: dropped.append((ids, key)))
    cid = lonely(view)[0]
    c = vpos(view, cid)
    ring = [c + QPointF(np.cos(t) * 9, np.sin(t) * 9) for t in np.linspace(0, 2 * np.pi, 13)]
    m = mouse(view.viewport())
    alt = Qt.KeyboardModifier.AltModifier
    m.press(ring[0], mods=alt)
    for p in ring[1:]:
        m.move(p, mods=alt)
    m.release(ring[-1], mods=alt)
    assert document.selection == (cid,)
    assert dropped == [] and plan.state() == before  # a lasso selects; it never moves a centre


def test_select_tool_makes_plain_drag_a_band(view, document, mouse):
    view.set_tool("select")
    with pytest.raises(ValueError, match="unknown tool"):
        view.set_tool("paint")
    cid = lonely(view)[0]
    c = vpos(view, cid)
    mouse(view.viewport()).drag(c - QPointF(10, 10), c + QPointF(10, 10))
    assert document.selection == (cid,)


def test_drag_on_empty_map_pans_and_keeps_the_selection(view, document, mouse):
    document.set_selection([document.plan.centres.ids[0]])
    spot = empty_spot(view)
    before = view.mapToScene(view.viewport().rect().center())
    mouse(view.viewport()).drag(spot, spot + QPointF(120, 40))
    after = view.mapToScene(view.viewport().rect().center())
    assert after.x() == pytest.approx(before.x() - 120 / view.scale_factor, rel=0.05)
    assert after.y() == pytest.approx(before.y() - 40 / view.scale_factor, rel=0.05)
    assert document.selection == (document.plan.centres.ids[0],)


def test_middle_button_and_arrow_keys_pan(view, mouse, qtbot):
    centre = view.viewport().rect().center()
    before = view.mapToScene(centre)
    cid = lonely(view)[0]
    # the middle button pans even when pressed on a centre
    mouse(view.viewport()).drag(vpos(view, cid), vpos(view, cid) + QPointF(60, 0),
                                button=Qt.MouseButton.MiddleButton)
    mid = view.mapToScene(centre)
    assert mid.x() < before.x()
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.mapToScene(centre).x() > mid.x()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.mapToScene(centre).y() > mid.y()


def test_wheel_zooms_at_the_cursor(view):
    at = QPointF(300, 250)
    anchor = view.mapToScene(at.toPoint())
    scale = view.scale_factor
    wheel = QWheelEvent(at, QPointF(view.viewport().mapToGlobal(at.toPoint())), QPoint(0, 0),
                        QPoint(0, 240), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.scale_factor == pytest.approx(scale * 1.25**2)
    still = view.mapToScene(at.toPoint())
    tolerance = 2 / view.scale_factor
    assert abs(still.x() - anchor.x()) < tolerance and abs(still.y() - anchor.y()) < tolerance


def test_zoom_commands_and_limits(view, document, qtbot):
    s0 = view.scale_factor
    view.zoom_in()
    assert view.scale_factor == pytest.approx(s0 * 1.25)
    view.zoom_out()
    assert view.scale_factor == pytest.approx(s0)
    qtbot.keyClick(view, Qt.Key.Key_Plus)
    assert view.scale_factor > s0
    qtbot.keyClick(view, Qt.Key.Key_Minus)
    assert view.scale_factor == pytest.approx(s0)
    for _ in range(40):
        view.zoom_out()
    assert view.scale_factor >= s0 * 0.2  # cannot lose the map
    for _ in range(80):
        view.zoom_in()
    assert view.scale_factor <= 2.0 + 1e-9


def test_fit_all_selection_federation_and_centres(view, document):
    plan = document.plan
    view.zoom_to_centres([plan.centres.ids[0]])
    zoomed = view.scale_factor
    assert centre_in_view(view, plan.centres.ids[0])
    view.fit_all()
    assert view.scale_factor < zoomed
    assert all(centre_in_view(view, c) for c in plan.centres.ids)

    key = list(plan.federations)[2]
    view.zoom_to_federation(key)
    assert all(centre_in_view(view, c) for c in plan.member_ids(key))
    others = [c for c in plan.centres.ids if plan.federation_of(c) != key]
    assert not all(centre_in_view(view, c) for c in others)

    view.fit_all()
    chosen = plan.member_ids(key)[:2]
    document.set_selection(chosen)
    view.fit_selection()
    assert all(centre_in_view(view, c) for c in chosen)
    assert view.scale_factor > zoomed / 100


def test_context_menu_actions(view, document, qtbot):
    scene = view.map_scene
    plan = document.plan
    cid = lonely(view)[0]
    here = plan.federation_of(cid)
    other = next(k for k in plan.federations if k != here)
    menu = view.context_menu_at(vpos(view, cid))
    assert document.selection == (cid,)
    actions = {a.text(): a for a in menu.actions()}
    assert set(actions) >= {"Move to federation", "Move to federation…", "Lock", "Set as hub",
                            "Zoom to federation"}
    move = {a.text(): a for a in actions["Move to federation"].menu().actions()}
    assert not move[plan.federations[here].name].isEnabled()
    with qtbot.waitSignal(scene.centres_dropped) as dropped:
        move[plan.federations[other].name].trigger()
    assert dropped.args == [[cid], other]
    with qtbot.waitSignal(scene.move_requested) as chooser:
        actions["Move to federation…"].trigger()
    assert chooser.args == [[cid]]
    with qtbot.waitSignal(scene.lock_requested) as lock:
        actions["Lock"].trigger()
    assert lock.args == [[cid], True]
    with qtbot.waitSignal(scene.hub_requested) as hub:
        actions["Set as hub"].trigger()
    assert hub.args == [cid]
    actions["Zoom to federation"].trigger()
    assert all(centre_in_view(view, c) for c in plan.member_ids(here))
    assert view.context_menu_at(empty_spot(view)) is None


def test_keyboard_move_command_uses_the_selection(view, document, qtbot):
    ids = document.plan.member_ids(0)[:2]
    document.set_selection(ids)
    with qtbot.waitSignal(view.map_scene.move_requested) as req:
        view.map_scene.request_move_dialog()
    assert req.args == [ids]


def test_labels_only_when_zoomed_in(view, document, qtbot):
    layer = view.map_scene.label_layer
    view.viewport().grab()
    assert layer.painted == 0
    view.zoom_to_centres([document.plan.centres.ids[0]])
    view.viewport().grab()
    assert layer.painted >= 1


def test_tooltip_names_the_centre_and_its_federation(view, document, qtbot, monkeypatch):
    plan = document.plan
    cid = lonely(view)[0]
    row = plan.centres.index_of(cid)
    text = view.map_scene.tooltip_for(cid)
    assert plan.centres.names[row].replace("&", "&amp;") in text
    assert plan.federations[plan.federation_of(cid)].name in text
    assert plan.centres.attributes["postcode"][row] in text
    shown = []  # the offscreen platform cannot raise a real tooltip window without a warning
    monkeypatch.setattr(QToolTip, "showText", staticmethod(lambda pos, txt, *a: shown.append(txt)))
    monkeypatch.setattr(QToolTip, "hideText", staticmethod(lambda: shown.append(None)))
    p = vpos(view, cid).toPoint()
    QApplication.sendEvent(view.viewport(),
                           QHelpEvent(QEvent.Type.ToolTip, p, view.viewport().mapToGlobal(p)))
    assert shown and cid in shown[-1] and plan.centres.names[row][:10] in shown[-1]
    off = empty_spot(view).toPoint()
    QApplication.sendEvent(view.viewport(),
                           QHelpEvent(QEvent.Type.ToolTip, off, view.viewport().mapToGlobal(off)))
    assert shown[-1] is None


def test_legend_scale_bar_and_attribution(view, document):
    entries = view.legend_entries()
    assert [e[1] for e in entries] == [f.name for f in document.plan.federations.values()]
    assert sum(e[2] for e in entries) == len(document.plan.centres)
    assert nice_scale_length(50.0) == 5000.0  # 120 px at 50 m/px is 6 km -> 5 km
    assert nice_scale_length(1.0) == 100.0
    assert nice_scale_length(0.0) == 0.0
    assert "Crown copyright" in ATTRIBUTION
    image = view.viewport().grab().toImage()
    # the legend box (white) sits in the top-left corner, over the sea colour elsewhere
    assert QColor(image.pixel(12, 12)).lightness() > 230


def test_render_png_shows_the_federation_colours(view, document, tmp_path):
    path = tmp_path / "map.png"
    assert view.render_png(path)
    image = QImage(str(path))
    assert image.width() == view.viewport().width() and image.height() == view.viewport().height()
    plan = document.plan
    cid = lonely(view)[0]
    p = vpos(view, cid).toPoint()
    colour = QColor(image.pixel(p))
    want = QColor(plan.federations[plan.federation_of(cid)].colour)
    assert abs(colour.red() - want.red()) + abs(colour.green() - want.green()) + \
        abs(colour.blue() - want.blue()) < 60


def test_mime_data_lists_ids_one_per_line():
    data = centre_ids_mime(["1", "22", "333"])
    assert bytes(data.data("application/x-planner-centre-ids")).decode("utf-8") == "1\n22\n333"


def test_a_new_plan_mid_gesture_leaves_the_view_usable(view, document, mouse, kent_centres):
    from planner.domain.plan import Plan

    m = mouse(view.viewport())
    spot = empty_spot(view)
    shift = Qt.KeyboardModifier.ShiftModifier
    m.press(spot, mods=shift)
    m.move(spot + QPointF(30, 30), mods=shift)
    document.set_plan(Plan.from_labels(kent_centres, [0] * len(kent_centres)))
    m.move(spot + QPointF(60, 60), mods=shift)
    m.release(spot + QPointF(60, 60), mods=shift)
    assert set(view.map_scene.outline_items) == {0}
    # and a drag still works on the new plan
    m.click(vpos(view, lonely(view)[0]))
    assert len(document.selection) == 1


def test_hovering_a_centre_shows_an_open_hand(view, mouse):
    m = mouse(view.viewport())
    m.move(vpos(view, lonely(view)[0]), buttons=Qt.MouseButton.NoButton)
    assert view.viewport().cursor().shape() == Qt.CursorShape.OpenHandCursor
    m.move(empty_spot(view), buttons=Qt.MouseButton.NoButton)
    assert view.viewport().cursor().shape() == Qt.CursorShape.ArrowCursor
