"""The open document: the current Plan, its statistics and neighbourhood graph, as a QObject.

Views never change the plan themselves: they ask the main window to push an undo command, and the
command calls :meth:`Document.apply`. Every change is announced with ``plan_changed(keys)``: the set
of federation keys whose members or settings changed (so views redraw only those). Loading another
file announces ``plan_replaced()``: everything is new.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from planner.clustering.graph import adjacency, crossings, neighbourhood_graph
from planner.domain.constraints import Constraints, Violation, check
from planner.domain.plan import Edit, Plan
from planner.domain.reach_stats import ReachStats
from planner.domain.stats import PlanStats
from planner.geo.small_areas import attach_reach

__all__ = ["Document", "Prepared", "prepare"]


class Prepared:
    """What a document derives from a plan and its boundary layer (land, graph, adjacency,
    statistics), computed by :func:`prepare` in any thread so that opening a big file never
    blocks the window."""

    def __init__(self, plan: Plan, weight_column: str | None, boundaries=None,
                 previous_reach=None) -> None:
        from planner.geo.land import land_for, plan_groups

        self.plan = plan
        self.weight_column = weight_column
        self.boundaries = boundaries
        self.land_groups = (plan.params or {}).get("per_authority")
        self.land = land_for(plan.centres, boundaries, plan_groups(plan))
        # Reach on the same land: the plan's centres gain the reach columns here (in place), before
        # the statistics, which may weigh by a reach column.
        self.reach = attach_reach(plan, boundaries, previous_reach, land=self.land.land,
                                  groups=self.land_groups)
        self.graph = neighbourhood_graph(plan.centres, links=self.land.links())
        self.crossings = crossings(self.graph)
        self.neighbours = adjacency(self.graph, len(plan.centres))
        weights = plan.centres.numeric(weight_column) if weight_column else None
        self.stats = PlanStats(plan, weights, self.neighbours)


def prepare(plan: Plan, weight_column: str | None = None, boundaries=None,
            previous_reach=None) -> Prepared:
    """The derived parts of a document for ``plan`` on the land of ``boundaries`` (pure: no Qt
    object is touched). ``previous_reach`` is reused when made for the same centres and land."""
    return Prepared(plan, weight_column, boundaries, previous_reach)


def _fits(prepared: Prepared | None, plan: Plan, weight_column, boundaries) -> bool:
    return (prepared is not None and prepared.plan is plan
            and prepared.weight_column == weight_column and prepared.boundaries is boundaries
            and prepared.land_groups == (plan.params or {}).get("per_authority"))


class Document(QObject):
    plan_changed = Signal(object)  # set[int] of federation keys touched
    plan_replaced = Signal()
    selection_changed = Signal(object)  # tuple[str, ...] of selected centre ids
    status_message = Signal(str)

    def __init__(
        self,
        plan: Plan,
        parent: QObject | None = None,
        *,
        constraints: Constraints | None = None,
        weight_column: str | None = None,
    ) -> None:
        super().__init__(parent)
        self._selection: tuple[str, ...] = ()
        self.path: Path | None = None
        self._boundaries = None  # geopandas GeoDataFrame in the plan's projected CRS, or None
        self.boundary_field: str | None = None
        self.constraints = constraints or Constraints()
        self.weight_column = _shown_weight(self.constraints, weight_column)
        self._reach = None  # planner.geo.small_areas.Attached: the reach of the plan shown
        self._install(plan)

    def snapshot(self) -> tuple:
        """Everything :meth:`set_plan` replaces (to check a failed open changed nothing)."""
        return (self.plan, self.plan.state(), self.path, self.boundaries, self.boundary_field,
                self.constraints, self.graph, self.stats)

    # -- the plan -----------------------------------------------------------------------------
    def _install(self, plan: Plan, prepared: Prepared | None = None) -> None:
        if not _fits(prepared, plan, self.weight_column, self._boundaries):
            prepared = prepare(plan, self.weight_column, self._boundaries, self._reach)
        self._violations: list[Violation] | None = None
        self.plan = plan
        self.land = prepared.land
        self._land_groups = prepared.land_groups
        self.graph = prepared.graph
        self.crossings = prepared.crossings
        self.neighbours = prepared.neighbours
        self.stats = prepared.stats
        self._reach = prepared.reach
        self.reach = self._reach.reach
        self.reach_stats = ReachStats(self.plan, self.reach, self._hub_of)

    def _build_land(self) -> None:
        """Cells on the land of the layer shown: the graph, stats and outlines all read them."""
        self._install(self.plan)

    def _hub_of(self, key: int) -> int | None:
        return self.stats[key].hub if key in self.stats else None

    def engine_graph(self, constraints: Constraints):
        """The land graph with ``constraints``' link limit and authority cuts, for the engine."""
        c = constraints
        return neighbourhood_graph(self.plan.centres, links=self.land.links(),
                                   max_link_m=c.max_link_m,
                                   boundary_of=c.boundary_of if c.within_boundaries else None)

    @property
    def boundaries(self):
        """The boundary layer shown (GeoDataFrame in the plan's CRS) or None; its land holds the
        cells the graph and the outlines read, so setting it rebuilds them."""
        return self._boundaries

    @boundaries.setter
    def boundaries(self, layer) -> None:
        self._boundaries = layer
        self._violations = None
        self._build_land()

    def weights(self) -> np.ndarray | None:
        col = self.weight_column
        return self.plan.centres.numeric(col) if col else None

    def set_plan(
        self,
        plan: Plan,
        path: Path | None = None,
        boundaries=None,
        boundary_field: str | None = None,
        constraints: Constraints | None = None,
        weight_column: str | None = None,
        prepared: Prepared | None = None,
    ) -> None:
        """Replace the whole document (a file was opened). The caller clears the undo stack.

        ``prepared`` (from :func:`prepare`, e.g. in a worker thread) saves the recomputation.
        Nothing is changed if preparing fails.
        """
        constraints = constraints or Constraints()
        weight = _shown_weight(constraints, weight_column)
        if not _fits(prepared, plan, weight, boundaries):
            prepared = prepare(plan, weight, boundaries)
        self.path = path
        self._boundaries = boundaries
        self.boundary_field = boundary_field
        self.constraints = constraints
        self.weight_column = weight
        self._install(plan, prepared)
        self._selection = ()
        self.plan_replaced.emit()
        self.selection_changed.emit(())

    def apply(self, edit: Edit) -> set[int]:
        """Apply a pure edit, update the touched statistics, announce the change."""
        changed = edit.apply(self.plan)
        self._violations = None
        if (self.plan.params or {}).get("per_authority") != self._land_groups:
            # a plan made (or undone) per authority: its cells are cut within each authority
            self._build_land()
            self.plan_replaced.emit()
            return changed
        self.stats.update(changed)
        self.reach_stats.update(changed)
        self.plan_changed.emit(changed)
        return changed

    def violations(self) -> list[Violation]:
        """The rules the plan breaks (computed once per change, shared by every view)."""
        if self._violations is None:
            self._violations = check(self.plan, self.constraints, self.neighbours, self.stats)
        return list(self._violations)

    def set_boundaries(self, boundaries, field: str | None = None) -> None:
        """Show another boundary layer (already in the plan's CRS). Views redraw everything."""
        self.boundaries = boundaries  # rebuilds the land, graph and statistics
        self.boundary_field = field
        self.plan_replaced.emit()

    # -- selection (shared by the map and the tables) -----------------------------------------
    @property
    def selection(self) -> tuple[str, ...]:
        return self._selection

    def set_selection(self, ids) -> None:
        ids = tuple(dict.fromkeys(str(i) for i in ids))
        if ids != self._selection:
            self._selection = ids
            self.selection_changed.emit(ids)



def _shown_weight(constraints: Constraints, column: str | None) -> str | None:
    """The figure to show: the one asked for, else the first balanced figure."""
    if column:
        return column
    return constraints.balance[0].column if constraints.balance else None
