"""The map's drawing basics: layer order, symbol sizes, scene coordinates, paths, pens, brushes.

Scene coordinates are map metres with y flipped: ``x = easting``, ``y = -northing`` (north up).
Every item of the map (:mod:`planner.ui.items`, :mod:`planner.ui.labels`,
:mod:`planner.ui.drag_items`) draws with these.
"""

from __future__ import annotations

import numpy as np
import shapely
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QWidget
from shapely.geometry.base import BaseGeometry

__all__ = [
    "Z",
    "SYMBOL_RADIUS",
    "SELECTED_RADIUS",
    "SMALL_RADIUS",
    "SMALL_BELOW_SCALE",
    "HUB_RADIUS",
    "symbol_radius",
    "to_scene",
    "path_from_geometry",
    "lines_path",
    "brush",
    "cosmetic_pen",
    "fill_then_stroke",
    "view_scale",
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


def lines_path(geoms: np.ndarray) -> QPainterPath:
    """District boundaries as open lines, each shared edge once (half the ink of the rings)."""
    edges = shapely.union_all(shapely.boundary(geoms))
    path = QPainterPath()
    for line in shapely.get_parts(shapely.line_merge(edges)):
        coords = shapely.get_coordinates(line)
        if len(coords) >= 2:
            path.addPolygon(QPolygonF([QPointF(x, -y) for x, y in coords]))
    return path


_brushes: dict[str, QBrush] = {}


def brush(colour: str, alpha: int = 255) -> QBrush:
    """A solid brush of ``colour`` with ``alpha`` (cached: the map asks for the same few)."""
    key = f"{colour}/{alpha}"
    if key not in _brushes:
        c = QColor(colour)
        c.setAlpha(alpha)
        _brushes[key] = QBrush(c)
    return _brushes[key]


def cosmetic_pen(colour: str | QColor, width: float, style=Qt.PenStyle.SolidLine) -> QPen:
    """A pen ``width`` pixels wide whatever the zoom."""
    pen = QPen(QColor(colour), width, style)
    pen.setCosmetic(True)
    return pen


def fill_then_stroke(painter: QPainter, fill: QPainterPath, brush: QBrush,
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


def view_scale(widget: QWidget | None) -> float:
    """Pixels per scene unit of the view painting ``widget`` (its viewport); 1 if unknown."""
    view = widget.parentWidget() if widget is not None else None
    transform = getattr(view, "transform", None)
    return transform().m11() if callable(transform) else 1.0
