"""Rings on the map around the centres that differ from another option, in that option's colour.

One :class:`RingsItem` draws every ring (a few thousand at most) at a fixed size on screen; the
ring's colour is the federation the centre belongs to in the other plan.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from planner.ui.items import Z

__all__ = ["RingsItem", "RING_RADIUS"]

RING_RADIUS = 9.0  # pixels
RING_WIDTH = 3.0  # pixels
_MARGIN_M = 20_000.0


class RingsItem(QGraphicsItem):
    """Rings at scene points ``xy`` (metres, y up) with one colour each."""

    def __init__(self, xy: np.ndarray, colours: list[str]) -> None:
        super().__init__()
        self.points = [QPointF(float(x), -float(y)) for x, y in np.asarray(xy).reshape(-1, 2)]
        self.colours = [QColor(c) for c in colours]
        self.setZValue(Z.HUB + 0.5)
        self.setAcceptedMouseButtons(self.acceptedMouseButtons().NoButton)
        if self.points:
            xs = [p.x() for p in self.points]
            ys = [p.y() for p in self.points]
            self._rect = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)).adjusted(
                -_MARGIN_M, -_MARGIN_M, _MARGIN_M, _MARGIN_M)
        else:
            self._rect = QRectF()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        scale = max(abs(painter.worldTransform().m11()), 1e-9)
        r = RING_RADIUS / scale
        painter.setBrush(QColor(0, 0, 0, 0))
        for point, colour in zip(self.points, self.colours, strict=True):
            pen = QPen(colour, RING_WIDTH)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.drawEllipse(point, r, r)
