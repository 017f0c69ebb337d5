"""Graphics items of the map: centre symbols, hubs, locks, outlines, boundaries, labels, ghosts.

Scene coordinates are map metres with y flipped: ``x = easting``, ``y = -northing`` (north up).
Symbols keep a fixed size in pixels (``ItemIgnoresTransformations``) and are painted by Qt's own
C++ items, so panning and zooming run no Python per centre. The few items with a Python ``paint``
(labels, ghost, drop overlay) draw everything they hold in one call.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)
from shapely.geometry.base import BaseGeometry

__all__ = [
    "Z",
    "SYMBOL_RADIUS",
    "symbol_radius",
    "CentreItem",
    "HubItem",
    "OutlineItem",
    "BoundaryItem",
    "BandItem",
    "LabelLayer",
    "GhostItem",
    "OverlayItem",
    "path_from_geometry",
    "to_scene",
]

SYMBOL_RADIUS = 5.0  # pixels
SELECTED_RADIUS = 7.5
SMALL_RADIUS = 3.5  # pixels, when a whole region is in view
SMALL_BELOW_SCALE = 0.002  # pixels per metre (1 px = 500 m)
HUB_RADIUS = 10.0


def symbol_radius(scale: float) -> float:
    """Symbol radius in pixels at ``scale`` pixels per metre: smaller when zoomed far out."""
    return SMALL_RADIUS if scale < SMALL_BELOW_SCALE else SYMBOL_RADIUS


class Z:
    """Stacking order of the layers."""

    BOUNDARY = 0.0
    OUTLINE = 1.0
    HIGHLIGHT = 2.0
    CENTRE = 3.0
    SELECTED = 3.5
    HUB = 4.0
    LABEL = 5.0
    GHOST = 6.0
    OVERLAY = 7.0
    BAND = 8.0


def to_scene(xy: np.ndarray) -> np.ndarray:
    """Map metres (easting, northing) -> scene coordinates (x, -y)."""
    out = np.array(xy, dtype=float, copy=True).reshape(-1, 2)
    out[:, 1] *= -1.0
    return out


def _ring(coords: np.ndarray) -> QPolygonF:
    return QPolygonF([QPointF(float(x), -float(y)) for x, y in coords])


def path_from_geometry(geom: BaseGeometry | None) -> QPainterPath:
    """A QPainterPath (odd-even fill) for polygonal ``geom`` in scene coordinates; holes kept."""
    path = QPainterPath()
    path.setFillRule(Qt.FillRule.OddEvenFill)
    if geom is None or geom.is_empty:
        return path
    for part in shapely.get_parts(geom):
        if part.geom_type == "Polygon":
            polys = [part]
        elif part.geom_type in ("MultiPolygon", "GeometryCollection"):
            polys = [p for p in shapely.get_parts(part) if p.geom_type == "Polygon"]
        else:
            continue
        for poly in polys:
            path.addPolygon(_ring(np.asarray(poly.exterior.coords)))
            for hole in poly.interiors:
                path.addPolygon(_ring(np.asarray(hole.coords)))
    return path


_brushes: dict[str, QBrush] = {}


def _brush(colour: str, alpha: int = 255) -> QBrush:
    key = f"{colour}/{alpha}"
    if key not in _brushes:
        c = QColor(colour)
        c.setAlpha(alpha)
        _brushes[key] = QBrush(c)
    return _brushes[key]


def _pen(colour: str | QColor, width: float, style=Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)
    return pen


_NORMAL_PEN = _pen("#FFFFFF", 1.0)
_LOCKED_PEN = _pen("#1A1A1A", 1.5)
_SELECTED_PEN = _pen("#000000", 3.0)


def _padlock() -> QPainterPath:
    """A padlock glyph about 10 x 12 px: body and shackle."""
    path = QPainterPath()
    path.addRoundedRect(QRectF(-5.0, -1.0, 10.0, 7.5), 1.5, 1.5)
    shackle = QPainterPath()
    shackle.moveTo(-3.0, -1.0)
    shackle.lineTo(-3.0, -3.0)
    shackle.arcTo(QRectF(-3.0, -6.0, 6.0, 6.0), 180.0, -180.0)
    shackle.lineTo(3.0, -1.0)
    stroker = QPainterPathStroker()
    stroker.setWidth(2.0)
    return path.united(stroker.createStroke(shackle))


class CentreItem(QGraphicsEllipseItem):
    """One centre: a disc in its federation's colour; a padlock when locked; a ring when selected.

    ``row`` is the centre's row in the plan's centre table, ``centre_id`` its id.
    """

    def __init__(self, row: int, centre_id: str, pos: QPointF) -> None:
        r = SYMBOL_RADIUS
        super().__init__(-r, -r, 2 * r, 2 * r)
        self.row = row
        self.centre_id = centre_id
        self.radius = r
        self.setPos(pos)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        # a 14 px pixmap per symbol: blitting it is twice as fast as drawing an antialiased disc
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setZValue(Z.CENTRE)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._badge: QGraphicsPathItem | None = None
        self.colour = ""
        self.selected = False
        self.locked = False

    def set_radius(self, radius: float) -> None:
        """The disc's radius in pixels when not selected (see :func:`symbol_radius`)."""
        if radius != self.radius:
            self.radius = radius
            if not self.selected:
                self.setRect(-radius, -radius, 2 * radius, 2 * radius)

    def set_style(self, colour: str, selected: bool, locked: bool) -> None:
        """Colour by federation; selection enlarges the disc and draws a dark ring."""
        if colour != self.colour:
            self.setBrush(_brush(colour))
            self.colour = colour
        if selected != self.selected or locked != self.locked or not self.pen().isCosmetic():
            r = SELECTED_RADIUS if selected else self.radius
            self.setRect(-r, -r, 2 * r, 2 * r)
            self.setPen(_SELECTED_PEN if selected else _LOCKED_PEN if locked else _NORMAL_PEN)
            self.setZValue(Z.SELECTED if selected else Z.CENTRE)
        if locked != self.locked:
            if locked and self._badge is None:
                self._badge = QGraphicsPathItem(_PADLOCK, self)
                self._badge.setBrush(_brush("#1A1A1A"))
                self._badge.setPen(_pen("#FFFFFF", 0.8))
                self._badge.setPos(SYMBOL_RADIUS + 3.0, -SYMBOL_RADIUS - 2.0)
            if self._badge is not None:
                self._badge.setVisible(locked)
        self.selected = selected
        self.locked = locked


