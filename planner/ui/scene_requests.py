"""Move requests from the map scene: a drop or a menu pick checked against the plan's locks.

:class:`SceneRequests` is mixed into :class:`~planner.ui.map_scene.MapScene`: it emits the
scene's signals and never edits the plan; the window pushes the edits.
"""

from __future__ import annotations

import numpy as np
import shapely

from planner.domain.plan import EditRefused, Reassign

__all__ = ["SceneRequests"]


class SceneRequests:
    """Move requests and nearest federations, for :class:`~planner.ui.map_scene.MapScene`."""

    def request_move(self, ids: list[str], key: int) -> bool:
        """Emit ``centres_dropped(ids, key)`` if the move is allowed and changes something.

        A refusal (locked centre or federation) goes to ``document.status_message``.
        """
        plan = self.plan
        ids = list(dict.fromkeys(ids))
        try:
            edit = Reassign.make(plan, ids, key)
        except EditRefused as refusal:
            self.document.status_message.emit(f"Cannot move: {refusal}")
            return False
        if all(src == key for src in edit.sources):
            return False
        self.centres_dropped.emit(ids, int(key))
        return True

    def request_move_dialog(self) -> None:
        """The keyboard command "Move to federation…" for the current selection."""
        if self.document.selection:
            self.move_requested.emit(list(self.document.selection))

    def nearest_federations(self, centre_id: str, limit: int | None = None) -> list[int]:
        """Federation keys by distance from ``centre_id`` to their outline (its own first).

        With many federations the menu lists the ``limit`` nearest (the likely targets); the
        chooser ("Move to federation…") offers them all.
        """
        plan = self.plan
        keys = list(plan.federations)
        if limit is None or len(keys) <= limit:
            return keys
        x, y = plan.centres.xy[plan.centres.index_of(centre_id)]
        geoms = np.array([self.outlines.get(k, shapely.Polygon()) for k in keys], dtype=object)
        d = shapely.distance(shapely.Point(x, y), geoms)
        d = np.where(np.isnan(d), np.inf, d)
        order = np.argsort(d, kind="stable")[:limit]
        return [keys[i] for i in order]
