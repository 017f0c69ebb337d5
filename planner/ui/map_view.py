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

import math
from collections.abc import Iterable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QMimeData, QPoint, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QFont,
    QFontMetricsF,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QFrame, QGraphicsView

from planner.ui.items import BandItem
from planner.ui.map_scene import MapScene
from planner.ui.mime import encode_ids

__all__ = ["MapView", "ATTRIBUTION", "centre_ids_mime", "nice_scale_length"]

ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right 2025; ONS, DfE GIAS, OGL v3"
)
MAX_SCALE = 2.0  # pixels per metre: closest zoom
LEGEND_ROWS = 12


def centre_ids_mime(ids: Iterable[str]) -> QMimeData:
    """MIME data for a drag of centres: UTF-8 ids, one per line (see :mod:`planner.ui.mime`)."""
    return encode_ids(ids)


def nice_scale_length(metres_per_pixel: float, target_px: float = 120.0) -> float:
    """A round length (1, 2 or 5 x 10^k metres) about ``target_px`` pixels long."""
    raw = metres_per_pixel * target_px
    if raw <= 0 or not math.isfinite(raw):
        return 0.0
    exp = math.floor(math.log10(raw))
    for step in (5, 2, 1):
        length = step * 10**exp
        if length <= raw:
            return float(length)
    return float(10**exp)


