"""The map's furniture, drawn over it in viewport pixels: legend, scale bar and attribution."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

__all__ = ["ATTRIBUTION", "LEGEND_ROWS", "nice_scale_length", "draw_legend", "draw_scale_bar",
           "draw_attribution"]

ATTRIBUTION = (
    "Contains OS data © Crown copyright and database right 2025; ONS, DfE GIAS, OGL v3"
)
LEGEND_ROWS = 12


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


def draw_legend(painter: QPainter, entries: list[tuple[str, str, int]]) -> QRectF | None:
    """A box at the top left: a swatch, name and centre count per (colour, name, count)."""
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


def draw_scale_bar(painter: QPainter, vp: QRect, scale: float) -> QRectF | None:
    """A bar of a round length at the bottom left of viewport ``vp``, at ``scale`` px per metre."""
    mpp = 1.0 / max(scale, 1e-12)
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


def draw_attribution(painter: QPainter, vp: QRect) -> QRectF:
    """The data's attribution at the bottom right of viewport ``vp``."""
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
