"""The rubber band and the lasso: drawn on the scene, then the centres inside them."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPainterPath, QPolygonF

from planner.ui.items import BandItem

__all__ = ["SelectionBand"]


class SelectionBand:
    """A band (``kind="band"``, a rectangle) or lasso (``"lasso"``) from ``start`` on ``scene``.

    :meth:`extend` follows the cursor; :meth:`selection` gives the ids to select when it ends
    (added to the current selection if ``adds``); :meth:`remove` takes it off the scene.
    """

    def __init__(self, scene, kind: str, start: QPointF, adds: bool) -> None:
        self.scene = scene
        self.kind = kind
        self.adds = adds
        self.points = [start]
        self.item = BandItem()
        scene.addItem(self.item)

    def extend(self, scene_pos: QPointF) -> None:
        if self.kind == "lasso":
            self.points.append(scene_pos)
        else:
            self.points = [self.points[0], scene_pos]
        path = QPainterPath()
        if self.kind == "lasso":
            path.addPolygon(QPolygonF(self.points))
            path.closeSubpath()
        else:
            path.addRect(QRectF(self.points[0], scene_pos).normalized())
        self.item.setPath(path)

    def selection(self) -> list[str] | None:
        """The ids to select (None if the band was never drawn)."""
        scene = self.scene
        points = self.points
        if len(points) < 2:
            return None
        if self.kind == "lasso":
            ids = scene.ids_in_polygon(points)
        else:
            ids = scene.ids_in_rect(QRectF(points[0], points[-1]).normalized())
        if self.adds:
            ids = [*scene.document.selection, *ids]
        return ids

    def remove(self) -> None:
        """Take the band off the scene (if the scene has not already deleted it)."""
        item = self.item
        if shiboken6.isValid(item) and item.scene() is self.scene:
            self.scene.removeItem(item)
