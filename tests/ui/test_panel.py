"""The federation panel model: figures, problems, rename and lock as undo steps, drops on rows."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QUndoStack

from planner.ui.editing import Editor
from planner.ui.federation_panel import (
    COL_CONTIG,
    COL_COUNT,
    COL_DEV,
    COL_LOCK,
    COL_NAME,
    COL_PROBLEMS,
    PROBLEM_BACKGROUND,
    FederationModel,
    FederationPanel,
)
from planner.ui.mime import CENTRE_IDS_MIME, decode_ids, encode_ids


@pytest.fixture
def stack(qapp):
    s = QUndoStack()
    yield s
    s.clear()


@pytest.fixture
def model(document, stack):
    return FederationModel(document, Editor(document, stack))


def mime(ids) -> QMimeData:
    data = QMimeData()
    data.setData(CENTRE_IDS_MIME, "\n".join(ids).encode("utf-8"))
    return data


def test_model_passes_the_model_tester(model, qtmodeltester):
    qtmodeltester.check(model)


def test_rows_follow_the_plan_and_stats(model, document):
    plan, stats = document.plan, document.stats
    assert model.rowCount() == len(plan.federations) == 5
    for row, key in enumerate(plan.federations):
        assert model.index(row, COL_NAME).data() == plan.federations[key].name
        assert int(model.index(row, COL_COUNT).data()) == stats[key].count
        assert model.index(row, COL_DEV).data().endswith("%")
        assert model.index(row, COL_LOCK).data(Qt.ItemDataRole.CheckStateRole) == \
            Qt.CheckState.Unchecked
    swatch = model.index(0, COL_NAME).data(Qt.ItemDataRole.DecorationRole)
    assert not swatch.isNull()
    assert sum(int(model.index(r, COL_COUNT).data()) for r in range(5)) == len(plan.centres)


def test_a_drop_on_a_row_moves_the_centres_there(model, document, stack, qtbot):
    plan = document.plan
    a, b = list(plan.federations)[:2]
    ids = plan.member_ids(a)[:3]
    before = plan.state()
    row_b = model.row_of(b)
    target = model.index(row_b, COL_NAME)
    data = mime(ids)
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)

    with qtbot.waitSignal(model.dataChanged):
        assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, target)

    assert all(plan.federation_of(i) == b for i in ids)
    assert int(model.index(row_b, COL_COUNT).data()) == len(plan.members(b))
    assert stack.count() == 1
    stack.undo()
    assert plan.state() == before


def test_drops_the_panel_refuses(model, document, stack):
    plan = document.plan
    a, b = list(plan.federations)[:2]
    cid = plan.member_ids(a)[0]
    text = QMimeData()
    text.setText(cid)
    assert not model.canDropMimeData(text, Qt.DropAction.MoveAction, -1, -1,
                                     model.index(0, 0))  # wrong MIME type
    assert not model.dropMimeData(mime([cid]), Qt.DropAction.MoveAction, -1, -1,
                                  model.index(99, 0))  # no such row
    assert not model.dropMimeData(mime(["no-such-centre"]), Qt.DropAction.MoveAction, 0, 0,
                                  model.index(model.row_of(b), 0))
    messages = []
    document.status_message.connect(messages.append)
    model.editor.lock([cid], True)
    before = plan.state()
    assert not model.dropMimeData(mime([cid]), Qt.DropAction.MoveAction, -1, -1,
                                  model.index(model.row_of(b), 0))
    assert plan.state() == before
    assert "locked" in messages[-1]
    assert stack.count() == 1  # only the lock


def test_renaming_pushes_an_undoable_command(model, document, stack):
    index = model.index(2, COL_NAME)
    key = model.key_at(2)
    old = document.plan.federations[key].name
    assert index.flags() & Qt.ItemFlag.ItemIsEditable
    assert model.setData(index, "  Thanet and Dover ")
    assert document.plan.federations[key].name == "Thanet and Dover"
    assert index.data() == "Thanet and Dover"
    assert stack.count() == 1 and stack.undoText() == f"Rename {old!r} to 'Thanet and Dover'"
    stack.undo()
    assert index.data() == old
    assert not model.setData(index, "   ")  # a blank name is refused
    assert document.plan.federations[key].name == old


def test_the_lock_checkbox_locks_the_federation(model, document, stack):
    index = model.index(1, COL_LOCK)
    key = model.key_at(1)
    assert index.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert model.setData(index, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert document.plan.federations[key].locked
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    stack.undo()
    assert not document.plan.federations[key].locked


def test_rows_that_break_a_rule_are_highlighted_with_the_reason(model, document):
    plan = document.plan
    sizes = {k: len(plan.members(k)) for k in plan.federations}
    biggest = max(sizes, key=sizes.get)
    document.constraints = replace(document.constraints, max_size=sizes[biggest] - 1,
                                   min_size=0)
    document._violations = None
    model._reset()
    row = model.row_of(biggest)
    assert model.index(row, COL_NAME).data(Qt.ItemDataRole.BackgroundRole) == PROBLEM_BACKGROUND
    tip = model.index(row, COL_COUNT).data(Qt.ItemDataRole.ToolTipRole)
    assert f"more than the maximum {sizes[biggest] - 1}" in tip
    assert model.index(row, COL_PROBLEMS).data() == "size"
    ok_row = next(r for r in range(5) if model.key_at(r) != biggest
                  and sizes[model.key_at(r)] < sizes[biggest])
    assert model.index(ok_row, COL_NAME).data(Qt.ItemDataRole.BackgroundRole) is None


def test_a_move_that_splits_a_federation_shows_in_the_contiguity_column(model, document, stack):
    plan = document.plan
    a, b = list(plan.federations)[:2]
    members_a = set(plan.members(a).tolist())
    # a centre of b with no neighbour in a: moving it into a leaves a in two pieces
    far = next(plan.centres.ids[r] for r in plan.members(b)
               if not members_a & set(document.neighbours[r]))
    row = model.row_of(a)
    assert model.index(row, COL_CONTIG).data() == "yes"
    model.editor.move([far], a)
    assert model.index(row, COL_CONTIG).data() == "no (2)"
    assert "contiguity" in model.index(row, COL_PROBLEMS).data()
    assert "2 separate pieces" in model.index(row, COL_NAME).data(Qt.ItemDataRole.ToolTipRole)


def test_adding_a_federation_adds_a_row(model, document, stack, qtbot):
    with qtbot.waitSignal(model.modelReset):
        key = model.editor.add_federation()
    assert model.rowCount() == 6 and model.key_at(5) == key
    assert model.index(5, COL_CONTIG).data() == "empty"
    stack.undo()
    assert model.rowCount() == 5


def test_clicking_a_row_asks_to_zoom_to_it(model, qtbot):
    panel = FederationPanel(model)
    qtbot.addWidget(panel)
    with qtbot.waitExposed(panel):
        panel.show()
    index = model.index(3, COL_COUNT)
    with qtbot.waitSignal(panel.federation_activated) as signal:
        qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton,
                         pos=panel.visualRect(index).center())
    assert signal.args == [model.key_at(3)]
    assert panel.selected_key() == model.key_at(3)


def test_mime_round_trip():
    data = encode_ids(["a1", "b 2", "3"])
    assert data.hasFormat(CENTRE_IDS_MIME)
    assert decode_ids(data) == ["a1", "b 2", "3"]
    assert decode_ids(QMimeData()) == []


def test_the_row_menu_selects_locks_and_removes(model, document, stack, qtbot):
    panel = FederationPanel(model)
    qtbot.addWidget(panel)
    key = model.key_at(0)
    menu = panel.menu_for(0)
    actions = {a.text(): a for a in menu.actions() if a.text()}
    members = document.plan.member_ids(key)
    actions[f"Select its {len(members)} centres"].trigger()
    assert set(document.selection) == set(members)
    assert not actions["Remove (empty federations only)"].isEnabled()
    actions["Lock"].trigger()
    assert document.plan.federations[key].locked and stack.count() == 1
    assert any(a.text() == "Unlock" for a in panel.menu_for(0).actions())
    with qtbot.waitSignal(panel.federation_activated) as zoom:
        actions["Zoom to"].trigger()
    assert zoom.args == [key]
    new = model.editor.add_federation()
    row = model.row_of(new)
    remove = next(a for a in panel.menu_for(row).actions() if a.text().startswith("Remove"))
    assert remove.isEnabled()
    remove.trigger()
    assert new not in document.plan.federations and model.rowCount() == 5


# -- reach figures (the sample window: no shared data needed) ----------------------------------
def _reach_oracle(doc):
    """Children and deprived children per federation, by brute force over the districts."""
    import numpy as np
    import shapely

    from planner.geo.small_areas import load_small_areas

    areas = load_small_areas()
    land = shapely.union_all(doc.boundaries.geometry.values)
    xy, plan = doc.plan.centres.xy, doc.plan
    out = {k: [0.0, 0.0] for k in plan.federations}
    for a in range(len(areas)):
        if not land.contains(shapely.Point(areas.xy[a])):
            continue
        d = np.hypot(*(xy - areas.xy[a]).T)
        ties = np.flatnonzero(d == d.min())
        for r in ties:
            key = int(plan.assignment[r])
            out[key][0] += areas.children[a] / len(ties)
            if areas.imd_decile[a] <= 3:
                out[key][1] += areas.children[a] / len(ties)
    return out


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_the_panel_shows_children_and_deprivation_per_federation(main_window, qtmodeltester):
    from planner.ui.federation_panel import COL_CHILDREN, COL_DEPRIVED, COL_SHARE

    w = main_window
    model, doc = w.federation_model, w.document
    qtmodeltester.check(model)
    oracle = _reach_oracle(doc)
    # the sample's own children_0_15 column, made by another script, agrees
    sample = doc.plan.centres.numeric("children_0_15")
    shares = []
    for row, key in enumerate(doc.plan.federations):
        children, deprived = oracle[key]
        assert _number(model.index(row, COL_CHILDREN).data()) == pytest.approx(children, abs=0.5)
        assert _number(model.index(row, COL_DEPRIVED).data()) == pytest.approx(deprived, abs=0.5)
        assert model.index(row, COL_SHARE).data() == f"{deprived / children:.0%}"
        assert children == pytest.approx(sample[doc.plan.members(key)].sum(), abs=1.0)
        shares.append(deprived / children)
    header = model.headerData(COL_SHARE, Qt.Orientation.Horizontal)
    assert header == f"Deprived share {min(shares):.0%}\u2013{max(shares):.0%}"
    tip = model.index(0, COL_NAME).data(Qt.ItemDataRole.ToolTipRole)
    assert "children 0-15" in tip and "from the hub" in tip


def test_reach_figures_follow_a_move_and_its_undo(main_window, qtbot):
    from planner.ui.federation_panel import COL_CHILDREN, COL_SHARE

    w = main_window
    model, doc = w.federation_model, w.document
    a, b = list(doc.plan.federations)[:2]
    ids = doc.plan.member_ids(a)[:4]
    with qtbot.waitSignal(model.dataChanged):
        assert w.editor.move(ids, b)
    oracle = _reach_oracle(doc)
    for key in (a, b):
        row = model.row_of(key)
        assert _number(model.index(row, COL_CHILDREN).data()) == pytest.approx(oracle[key][0],
                                                                              abs=0.5)
    shares = [d / c for c, d in oracle.values()]
    assert model.headerData(COL_SHARE, Qt.Orientation.Horizontal) == \
        f"Deprived share {min(shares):.0%}\u2013{max(shares):.0%}"
    fresh = doc.reach_stats.full_recompute()
    for key, r in fresh.items():
        assert doc.reach_stats[key].children == pytest.approx(r.children)
        assert doc.reach_stats[key].mean_to_hub == pytest.approx(r.mean_to_hub)
    w.stack.undo()
    oracle = _reach_oracle(doc)
    row = model.row_of(a)
    assert _number(model.index(row, COL_CHILDREN).data()) == pytest.approx(oracle[a][0], abs=0.5)
