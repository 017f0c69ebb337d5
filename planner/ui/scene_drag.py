"""Dragging centres on the map scene: the ghost, the target's highlight and caption, the drop.

:class:`SceneDragging` is mixed into :class:`~planner.ui.map_scene.MapScene` (which holds the
items, the point index and the signals it uses). The view drives a drag through
:meth:`~SceneDragging.begin_drag`, :meth:`~SceneDragging.move_drag`,
:meth:`~SceneDragging.finish_drag` and :meth:`~SceneDragging.cancel_drag`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPen

from planner.domain.palette import UNASSIGNED_COLOUR
from planner.domain.plan import UNASSIGNED, EditRefused, Reassign
from planner.ui.drag_items import GhostItem, OverlayItem
from planner.ui.drawing import Z
from planner.ui.hit_testing import resolve_drop
from planner.ui.items import OutlineItem

__all__ = ["SceneDragging"]


class _Drag:
    """The centres being dragged, where the drag began, and the target under the cursor."""

    def __init__(self, ids: list[str], rows: np.ndarray, origin: QPointF) -> None:
        self.ids = ids
        self.rows = rows
        self.origin = origin
        self.target = UNASSIGNED
        self.refusal = ""


class SceneDragging:
    """The drag of centres, for :class:`~planner.ui.map_scene.MapScene`."""

    _drag: _Drag | None
    _ghost: GhostItem | None
    _overlay: OverlayItem | None
    _highlight: OutlineItem | None

    @property
    def dragging(self) -> bool:
        return self._drag is not None

    @property
    def drag_ids(self) -> list[str]:
        return list(self._drag.ids) if self._drag is not None else []

    @property
    def drag_target(self) -> int:
        return self._drag.target if self._drag is not None else UNASSIGNED

    def ids_to_drag(self, pressed_id: str) -> list[str]:
        """The selection if ``pressed_id`` is in it, else just ``pressed_id``."""
        selection = self.document.selection
        return list(selection) if pressed_id in selection else [pressed_id]

    def check_movable(self, ids: list[str]) -> str:
        """Why ``ids`` cannot move (a locked centre or federation), or "" if they can."""
        try:
            Reassign.make(self.plan, ids, UNASSIGNED)
        except EditRefused as refusal:
            return str(refusal)
        return ""

    def begin_drag(self, pressed_id: str, scene_pos: QPointF) -> bool:
        """Start dragging ``pressed_id`` (with the selection if it is selected).

        Refuses locked centres and centres of locked federations: the reason goes to
        ``document.status_message`` and nothing else happens. Returns whether the drag started.
        """
        ids = self.ids_to_drag(pressed_id)
        reason = self.check_movable(ids)
        if reason:
            self.document.status_message.emit(f"Cannot move: {reason}")
            return False
        rows = self.plan.centres.indices_of(ids)
        self._drag = _Drag(ids, rows, QPointF(scene_pos))
        feds = self.plan.federations
        colours = [feds[k].colour if k in feds else UNASSIGNED_COLOUR
                   for k in self.plan.assignment[rows].tolist()]
        self._ghost = GhostItem(self.scene_xy[rows], colours)
        self.addItem(self._ghost)
        self._overlay = OverlayItem()
        self.addItem(self._overlay)
        self._highlight = OutlineItem(UNASSIGNED)
        self._highlight.setZValue(Z.HIGHLIGHT)
        self._highlight.setVisible(False)
        self.addItem(self._highlight)
        for r in rows[:2000]:
            self.centre_items[r].setOpacity(0.35)
        self.move_drag(scene_pos, None)
        return True

    def move_drag(self, scene_pos: QPointF, scale: float | None) -> int:
        """Move the ghost to ``scene_pos``; highlight and return the federation under it."""
        drag = self._drag
        if drag is None:
            return UNASSIGNED
        self._ghost.setPos(scene_pos - drag.origin)
        self._overlay.setPos(scene_pos)
        if scale is None:
            target = UNASSIGNED
        else:
            target = resolve_drop(
                scene_pos.x(), -scene_pos.y(), self.tolerance(scale), index=self.index,
                assignment=self.plan.assignment, outlines=self.outlines, dragged_rows=drag.rows,
            )
        if target != drag.target or scale is None:
            drag.target = target
            self._show_target(drag)
            self.drag_preview.emit(list(drag.ids), int(target))
        return target

    def _show_target(self, drag: _Drag) -> None:
        plan = self.plan
        fed = plan.federations.get(drag.target)
        if fed is None:
            self._highlight.setVisible(False)
            self._ghost.set_target_colour(None)
            self._overlay.set_text(f"{len(drag.ids)} centre{'s' if len(drag.ids) != 1 else ''}")
            drag.refusal = ""
            return
        try:
            Reassign.make(plan, drag.ids, drag.target)
            drag.refusal = ""
        except EditRefused as refusal:
            drag.refusal = str(refusal)
        self._highlight.set_outline(self.outlines.get(drag.target), fed.colour, fed.locked)
        self._highlight.setPen(_highlight_pen(drag.refusal != ""))
        self._highlight.setVisible(True)
        self._ghost.set_target_colour(fed.colour)
        self._overlay.set_text(self.preview_text(drag.ids, drag.target, drag.refusal),
                               refused=bool(drag.refusal))

    def preview_text(self, ids: list[str], key: int, refusal: str = "") -> str:
        """The overlay caption: target name and its count (and weight) after the move."""
        plan = self.plan
        fed = plan.federations[key]
        if refusal:
            return f"{fed.name}\nCannot move: {refusal}"
        rows = plan.centres.indices_of(ids)
        arriving = rows[plan.assignment[rows] != key]
        stats = self.document.stats
        count = (stats[key].count if key in stats else 0) + len(arriving)
        text = f"→ {fed.name}\n{count} centres (+{len(arriving)})"
        weights = self.document.stats.weights
        if weights is not None and key in stats:
            text += f", weight {stats[key].weight + float(weights[arriving].sum()):,.0f}"
        return text

    def finish_drag(self) -> int:
        """Drop: emit ``centres_dropped`` if the target accepts the move. Returns the target."""
        drag = self._drag
        if drag is None:
            return UNASSIGNED
        self._end_drag()
        target = drag.target
        if target == UNASSIGNED:
            return UNASSIGNED
        self.request_move(drag.ids, target)
        return target

    def cancel_drag(self) -> None:
        """Esc: put everything back; nothing is dropped."""
        if self._drag is not None:
            self._end_drag()

    def _end_drag(self) -> None:
        drag = self._drag
        self._drag = None
        for item in (self._ghost, self._overlay, self._highlight):
            if item is not None:
                self.removeItem(item)
        self._ghost = self._overlay = self._highlight = None
        for r in drag.rows[:2000]:
            self.centre_items[r].setOpacity(1.0)
        self.drag_preview.emit([], UNASSIGNED)


def _highlight_pen(refused: bool) -> QPen:
    pen = QPen(QColor("#C00000" if refused else "#000000"), 3.5,
               Qt.PenStyle.DashLine if refused else Qt.PenStyle.SolidLine)
    pen.setCosmetic(True)
    return pen
