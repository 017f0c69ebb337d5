"""The map view as an image: PNG (pixels of what is shown) or SVG (vector, via QSvgGenerator)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QPainter, QRegion
from PySide6.QtSvg import QSvgGenerator

__all__ = ["save_map_image", "IMAGE_FILTER"]

IMAGE_FILTER = "PNG image (*.png);;SVG image (*.svg)"


def save_map_image(view, path: str | Path) -> bool:
    """Save what ``view`` (a MapView) shows, with its legend, scale bar and attribution.

    The suffix chooses the format: ``.svg`` is a vector drawing, anything else a PNG.
    """
    path = Path(path)
    viewport = view.viewport()
    if path.suffix.lower() != ".svg":
        return viewport.grab().save(str(path), "PNG")
    size = viewport.size()
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(size.width(), size.height()))
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle("SureStart Federation Planner map")
    painter = QPainter(generator)
    try:
        viewport.render(painter, QPoint(0, 0), QRegion(), viewport.RenderFlag.DrawChildren)
    finally:
        painter.end()
    return path.is_file() and path.stat().st_size > 0
