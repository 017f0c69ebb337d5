"""The main window: composes the map, the docks, the undo stack, the actions and the status bar.

It owns no behaviour of its own beyond wiring: edits go through :class:`~planner.ui.editing.Editor`
(one undo step per gesture), files through :class:`~planner.ui.file_actions.FileController`, menu
commands through :class:`~planner.ui.plan_actions.PlanController`, and every question to the
planner through ``window.prompts`` (replaceable in tests).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QShowEvent, QUndoStack
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from planner.ui.about import ABOUT_TITLE, about_html
from planner.ui.actions import build_actions
from planner.ui.centre_table import CentreTable
from planner.ui.compare_dock import ComparePanel
from planner.ui.document import Document
from planner.ui.editing import Editor
from planner.ui.federation_panel import FederationModel, FederationPanel
from planner.ui.file_actions import FileController
from planner.ui.history_panel import HistoryPanel
from planner.ui.options_bar import OptionsController, install_option_actions
from planner.ui.plan_actions import PlanController
from planner.ui.prompts import Prompts
from planner.ui.reach_layer import ReachLayer
from planner.ui.report.export import PackExporter
from planner.ui.status import StatusController

__all__ = ["MainWindow", "APP_TITLE"]

APP_TITLE = "SureStart Federation Planner"


class MainWindow(QMainWindow):
    def __init__(
        self,
        document: Document,
        settings: QSettings | None = None,
        prompts: Prompts | None = None,
        title: str | None = None,
    ) -> None:
        super().__init__()
        from planner.ui.map_scene import MapScene
        from planner.ui.map_view import MapView

        self.setObjectName("mainWindow")
        self.document = document
        document.setParent(self)
        self.settings = settings if settings is not None else QSettings()
        self.prompts = prompts or Prompts(self)
        self._title_name = title
        self._shown = False
        self.stack = QUndoStack(self)
        self.editor = Editor(document, self.stack)

        self.scene = MapScene(document)
        self.scene.setParent(self)
        self.view = MapView(self.scene)
        self.setCentralWidget(self.view)
        self.reach_layer = ReachLayer(self.scene, self.view, document)

        self.federation_model = FederationModel(document, self.editor, self)
        self.panel = FederationPanel(self.federation_model)
        self.centre_table = CentreTable(document)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.panel_dock = self._dock("Federations", self.panel, right)
        self.table_dock = self._dock("Centres", self.centre_table, right)

        self.status = StatusController(self.statusBar(), document)
        self.files = FileController(self, self.settings)
        self.plans = PlanController(self)
        self._add_options(right)
        self.actions = build_actions(self)
        install_option_actions(self, self.actions)
        self._connect()
        self.update_title()
        self.resize(1440, 900)

    # -- composition -----------------------------------------------------------------------------
    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(f"{widget.objectName() or title}Dock")
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _add_options(self, area) -> None:
        """Options (one undo stack and change log each), the History (the log with reasons),
        the Compare dock and the consultation pack: see planner.ui.options_bar."""
        self.options = OptionsController(self)
        self.history = HistoryPanel(self.options.log_model)
        self.history_dock = self._dock("History", self.history, area)
        self.compare_panel = ComparePanel(self)
        self.compare_dock = self._dock("Compare", self.compare_panel, area)
        self.options.switched.connect(self.compare_panel.fill)
        self.compare_panel.centres_activated.connect(self.view.zoom_to_centres)
        self.tabifyDockWidget(self.table_dock, self.history_dock)
        self.tabifyDockWidget(self.table_dock, self.compare_dock)
        self.table_dock.raise_()
        self.resizeDocks([self.panel_dock], [660], Qt.Orientation.Horizontal)
        self.resizeDocks([self.panel_dock, self.table_dock], [220, 600], Qt.Orientation.Vertical)
        self.pack = PackExporter(self)

    def docks(self) -> list[QDockWidget]:
        return [self.panel_dock, self.table_dock, self.history_dock]

    def _connect(self) -> None:
        scene, editor = self.scene, self.editor
        scene.centres_dropped.connect(lambda ids, key: editor.move(ids, key))
        scene.drag_preview.connect(self.status.preview)
        scene.move_requested.connect(lambda ids: self.plans.move_to(ids))
        scene.lock_requested.connect(lambda ids, lock: editor.lock(ids, lock))
        scene.hub_requested.connect(lambda cid: editor.set_hub(cid))
        self.panel.drop_preview.connect(self.status.preview)
        self.panel.federation_activated.connect(self.view.zoom_to_federation)
        self.panel.centres_activated.connect(self.view.zoom_to_centres)
        self.centre_table.centres_activated.connect(self.view.zoom_to_centres)
        self.stack.cleanChanged.connect(lambda _clean: self.update_title())
        self.document.plan_replaced.connect(self.update_title)

    # -- title and state ---------------------------------------------------------------------------
    def document_name(self) -> str:
        if self._title_name and self.files.save_target is None:
            return self._title_name
        path = self.document.path
        return path.name if path is not None else "Untitled plan"

    def update_title(self) -> None:
        self.setWindowTitle(f"{self.document_name()}[*] \u2014 {APP_TITLE}")
        options = getattr(self, "options", None)  # None while the window is being built
        self.setWindowModified(not (options.is_clean() if options else self.stack.isClean()))

    def set_display_name(self, name: str | None) -> None:
        """A name for an unsaved document (the first-run sample's proposed plan)."""
        self._title_name = name
        self.update_title()

    def show_about(self) -> None:
        self.prompts.about(ABOUT_TITLE, about_html())

    def restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        state = self.settings.value("window/state")
        if geometry is not None:
            self.restoreGeometry(geometry)
        if state is not None:
            self.restoreState(state)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.sync()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            self.view.fit_all()  # the layout is settled now: frame the whole plan

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.files.maybe_save():
            event.ignore()
            return
        self.save_layout()
        event.accept()
