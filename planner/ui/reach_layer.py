"""The Reach map layer: the census small areas under the outlines, coloured by deprivation.

Each small area the plan's centres serve is a square at its centroid (the data has centroids, not
polygons), sized with the zoom so that neighbouring areas nearly touch, coloured by its IMD 2019
decile on a sequential, colour-blind-safe palette (viridis, dark = most deprived). The small areas
of the selected centres are drawn again above the outlines, ringed in black and white. A legend
sits in the map's lower left corner while the layer is shown.

:class:`ReachLayerItem` draws everything in one ``paint`` call: the points are built once per plan
as ten ``QPolygonF`` (one per decile) and painted with ``drawPoints`` and a square cosmetic pen, so
all England (33,700 areas) paints in a few milliseconds. :class:`ReachLayer` keeps the item in
step with the document (a new plan, a new boundary layer, the selection) and owns the legend.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from planner.ui.items import Z

__all__ = ["ReachLayer", "ReachLayerItem", "ReachSelectionItem", "ReachLegend", "DECILE_COLOURS",
           "Z_REACH", "Z_SELECTED_REACH"]

Z_REACH = (Z.BOUNDARY + Z.OUTLINE) / 2  # above the land, under the federation outlines
Z_SELECTED_REACH = (Z.OUTLINE + Z.HIGHLIGHT) / 2  # the selected centres' areas: over the outlines

# viridis in 10 steps: decile 1 (most deprived) darkest, decile 10 (least) lightest.
DECILE_COLOURS = (
    "#440154", "#482878", "#3E4A89", "#31688E", "#26828E",
    "#1F9E89", "#35B779", "#6DCD59", "#B4DE2C", "#FDE725",
)
AREA_M = 900.0  # squares are about this wide on the ground (towns' LSOAs lie ~0.5-1 km apart)
MIN_PX, MAX_PX = 2.0, 14.0
TILE_M = 40_000.0  # the layer's points are drawn by tiles of this size (a repaint draws a few)


def square_px(scale: float) -> float:
    """Side of a small area's square in pixels at ``scale`` pixels per metre."""
    return float(min(MAX_PX, max(MIN_PX, AREA_M * scale)))


def _polygon(xy: np.ndarray) -> QPolygonF:
    """Map metres (easting, northing) -> a polygon of scene points (x, -y)."""
    return QPolygonF([QPointF(float(x), float(-y)) for x, y in xy])


def _scene_polygon(points: np.ndarray) -> QPolygonF:
    return QPolygonF([QPointF(float(x), float(y)) for x, y in points])


class ReachLayerItem(QGraphicsItem):
    """The served small areas as squares coloured by IMD decile.

    The drawing is cached as pixels (device coordinates): a drop repaints the outlines above it
    and blits the areas. Drawing again (a zoom, or a pan revealing new ground) takes only the
    tiles in view: the points are kept in square tiles of :data:`TILE_M`, one ``QPolygonF`` per
    tile and decile.
    """

    def __init__(self, xy: np.ndarray, deciles: np.ndarray) -> None:
        super().__init__()
        self.setZValue(Z_REACH)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        # The areas never change while a plan is open: keep what was drawn as pixels, so a drop
        # (which repaints outlines above) blits them instead of drawing them again.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        deciles = np.asarray(deciles, dtype=np.int64)
        self.counts = [int((deciles == d).sum()) for d in range(1, 11)]
        self._colours = [QColor(c) for c in DECILE_COLOURS]
        self._tiles: list[list[QPolygonF | None]] = []
        self._tile_rects = np.empty((0, 4))  # scene x0, y0, x1, y1 of each tile's points
        self._rect = QRectF()
        if len(xy):
            self._build(xy, deciles)
        self.painted = 0  # squares drawn by the last paint (for tests)

    def _build(self, xy: np.ndarray, deciles: np.ndarray) -> None:
        scene = np.column_stack([xy[:, 0], -xy[:, 1]])
        cell = np.floor(scene / TILE_M).astype(np.int64)
        _, tile_of = np.unique(cell, axis=0, return_inverse=True)
        tile_of = np.asarray(tile_of).reshape(-1)
        rects = []
        for t in range(int(tile_of.max()) + 1):
            mine = tile_of == t
            pts, dec = scene[mine], deciles[mine]
            self._tiles.append([_scene_polygon(pts[dec == d]) if (dec == d).any() else None
                                for d in range(1, 11)])
            rects.append([*pts.min(0), *pts.max(0)])
        self._tile_rects = np.array(rects)
        lo, hi = scene.min(0), scene.max(0)
        pad = AREA_M * 20
        self._rect = QRectF(lo[0] - pad, lo[1] - pad, hi[0] - lo[0] + 2 * pad,
                            hi[1] - lo[1] + 2 * pad)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect

    def visible_tiles(self, exposed: QRectF, pad: float) -> np.ndarray:
        r = self._tile_rects
        return np.flatnonzero((r[:, 0] - pad <= exposed.right()) & (r[:, 2] + pad >= exposed.left())
                              & (r[:, 1] - pad <= exposed.bottom())
                              & (r[:, 3] + pad >= exposed.top()))

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        scale = QStyleOptionGraphicsItem.levelOfDetailFromTransform(painter.worldTransform())
        side = square_px(scale)
        tiles = [self._tiles[t] for t in self.visible_tiles(option.exposedRect,
                                                             side / max(scale, 1e-12))]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        self.painted = 0
        for d, colour in enumerate(self._colours):  # one pen per decile
            painter.setPen(_square_pen(colour, side))
            for tile in tiles:
                if tile[d] is not None:
                    painter.drawPoints(tile[d])
                    self.painted += tile[d].size()
        painter.restore()


