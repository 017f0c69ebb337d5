"""Where each record of a :class:`~planner.geo.tables.Table` is: coordinates, checked once.

:func:`locate` returns the records that have a location, their coordinates (lon/lat or British
National Grid) and the kind. Every value is checked here, at the border:

- a coordinate that is not a finite number (text, NaN, inf, a lone blank of a pair) is refused
  naming the rows and the column;
- a record with no coordinate at all is skipped with a warning naming it, but a file that loses
  more than a few records that way (:func:`loss_allowed`) is refused, not half-loaded;
- the frame's range (-180..180 / -90..90, or Great Britain's grid) and then plausibility (England,
  with swapped axes and wrong units named, see :mod:`planner.geo.area`) are checked;
- a coordinate system pyproj does not know is refused.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from planner.geo.area import ALLOW_HINT, check_points
from planner.geo.errors import InputError, list_some
from planner.geo.projection import BNG, WGS84, transform
from planner.geo.values import blank, number

__all__ = ["Located", "locate", "loss_allowed"]

_BNG_RANGE = ((-1.0e5, 8.0e5), (-1.0e5, 1.35e6))  # easting, northing: GB with a margin
_LONLAT_RANGE = ((-180.0, 180.0), (-90.0, 90.0))


def loss_allowed(total: int) -> int:
    """How many unlocated records a file of ``total`` may lose with a warning: 5, or 1%."""
    return max(5, math.ceil(total * 0.01))


@dataclass
class Located:
    keep: list[int]
    xy: np.ndarray  # lon/lat or easting/northing, per ``kind``
    kind: str  # "lonlat" | "bng"
    used: tuple[str, ...] = ()  # the coordinate columns (not kept as attributes)
    unlocated: list[int] = field(default_factory=list)
    what: str = "geometry"


def locate(table, columns: tuple[str, str, str | None] | None, allow_outside: bool) -> Located:
    """The located records of ``table``: from ``columns`` (x, y, kind-or-None) or, when None,
    from the table's points."""
    if columns is None:
        found = _from_geometry(table)
        plain = ("longitude", "latitude") if found.kind == "lonlat" else ("easting", "northing")
        names = tuple(f"{n} of the geometry" for n in plain)
    else:
        found = _from_columns(table, *columns)
        names = tuple(f"column {c!r}" for c in columns[:2])
        plain = tuple(f"{c!r} column" for c in columns[:2])
    _check_loss(table, found)
    if not found.keep:
        raise InputError(f"{table.path}: no centre has coordinates")
    labels = [table.labels[i] for i in found.keep]
    why = check_points(found.xy, found.kind, labels, plain, allow_outside)
    explained = why is not None and ALLOW_HINT not in why  # swapped axes, wrong units
    if not explained:
        _check_range(table.path, labels, found.xy, found.kind, names)
    if why:
        raise InputError(f"{table.path}: {why}")
    return found


def _from_columns(table, x_col: str, y_col: str, kind: str | None) -> Located:
    xs, ys = table.column(x_col), table.column(y_col)
    comma = table.decimal_comma
    keep: list[int] = []
    values: list[tuple[float, float]] = []
    unlocated: list[int] = []
    bad: dict[str, list[str]] = defaultdict(list)
    for i, (xv, yv) in enumerate(zip(xs, ys, strict=True)):
        if blank(xv) and blank(yv):
            unlocated.append(i)
            continue
        x, y = number(xv, comma), number(yv, comma)
        for col, raw, num in ((x_col, xv, x), (y_col, yv, y)):
            if num is None:
                shown = "blank" if blank(raw) else repr(str(raw)[:30])
                bad[col].append(f"{table.labels[i]} ({shown})")
        if x is not None and y is not None:
            keep.append(i)
            values.append((x, y))
    if bad:
        parts = [f"column {col!r} is not a number in {list_some(rows, 5)}"
                 for col, rows in bad.items()]
        raise InputError(f"{table.path}: {'; '.join(parts)}")
    xy = np.array(values, dtype=float).reshape(-1, 2)
    if kind is None:
        inside = len(xy) and (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()
        kind = "lonlat" if inside else "bng"
    return Located(keep, xy, kind, (x_col, y_col), unlocated, f"{x_col}/{y_col}")


def _from_geometry(table) -> Located:
    from planner.geo.geojsontable import checked_crs

    keep = [i for i, p in enumerate(table.points) if p is not None]
    unlocated = [i for i, p in enumerate(table.points) if p is None]
    xy = np.array([table.points[i] for i in keep], dtype=float).reshape(-1, 2)
    crs = table.points_crs or WGS84
    if crs.upper() in ("EPSG:4326", "OGC:CRS84", WGS84):
        kind = "lonlat"
    elif crs.upper() == BNG:
        kind = "bng"
    else:
        checked_crs(table.path, crs)
        xy = transform(xy, crs, WGS84)
        bad = np.flatnonzero(~np.isfinite(xy).all(axis=1))
        if len(bad):
            rows = [table.labels[keep[j]] for j in bad]
            raise InputError(f"{table.path}: {list_some(rows, 5)} cannot be placed: their "
                             f"coordinates are outside the area of {crs}")
        kind = "lonlat"
    return Located(keep, xy, kind, (), unlocated, "geometry")


def _check_loss(table, found: Located) -> None:
    total = len(table.rows)
    lost = len(found.unlocated)
    if lost > loss_allowed(total):
        rows = list_some([table.labels[i] for i in found.unlocated], 5)
        raise InputError(
            f"{table.path}: {lost} of {total} records have no coordinates ({found.what}: "
            f"{rows}); the planner refuses a file that would lose more than "
            f"{loss_allowed(total)}: is the file damaged?"
        )


def _check_range(path, labels: list[str], xy: np.ndarray, kind: str, names) -> None:
    limits = _LONLAT_RANGE if kind == "lonlat" else _BNG_RANGE
    problems: list[str] = []
    for axis in (0, 1):
        lo, hi = limits[axis]
        out = np.flatnonzero((xy[:, axis] < lo) | (xy[:, axis] > hi))
        if len(out):
            rows = [f"{labels[j]} ({xy[j, axis]:g})" for j in out]
            problems.append(f"{names[axis]} is outside {lo:g} to {hi:g} in {list_some(rows, 5)}")
    if problems:
        frame = "longitude/latitude" if kind == "lonlat" else "British National Grid"
        raise InputError(f"{path}: coordinates out of range for {frame}: {'; '.join(problems)}")
