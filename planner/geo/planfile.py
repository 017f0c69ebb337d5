"""Save and open plan files.

A plan file is the GeoJSON export (so QGIS opens it) plus a top-level foreign member
``"planner"`` (see :mod:`planner.geo.planmeta`) holding federation keys, names, colours, locks,
hubs, the locked centres, the engine's params and seed, and the constraints. Opening it with
:func:`load_plan` (or :func:`planner.geo.io.read_centres`) restores all of that exactly.
Any other centres file opens too: with a ``federation`` column it becomes that plan, without one
every centre starts unassigned.
"""

from __future__ import annotations

import os
from pathlib import Path

from planner.domain.constraints import Constraints
from planner.domain.plan import Plan
from planner.geo import planmeta
from planner.geo.export import feature_collection, write_json
from planner.geo.io import LoadResult, read_centres

__all__ = ["PLAN_SUFFIX", "save_plan", "load_plan"]

PLAN_SUFFIX = ".geojson"


def save_plan(plan: Plan, path: str | os.PathLike, constraints: Constraints | None = None) -> None:
    """Write ``plan`` (and ``constraints``) atomically as a GeoJSON plan file."""
    document = feature_collection(plan)
    document["planner"] = planmeta.encode(plan, constraints)
    write_json(document, Path(path))


def load_plan(path: str | os.PathLike) -> LoadResult:
    """Open a plan file or any centres file; ``result.plan`` is never None."""
    result = read_centres(path)
    if result.plan is None:
        result.plan = Plan(result.centres)
    return result
