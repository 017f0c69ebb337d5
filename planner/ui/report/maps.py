"""Maps on a page: districts, federation outlines, centres and hubs, a scale bar.

:func:`draw_map` paints into a rectangle of the page (device pixels), either the whole area or one
federation zoomed in (its neighbours greyed, its hub marked). Shapes are clipped to the view and
simplified to the page's resolution first, so a national plan's pages stay small and quick.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QTransform

from planner.domain.plan import UNASSIGNED
from planner.ui.items import path_from_geometry
from planner.ui.report.layout import pack_font

__all__ = ["draw_map", "map_extent", "nice_length", "GREY"]

GREY = QColor("#cfcfcf")
LAND = QColor("#f4f3ef")
LINES = QColor("#b9b6ae")
UNASSIGNED_COLOUR = QColor("#9a9a9a")


def nice_length(metres: float) -> float:
    """The largest 1, 2 or 5 x 10^n metres not above ``metres``."""
    if metres <= 0:
        return 0.0
    base = 10 ** np.floor(np.log10(metres))
    return float(max(m * base for m in (1, 2, 5) if m * base <= metres))


def map_extent(content, focus: int | None) -> tuple[float, float, float, float]:
    """(xmin, ymin, xmax, ymax) in metres: the whole plan, or one federation with a margin."""
    plan = content.plan
    if focus is None:
        xy = plan.centres.xy
        geoms = [g for g in content.outlines.values() if g is not None and not g.is_empty]
    else:
        xy = plan.centres.xy[plan.members(focus)]
        g = content.outlines.get(focus)
        geoms = [g] if g is not None and not g.is_empty else []
    boxes = [shapely.bounds(g) for g in geoms]
    if len(xy):
        boxes.append(np.r_[xy.min(0), xy.max(0)])
    b = np.array(boxes, dtype=float)
    x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
    pad = 0.06 if focus is None else 0.25
    w, h = max(x1 - x0, 2000.0), max(y1 - y0, 2000.0)
    return x0 - w * pad, y0 - h * pad, x1 + w * pad, y1 + h * pad


class _View:
    """Metres -> page pixels for ``extent`` fitted (aspect kept) and centred in ``rect``."""

    def __init__(self, rect: QRectF, extent) -> None:
        x0, y0, x1, y1 = extent
        self.s = min(rect.width() / (x1 - x0), rect.height() / (y1 - y0))
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        w, h = rect.width() / self.s, rect.height() / self.s
        self.box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)  # what the rect shows
        self.dx = rect.center().x() - cx * self.s
        self.dy = rect.center().y() + cy * self.s
        # path_from_geometry draws at (x, -y): scale both by s, shift to the rect
        self.transform = QTransform(self.s, 0, 0, self.s, self.dx, self.dy)

    def points(self, xy: np.ndarray) -> np.ndarray:
        return np.column_stack([xy[:, 0] * self.s + self.dx, -xy[:, 1] * self.s + self.dy])

    def shape(self, geom, px: float) -> QPainterPath:
        """``geom`` clipped to the view and simplified to ``px`` page pixels, as a path."""
        x0, y0, x1, y1 = self.box
        b = shapely.bounds(geom)
        if b[0] > x1 or b[2] < x0 or b[1] > y1 or b[3] < y0:
            return QPainterPath()
        try:
            clipped = shapely.clip_by_rect(geom, x0, y0, x1, y1)
        except shapely.errors.GEOSException:  # a degenerate ring GEOS will not clip: the
            clipped = geom  # painter's clip rectangle does the same job, a little slower
        return path_from_geometry(shapely.simplify(clipped, px / self.s))


def _pen(colour, width: float) -> QPen:
    pen = QPen(QColor(colour), width)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def draw_map(painter: QPainter, rect: QRectF, content, focus: int | None, mm: float) -> None:
    """Paint the map of ``content`` in ``rect``; ``mm`` is the page's pixels per millimetre."""
    painter.save()
    try:
        _draw_map(painter, rect, content, focus, mm)
    finally:
        painter.restore()


