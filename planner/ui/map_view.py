"""The map view: pan, zoom, selection gestures, drag of centres; legend, scale bar, attribution.

Mouse gestures (left button):

==============================  ==========================================================
press on a centre and drag      move it (or the selection, if it is selected) to the
                                federation under the cursor; Esc cancels
click a centre                  select it; Shift/Ctrl-click toggles it in the selection
drag on empty map               pan (also the middle button, and the arrow keys)
Shift + drag on empty map       rubber band: adds the centres inside to the selection
Alt + drag, Ctrl+Shift + drag   lasso: selects the centres inside (Shift adds)
click on empty map              clear the selection
wheel, +/-                      zoom (the wheel zooms at the cursor)
==============================  ==========================================================

``set_tool("select")`` / ``set_tool("lasso")`` make a plain drag on empty map draw a band /
lasso instead of panning. Leaving the viewport while dragging centres hands over to a Qt drag
with MIME type ``application/x-planner-centre-ids`` (so the federation panel can take the drop).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QFrame, QGraphicsView

from planner.ui.map_furniture import (
    ATTRIBUTION,
    draw_attribution,
    draw_legend,
    draw_scale_bar,
    nice_scale_length,
)
from planner.ui.map_scene import MapScene
from planner.ui.mime import encode_ids
from planner.ui.selection_band import SelectionBand
from planner.ui.view_zoom import ViewZoom

__all__ = ["MapView", "ATTRIBUTION", "centre_ids_mime", "nice_scale_length"]


def centre_ids_mime(ids: Iterable[str]) -> QMimeData:
    """MIME data for a drag of centres: UTF-8 ids, one per line (see :mod:`planner.ui.mime`)."""
    return encode_ids(ids)


class MapView(ViewZoom, QGraphicsView):
    """A QGraphicsView of a :class:`MapScene` with the planner's gestures and map furniture."""

    tool_changed = Signal(str)

    def __init__(self, scene: MapScene, parent=None) -> None:
        super().__init__(scene, parent)
        self.map_scene = scene
        self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        # panning scrolls the pixels already drawn and paints only the uncovered strip; the legend,
        # scale bar and attribution stay put (scrollContentsBy repaints them)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setBackgroundBrush(QColor("#DCE6EC"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)  # an open hand over centres says "you can drag this"
        self.tool = "pan"
        self._gesture: str | None = None
        self._press_pos = QPoint()
        self._last_pos = QPoint()
        self._press_id: str | None = None
        self._band: SelectionBand | None = None
        self._furniture: list[QRect] = []
        self._fitted = False  # viewport rectangles of legend, scale bar, attribution
        doc = scene.document
        doc.plan_changed.connect(self._refresh_furniture)
        doc.plan_replaced.connect(self._on_replaced)
        scene.zoom_requested.connect(self.zoom_to_federation)

    # -- zoom (planner.ui.view_zoom) --------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_by(1.25**steps, event.position())
        event.accept()

    # -- tools and gestures ---------------------------------------------------------------------
    def set_tool(self, tool: str) -> None:
        """``"pan"`` (default), ``"select"`` (band) or ``"lasso"``: what a plain empty drag does."""
        if tool not in ("pan", "select", "lasso"):
            raise ValueError(f"unknown tool {tool!r}; use 'pan', 'select' or 'lasso'")
        if tool != self.tool:
            self.tool = tool
            self.tool_changed.emit(tool)

    def _scene_pos(self, pos: QPointF) -> QPointF:
        return self.mapToScene(pos.toPoint())

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = event.position()
        self._press_pos = self._last_pos = pos.toPoint()
        button, mods = event.button(), event.modifiers()
        if button == Qt.MouseButton.MiddleButton:
            self._gesture = "pan"
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if button != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        event.accept()
        scene = self.map_scene
        cid = scene.centre_at(self._scene_pos(pos), self.scale_factor)
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        if cid is not None:
            if shift or ctrl:
                sel = list(scene.document.selection)
                scene.document.set_selection(
                    [i for i in sel if i != cid] if cid in sel else [*sel, cid])
                self._gesture = None
                return
            self._press_id = cid
            self._gesture = "press-centre"
            if cid not in scene.document.selection:
                scene.document.set_selection([cid])
            return
        if alt or (ctrl and shift) or (self.tool == "lasso" and not shift):
            self._begin_band("lasso", adds=shift)
        elif shift or self.tool == "select":
            self._begin_band("band", adds=shift)
        else:
            self._gesture = "pan"
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        pos = event.position().toPoint()
        gesture = self._gesture
        scene = self.map_scene
        if gesture == "press-centre":
            if (pos - self._press_pos).manhattanLength() >= QApplication.startDragDistance():
                started = scene.begin_drag(self._press_id, self._scene_pos(QPointF(pos)))
                self._gesture = gesture = "drag" if started else "refused"
        if gesture == "drag":
            if not self.viewport().rect().contains(pos):
                self._hand_over_drag()
            else:
                scene.move_drag(self._scene_pos(QPointF(pos)), self.scale_factor)
        elif gesture == "pan":
            delta = pos - self._last_pos
            self._scroll_by(QPointF(-delta.x(), -delta.y()))
        elif gesture in ("band", "lasso"):
            self._extend_band(self._scene_pos(QPointF(pos)))
        elif gesture is None:
            if not event.buttons():
                over = scene.centre_at(self._scene_pos(QPointF(pos)), self.scale_factor)
                if over is not None:
                    self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
                else:
                    self.viewport().unsetCursor()
            super().mouseMoveEvent(event)
            return
        self._last_pos = pos
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        gesture, self._gesture = self._gesture, None
        scene = self.map_scene
        pos = event.position().toPoint()
        moved = (pos - self._press_pos).manhattanLength() >= QApplication.startDragDistance()
        self.viewport().unsetCursor()
        if gesture == "drag":
            scene.finish_drag()
        elif gesture == "press-centre":
            if not event.modifiers() and self._press_id is not None:
                scene.document.set_selection([self._press_id])
        elif gesture == "pan":
            if not moved and event.button() == Qt.MouseButton.LeftButton:
                scene.document.set_selection([])
        elif gesture in ("band", "lasso"):
            self._finish_band(gesture)
        elif gesture is None:
            super().mouseReleaseEvent(event)
            return
        self._press_id = None
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = event.key()
        step = 0.15
        vp = self.viewport().rect()
        if key == Qt.Key.Key_Escape:
            if self._gesture == "drag":
                self.map_scene.cancel_drag()
                self._gesture = "cancelled"
            elif self._gesture in ("band", "lasso"):
                self._drop_band()
                self._gesture = "cancelled"
            else:
                self.map_scene.document.set_selection([])
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key in (Qt.Key.Key_Minus, Qt.Key.Key_Underscore):
            self.zoom_out()
        elif key == Qt.Key.Key_Left:
            self._scroll_by(QPointF(-vp.width() * step, 0))
        elif key == Qt.Key.Key_Right:
            self._scroll_by(QPointF(vp.width() * step, 0))
        elif key == Qt.Key.Key_Up:
            self._scroll_by(QPointF(0, -vp.height() * step))
        elif key == Qt.Key.Key_Down:
            self._scroll_by(QPointF(0, vp.height() * step))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        menu = self.context_menu_at(QPointF(event.pos()))
        if menu is None:
            event.ignore()
            return
        menu.exec(event.globalPos())
        event.accept()

    def context_menu_at(self, pos: QPointF):
        """The centre menu for viewport position ``pos`` (None off the centres)."""
        scene = self.map_scene
        cid = scene.centre_at(self._scene_pos(pos), self.scale_factor)
        if cid is None:
            return None
        if cid not in scene.document.selection:
            scene.document.set_selection([cid])
        ids = scene.ids_to_drag(cid)
        ids = [cid] + [i for i in ids if i != cid]
        return scene.context_menu(ids, self)

    # -- band / lasso -----------------------------------------------------------------------------
    def _begin_band(self, kind: str, adds: bool) -> None:
        self._gesture = kind
        self._band = SelectionBand(self.map_scene, kind, self._scene_pos(QPointF(self._press_pos)),
                                   adds)

    def _extend_band(self, scene_pos: QPointF) -> None:
        self._band.extend(scene_pos)

    def _finish_band(self, kind: str) -> None:
        band = self._band
        self._drop_band()
        ids = band.selection()
        if ids is not None:
            self.map_scene.document.set_selection(ids)

    def _drop_band(self) -> None:
        band, self._band = self._band, None
        if band is not None:
            band.remove()

    # -- drag out of the map ------------------------------------------------------------------
    def _hand_over_drag(self) -> None:
        """The cursor left the map with centres: continue as a Qt drag (the panel may take it)."""
        ids = self.map_scene.drag_ids
        self.map_scene.cancel_drag()
        self._gesture = "cancelled"
        drag = QDrag(self)
        drag.setMimeData(centre_ids_mime(ids))
        drag.exec(Qt.DropAction.MoveAction)

    # -- furniture: legend, scale bar, attribution (drawn by planner.ui.map_furniture) ---------
    def _refresh_furniture(self, *_args) -> None:
        """Counts changed: repaint the legend (with room for it to grow)."""
        if self._furniture:
            self.viewport().update(self._furniture[0].adjusted(0, 0, 200, 60))
        else:
            self.viewport().update()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt override
        super().scrollContentsBy(dx, dy)
        # the scroll moved the furniture's pixels: repaint where it is and where it was moved to
        for rect in self._furniture:
            self.viewport().update(rect)
            self.viewport().update(rect.translated(dx, dy))

    def _on_replaced(self) -> None:
        # the scene has rebuilt (deleting every item, the band too): abandon any gesture
        if self._gesture is not None:
            self._band = None
            self._gesture = "cancelled"
        self.fit_all()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._fitted:  # the first time on screen: show the whole plan
            self._fitted = True
            self.fit_all()

    def drawForeground(self, painter: QPainter, rect: QRectF) -> None:  # noqa: N802 - Qt override
        painter.save()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        vp = self.viewport().rect()
        self._furniture = [r.toAlignedRect().adjusted(-2, -2, 2, 2) for r in (
            draw_legend(painter, self.legend_entries()),
            draw_scale_bar(painter, vp, self.scale_factor),
            draw_attribution(painter, vp)) if r is not None]
        painter.restore()

    def legend_entries(self) -> list[tuple[str, str, int]]:
        """(colour, name, centre count) per federation, in plan order."""
        doc = self.map_scene.document
        stats = doc.stats
        return [(f.colour, f.name, stats[k].count if k in stats else 0)
                for k, f in doc.plan.federations.items()]

    # -- export -----------------------------------------------------------------------------------
    def render_png(self, path: str | Path) -> bool:
        """Save what the map shows (with legend, scale bar and attribution) as a PNG."""
        image = self.viewport().grab()
        return image.save(str(path), "PNG")
