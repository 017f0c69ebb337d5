"""Plausibility of coordinates: the planner serves England, and says so when values look wrong.

Syntax checks cannot see a file whose latitude and longitude columns are swapped (Kent lands in
the Indian Ocean), nor longitude/latitude numbers in easting/northing columns (every centre within
a metre of the others). So located centres are checked against England with a margin
(:data:`ENGLAND_LONLAT`, :data:`ENGLAND_BNG`), and a value outside it is explained:

- lon/lat that fit England once swapped: "are latitude and longitude swapped?";
- easting/northing (or a layer said to be EPSG:27700) holding degrees: "these look like
  longitude/latitude, not British National Grid metres";
- metres in lon/lat columns: "these look like British National Grid easting/northing";
- anything else: outside England, refused unless the caller allows it
  (``allow_outside_england=True``; ``--allow-outside-england`` on the command line), in which
  case only the frame's own range applies (-180..180, -90..90; Great Britain for the grid).

Pure numpy; :func:`check_points` returns the sentence or None.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from planner.geo.errors import list_some

__all__ = ["ENGLAND_LONLAT", "ENGLAND_BNG", "check_points", "ALLOW_HINT"]

# lon_min, lat_min, lon_max, lat_max: England (Scilly to Berwick, Land's End to Lowestoft) with
# about 30 km to spare.
ENGLAND_LONLAT = (-6.9, 49.6, 2.3, 56.1)
# easting/northing bounds of the same box in British National Grid metres (with 30 km to spare).
ENGLAND_BNG = (40_000.0, -25_000.0, 690_000.0, 690_000.0)
ALLOW_HINT = ("the planner serves England; to plan elsewhere say so "
              "(--allow-outside-england, or allow_outside_england=True)")


def _inside(xy: np.ndarray, box: tuple[float, float, float, float]) -> np.ndarray:
    x0, y0, x1, y1 = box
    return (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)


@lru_cache(maxsize=1)
def _england_bng():
    """England's districts (shipped) as one polygon in British National Grid, 5 km wider."""
    import json

    import shapely
    from shapely.geometry import shape

    from planner import resources
    from planner.geo.projection import BNG, WGS84, transform

    doc = json.loads(resources.where("boundaries/england_lad_may2024_buc.geojson").read_text())
    union = shapely.union_all([shape(f["geometry"]) for f in doc["features"]])
    wider = shapely.transform(union, lambda xy: transform(xy, WGS84, BNG)).buffer(5000.0)
    shapely.prepare(wider)
    return wider


def _share_in_england(xy: np.ndarray) -> float:
    import shapely

    return float(shapely.contains_xy(_england_bng(), xy[:, 0], xy[:, 1]).mean())


def _grid_swapped(xy: np.ndarray) -> bool:
    """Easting and northing swapped although both fit the box: most points off England's land,
    and nearly all on it once swapped."""
    return _share_in_england(xy) < 0.5 and _share_in_england(xy[:, ::-1]) >= 0.9


def _like(values: np.ndarray) -> str:
    return f"{float(values[0]):g}"


def check_points(
    xy: np.ndarray,
    kind: str,
    labels: list[str],
    names: tuple[str, str],
    allow_outside: bool = False,
) -> str | None:
    """Why ``xy`` (``kind`` ``"lonlat"``: x=longitude, y=latitude; ``"bng"``: easting,
    northing) is not where centres can be, or None. ``labels`` name the rows, ``names`` the
    x and y values (``("'lon' column", "'lat' column")``, ``("longitude", "latitude")``)."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    box = ENGLAND_LONLAT if kind == "lonlat" else ENGLAND_BNG
    out = np.flatnonzero(~_inside(xy, box))
    if not len(out):
        if kind == "bng" and len(xy) and _grid_swapped(xy):
            xname, yname = names
            return (f"the {yname} holds values like {_like(xy[:, 1])} and the {xname} values "
                    f"like {_like(xy[:, 0])}, which put the centres off England's land: are "
                    "easting and northing swapped?")
        return None
    bad = xy[out]
    rows = list_some([labels[i] for i in out], 5)
    xname, yname = names
    if _inside(bad[:, ::-1], box).all():
        what = "latitude and longitude" if kind == "lonlat" else "easting and northing"
        return (f"{len(out)} centre(s) look swapped ({rows}): the {yname} holds values "
                f"like {_like(bad[:, 1])} and the {xname} values like "
                f"{_like(bad[:, 0])}: are {what} swapped?")
    if kind == "bng" and (np.abs(bad[:, 0]) <= 180).all() and (np.abs(bad[:, 1]) <= 90).all():
        return (f"the {xname} and {yname} hold values like {_like(bad[:, 0])}, "
                f"{_like(bad[:, 1])} ({rows}): these look like longitude/latitude in degrees, "
                "not British National Grid metres")
    if kind == "lonlat" and _inside(bad, ENGLAND_BNG).all():
        return (f"the {xname} and {yname} hold values like {_like(bad[:, 0])}, "
                f"{_like(bad[:, 1])} ({rows}): these look like British National Grid "
                "easting/northing in metres, not longitude/latitude")
    if allow_outside:
        return None
    return (f"{len(out)} centre(s) lie outside England ({rows}; {xname} {_like(bad[:, 0])}, "
            f"{yname} {_like(bad[:, 1])}): {ALLOW_HINT}")