def _draw_map(painter: QPainter, rect: QRectF, content, focus: int | None, mm: float) -> None:
    view = _View(rect, map_extent(content, focus))
    plan = content.plan
    painter.setClipRect(rect)
    painter.fillRect(rect, QColor("#ffffff"))
    painter.setTransform(view.transform)
    painter.setPen(_pen(LINES, 0.15 * mm / view.s))
    painter.setBrush(LAND)
    for geom in content.districts:
        painter.drawPath(view.shape(geom, 0.15 * mm))
    for key, geom in content.outlines.items():
        if geom is None or geom.is_empty or key not in plan.federations:
            continue
        colour = QColor(plan.federations[key].colour)
        if focus is not None and key != focus:
            colour = GREY
        fill = QColor(colour)
        fill.setAlphaF(0.55 if focus is None or key == focus else 0.6)
        painter.setBrush(fill)
        painter.setPen(_pen(colour.darker(140), (0.35 if key == focus else 0.2) * mm / view.s))
        painter.drawPath(view.shape(geom, 0.15 * mm))
    painter.resetTransform()
    _draw_centres(painter, view, content, focus, mm)
    painter.setClipping(False)
    painter.setPen(_pen("#777777", 0.2 * mm))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(rect)
    _scale_bar(painter, rect, view, mm)


def _draw_centres(painter: QPainter, view: _View, content, focus: int | None, mm: float) -> None:
    plan = content.plan
    pts = view.points(plan.centres.xy)
    r = (0.55 if focus is None else 0.9) * mm
    if focus is None and len(pts) > 3000:
        r = 0.3 * mm
    x0, y0, x1, y1 = view.box
    xy = plan.centres.xy
    inside = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
    colours = {k: QColor(f.colour) for k, f in plan.federations.items()}
    painter.setPen(_pen("#333333", 0.12 * mm))
    order = [k for k in (*plan.federations, UNASSIGNED) if k != focus]
    for key in order + ([focus] if focus is not None else []):  # the federation shown on top
        rows = np.flatnonzero(inside & (plan.assignment == key))
        if not len(rows):
            continue
        colour = colours.get(key, UNASSIGNED_COLOUR)
        if focus is not None and key != focus:
            colour = QColor("#a8a8a8")
        painter.setBrush(QBrush(colour))
        for x, y in pts[rows]:
            painter.drawEllipse(QPointF(x, y), r, r)
    keys = [focus] if focus is not None else list(plan.federations)
    for key in keys:
        hub = content.hubs.get(key)
        if hub is None:
            continue
        x, y = view.points(plan.centres.xy[[plan.centres.index_of(hub)]])[0]
        size = 2.2 if focus is not None else (1.4 if len(keys) <= 30 else 0.8)
        _hub_mark(painter, QPointF(x, y), size * mm,
                  colours.get(key, UNASSIGNED_COLOUR), mm)


def _hub_mark(painter: QPainter, at: QPointF, size: float, colour: QColor, mm: float) -> None:
    painter.setPen(_pen("#111111", min(0.3 * mm, 0.2 * size)))
    painter.setBrush(colour)
    painter.drawRect(QRectF(at.x() - size / 2, at.y() - size / 2, size, size))
    painter.setPen(_pen("#ffffff", min(0.25 * mm, 0.15 * size)))
    painter.drawLine(QPointF(at.x() - size / 4, at.y()), QPointF(at.x() + size / 4, at.y()))
    painter.drawLine(QPointF(at.x(), at.y() - size / 4), QPointF(at.x(), at.y() + size / 4))


def _scale_bar(painter: QPainter, rect: QRectF, view: _View, mm: float) -> None:
    metres = nice_length(rect.width() * 0.25 / view.s)
    if metres <= 0:
        return
    px = metres * view.s
    x0, y0 = rect.left() + 4 * mm, rect.bottom() - 4 * mm
    painter.setPen(_pen("#ffffff", 1.2 * mm))
    painter.drawLine(QPointF(x0, y0), QPointF(x0 + px, y0))
    painter.setPen(_pen("#222222", 0.4 * mm))
    painter.drawLine(QPointF(x0, y0), QPointF(x0 + px, y0))
    painter.drawLine(QPointF(x0, y0 - 1.2 * mm), QPointF(x0, y0))
    painter.drawLine(QPointF(x0 + px, y0 - 1.2 * mm), QPointF(x0 + px, y0))
    painter.setFont(pack_font(7))
    label = f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"
    painter.drawText(QPointF(x0, y0 - 1.8 * mm), label)
