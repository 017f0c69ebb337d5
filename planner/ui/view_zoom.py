"""Zoom and fit for the map view: by a factor about a point, to the plan, a federation, centres.

:class:`ViewZoom` is mixed into :class:`~planner.ui.map_view.MapView` (a QGraphicsView of a
:class:`~planner.ui.map_scene.MapScene`, as ``map_scene``). The scene is told every new scale, so
its symbols shrink when a whole region is in view.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QPointF, QRectF, Qt

__all__ = ["ViewZoom", "MAX_SCALE"]

MAX_SCALE = 2.0  # pixels per metre: closest zoom


class ViewZoom:
    """Zoom, fit and scroll, for :class:`~planner.ui.map_view.MapView`."""

    @property
    def scale_factor(self) -> float:
        """Pixels per metre."""
        return self.transform().m11()

    def fit_all(self) -> None:
        """Show every centre and boundary."""
        self._fit(self.map_scene.data_rect)

    def fit_selection(self) -> None:
        """Show the selected centres (does nothing without a selection)."""
        self.zoom_to_centres(self.map_scene.document.selection)

    def zoom_to_federation(self, key: int) -> None:
        self._fit(self.map_scene.federation_rect(key))

    def zoom_to_centres(self, ids: Iterable[str]) -> None:
        self._fit(self.map_scene.centres_rect(list(ids)))

    def zoom_in(self) -> None:
        self.zoom_by(1.25)

    def zoom_out(self) -> None:
        self.zoom_by(0.8)

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by ``factor`` keeping the scene point under ``anchor`` (viewport px) in place."""
        if anchor is None:
            anchor = QPointF(self.viewport().rect().center())
        scale = self.scale_factor
        new_scale = min(max(scale * factor, self._min_scale()), MAX_SCALE)
        factor = new_scale / scale
        if abs(factor - 1.0) < 1e-9:
            return
        before = self.mapToScene(anchor.toPoint())
        self.scale(factor, factor)
        self.map_scene.set_view_scale(self.scale_factor)
        after = self.mapFromScene(before)
        self._scroll_by(QPointF(after) - anchor)

    def _min_scale(self) -> float:
        rect = self.map_scene.data_rect
        vp = self.viewport().rect()
        if not rect.isValid() or rect.isEmpty():
            return 1e-6
        return 0.25 * min(vp.width() / rect.width(), vp.height() / rect.height())

    def _fit(self, rect: QRectF) -> None:
        if rect.isNull() or not rect.isValid():
            return
        pad_w, pad_h = rect.width() * 0.05, rect.height() * 0.05
        self.fitInView(rect.adjusted(-pad_w, -pad_h, pad_w, pad_h),
                       Qt.AspectRatioMode.KeepAspectRatio)
        self.map_scene.set_view_scale(self.scale_factor)
        if self.scale_factor > MAX_SCALE:
            c = rect.center()
            self.zoom_by(MAX_SCALE / self.scale_factor)
            self.centerOn(c)
        self.viewport().update()

    def _scroll_by(self, delta: QPointF) -> None:
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + round(delta.x()))
        v.setValue(v.value() + round(delta.y()))
