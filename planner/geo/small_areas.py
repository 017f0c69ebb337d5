"""England's census small areas, shipped in the package, and each centre's reach over them.

:func:`load_small_areas` reads ``planner/resources/small_areas/england_lsoa2021.npz`` (33,755 LSOAs
2021: centroids in British National Grid, Census 2021 children 0-15 and residents, IMD 2019 rank
and decile; see that folder's README) once per process. :func:`reach_for` works out the land of a
plan (:func:`planner.geo.land.study_area`), keeps the small areas whose centroid lies on it and
hands arrays to :func:`planner.domain.reach.compute_reach`. :func:`with_reach_columns` gives the
plan whose centres carry the reach figures as attributes (``children_0_15_reach``,
``deprived_children_reach``, ``population_reach``), ready to use as weights.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from planner.domain.centres import Centres
from planner.domain.plan import Plan
from planner.domain.reach import Reach, SmallAreas, compute_reach
from planner.geo.projection import BNG, transform
from planner.resources import where

__all__ = [
    "SMALL_AREAS",
    "ATTRIBUTION",
    "load_small_areas",
    "small_areas_in",
    "inside_land",
    "reach_for",
    "with_reach_columns",
    "add_reach_columns",
    "attach_reach",
    "Attached",
]

SMALL_AREAS = "small_areas/england_lsoa2021.npz"
ATTRIBUTION = (
    "Small-area figures: Census 2021 population by age, Office for National Statistics; English "
    "Indices of Deprivation 2019, Ministry of Housing, Communities and Local Government; both "
    "licensed under the Open Government Licence v3.0."
)


@lru_cache(maxsize=1)
def load_small_areas() -> SmallAreas:
    """The shipped small areas (British National Grid metres), read once."""
    with np.load(where(SMALL_AREAS)) as data:
        return SmallAreas(
            codes=data["code"].astype(str),
            xy=data["xy"].astype(float),
            children=data["children_0_15"],
            population=data["population"],
            imd_rank=data["imd_rank"],
            imd_decile=data["imd_decile"],
        )


@lru_cache(maxsize=4)
def small_areas_in(crs: str) -> SmallAreas:
    """The small areas with centroids in ``crs`` (the plan's projected CRS)."""
    areas = load_small_areas()
    if crs == BNG:
        return areas
    return replace(areas, xy=transform(areas.xy, BNG, crs))


def inside_land(areas: SmallAreas, land: BaseGeometry | None) -> np.ndarray:
    """True for the small areas whose centroid lies on ``land`` (None: none do)."""
    inside = np.zeros(len(areas), dtype=bool)
    if land is None or land.is_empty or not len(areas):
        return inside
    x0, y0, x1, y1 = land.bounds
    x, y = areas.xy[:, 0], areas.xy[:, 1]
    near = np.flatnonzero((x >= x0) & (x <= x1) & (y >= y0) & (y <= y1))
    if len(near):
        shapely.prepare(land)
        inside[near] = shapely.contains_xy(land, x[near], y[near])
    return inside


def reach_for(centres: Centres, boundaries=None, land: BaseGeometry | None = None) -> Reach:
    """Each centre's reach within the plan's land.

    ``land`` is the study area when the caller already has it; otherwise it is worked out from
    ``boundaries`` (a GeoDataFrame in the centres' CRS, or None) as the neighbourhood graph does.
    """
    areas = small_areas_in(centres.crs)
    if land is None and len(centres):
        from planner.geo.land import study_area

        land = study_area(centres, boundaries)
    return compute_reach(centres.xy, areas, inside_land(areas, land))


def add_reach_columns(centres: Centres, reach: Reach) -> Centres:
    """``centres`` with the reach columns as attributes (replacing any earlier values)."""
    return replace(centres, attributes={**centres.attributes, **reach.columns()})


def with_reach_columns(plan: Plan, reach: Reach) -> Plan:
    """``plan`` on centres that also carry the reach columns (same assignment and federations)."""
    return Plan(add_reach_columns(plan.centres, reach), plan.assignment,
                plan.federations.values(), plan.locked_centres, plan.params)


@dataclass(frozen=True, eq=False)
class Attached:
    """What :func:`attach_reach` did: ``source`` centres became ``centres`` (with the reach
    columns) on the land of ``boundaries`` (cut by ``groups``); ``reach`` holds the figures."""

    source: Centres
    boundaries: object
    groups: object
    centres: Centres
    reach: Reach


def attach_reach(plan: Plan, boundaries=None, previous: Attached | None = None, *,
                 land: BaseGeometry | None = None, groups=None) -> Attached:
    """Give ``plan`` centres carrying the reach columns, **in place** (what opening a plan does).

    In place, because the plan object is shared (a file's options keep theirs). ``land`` is the
    study area when the caller has it. ``previous`` is reused when it was made for the same
    centres, the same boundary layer and the same ``groups`` (the land's cut per authority), so
    the options of one file end up on one centre table and the reach is worked out once.
    """
    if (previous is not None and previous.boundaries is boundaries
            and previous.groups == groups
            and (plan.centres is previous.source or plan.centres is previous.centres)):
        plan.centres = previous.centres
        return previous
    reach = reach_for(plan.centres, boundaries, land)
    attached = Attached(plan.centres, boundaries, groups, add_reach_columns(plan.centres, reach),
                        reach)
    plan.centres = attached.centres
    return attached
