"""Graphics items of the map: centre symbols, hubs, locks, outlines, boundaries, the band.

Scene coordinates are map metres with y flipped: ``x = easting``, ``y = -northing`` (north up).
Symbols keep a fixed size in pixels (``ItemIgnoresTransformations``) and are painted by Qt's own
C++ items, so panning and zooming run no Python per centre. The few items with a Python ``paint``
(labels, ghost, drop overlay) draw everything they hold in one call. The names
(:mod:`planner.ui.labels`) and the drag's ghost and caption (:mod:`planner.ui.drag_items`) have
their own modules; the drawing basics are in :mod:`planner.ui.drawing`. All are importable here.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPainterPathStroker
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QStyleOptionGraphicsItem,
    QWidget,
)
from shapely.geometry.base import BaseGeometry

from planner.ui.drag_items import GhostItem, OverlayItem
from planner.ui.drawing import (
    HUB_RADIUS,
    SELECTED_RADIUS,
    SMALL_BELOW_SCALE,
    SMALL_RADIUS,
    SYMBOL_RADIUS,
    Z,
    brush,
    cosmetic_pen,
    fill_then_stroke,
    path_from_geometry,
    symbol_radius,
    to_scene,
    view_scale,
)
from planner.ui.labels import LabelLayer

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


_NORMAL_PEN = cosmetic_pen("#FFFFFF", 1.0)
_LOCKED_PEN = cosmetic_pen("#1A1A1A", 1.5)
_SELECTED_PEN = cosmetic_pen("#000000", 3.0)


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
            self.setBrush(brush(colour))
            self.colour = colour
        if selected != self.selected or locked != self.locked or not self.pen().isCosmetic():
            r = SELECTED_RADIUS if selected else self.radius
            self.setRect(-r, -r, 2 * r, 2 * r)
            self.setPen(_SELECTED_PEN if selected else _LOCKED_PEN if locked else _NORMAL_PEN)
            self.setZValue(Z.SELECTED if selected else Z.CENTRE)
        if locked != self.locked:
            if locked and self._badge is None:
                self._badge = QGraphicsPathItem(_PADLOCK, self)
                self._badge.setBrush(brush("#1A1A1A"))
                self._badge.setPen(cosmetic_pen("#FFFFFF", 0.8))
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
        style = Qt.PenStyle.SolidLine if chosen else Qt.PenStyle.DashLine
        self.setPen(cosmetic_pen("#000000", 2.0, style))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        scale = view_scale(widget)
        if not self.chosen and scale < self.COMPUTED_MIN_SCALE:
            return
        if scale < SMALL_BELOW_SCALE:
            # A whole region in view: a small, thin ring, so 160 hubs do not bury the centres.
            painter.save()
            painter.setPen(cosmetic_pen("#000000", 1.0, self.pen().style()))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(QPointF(0, 0), SMALL_RADIUS + 2.0, SMALL_RADIUS + 2.0)
            painter.restore()
            return
        super().paint(painter, option, widget)


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
        self.setBrush(brush(colour, self.FILL_ALPHA))
        edge = QColor(colour).darker(140)
        # width 1 (or 2 when locked): the raster engine's fast path for thin cosmetic lines
        self.setPen(cosmetic_pen(edge, 2.0 if locked else 1.0,
                                 Qt.PenStyle.DashLine if locked else Qt.PenStyle.SolidLine))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        fill_then_stroke(painter, self.path(), self.brush(), self.path(), self.pen())


class BoundaryItem(QGraphicsPathItem):
    """The base layer: land (the union of the districts) and the district boundaries as lines."""

    def __init__(self, land: QPainterPath, lines: QPainterPath) -> None:
        super().__init__(lines)
        self.land = land
        self.setZValue(Z.BOUNDARY)
        self.setBrush(brush("#F7F5EF"))
        self.setPen(cosmetic_pen("#8C8C8C", 1.0))
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return super().boundingRect().united(self.land.boundingRect())

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        fill_then_stroke(painter, self.land, self.brush(), self.path(), self.pen())


class BandItem(QGraphicsPathItem):
    """The rubber band or lasso being drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.setZValue(Z.BAND)
        self.setPen(cosmetic_pen("#1F4E9E", 1.5, Qt.PenStyle.DashLine))
        self.setBrush(brush("#3C78D8", 40))
