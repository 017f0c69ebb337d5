"""The map scene: boundaries, federation outlines, centres, hubs, labels; drag-and-drop of centres.

The scene renders the document's plan and follows it: on ``plan_changed(keys)`` it re-outlines and
recolours only the federations in ``keys``. It never edits the plan and never sees the undo stack:
a drop emits ``centres_dropped(ids, to_key)`` and the window pushes the command.

Gestures are classified by :class:`~planner.ui.map_view.MapView` (which knows pixels); the view
drives a drag through :meth:`MapScene.begin_drag`, :meth:`move_drag`, :meth:`finish_drag` and
:meth:`cancel_drag` (in :mod:`planner.ui.scene_drag`; move requests are in
:mod:`planner.ui.scene_requests`). Scene coordinates are ``(easting, -northing)`` in metres.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import shapely
from PySide6.QtCore import QPointF, QRectF, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneHelpEvent, QMenu, QToolTip

from planner.domain.palette import UNASSIGNED_COLOUR
from planner.domain.plan import UNASSIGNED, Plan
from planner.geo.outlines import OutlineBuilder
from planner.ui.crossings import crossing_item
from planner.ui.document import Document
from planner.ui.drawing import lines_path
from planner.ui.hit_testing import PointIndex, federation_at
from planner.ui.items import (
    SYMBOL_RADIUS,
    BoundaryItem,
    CentreItem,
    HubItem,
    LabelLayer,
    OutlineItem,
    path_from_geometry,
    symbol_radius,
    to_scene,
)
from planner.ui.mime import CENTRE_IDS_MIME
from planner.ui.scene_drag import SceneDragging
from planner.ui.scene_requests import SceneRequests

__all__ = ["MapScene", "MIME_CENTRE_IDS"]

MIME_CENTRE_IDS = CENTRE_IDS_MIME

# The "Move to federation" submenu lists at most this many (the nearest); the chooser has all.
MENU_FEDERATIONS = 15

# Pixels around a symbol that still count as "on" it.
_HIT_SLOP = 3.0


class MapScene(SceneDragging, SceneRequests, QGraphicsScene):
    """Renders ``document.plan`` and turns drags and menu picks into move requests.

    Signals
    -------
    centres_dropped(ids: list, to_key: int)
        Centres dropped on (or sent by the menu to) federation ``to_key``; the window pushes
        ``EditCommand(document, Reassign.make(plan, ids, to_key))``. Only emitted when the move is
        allowed (no locks in the way) and changes something.
    drag_preview(ids: list, to_key: int)
        While dragging, whenever the target changes; ``to_key`` is -1 for no target, and a final
        ``drag_preview([], -1)`` when the drag ends (dropped, refused or cancelled).
    move_requested(ids: list)
        "Move to federation…" from the menu or keyboard: the window opens a chooser.
    lock_requested(ids: list, lock: bool), hub_requested(id: str)
        Context-menu requests; the window pushes the edits.
    zoom_requested(key: int)
        "Zoom to federation" from the context menu; the view zooms.
    """

    centres_dropped = Signal(list, int)
    drag_preview = Signal(list, int)
    move_requested = Signal(list)
    lock_requested = Signal(list, bool)
    hub_requested = Signal(str)
    zoom_requested = Signal(int)

    def __init__(self, document: Document, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        self._builder: OutlineBuilder | None = None
        self._drag = None
        self.centre_items: list[CentreItem] = []
        self.outline_items: dict[int, OutlineItem] = {}
        self.hub_items: dict[int, HubItem] = {}
        self.outlines: dict[int, shapely.Geometry] = {}
        self.boundary_item: BoundaryItem | None = None
        self.label_layer: LabelLayer | None = None
        self._highlight = self._ghost = self._overlay = None
        self._selected_rows: set[int] = set()
        self._shown_key = np.empty(0, dtype=np.int64)
        self.data_rect = QRectF()
        self.symbol_radius = SYMBOL_RADIUS
        document.plan_changed.connect(self._on_plan_changed)
        document.plan_replaced.connect(self.rebuild)
        document.selection_changed.connect(self._on_selection_changed)
        self.rebuild()

    # -- building ---------------------------------------------------------------------------
    @property
    def plan(self) -> Plan:
        return self.document.plan

    def rebuild(self) -> None:
        """Rebuild every item from the document (a new file, or new boundaries)."""
        if self._drag is not None:
            self.cancel_drag()
        self.clear()
        self.centre_items, self.outline_items, self.hub_items = [], {}, {}
        self._highlight = self._ghost = self._overlay = None
        plan = self.plan
        centres = plan.centres
        self.scene_xy = to_scene(centres.xy)
        self.index = PointIndex(centres.xy)

        boundaries = self.document.boundaries
        self.boundary_item = None
        if boundaries is not None and len(boundaries):
            geoms = shapely.make_valid(np.asarray(boundaries.geometry.values, dtype=object))
            geoms = geoms[~shapely.is_empty(geoms)]
            land = shapely.union_all(geoms)
            self.boundary_item = BoundaryItem(path_from_geometry(land), lines_path(geoms))
            self.addItem(self.boundary_item)
        if self._builder is None or self._builder.land is not self.document.land:
            # the document's land cells: the same cells its neighbourhood graph is read from
            self._builder = OutlineBuilder(centres, cells=self.document.land)
        self.crossing_item = crossing_item(self.scene_xy, centres.names, self.document.crossings)
        if self.crossing_item is not None:  # land parts joined over water, dashed
            self.addItem(self.crossing_item)

        for row, (cid, (x, y)) in enumerate(zip(centres.ids, self.scene_xy, strict=True)):
            item = CentreItem(row, cid, QPointF(x, y))
            item.set_radius(self.symbol_radius)
            self.addItem(item)
            self.centre_items.append(item)
        self._shown_key = np.full(len(centres), UNASSIGNED - 1, dtype=np.int64)
        self._selected_rows = {centres.index_of(i) for i in self.document.selection
                               if i in centres}
        self.label_layer = LabelLayer(self.scene_xy, centres.names)
        self.addItem(self.label_layer)

        self.outlines = {}
        self._update_federations(set(plan.federations))
        self._restyle(range(len(centres)))
        self._shown_key = plan.assignment.copy()

        rect = self._extent()
        self.data_rect = rect
        # generous margins, so the view can pan past the edges at any zoom
        w, h = max(rect.width(), 1000.0), max(rect.height(), 1000.0)
        self.setSceneRect(rect.adjusted(-2 * w, -2 * h, 2 * w, 2 * h))

    def _extent(self) -> QRectF:
        """What "fit all" shows: the centres and their outlines (not a whole country's districts
        around a county's centres)."""
        rect = QRectF()
        if len(self.scene_xy):
            lo, hi = self.scene_xy.min(0), self.scene_xy.max(0)
            rect = QRectF(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
            clip = self._builder.clip
            if clip is not None and not clip.is_empty:
                x0, y0, x1, y1 = clip.bounds
                rect = rect.united(QRectF(x0, -y1, x1 - x0, y1 - y0))
        elif self.boundary_item is not None:
            rect = self.boundary_item.boundingRect()
        return rect

    # -- following the document ---------------------------------------------------------------
    def _on_plan_changed(self, keys: Iterable[int]) -> None:
        keys = {int(k) for k in keys} - {UNASSIGNED}
        plan = self.plan
        self._update_federations(keys)
        moved = plan.assignment != self._shown_key
        touched = np.isin(plan.assignment, list(keys)) if keys else np.zeros_like(moved)
        self._restyle(np.flatnonzero(moved | touched))
        self._shown_key = plan.assignment.copy()

    def _update_federations(self, keys: set[int]) -> None:
        plan = self.plan
        for key in keys:
            fed = plan.federations.get(key)
            if fed is None:
                for items in (self.outline_items, self.hub_items):
                    item = items.pop(key, None)
                    if item is not None:
                        self.removeItem(item)
                self.outlines.pop(key, None)
                continue
            geom = self._builder.outline(plan, key)
            self.outlines[key] = geom
            item = self.outline_items.get(key)
            if item is None:
                item = OutlineItem(key)
                self.addItem(item)
                self.outline_items[key] = item
            item.set_outline(geom, fed.colour, fed.locked)
            self._place_hub(key)

    def _place_hub(self, key: int) -> None:
        stats = self.document.stats
        hub_row = stats[key].hub if key in stats else None
        item = self.hub_items.get(key)
        if hub_row is None:
            if item is not None:
                item.setVisible(False)
            return
        if item is None:
            item = HubItem()
            self.addItem(item)
            self.hub_items[key] = item
        fed = self.plan.federations[key]
        x, y = self.scene_xy[hub_row]
        item.place(QPointF(x, y), chosen=fed.hub == self.plan.centres.ids[hub_row])
        item.setVisible(True)

    def _restyle(self, rows: Iterable[int]) -> None:
        plan = self.plan
        feds = plan.federations
        ids = plan.centres.ids
        locked_feds = {k for k, f in feds.items() if f.locked}
        for row in rows:
            key = int(plan.assignment[row])
            fed = feds.get(key)
            colour = fed.colour if fed is not None else UNASSIGNED_COLOUR
            locked = ids[row] in plan.locked_centres or key in locked_feds
            self.centre_items[row].set_style(colour, row in self._selected_rows, locked)

    def _on_selection_changed(self, ids) -> None:
        centres = self.plan.centres
        rows = {centres.index_of(i) for i in ids if i in centres}
        changed = rows ^ self._selected_rows
        self._selected_rows = rows
        self._restyle(sorted(changed))

    # -- queries --------------------------------------------------------------------------------
    def tolerance(self, scale: float) -> float:
        """Metres around a point that count as "on a symbol" at ``scale`` pixels per metre."""
        return (symbol_radius(scale) + _HIT_SLOP) / max(scale, 1e-12)

    def set_view_scale(self, scale: float) -> None:
        """The view zoomed: far out, symbols shrink so a region's centres stay apart."""
        radius = symbol_radius(scale)
        if radius != self.symbol_radius:
            self.symbol_radius = radius
            for item in self.centre_items:
                item.set_radius(radius)

    def centre_at(self, scene_pos: QPointF, scale: float) -> str | None:
        """Id of the centre under ``scene_pos`` (symbols have a fixed size in pixels), or None."""
        row = self.index.nearest(scene_pos.x(), -scene_pos.y(), self.tolerance(scale))
        return None if row is None else self.plan.centres.ids[row]

    def federation_at(self, scene_pos: QPointF) -> int:
        """Key of the federation outline under ``scene_pos``, or -1."""
        return federation_at(scene_pos.x(), -scene_pos.y(), self.outlines)

    def ids_in_rect(self, rect: QRectF) -> list[str]:
        rows = self.index.in_rect(rect.left(), -rect.top(), rect.right(), -rect.bottom())
        return [self.plan.centres.ids[r] for r in rows]

    def ids_in_polygon(self, points: list[QPointF]) -> list[str]:
        ring = np.array([(p.x(), -p.y()) for p in points], dtype=float).reshape(-1, 2)
        return [self.plan.centres.ids[r] for r in self.index.in_polygon(ring)]

    def centres_rect(self, ids: Iterable[str], min_size: float = 2000.0) -> QRectF:
        """Scene rectangle around ``ids`` (at least ``min_size`` metres across)."""
        centres = self.plan.centres
        rows = [centres.index_of(i) for i in ids if i in centres]
        if not rows:
            return QRectF()
        pts = self.scene_xy[rows]
        lo, hi = pts.min(0), pts.max(0)
        cx, cy = (lo + hi) / 2
        w, h = max(hi[0] - lo[0], min_size), max(hi[1] - lo[1], min_size)
        return QRectF(cx - w / 2, cy - h / 2, w, h)

    def federation_rect(self, key: int) -> QRectF:
        """Scene rectangle of federation ``key``'s outline (empty if it has none)."""
        geom = self.outlines.get(key)
        if geom is None or geom.is_empty:
            return self.centres_rect(self.plan.member_ids(key)) if key in self.plan.federations \
                else QRectF()
        x0, y0, x1, y1 = geom.bounds
        return QRectF(x0, -y1, x1 - x0, y1 - y0)

    def tooltip_for(self, centre_id: str) -> str:
        """HTML tooltip: name, id, federation, lock and hub status, the centre's attributes."""
        plan = self.plan
        centres = plan.centres
        row = centres.index_of(centre_id)
        key = int(plan.assignment[row])
        fed = plan.federations.get(key)
        rows = [("Id", centre_id), ("Federation", fed.name if fed else "(unassigned)")]
        if plan.is_locked(centre_id):
            rows.append(("Locked", "yes"))
        if fed is not None and key in self.document.stats and \
                self.document.stats[key].hub == row:
            rows.append(("Hub", "chosen" if fed.hub == centre_id else "computed (medoid)"))
        for col, values in centres.attributes.items():
            value = str(values[row])
            if value and value.lower() != "nan":
                rows.append((col, value))
        body = "".join(f"<tr><td><i>{_esc(k)}</i></td><td>{_esc(v)}</td></tr>" for k, v in rows)
        return f"<b>{_esc(centres.names[row])}</b><table>{body}</table>"

    def helpEvent(self, event: QGraphicsSceneHelpEvent) -> None:  # noqa: N802 - Qt override
        view = event.widget().parentWidget() if event.widget() is not None else None
        scale = view.transform().m11() if hasattr(view, "transform") else 1.0
        cid = self.centre_at(event.scenePos(), scale)
        if cid is None:
            QToolTip.hideText()
            event.ignore()
            return
        QToolTip.showText(event.screenPos(), self.tooltip_for(cid), event.widget())
        event.accept()

    # -- context menu ---------------------------------------------------------------------------
    def context_menu(self, ids: list[str], parent=None) -> QMenu:
        """The menu for centres ``ids`` (the pressed centre first)."""
        plan = self.plan
        menu = QMenu(parent)
        sources = {plan.federation_of(i) for i in ids}
        movable = not self.check_movable(ids)
        move = menu.addMenu("Move to federation")
        move.setEnabled(movable)
        for key in self.nearest_federations(ids[0], limit=MENU_FEDERATIONS):
            fed = plan.federations[key]
            act = QAction(fed.name, move)
            act.setEnabled(not fed.locked and sources != {key})
            act.triggered.connect(lambda _=False, k=key: self.request_move(ids, k))
            move.addAction(act)
        choose = menu.addAction("Move to federation…")
        choose.setEnabled(movable)
        choose.triggered.connect(lambda: self.move_requested.emit(list(ids)))
        menu.addSeparator()
        all_locked = all(i in plan.locked_centres for i in ids)
        lock = menu.addAction("Unlock" if all_locked else "Lock")
        lock.triggered.connect(lambda: self.lock_requested.emit(list(ids), not all_locked))
        hub = menu.addAction("Set as hub")
        key0 = plan.federation_of(ids[0])
        hub.setEnabled(len(ids) == 1 and key0 != UNASSIGNED)
        hub.triggered.connect(lambda: self.hub_requested.emit(ids[0]))
        zoom = menu.addAction("Zoom to federation")
        zoom.setEnabled(key0 != UNASSIGNED)
        zoom.triggered.connect(lambda: self.zoom_requested.emit(key0))
        return menu


def _esc(text: str) -> str:
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
