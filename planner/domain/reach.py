"""Reach: the census small areas each centre serves, with their children and deprivation.

A centre's *reach* is the set of small areas (LSOAs) whose centroid is nearer to it than to any
other loaded centre, among the small areas inside the plan's land (the geo layer computes that
mask; this module only sees arrays). Centres at the same point share their reach equally, so every
figure of such a centre is the place's figure divided by the number of centres there.

Figures per centre: children aged 0-15, residents, *deprived children* (children in small areas of
IMD 2019 deciles 1-3, the 30% most deprived in England), their share, and the mean and longest
straight-line distance from its small areas' centroids (each small area counted once: LSOAs hold
roughly equal numbers of residents). Federation figures are in :mod:`planner.domain.reach_stats`.

Pure numpy and scipy (``cKDTree``): all England (3,300 centres, 33,755 small areas) takes a few
tens of milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

__all__ = [
    "SmallAreas",
    "Reach",
    "compute_reach",
    "DEPRIVED_DECILES",
    "REACH_COLUMNS",
    "CHILDREN_COLUMN",
    "DEPRIVED_COLUMN",
    "POPULATION_COLUMN",
]

DEPRIVED_DECILES = 3  # IMD deciles 1..3: the 30% most deprived small areas
CHILDREN_COLUMN = "children_0_15_reach"
DEPRIVED_COLUMN = "deprived_children_reach"
POPULATION_COLUMN = "population_reach"
REACH_COLUMNS = (CHILDREN_COLUMN, DEPRIVED_COLUMN, POPULATION_COLUMN)


def _frozen(values, dtype) -> np.ndarray:
    out = np.array(values, dtype=dtype, copy=True)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, eq=False)
class SmallAreas:
    """Census small areas: centroids in the plan's projected CRS (metres) and their figures."""

    codes: np.ndarray
    xy: np.ndarray
    children: np.ndarray
    population: np.ndarray
    imd_rank: np.ndarray
    imd_decile: np.ndarray

    def __post_init__(self) -> None:
        n = len(self.codes)
        object.__setattr__(self, "codes", _frozen(self.codes, str))
        object.__setattr__(self, "xy", _frozen(np.reshape(self.xy, (n, 2)), float))
        for name in ("children", "population", "imd_rank", "imd_decile"):
            values = _frozen(getattr(self, name), float if name != "imd_decile" else np.int64)
            if values.shape != (n,):
                raise ValueError(f"{name} has {values.shape} values for {n} small areas")
            object.__setattr__(self, name, values)

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def deprived(self) -> np.ndarray:
        """True for the small areas in IMD deciles 1..3."""
        return (self.imd_decile >= 1) & (self.imd_decile <= DEPRIVED_DECILES)

    def subset(self, mask) -> SmallAreas:
        mask = np.asarray(mask)
        return SmallAreas(self.codes[mask], self.xy[mask], self.children[mask],
                          self.population[mask], self.imd_rank[mask], self.imd_decile[mask])


