"""The main window on the Kent & Medway sample: moves, refusals, undo/redo and the Edit menu."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from planner.domain.plan import UNASSIGNED, Plan
from planner.ui.federation_panel import COL_COUNT, COL_NAME

pytestmark = pytest.mark.usefixtures("no_modal_dialogs")


def panel_counts(window) -> dict[str, int]:
    model = window.federation_model
    return {
        model.index(r, COL_NAME).data(): int(model.index(r, COL_COUNT).data())
        for r in range(model.rowCount())
    }


def centre_in(plan: Plan, key: int, unlocked: bool = True) -> str:
    return next(c for c in plan.member_ids(key) if not (unlocked and plan.is_locked(c)))


def test_opens_the_sample_with_five_federations(main_window, qtmodeltester):
    counts = panel_counts(main_window)
    assert len(counts) == 5
    assert sum(counts.values()) == 103
    assert main_window.windowTitle().startswith("Kent and Medway sample")
    assert not main_window.isWindowModified()
    assert main_window.document.weight_column == "children_0_15"
    assert main_window.document.violations() == []  # the proposal keeps every rule
    qtmodeltester.check(main_window.federation_model)
    qtmodeltester.check(main_window.centre_table.proxy)


def test_a_drop_on_the_map_moves_centres_and_undo_redo_restore_the_exact_plan(main_window, qtbot):
    w = main_window
    plan = w.document.plan
    a, b = list(plan.federations)[:2]
    ids = plan.member_ids(a)[:2]
    before = plan.state()
    counts_before = panel_counts(w)
    name_a, name_b = plan.federations[a].name, plan.federations[b].name

    with qtbot.waitSignal(w.document.plan_changed) as changed:
        w.scene.centres_dropped.emit(ids, b)
    assert changed.args[0] == {a, b}
    assert all(plan.federation_of(i) == b for i in ids)
    after = plan.state()
    counts = panel_counts(w)
    assert counts[name_a] == counts_before[name_a] - 2
    assert counts[name_b] == counts_before[name_b] + 2
    assert w.stack.count() == 1 and w.isWindowModified()
    assert w.windowTitle().startswith("Kent and Medway sample (proposed plan)[*]")
    assert w.history.model().rowCount() == 1  # the change log: the move (issue 12)
    assert "Move 2 centres" in w.history.model().index(0, 2).data()

    w.actions.undo.trigger()
    assert plan.state() == before
    assert panel_counts(w) == counts_before
    assert not w.isWindowModified()
    w.actions.redo.trigger()
    assert plan.state() == after
    assert panel_counts(w) == counts


def test_redo_has_both_shortcuts(main_window):
    keys = {k.toString() for k in main_window.actions.redo.shortcuts()}
    assert {"Ctrl+Shift+Z", "Ctrl+Y"} <= keys
    assert main_window.actions.undo.shortcuts()[0].toString() == "Ctrl+Z"


def test_a_locked_centre_refuses_with_a_status_bar_message(main_window, qtbot):
    w = main_window
    plan = w.document.plan
    a, b = list(plan.federations)[:2]
    cid = plan.member_ids(a)[0]
    w.document.set_selection([cid])
    w.actions.lock.trigger()
    assert cid in plan.locked_centres
    before = plan.state()
    depth = w.stack.count()

    w.scene.centres_dropped.emit([cid], b)

    assert plan.state() == before
    assert w.stack.count() == depth
    message = w.statusBar().currentMessage()
    assert "locked" in message and cid in message


def test_a_locked_federation_refuses_a_drop_into_it(main_window):
    w = main_window
    plan = w.document.plan
    a, b = list(plan.federations)[:2]
    assert w.editor.set_federation(b, locked=True)
    before = plan.state()
    w.scene.centres_dropped.emit([centre_in(plan, a)], b)
    assert plan.state() == before
    assert "is locked" in w.statusBar().currentMessage()


def test_drag_preview_shows_the_figures_the_move_would_produce(main_window):
    w = main_window
    plan = w.document.plan
    a, b = list(plan.federations)[:2]
    cid = centre_in(plan, a)
    n_b = len(plan.members(b))
    before = plan.state()
    w.scene.drag_preview.emit([cid], b)
    message = w.statusBar().currentMessage()
    assert message.startswith(f"Move 1 centre to {plan.federations[b].name}")
    assert f"{n_b}\u2192{n_b + 1} centres" in message
    assert "weight" in message
    assert plan.state() == before  # a preview changes nothing
    w.scene.drag_preview.emit([cid], UNASSIGNED)
    assert "Esc cancels" in w.statusBar().currentMessage()


def test_move_to_federation_asks_with_the_chooser(main_window, monkeypatch):
    w = main_window
    plan = w.document.plan
    a, b = list(plan.federations)[:2]
    ids = plan.member_ids(a)[:3]
    w.document.set_selection(ids)
    asked = []

    def choose(p, chosen_ids):
        asked.append(list(chosen_ids))
        return b

    monkeypatch.setattr(w.prompts, "choose_federation", choose)
    w.actions.move_to.trigger()
    assert asked == [ids]
    assert all(plan.federation_of(i) == b for i in ids)
    assert w.stack.count() == 1


def test_the_move_chooser_dialog_returns_the_picked_federation(main_window, monkeypatch, qtbot):
    """The real dialog, accepted by a timer (no modal left waiting)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from planner.ui.move_chooser import MoveDialog

    monkeypatch.undo()  # the real QDialog.exec for this test
    w = main_window
    plan = w.document.plan
    keys = list(plan.federations)
    cid = plan.member_ids(keys[0])[0]
    seen = []

    def pick():
        dialog = QApplication.activeModalWidget()
        seen.append(type(dialog))
        dialog.select_key(keys[3])
        dialog.accept()

    QTimer.singleShot(0, pick)
    assert w.prompts.choose_federation(plan, [cid]) == keys[3]
    assert seen == [MoveDialog]
    dialog = MoveDialog(plan, [cid])
    listed = [dialog.list.item(r).data(Qt.ItemDataRole.UserRole)
              for r in range(dialog.list.count())]
    assert listed == [*plan.federations, UNASSIGNED]  # every federation, then "unassign"
    assert not any(f.locked for f in plan.federations.values())
    assert dialog.chosen() == keys[1]  # starts on the first federation the centre is not in