def _format_length(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


class MapView(QGraphicsView):
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
        self._band: BandItem | None = None
        self._band_points: list[QPointF] = []
        self._band_adds = False
        self._furniture: list[QRect] = []
        self._fitted = False  # viewport rectangles of legend, scale bar, attribution
        doc = scene.document
        doc.plan_changed.connect(self._refresh_furniture)
        doc.plan_replaced.connect(self._on_replaced)
        scene.zoom_requested.connect(self.zoom_to_federation)

    # -- zoom ---------------------------------------------------------------------------------
    @property
    def scale_factor(self) -> float:
        """Pixels per metre."""
        return self.transform().m11()

    def fit_all(self) -> None:
        """Show every centre and boundary."""
        self._fit(self.map_scene.data_rect)

    def fit_selection(self) -> None:
        """Show the selected centres (does nothing without a selection)."""
        self.zoom_to_centres(self.map_scene.document.selection)

    def zoom_to_federation(self, key: int) -> None:
        self._fit(self.map_scene.federation_rect(key))

    def zoom_to_centres(self, ids: Iterable[str]) -> None:
        self._fit(self.map_scene.centres_rect(list(ids)))

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the scene point under ``anchor`` (viewport px) in place."""
        if anchor is None:
            anchor = QPointF(self.viewport().rect().center())
        scale = self.scale_factor
        new_scale = min(max(scale * factor, self._min_scale()), MAX_SCALE)
        factor = new_scale / scale
        if abs(factor - 1.0) < 1e-9:
            return
        before = self.mapToScene(anchor.toPoint())
        self.scale(factor, factor)
        self.map_scene.set_view_scale(self.scale_factor)
        after = self.mapFromScene(before)
        self._scroll_by(QPointF(after) - anchor)

    def _min_scale(self) -> float:
        rect = self.map_scene.data_rect
        vp = self.viewport().rect()
        if not rect.isValid() or rect.isEmpty():
            return 1e-6
        return 0.25 * min(vp.width() / rect.width(), vp.height() / rect.height())

    def _fit(self, rect: QRectF) -> None:
        if rect.isNull() or not rect.isValid():
            return
        pad_w, pad_h = rect.width() * 0.05, rect.height() * 0.05
        self.fitInView(rect.adjusted(-pad_w, -pad_h, pad_w, pad_h),
                       Qt.AspectRatioMode.KeepAspectRatio)
        self.map_scene.set_view_scale(self.scale_factor)
        if self.scale_factor > MAX_SCALE:
            c = rect.center()
            self.zoom_by(MAX_SCALE / self.scale_factor)
            self.centerOn(c)
        self.viewport().update()

    def _scroll_by(self, delta: QPointF) -> None:
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + round(delta.x()))
        v.setValue(v.value() + round(delta.y()))

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
        self._band_adds = adds
        self._band_points = [self._scene_pos(QPointF(self._press_pos))]
        self._band = BandItem()
        self.map_scene.addItem(self._band)

    def _extend_band(self, scene_pos: QPointF) -> None:
        if self._gesture == "lasso":
            self._band_points.append(scene_pos)
        else:
            self._band_points = [self._band_points[0], scene_pos]
        path = QPainterPath()
        if self._gesture == "lasso":
            path.addPolygon(QPolygonF(self._band_points))
            path.closeSubpath()
        else:
            path.addRect(QRectF(self._band_points[0], scene_pos).normalized())
        self._band.setPath(path)

    def _finish_band(self, kind: str) -> None:
        scene = self.map_scene
        points = self._band_points
        self._drop_band()
        if len(points) < 2:
            return
        if kind == "lasso":
            ids = scene.ids_in_polygon(points)
        else:
            ids = scene.ids_in_rect(QRectF(points[0], points[-1]).normalized())
        if self._band_adds:
            ids = [*scene.document.selection, *ids]
        scene.document.set_selection(ids)

    def _drop_band(self) -> None:
        band, self._band = self._band, None
        if band is not None and shiboken6.isValid(band) and band.scene() is self.map_scene:
            self.map_scene.removeItem(band)

    # -- drag out of the map ------------------------------------------------------------------
    def _hand_over_drag(self) -> None:
        """The cursor left the map with centres: continue as a Qt drag (the panel may take it)."""
        ids = self.map_scene.drag_ids
        self.map_scene.cancel_drag()
        self._gesture = "cancelled"
        drag = QDrag(self)
        drag.setMimeData(centre_ids_mime(ids))
        drag.exec(Qt.DropAction.MoveAction)

    # -- furniture: legend, scale bar, attribution --------------------------------------------
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
            self._draw_legend(painter), self._draw_scale_bar(painter, vp),
            self._draw_attribution(painter, vp)) if r is not None]
        painter.restore()

    def legend_entries(self) -> list[tuple[str, str, int]]:
        """(colour, name, centre count) per federation, in plan order."""
        doc = self.map_scene.document
        stats = doc.stats
        return [(f.colour, f.name, stats[k].count if k in stats else 0)
                for k, f in doc.plan.federations.items()]

    def _draw_legend(self, painter: QPainter) -> QRectF | None:
        entries = self.legend_entries()
        if not entries:
            return None
        font = QFont()
        font.setPointSizeF(8.5)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        shown = entries[:LEGEND_ROWS]
        lines = [f"{name} ({count})" for _, name, count in shown]
        if len(entries) > LEGEND_ROWS:
            lines.append(f"… and {len(entries) - LEGEND_ROWS} more")
        row_h = fm.height() + 2
        width = max(fm.horizontalAdvance(s) for s in lines) + 30
        box = QRectF(8, 8, width, row_h * len(lines) + 8)
        painter.setPen(QPen(QColor(120, 120, 120, 200), 1))
        painter.setBrush(QColor(255, 255, 255, 215))
        painter.drawRoundedRect(box, 4, 4)
        for i, text in enumerate(lines):
            y = box.top() + 4 + i * row_h
            if i < len(shown):
                painter.setPen(QPen(QColor(60, 60, 60), 1))
                painter.setBrush(QColor(shown[i][0]))
                painter.drawRect(QRectF(box.left() + 6, y + 2, 12, row_h - 5))
            painter.setPen(QColor(20, 20, 20))
            painter.drawText(QPointF(box.left() + 24, y + fm.ascent() + 1), text)
        return box

    def _draw_scale_bar(self, painter: QPainter, vp) -> QRectF | None:
        mpp = 1.0 / max(self.scale_factor, 1e-12)
        length = nice_scale_length(mpp)
        if length <= 0:
            return None
        px = length / mpp
        x0, y0 = 12.0, vp.height() - 14.0
        painter.setPen(QPen(QColor(255, 255, 255, 220), 5))
        painter.drawLine(QPointF(x0, y0), QPointF(x0 + px, y0))
        painter.setPen(QPen(QColor(20, 20, 20), 2))
        painter.drawLine(QPointF(x0, y0), QPointF(x0 + px, y0))
        painter.drawLine(QPointF(x0, y0 - 5), QPointF(x0, y0))
        painter.drawLine(QPointF(x0 + px, y0 - 5), QPointF(x0 + px, y0))
        font = QFont()
        font.setPointSizeF(8.0)
        painter.setFont(font)
        painter.drawText(QPointF(x0, y0 - 7), _format_length(length))
        return QRectF(x0 - 4, y0 - 24, max(px, 60.0) + 8, 30)

    def _draw_attribution(self, painter: QPainter, vp) -> QRectF:
        font = QFont()
        font.setPointSizeF(7.0)
        painter.setFont(font)
        fm = QFontMetricsF(font)
        w = fm.horizontalAdvance(ATTRIBUTION) + 8
        box = QRectF(vp.width() - w - 2, vp.height() - fm.height() - 4, w, fm.height() + 2)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(255, 255, 255, 190))
        painter.drawRect(box)
        painter.setPen(QColor(60, 60, 60))
        painter.drawText(box, int(Qt.AlignmentFlag.AlignCenter), ATTRIBUTION)
        return box

    # -- export -----------------------------------------------------------------------------------
    def render_png(self, path: str | Path) -> bool:
        """Save what the map shows (with legend, scale bar and attribution) as a PNG."""
        image = self.viewport().grab()
        return image.save(str(path), "PNG")
