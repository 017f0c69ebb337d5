"""The window's actions, menus and toolbar, built in one place.

:func:`build_actions` creates every :class:`QAction` (with its shortcut), connects it to the
window's controllers and fills the menu bar and the toolbar. The actions are returned as attributes
of :class:`Actions` so tests and other code can ``trigger()`` them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle

from planner.ui.icons import icon as load_icon

__all__ = ["Actions", "build_actions"]

K = QKeySequence.StandardKey


class Actions:
    """A plain namespace of QActions (``actions.save``, ``actions.undo``...)."""


def _action(window, text, slot=None, shortcuts=(), tip="", icon=None, checkable=False) -> QAction:
    action = QAction(text, window)
    keys = []
    for s in shortcuts:
        keys += QKeySequence.keyBindings(s) if isinstance(s, QKeySequence.StandardKey) else [
            QKeySequence(s)
        ]
    if keys:
        action.setShortcuts(keys)
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(f"{tip} ({keys[0].toString(QKeySequence.SequenceFormat.NativeText)})"
                          if keys else tip)
    if isinstance(icon, str):
        action.setIcon(load_icon(icon))
    elif icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    action.setCheckable(checkable)
    if slot is not None:
        action.triggered.connect(lambda _checked=False: slot())
    return action


def build_actions(window) -> Actions:
    """Create the actions for ``window`` and put them in its menus and toolbar."""
    a = Actions()
    _file_actions(window, a)
    _edit_actions(window, a)
    _view_and_plan_actions(window, a)
    a.about = _action(window, "&About", window.show_about)  # Help
    _menus(window, a)
    _toolbar(window, a)
    return a


def _file_actions(window, a: Actions) -> None:
    """File: open, save, export, quit."""
    files = window.files
    SP = QStyle.StandardPixmap
    a.open = _action(window, "&Open centres or plan…", files.open_dialog, [K.Open],
                     "Open a centres file, a saved plan or a boundary layer",
                     SP.SP_DialogOpenButton)
    a.open_boundaries = _action(window, "Open &boundaries…", files.open_boundaries_dialog, (),
                                "Show a boundary layer (local authorities) under the centres")
    a.save = _action(window, "&Save", files.save, [K.Save], "Save the plan", SP.SP_DialogSaveButton)
    a.save_as = _action(window, "Save &As…", files.save_as, ["Ctrl+Shift+S"],
                        "Save the plan to a new file")
    a.export_geojson = _action(window, "Export &GeoJSON…", files.export_geojson, (),
                               "Centres and federation outlines as GeoJSON (WGS84)")
    a.export_csv = _action(window, "Export &CSV…", files.export_csv, (),
                           "One row per centre with its federation")
    a.export_png = _action(window, "Export map &image (PNG, SVG)…", files.export_png, (),
                           "A picture of the map")
    a.quit = _action(window, "&Quit", window.close, [K.Quit, "Ctrl+Q"], "Quit the planner")


def _edit_actions(window, a: Actions) -> None:
    """Edit: undo and redo (of the option shown), move, lock, select, delete."""
    plans = window.plans
    SP = QStyle.StandardPixmap
    a.undo = window.options.group.createUndoAction(window, "&Undo")  # the option shown
    a.undo.setShortcuts(QKeySequence.keyBindings(K.Undo))
    a.undo.setIcon(window.style().standardIcon(SP.SP_ArrowBack))
    a.redo = window.options.group.createRedoAction(window, "&Redo")
    a.redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
    a.redo.setIcon(window.style().standardIcon(SP.SP_ArrowForward))
    a.move_to = _action(window, "&Move to federation…", plans.move_to, ["M"],
                        "Move the selected centres to another federation", "move")
    a.lock = _action(window, "&Lock/unlock selection", plans.toggle_lock, ["L"],
                     "Locked centres stay where they are, by hand or by the engine", "lock")
    a.select_all = _action(window, "Select &all", plans.select_all, [K.SelectAll])
    # No Esc shortcut here: Esc belongs to the map (it cancels a drag).
    a.clear_selection = _action(window, "Clear selection",
                                lambda: window.document.set_selection(()), ["Ctrl+Shift+A"])
    a.delete = _action(window, "&Delete (unassign / remove empty federation)", plans.delete,
                       [K.Delete],
                       "Take the selected centres out of their federation, or remove the empty "
                       "federation selected in the panel")


def _view_and_plan_actions(window, a: Actions) -> None:
    """View: fit and zoom. Plan: the engine, and adding or removing federations."""
    plans, view = window.plans, window.view
    a.fit_all = _action(window, "&Fit all", view.fit_all, ["F"], "Show the whole plan", "fit")
    a.fit_selection = _action(window, "Fit &selection", view.fit_selection, ["Shift+F"],
                              "Zoom to the selected centres", "fit_selection")
    a.zoom_in = _action(window, "Zoom &in", view.zoom_in, [K.ZoomIn, "+", "="])
    a.zoom_out = _action(window, "Zoom &out", view.zoom_out, [K.ZoomOut, "-"])

    # Plan
    a.auto_federate = _action(window, "&Auto-federate…", plans.auto_federate, ["Ctrl+R"],
                              "Propose federations for every centre", "federate")
    a.reoptimise = _action(window, "&Re-optimise unlocked…", plans.reoptimise_unlocked,
                           ["Ctrl+Shift+R"], "Re-run the engine, keeping what is locked")
    a.add_federation = _action(window, "Add &federation", plans.add_federation, ["Ctrl+Shift+N"],
                               "Add an empty federation")
    a.remove_empty = _action(window, "Remove &empty federations",
                             plans.remove_empty_federations)


def _reach_layer_action(window) -> QAction:
    """View > Reach layer: the small areas each centre serves, coloured by deprivation."""
    action = _action(window, "&Reach layer (children and deprivation)", None, ["Ctrl+Shift+D"],
                     "Show the small areas each centre serves, coloured by deprivation "
                     "(IMD 2019 decile)", checkable=True)
    action.toggled.connect(window.reach_layer.set_visible)
    return action


def _menus(window, a: Actions) -> None:
    bar = window.menuBar()
    m = bar.addMenu("&File")
    window.file_menu = m
    m.addActions([a.open, a.open_boundaries])
    window.recent_menu = m.addMenu("Recent &files")
    window.recent_menu.aboutToShow.connect(
        lambda: window.files.fill_recent_menu(window.recent_menu)
    )
    m.addSeparator()
    m.addActions([a.save, a.save_as])
    m.addSeparator()
    m.addActions([a.export_geojson, a.export_csv, a.export_png])
    m.addSeparator()
    m.addAction(a.quit)

    m = bar.addMenu("&Edit")
    window.edit_menu = m
    m.addActions([a.undo, a.redo])
    m.addSeparator()
    m.addActions([a.move_to, a.lock, a.delete])
    m.addSeparator()
    m.addActions([a.select_all, a.clear_selection])

    m = bar.addMenu("&View")
    m.addActions([a.fit_all, a.fit_selection, a.zoom_in, a.zoom_out])
    m.addSeparator()
    a.reach_layer = _reach_layer_action(window)
    m.addAction(a.reach_layer)
    m.addSeparator()
    for dock in window.docks():
        m.addAction(dock.toggleViewAction())
    window.view_menu = m

    m = bar.addMenu("&Plan")
    m.addActions([a.auto_federate, a.reoptimise])
    m.addSeparator()
    m.addActions([a.add_federation, a.remove_empty])

    m = bar.addMenu("&Help")
    m.addAction(a.about)


def _toolbar(window, a: Actions) -> None:
    tb = window.addToolBar("Main")
    tb.setObjectName("mainToolBar")
    tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    tb.addActions([a.open, a.save])
    tb.addSeparator()
    tb.addActions([a.undo, a.redo])
    for action in (a.undo, a.redo):  # their text names the command: keep the toolbar steady
        tb.widgetForAction(action).setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
    tb.addSeparator()
    tb.addActions([a.move_to, a.lock])
    tb.addSeparator()
    tb.addActions([a.fit_all, a.fit_selection])
    tb.addSeparator()
    tb.addAction(a.auto_federate)
    window.view_menu.addAction(tb.toggleViewAction())