def test_scene_requests_lock_and_hub(main_window):
    w = main_window
    plan = w.document.plan
    key = next(iter(plan.federations))
    ids = [c for c in plan.member_ids(key) if c != plan.federations[key].hub][:2]
    w.scene.lock_requested.emit(ids, True)
    assert set(ids) <= plan.locked_centres
    w.scene.hub_requested.emit(ids[1])
    assert plan.federations[key].hub == ids[1]
    assert w.stack.count() == 2


def test_delete_unassigns_the_selection_then_removes_an_empty_federation(main_window):
    w = main_window
    plan = w.document.plan
    key = list(plan.federations)[0]
    ids = plan.member_ids(key)[:2]
    w.document.set_selection(ids)
    w.actions.delete.trigger()
    assert all(plan.federation_of(i) == UNASSIGNED for i in ids)
    assert w.document.selection == ()
    assert any(v.rule == "unassigned" for v in w.document.violations())

    new = w.plans.add_federation()
    assert new in plan.federations
    row = w.federation_model.row_of(new)
    w.panel.selectRow(row)
    w.actions.delete.trigger()
    assert new not in plan.federations
    w.actions.undo.trigger()
    assert new in plan.federations

    w.panel.selectRow(0)  # a full federation is not removed
    w.actions.delete.trigger()
    assert key in plan.federations
    assert "still has centres" in w.statusBar().currentMessage()


def test_select_all_selects_every_centre_in_the_table(main_window):
    w = main_window
    w.actions.select_all.trigger()
    assert len(w.document.selection) == 103
    assert len(w.centre_table.view.selectionModel().selectedRows()) == 103
    assert w.status.selection_label.text().startswith("103 selected")


