"""What a drag of centres shows: the dragged centres as a ghost, and a caption at the cursor."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from planner.ui.drawing import SELECTED_RADIUS, SYMBOL_RADIUS, Z, brush, cosmetic_pen

__all__ = ["GhostItem", "OverlayItem"]


class GhostItem(QGraphicsItem):
    """The centres being dragged, drawn translucent at the cursor; moved with ``setPos``."""

    def __init__(self, scene_xy: np.ndarray, colours: list[str]) -> None:
        super().__init__()
        self.xy = np.asarray(scene_xy, dtype=float).reshape(-1, 2)
        self.colours = colours
        self.setZValue(Z.GHOST)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        lo, hi = self.xy.min(0), self.xy.max(0)
        self._rect = QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
        self._target_colour: str | None = None

    def set_target_colour(self, colour: str | None) -> None:
        if colour != self._target_colour:
            self._target_colour = colour
            self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        # the symbols have a size in pixels: pad generously in scene units via the view scale
        pad = self._pad()
        return self._rect.adjusted(-pad, -pad, pad, pad)

    def _pad(self) -> float:
        scene = self.scene()
        views = scene.views() if scene is not None else []
        scale = views[0].transform().m11() if views else 1.0
        return (SELECTED_RADIUS + 4.0) / max(scale, 1e-9)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        painter.save()
        t = painter.worldTransform()
        painter.resetTransform()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setOpacity(0.75)
        painter.setPen(cosmetic_pen("#000000", 1.5, Qt.PenStyle.DashLine))
        r = SYMBOL_RADIUS + 1.0
        for (x, y), colour in zip(self.xy, self.colours, strict=True):
            painter.setBrush(brush(self._target_colour or colour))
            painter.drawEllipse(t.map(QPointF(x, y)), r, r)
        painter.restore()


class OverlayItem(QGraphicsItem):
    """A caption beside the cursor while dragging: the target and its figures after the move."""

    def __init__(self) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setZValue(Z.OVERLAY)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._font = QFont()
        self._font.setPointSizeF(9.0)
        self.text = ""
        self.refused = False
        self._rect = QRectF()

    def set_text(self, text: str, refused: bool = False) -> None:
        if text == self.text and refused == self.refused:
            return
        self.prepareGeometryChange()
        self.text, self.refused = text, refused
        if text:
            fm = QFontMetricsF(self._font)
            lines = text.split("\n")
            w = max(fm.horizontalAdvance(s) for s in lines) + 12
            h = fm.height() * len(lines) + 8
            self._rect = QRectF(16, 16, w, h)
        else:
            self._rect = QRectF()
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if not self.text:
            return
        painter.setPen(cosmetic_pen("#7A1010" if self.refused else "#303030", 1.0))
        painter.setBrush(brush("#FFF4F4" if self.refused else "#FFFFFF", 235))
        painter.drawRoundedRect(self._rect, 4, 4)
        painter.setFont(self._font)
        painter.setPen(QColor("#7A1010" if self.refused else "#101010"))
        painter.drawText(self._rect.adjusted(6, 4, -6, -4),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), self.text)
