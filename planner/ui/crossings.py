"""The crossings on the map: links that join land parts over water, as thin dashed lines.

The neighbourhood graph joins separate land parts (islands, a shore the coastline cuts off) by
their shortest crossings (``planner.geo.cells``); the map draws them so the planner sees why two
federations' pieces count as one, and the tooltip lists them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem

from planner.ui.items import Z

__all__ = ["crossing_item"]


def crossing_item(scene_xy: np.ndarray, names: Sequence[str],
                  pairs: Sequence[tuple[int, int]]) -> QGraphicsPathItem | None:
    """A dashed path through every crossing ``(row, row)`` (None when there are none)."""
    if not pairs:
        return None
    path = QPainterPath()
    for a, b in pairs:
        path.moveTo(QPointF(*scene_xy[a]))
        path.lineTo(QPointF(*scene_xy[b]))
    item = QGraphicsPathItem(path)
    pen = QPen(QColor("#404040"), 1.2, Qt.PenStyle.DashLine)
    pen.setCosmetic(True)
    item.setPen(pen)
    item.setZValue(Z.OUTLINE + 0.5)
    item.setToolTip("Crossings (land parts joined over water):\n" + "\n".join(
        f"{names[a]} \u2013 {names[b]}" for a, b in pairs))
    return item