@dataclass(frozen=True, eq=False)
class Reach:
    """Each centre's small areas and figures (row ``i`` is centre row ``i``).

    ``owner[a]`` is the *place* (distinct centre location) serving small area ``a``, or -1 when
    the area lies outside the land; ``place_of[i]`` is centre ``i``'s place and ``share[i]`` its
    part of that place (1 / centres there). ``distance[a]`` is the area's distance to its place
    (NaN outside). Per-centre figures are already divided by the share.
    """

    areas: SmallAreas
    centre_xy: np.ndarray
    owner: np.ndarray
    distance: np.ndarray
    place_of: np.ndarray
    share: np.ndarray
    children: np.ndarray
    population: np.ndarray
    deprived: np.ndarray
    area_count: np.ndarray  # small areas served (a fraction for coincident centres)
    distance_sum: np.ndarray  # sum of the distances of its small areas, times the share (m)
    distance_max: np.ndarray  # longest distance from one of its small areas (m), 0 if none
    _order: np.ndarray  # small-area indices grouped by place
    _starts: np.ndarray  # place p's areas are _order[_starts[p]:_starts[p + 1]]

    def __len__(self) -> int:
        return len(self.place_of)

    @property
    def deprived_share(self) -> np.ndarray:
        """Deprived children as a share of children (0 for a centre with none)."""
        return np.divide(self.deprived, self.children, out=np.zeros(len(self)),
                         where=self.children > 0)

    @property
    def mean_distance(self) -> np.ndarray:
        return np.divide(self.distance_sum, self.area_count, out=np.zeros(len(self)),
                         where=self.area_count > 0)

    def areas_of(self, row: int) -> np.ndarray:
        """Indices (into ``areas``) of the small areas centre ``row`` serves (shared or not)."""
        p = int(self.place_of[row])
        return self._order[self._starts[p]:self._starts[p + 1]]

    def areas_of_rows(self, rows) -> tuple[np.ndarray, np.ndarray]:
        """(small-area indices, weights) of the centres ``rows``: each area once per centre,
        weighted by that centre's share of it."""
        parts = [self.areas_of(int(r)) for r in rows]
        if not parts:
            return np.empty(0, dtype=np.intp), np.empty(0)
        weights = np.repeat(self.share[np.asarray(rows, dtype=np.intp)], [len(p) for p in parts])
        return np.concatenate(parts), weights

    def columns(self) -> dict[str, list[float]]:
        """The per-centre figures as attribute columns (:data:`REACH_COLUMNS`), rounded to 0.1."""
        return {
            CHILDREN_COLUMN: np.round(self.children, 1).tolist(),
            DEPRIVED_COLUMN: np.round(self.deprived, 1).tolist(),
            POPULATION_COLUMN: np.round(self.population, 1).tolist(),
        }


def compute_reach(centre_xy, areas: SmallAreas, inside=None) -> Reach:
    """Nearest-centre catchments of ``areas`` (those where ``inside`` is True; default all).

    ``centre_xy`` is ``(N, 2)`` metres in the same CRS as ``areas.xy``.
    """
    xy = np.asarray(centre_xy, dtype=float).reshape(-1, 2)
    n_areas = len(areas)
    inside = np.ones(n_areas, dtype=bool) if inside is None else np.asarray(inside, dtype=bool)
    if len(xy) == 0:
        places = np.empty((0, 2))
        place_of = np.empty(0, dtype=np.intp)
        inside = np.zeros(n_areas, dtype=bool)
    else:
        places, place_of = np.unique(xy, axis=0, return_inverse=True)
        place_of = np.asarray(place_of, dtype=np.intp).reshape(-1)
    n_places = len(places)
    multiplicity = np.bincount(place_of, minlength=n_places).astype(float)
    served = np.flatnonzero(inside)
    owner = np.full(n_areas, -1, dtype=np.intp)
    distance = np.full(n_areas, np.nan)
    if len(served) and n_places:
        d, nearest = cKDTree(places).query(areas.xy[served])
        owner[served], distance[served] = nearest, d
    else:
        served = np.empty(0, dtype=np.intp)
    near = owner[served]

    def per_centre(weights) -> np.ndarray:
        per_place = np.bincount(near, weights=weights, minlength=n_places)
        return per_place[place_of] / multiplicity[place_of] if len(place_of) else np.empty(0)

    deprived = np.where(areas.deprived[served], areas.children[served], 0.0)
    most = np.zeros(n_places)
    np.maximum.at(most, near, distance[served])
    order = served[np.argsort(near, kind="stable")]
    starts = np.searchsorted(owner[order], np.arange(n_places + 1))
    return Reach(
        areas=areas,
        centre_xy=xy,
        owner=owner,
        distance=distance,
        place_of=place_of,
        share=1.0 / multiplicity[place_of] if len(place_of) else np.empty(0),
        children=per_centre(areas.children[served]),
        population=per_centre(areas.population[served]),
        deprived=per_centre(deprived),
        area_count=per_centre(np.ones(len(served))),
        distance_sum=per_centre(distance[served]),
        distance_max=most[place_of] if len(place_of) else np.empty(0),
        _order=order,
        _starts=starts,
    )
