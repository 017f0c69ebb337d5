"""Coordinate handling: choose a metric CRS and convert between lon/lat, BNG and that CRS.

Inside Great Britain the metric frame is British National Grid (``EPSG:27700``); elsewhere it is
the UTM zone that pyproj estimates for the points' extent. Arrays in, new arrays out: inputs are
never modified.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from pyproj import CRS, Transformer
from pyproj.aoi import AreaOfInterest
from pyproj.database import query_utm_crs_info

__all__ = [
    "BNG",
    "WGS84",
    "GB_BOUNDS",
    "metric_crs_for",
    "transform",
    "lonlat_to_metric",
]

BNG = "EPSG:27700"
WGS84 = "EPSG:4326"
# lon_min, lat_min, lon_max, lat_max: Great Britain with its islands (Scilly to Shetland).
GB_BOUNDS = (-8.82, 49.75, 1.92, 60.92)


@lru_cache(maxsize=32)
def _transformer(src: str, dst: str) -> Transformer:
    return Transformer.from_crs(CRS.from_user_input(src), CRS.from_user_input(dst), always_xy=True)


def transform(xy: np.ndarray, src: str, dst: str) -> np.ndarray:
    """``(N, 2)`` coordinates from ``src`` to ``dst`` (x/lon first), as a new array."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if src == dst or len(xy) == 0:
        return xy.copy()
    x, y = _transformer(src, dst).transform(xy[:, 0], xy[:, 1])
    return np.column_stack([np.asarray(x, dtype=float), np.asarray(y, dtype=float)])


def metric_crs_for(lonlat: np.ndarray) -> str:
    """``"EPSG:27700"`` if every point lies in Great Britain, else the estimated UTM zone."""
    lonlat = np.asarray(lonlat, dtype=float).reshape(-1, 2)
    lon_min, lat_min, lon_max, lat_max = GB_BOUNDS
    lon, lat = lonlat[:, 0], lonlat[:, 1]
    if len(lonlat) and (
        (lon >= lon_min).all() and (lon <= lon_max).all()
        and (lat >= lat_min).all() and (lat <= lat_max).all()
    ):
        return BNG
    if not len(lonlat):
        return BNG
    aoi = AreaOfInterest(
        west_lon_degree=float(lon.min()),
        south_lat_degree=float(lat.min()),
        east_lon_degree=float(lon.max()),
        north_lat_degree=float(lat.max()),
    )
    infos = query_utm_crs_info(datum_name="WGS 84", area_of_interest=aoi)
    if not infos:  # pragma: no cover - pyproj always finds a zone for valid lon/lat
        return "EPSG:3857"
    centre_lon = float((lon.min() + lon.max()) / 2)
    zone = int((centre_lon + 180) // 6) + 1
    north = float(lat.mean()) >= 0
    wanted = f"{'326' if north else '327'}{zone:02d}"
    for info in infos:
        if info.code == wanted:
            return f"{info.auth_name}:{info.code}"
    return f"{infos[0].auth_name}:{infos[0].code}"


def lonlat_to_metric(lonlat: np.ndarray) -> tuple[np.ndarray, str]:
    """(metric xy, crs) for WGS84 lon/lat points."""
    crs = metric_crs_for(lonlat)
    return transform(lonlat, WGS84, crs), crs
