"""Save and open plan files: the one loader, for the command line and the window alike.

A plan file is the GeoJSON export (so QGIS opens it) plus a top-level foreign member
``"planner"`` (see :mod:`planner.geo.planmeta`, checked by :mod:`planner.domain.planschema`)
holding federation keys, names, colours, locks, hubs, the locked centres, the engine's params and
seed, and the constraints. Opening it with :func:`load_plan` restores all of that exactly.
Any other centres file opens too: with a ``federation`` column it becomes that plan, without one
every centre starts unassigned.

A plan file may be saved over the file it was read from (that is what Save does); exports may
not (:mod:`planner.geo.export`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from planner.domain.centres import Centres
from planner.domain.constraints import Constraints
from planner.domain.plan import Plan
from planner.geo import planmeta
from planner.geo.export import feature_collection, write_json
from planner.geo.io import LoadResult, read_centres
from planner.geo.values import MAX_WEIGHT

__all__ = ["PLAN_SUFFIX", "PREFERRED_WEIGHTS", "save_plan", "load_plan", "default_weight",
           "with_default_weight"]

PLAN_SUFFIX = ".geojson"
PREFERRED_WEIGHTS = ("children_0_15", "children", "under_5", "under5", "population", "weight")


def save_plan(
    plan: Plan,
    path: str | os.PathLike,
    constraints: Constraints | None = None,
    outlines: Mapping | None = None,
) -> None:
    """Write ``plan`` (and ``constraints``, and optional outlines) atomically as a plan file."""
    document = feature_collection(plan, outlines)
    document["planner"] = planmeta.encode(plan, constraints)
    write_json(document, Path(path))


def load_plan(
    path: str | os.PathLike,
    mapping: Mapping | None = None,
    *,
    allow_outside_england: bool = False,
) -> LoadResult:
    """Open a plan file or any centres file; ``result.plan`` is never None.

    ``mapping`` holds :func:`~planner.geo.io.read_centres` keywords (the import dialog's column
    choices). ``result.has_plan`` says whether the file carried federations.
    """
    result = read_centres(path, **dict(mapping or {}),
                          allow_outside_england=allow_outside_england)
    result.has_plan = result.plan is not None
    if result.plan is None:
        result.plan = Plan(result.centres)
    return result


def default_weight(centres: Centres, constraints: Constraints | None,
                   mapping: Mapping | None = None) -> str | None:
    """The weight to balance on: the saved one, the one the planner mapped, else a column of a
    known name whose every value is a weight (0 to MAX_WEIGHT)."""
    balance = getattr(constraints, "balance", ()) if constraints is not None else ()
    saved = balance[0].column if balance else getattr(constraints, "weight_column", None)
    if saved in centres.attributes:
        return saved
    if mapping and mapping.get("weight_column") in centres.attributes:
        return mapping["weight_column"]
    for column in PREFERRED_WEIGHTS:
        if column in centres.attributes:
            try:
                values = centres.numeric(column)
            except ValueError:
                continue
            if (values <= MAX_WEIGHT).all():
                return column
    return None


def with_default_weight(result: LoadResult, mapping: Mapping | None = None) -> Constraints:
    """The file's constraints (or the defaults) with :func:`default_weight` filled in."""
    constraints = result.constraints or Constraints()
    weight = default_weight(result.centres, result.constraints, mapping)
    if hasattr(constraints, "weight_column") and weight != constraints.weight_column:
        constraints = replace(constraints, weight_column=weight)
    return constraints