_PADLOCK = _padlock()


class HubItem(QGraphicsPathItem):
    """A ring around a federation's hub: solid for a chosen hub, dashed for the computed one.

    Computed hubs (medoids) are drawn only when zoomed in past ``COMPUTED_MIN_SCALE``: across a
    whole country their rings would bury the centres.
    """

    COMPUTED_MIN_SCALE = 0.003  # pixels per metre

    def __init__(self) -> None:
        path = QPainterPath()
        path.addEllipse(QPointF(0, 0), HUB_RADIUS, HUB_RADIUS)
        super().__init__(path)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self.setZValue(Z.HUB)
        self.setBrush(Qt.BrushStyle.NoBrush)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.chosen = False

    def place(self, pos: QPointF, chosen: bool) -> None:
        self.setPos(pos)
        self.chosen = chosen
        self.setPen(_pen("#000000", 2.0, Qt.PenStyle.SolidLine if chosen else Qt.PenStyle.DashLine))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        scale = _view_scale(widget)
        if not self.chosen and scale < self.COMPUTED_MIN_SCALE:
            return
        if scale < SMALL_BELOW_SCALE:
            # A whole region in view: a small, thin ring, so 160 hubs do not bury the centres.
            painter.save()
            painter.setPen(_pen("#000000", 1.0, self.pen().style()))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), SMALL_RADIUS + 2.0, SMALL_RADIUS + 2.0)
            painter.restore()
            return
        super().paint(painter, option, widget)


def _view_scale(widget: QWidget | None) -> float:
    """Pixels per scene unit of the view painting ``widget`` (its viewport); 1 if unknown."""
    view = widget.parentWidget() if widget is not None else None
    transform = getattr(view, "transform", None)
    return transform().m11() if callable(transform) else 1.0


class OutlineItem(QGraphicsPathItem):
    """A federation's outline: translucent fill in its colour; dashed edge when locked."""

    FILL_ALPHA = 70

    def __init__(self, key: int) -> None:
        super().__init__()
        self.key = key
        self.geometry: BaseGeometry | None = None
        self.setZValue(Z.OUTLINE)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def set_outline(self, geometry: BaseGeometry, colour: str, locked: bool) -> None:
        if geometry is not self.geometry:
            self.geometry = geometry
            self.setPath(path_from_geometry(geometry))
        self.set_colour(colour, locked)

    def set_colour(self, colour: str, locked: bool) -> None:
        self.setBrush(_brush(colour, self.FILL_ALPHA))
        edge = QColor(colour).darker(140)
        # width 1 (or 2 when locked): the raster engine's fast path for thin cosmetic lines
        self.setPen(_pen(edge, 2.0 if locked else 1.0,
                         Qt.PenStyle.DashLine if locked else Qt.PenStyle.SolidLine))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        _fill_then_stroke(painter, self.path(), self.brush(), self.path(), self.pen())


def _fill_then_stroke(painter: QPainter, fill: QPainterPath, brush: QBrush,
                      edges: QPainterPath, pen: QPen) -> None:
    """Fill without antialiasing (the stroke hides the edge), then stroke antialiased.

    Antialiased fills of large, complex polygons are the slowest thing on the map; the stroke
    drawn over the edge makes the difference invisible.
    """
    antialiased = painter.testRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.fillPath(fill, brush)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, antialiased)
    painter.strokePath(edges, pen)


class BoundaryItem(QGraphicsPathItem):
    """The base layer: land (the union of the districts) and the district boundaries as lines."""

    def __init__(self, land: QPainterPath, lines: QPainterPath) -> None:
        super().__init__(lines)
        self.land = land
        self.setZValue(Z.BOUNDARY)
        self.setBrush(_brush("#F7F5EF"))
        self.setPen(_pen("#8C8C8C", 1.0))
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return super().boundingRect().united(self.land.boundingRect())

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        _fill_then_stroke(painter, self.land, self.brush(), self.path(), self.pen())


class BandItem(QGraphicsPathItem):
    """The rubber band or lasso being drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z.BAND)
        self.setPen(_pen("#1F4E9E", 1.5, Qt.PenStyle.DashLine))
        self.setBrush(_brush("#3C78D8", 40))


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
        painter.setPen(_pen("#000000", 1.5, Qt.PenStyle.DashLine))
        r = SYMBOL_RADIUS + 1.0
        for (x, y), colour in zip(self.xy, self.colours, strict=True):
            painter.setBrush(_brush(self._target_colour or colour))
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
        painter.setPen(_pen("#7A1010" if self.refused else "#303030", 1.0))
        painter.setBrush(_brush("#FFF4F4" if self.refused else "#FFFFFF", 235))
        painter.drawRoundedRect(self._rect, 4, 4)
        painter.setFont(self._font)
        painter.setPen(QColor("#7A1010" if self.refused else "#101010"))
        painter.drawText(self._rect.adjusted(6, 4, -6, -4),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), self.text)