def test_auto_federate_result_is_one_undoable_step(main_window, monkeypatch):
    w = main_window
    plan = w.document.plan
    before = plan.state()
    proposed = Plan.from_labels(plan.centres, [i % 3 for i in range(len(plan.centres))])
    monkeypatch.setattr(w.prompts, "federate", lambda doc, reoptimise_unlocked=False: proposed)
    w.actions.auto_federate.trigger()
    assert len(plan.federations) == 3
    assert w.federation_model.rowCount() == 3
    assert w.stack.count() == 1 and w.stack.undoText() == "Auto-federate"
    w.actions.undo.trigger()
    assert plan.state() == before
    assert w.federation_model.rowCount() == 5


def test_reoptimise_asks_the_dialog_to_keep_locks(main_window, monkeypatch):
    w = main_window
    calls = []
    monkeypatch.setattr(w.prompts, "federate",
                        lambda doc, reoptimise_unlocked=False: calls.append(reoptimise_unlocked))
    w.actions.reoptimise.trigger()
    w.actions.auto_federate.trigger()
    assert calls == [True, False]
    assert w.stack.count() == 0  # cancelled dialogs change nothing


def test_selection_from_the_map_shows_in_the_table_and_the_status_bar(main_window):
    w = main_window
    plan = w.document.plan
    key = list(plan.federations)[1]
    ids = plan.member_ids(key)[:4]
    w.document.set_selection(ids)
    rows = w.centre_table.view.selectionModel().selectedRows()
    assert {w.centre_table.model.centre_id(w.centre_table.proxy.mapToSource(r).row())
            for r in rows} == set(ids)
    assert w.status.selection_label.text() == f"4 selected: 4 in {plan.federations[key].name}"


def test_table_selection_sets_the_document_selection(main_window):
    w = main_window
    view = w.centre_table.view
    view.selectRow(0)
    first = w.centre_table.model.centre_id(w.centre_table.proxy.mapToSource(
        view.model().index(0, 0)).row())
    assert w.document.selection == (first,)


def test_the_centre_table_searches_and_filters_by_federation(main_window):
    w = main_window
    table = w.centre_table
    table.search.setText("medway")
    assert 0 < table.proxy.rowCount() < 103
    assert all("medway" in " ".join(
        str(table.proxy.index(r, c).data()) for c in range(5)).lower()
        for r in range(table.proxy.rowCount()))
    table.search.clear()
    key = list(w.document.plan.federations)[2]
    table.set_federation_filter(key)
    assert table.proxy.rowCount() == len(w.document.plan.members(key))


def test_panel_click_zooms_the_map_to_the_federation(main_window, qtbot):
    w = main_window
    with qtbot.waitExposed(w):
        w.show()
    key = list(w.document.plan.federations)[4]
    index = w.federation_model.index(w.federation_model.row_of(key), COL_COUNT)
    with qtbot.waitSignal(w.panel.federation_activated) as activated:
        qtbot.mouseClick(w.panel.viewport(), Qt.MouseButton.LeftButton,
                         pos=w.panel.visualRect(index).center())
    assert activated.args == [key]
    shown = w.view.mapToScene(w.view.viewport().rect()).boundingRect()
    assert shown.contains(w.scene.federation_rect(key))
    assert shown.width() < w.scene.data_rect.width()  # zoomed in, not the whole map


def test_about_names_the_data_licence(main_window, monkeypatch):
    shown = []
    monkeypatch.setattr(main_window.prompts, "about", lambda title, html: shown.append(html))
    main_window.actions.about.trigger()
    assert "Open Government Licence v3.0" in shown[0]
    assert "Contains public sector information" in shown[0]


