"""Centre names on the map: one layer that draws every visible name in one ``paint`` call."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from planner.ui.drawing import SYMBOL_RADIUS, Z

__all__ = ["LabelLayer"]


class LabelLayer(QGraphicsItem):
    """Centre names, drawn only when zoomed in (level of detail), in one ``paint`` call.

    Names are drawn in device pixels beside each symbol. Names that would overlap an earlier one
    are left out; which ones depends only on the scale (not on the part being repainted), so a pan
    never paints half a label. At most ``MAX_LABELS`` per paint.
    """

    MIN_SCALE = 0.02  # pixels per metre (1 px = 50 m) before names appear
    MAX_LABELS = 400
    TEXT_PX = 260.0  # longest label, pixels
    BAND_PX = 16

    def __init__(self, scene_xy: np.ndarray, names: tuple[str, ...]) -> None:
        super().__init__()
        self.xy = np.asarray(scene_xy, dtype=float).reshape(-1, 2)
        self.names = [n if len(n) <= 32 else n[:31] + "…" for n in names]
        self.setZValue(Z.LABEL)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._font = QFont()
        self._font.setPointSizeF(8.0)
        fm = QFontMetricsF(self._font)
        self._ascent, self._height = fm.ascent(), fm.height()
        self._widths = np.array([fm.horizontalAdvance(n) for n in self.names], dtype=float)
        self._shown_scale: float | None = None
        self._shown = np.zeros(len(self.xy), dtype=bool)
        if len(self.xy):
            lo, hi = self.xy.min(0), self.xy.max(0)
            pad = self.TEXT_PX / self.MIN_SCALE  # room for the longest name at the widest zoom
            self._rect = QRectF(lo[0] - pad, lo[1] - pad, hi[0] - lo[0] + 2 * pad,
                                hi[1] - lo[1] + 2 * pad)
        else:
            self._rect = QRectF()
        self.painted = 0  # labels drawn by the last paint (for tests)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect

    def shown_at(self, scale: float) -> np.ndarray:
        """Which names show at ``scale`` (a greedy pass in row order: no two overlap)."""
        if scale == self._shown_scale:
            return self._shown
        x = self.xy[:, 0] * scale + SYMBOL_RADIUS + 3.0
        top = self.xy[:, 1] * scale + 4.0 - self._ascent
        right, bottom = x + self._widths, top + self._height
        shown = np.zeros(len(self.xy), dtype=bool)
        placed: dict[int, list[int]] = {}
        band_of = (top // self.BAND_PX).astype(np.int64)
        for r in range(len(self.xy)):
            band = int(band_of[r])
            clash = False
            for b in (band - 1, band, band + 1):
                for o in placed.get(b, ()):
                    if x[r] < right[o] and x[o] < right[r] and top[r] < bottom[o] \
                            and top[o] < bottom[r]:
                        clash = True
                        break
                if clash:
                    break
            if not clash:
                shown[r] = True
                placed.setdefault(band, []).append(r)
        self._shown_scale, self._shown = scale, shown
        return shown

    def visible_rows(self, exposed: QRectF, scale: float) -> np.ndarray:
        """Rows whose labels show for this exposed scene rect at ``scale`` pixels per metre."""
        if scale < self.MIN_SCALE or not len(self.xy):
            return np.empty(0, dtype=np.intp)
        # a name starts right of its symbol: include centres whose text reaches into the rect
        left, up = self.TEXT_PX / scale, 16.0 / scale
        x, y = self.xy[:, 0], self.xy[:, 1]
        inside = ((x >= exposed.left() - left) & (x <= exposed.right())
                  & (y >= exposed.top() - up) & (y <= exposed.bottom() + up))
        return np.flatnonzero(inside & self.shown_at(scale))[: self.MAX_LABELS]

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        scale = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        rows = self.visible_rows(option.exposedRect, scale)
        self.painted = len(rows)
        if not len(rows):
            return
        painter.save()
        t = painter.worldTransform()
        painter.resetTransform()
        painter.setFont(self._font)
        halo = QPen(QColor(255, 255, 255, 230))
        ink = QPen(QColor("#202020"))
        dx = SYMBOL_RADIUS + 3.0
        for r in rows:
            p = t.map(QPointF(self.xy[r, 0], self.xy[r, 1]))
            at = QPointF(p.x() + dx, p.y() + 4.0)
            painter.setPen(halo)
            for ox, oy in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                painter.drawText(at + QPointF(ox, oy), self.names[r])
            painter.setPen(ink)
            painter.drawText(at, self.names[r])
        painter.restore()