class ReachSelectionItem(QGraphicsItem):
    """The small areas of the selected centres: their squares ringed, above the outlines."""

    def __init__(self, rect: QRectF) -> None:
        super().__init__()
        self.setZValue(Z_SELECTED_REACH)
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self._rect = rect
        self._points = QPolygonF()
        self._colours: list[tuple[QColor, QPolygonF]] = []

    def set_areas(self, xy: np.ndarray, deciles: np.ndarray) -> None:
        xy, deciles = np.asarray(xy, dtype=float).reshape(-1, 2), np.asarray(deciles)
        self._points = _polygon(xy)
        self._colours = [(QColor(DECILE_COLOURS[d - 1]), _polygon(xy[deciles == d]))
                         for d in np.unique(deciles).tolist()]
        self.update()

    @property
    def count(self) -> int:
        return self._points.size()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        if not self._points.size():
            return
        side = square_px(QStyleOptionGraphicsItem.levelOfDetailFromTransform(
            painter.worldTransform()))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        for colour, width in ((QColor("#111111"), side + 5.0), (QColor("#FFFFFF"), side + 2.0)):
            painter.setPen(_square_pen(colour, width))
            painter.drawPoints(self._points)
        for colour, points in self._colours:  # the areas' own colours, undimmed by outlines
            painter.setPen(_square_pen(colour, side))
            painter.drawPoints(points)
        painter.restore()


def _square_pen(colour: QColor, width: float) -> QPen:
    pen = QPen(colour)
    pen.setCosmetic(True)
    pen.setWidthF(width)
    pen.setCapStyle(Qt.PenCapStyle.SquareCap)
    return pen


class ReachLegend(QWidget):
    """Ten swatches, most to least deprived, with a title; drawn in the map's corner."""

    SWATCH = 14

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("reachLegend")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        fm = self.fontMetrics()
        self._title = "Small areas by IMD 2019 decile"
        width = max(fm.horizontalAdvance(self._title), 10 * (self.SWATCH + 2) + 8) + 16
        self.resize(width, 2 * fm.height() + self.SWATCH + 20)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt override
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QColor("#9A9A9A"))
        painter.setBrush(QColor(255, 255, 255, 230))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        fm = self.fontMetrics()
        painter.setPen(QColor("#202020"))
        painter.drawText(8, 6 + fm.ascent(), self._title)
        top = 10 + fm.height()
        for i, colour in enumerate(DECILE_COLOURS):
            painter.fillRect(8 + i * (self.SWATCH + 2), top, self.SWATCH, self.SWATCH,
                             QColor(colour))
        base = top + self.SWATCH + 4 + fm.ascent()
        painter.drawText(8, base, "1 most deprived")
        right = "10 least"
        painter.drawText(self.width() - 8 - fm.horizontalAdvance(right), base, right)
        painter.end()


class ReachLayer(QObject):
    """Shows and hides the Reach layer on ``scene`` / ``view`` for ``document``."""

    def __init__(self, scene, view, document) -> None:
        super().__init__(scene)
        self.scene = scene
        self.view = view
        self.document = document
        self.item: ReachLayerItem | None = None
        self.selection_item: ReachSelectionItem | None = None
        # a child of the view, not of its viewport: panning scrolls the viewport's children
        self.legend = ReachLegend(view)
        self.legend.hide()
        self._visible = False
        view.installEventFilter(self)
        # connected after the scene's own handler: the scene has rebuilt (and cleared) by now
        document.plan_replaced.connect(self._rebuild)
        document.selection_changed.connect(self._show_selection)

    @property
    def visible(self) -> bool:
        return self._visible

    def set_visible(self, visible: bool) -> None:
        self._visible = bool(visible)
        if self._visible and self.item is None:
            self._rebuild()
        if self.item is not None:
            self.item.setVisible(self._visible)
            self.selection_item.setVisible(self._visible)
        self.legend.setVisible(self._visible)
        self._place_legend()

    def _rebuild(self) -> None:
        self.item = self.selection_item = None  # the scene's rebuild deleted the old items
        if not self._visible:
            return
        reach = self.document.reach
        served = np.flatnonzero(reach.owner >= 0)
        self.item = ReachLayerItem(reach.areas.xy[served], reach.areas.imd_decile[served])
        self.selection_item = ReachSelectionItem(self.item.boundingRect())
        self.scene.addItem(self.item)
        self.scene.addItem(self.selection_item)
        self._show_selection(self.document.selection)

    def _show_selection(self, ids) -> None:
        if self.item is None:
            return
        centres, reach = self.document.plan.centres, self.document.reach
        rows = [centres.index_of(i) for i in ids if i in centres]
        idx = np.unique(np.concatenate([reach.areas_of(r) for r in rows])) if rows else []
        idx = np.asarray(idx, dtype=np.intp)
        self.selection_item.set_areas(reach.areas.xy[idx], reach.areas.imd_decile[idx])

    def _place_legend(self) -> None:
        area = self.view.viewport().geometry()  # in the view's coordinates
        self.legend.move(area.left() + 10, area.bottom() - self.legend.height() - 44)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and self._visible:
            self._place_legend()
        return False