def test_a_real_mouse_drag_on_the_map_moves_a_centre_and_updates_the_panel(main_window, qtbot,
                                                                            mouse):
    from PySide6.QtCore import QPointF

    w = main_window
    with qtbot.waitExposed(w):
        w.show()
    w.view.fit_all()
    plan = w.document.plan
    view = w.view

    def vpos(cid):
        x, y = plan.centres.xy[plan.centres.index_of(cid)]
        return QPointF(view.mapFromScene(QPointF(x, -y)))

    def alone(key):
        """A centre of ``key`` at least 16 px from every other centre (an unambiguous target)."""
        points = {c: vpos(c) for c in plan.centres.ids}
        for cid in plan.member_ids(key):
            p = points[cid]
            if all((p - q).manhattanLength() >= 16 for c, q in points.items() if c != cid):
                return cid
        raise AssertionError(f"no centre of federation {key} stands 16 px clear at this size")

    a_key, b_key = list(plan.federations)[:2]
    a, b = alone(a_key), alone(b_key)
    before = plan.state()
    counts = panel_counts(w)
    name_b = plan.federations[b_key].name

    with qtbot.waitSignal(w.scene.centres_dropped, timeout=2000):
        mouse(view.viewport()).drag(vpos(a), vpos(b))

    assert plan.federation_of(a) == b_key
    assert panel_counts(w)[name_b] == counts[name_b] + 1
    assert w.statusBar().currentMessage() == f"Moved 1 centre to {name_b}"
    assert w.stack.count() == 1
    w.stack.undo()
    assert plan.state() == before


def test_auto_federate_with_the_real_dialog_runs_the_engine_and_is_one_step(main_window,
                                                                           monkeypatch, qtbot):
    """The real dialog and worker thread; a timer presses Run, the dialog accepts when done."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from planner.ui.dialogs.federate_dialog import FederateDialog

    monkeypatch.undo()  # the real QDialog.exec
    w = main_window
    plan = w.document.plan
    before = plan.state()
    started = []

    def press_run():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, FederateDialog)
        dialog.k_spin.setValue(6)
        started.append(dialog.run())
        QTimer.singleShot(60000, dialog.reject)  # never hang the suite

    QTimer.singleShot(0, press_run)
    w.actions.auto_federate.trigger()

    assert started == [True]
    assert len(plan.federations) == 6
    assert w.federation_model.rowCount() == 6
    assert w.stack.count() == 1 and w.stack.undoText() == "Auto-federate"
    assert "federations" in w.statusBar().currentMessage()
    w.actions.undo.trigger()
    assert plan.state() == before


def test_rows_dragged_from_the_centre_table_drop_on_a_federation_row(main_window):
    w = main_window
    plan = w.document.plan
    table, model = w.centre_table, w.federation_model
    a, b = list(plan.federations)[:2]
    ids = plan.member_ids(a)[:2]
    w.document.set_selection(ids)
    indexes = table.view.selectionModel().selectedIndexes()
    data = table.proxy.mimeData(indexes)
    assert table.model.supportedDragActions() == Qt.DropAction.CopyAction
    assert model.dropMimeData(data, Qt.DropAction.CopyAction, -1, -1,
                              model.index(model.row_of(b), 0))
    assert all(plan.federation_of(i) == b for i in ids)
    assert table.model.rowCount() == 103  # a drop never removes rows from the table


def test_dragging_centres_over_a_panel_row_previews_the_move(main_window, qtbot):
    from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent
    from PySide6.QtWidgets import QApplication

    from planner.ui.mime import encode_ids

    w = main_window
    with qtbot.waitExposed(w):
        w.show()
    plan = w.document.plan
    a, b = list(plan.federations)[:2]
    cid = centre_in(plan, a)
    data = encode_ids([cid])
    row_b = w.federation_model.row_of(b)
    pos = w.panel.visualRect(w.federation_model.index(row_b, COL_COUNT)).center()
    viewport = w.panel.viewport()
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    args = (actions, data, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(w.panel.drop_preview) as preview:
        QApplication.sendEvent(viewport, QDragEnterEvent(pos, *args))
        QApplication.sendEvent(viewport, QDragMoveEvent(pos, *args))
    assert preview.args == [[cid], b]
    assert w.statusBar().currentMessage().startswith(
        f"Move 1 centre to {plan.federations[b].name}")
    with qtbot.waitSignal(w.panel.drop_preview) as ended:
        QApplication.sendEvent(viewport, QDragLeaveEvent())
    assert ended.args == [[], -1]
    assert plan.federation_of(cid) == a  # previews never move anything


def test_open_with_the_real_column_mapping_dialog(main_window, monkeypatch, ambiguous_csv):
    """An ambiguous CSV (two latitude/longitude pairs) asks; a timer accepts the dialog."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from planner.ui.dialogs.import_dialog import ColumnMappingDialog

    monkeypatch.undo()  # the real QDialog.exec
    w = main_window
    seen = []

    def accept():
        dialog = QApplication.activeModalWidget()
        seen.append(type(dialog))
        dialog.accept()

    QTimer.singleShot(0, accept)
    assert w.files.open_path(ambiguous_csv)
    assert seen == [ColumnMappingDialog]
    assert len(w.document.plan.centres) == 103 and not w.document.plan.federations
    assert w.document.weight_column == "children_0_15"
    assert w.windowTitle().startswith("kent_medway_centres.csv")


def test_moving_a_hub_out_unsets_that_hub_in_the_same_undo_step(main_window):
    w = main_window
    plan = w.document.plan
    a, b = list(plan.federations)[:2]
    hub = plan.federations[a].hub
    assert hub is not None  # the engine's proposal names a hub per federation
    before = plan.state()
    w.scene.centres_dropped.emit([hub], b)
    assert plan.federation_of(hub) == b
    assert plan.federations[a].hub is None
    assert plan.federations[b].hub != hub  # b keeps its own hub
    assert w.stack.count() == 1
    w.actions.undo.trigger()
    assert plan.state() == before


def test_the_sample_federations_are_named_after_their_hubs_towns(main_window):
    plan = main_window.document.plan
    towns = plan.centres.attributes["town"]
    for fed in plan.federations.values():
        assert fed.name == towns[plan.centres.index_of(fed.hub)].title()


def test_the_centre_table_follows_moves_renames_and_unassigning(main_window, qtbot):
    w = main_window
    plan = w.document.plan
    table = w.centre_table
    a, b = list(plan.federations)[:2]
    cid = centre_in(plan, a)
    row = plan.centres.index_of(cid)
    cell = table.model.index(row, 2)
    table.set_federation_filter(b)
    shown = table.proxy.rowCount()

    with qtbot.waitSignal(table.model.dataChanged):
        w.editor.move([cid], b)
    assert cell.data() == plan.federations[b].name
    assert table.proxy.rowCount() == shown + 1  # the filter follows the move
    w.editor.rename(b, "Renamed")
    assert cell.data() == "Renamed"
    w.document.set_selection([cid])
    w.actions.delete.trigger()
    assert cell.data() == "(none)"
    assert table.proxy.rowCount() == shown
    table.set_federation_filter(UNASSIGNED)
    assert table.proxy.rowCount() == 1


def test_the_map_context_menu_and_the_m_key_open_the_chooser(main_window, monkeypatch, qtbot):
    w = main_window
    plan = w.document.plan
    a, b = list(plan.federations)[:2]
    ids = [centre_in(plan, a)]
    calls = []

    def choose(p, chosen):
        calls.append(list(chosen))
        return b

    monkeypatch.setattr(w.prompts, "choose_federation", choose)
    w.scene.move_requested.emit(ids)  # the map's context menu
    assert calls == [ids] and plan.federation_of(ids[0]) == b

    w.show()
    w.activateWindow()
    qtbot.waitUntil(w.isActiveWindow)  # window shortcuts need the active window
    w.view.setFocus()
    w.document.set_selection(plan.member_ids(a)[:1])
    qtbot.keyClick(w.view, Qt.Key.Key_M)
    assert len(calls) == 2 and calls[1] == list(w.document.selection)
    assert w.stack.count() == 2
    qtbot.keyClick(w.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert w.stack.count() == 2 and w.stack.index() == 1  # Ctrl+Z undid the second move
