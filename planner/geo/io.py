"""Read centres from CSV, GeoJSON, GeoPackage or Shapefile into :class:`Centres` (and a plan).

``read_centres(path, ...)`` is the one entry point; ``detect_columns(path)`` tells the import
dialog what it would choose. Rules:

- Columns are found case-insensitively (see :mod:`planner.geo.columns`); arguments override.
  ``coords`` is ``"lonlat"`` (WGS84 longitude/latitude), ``"bng"`` (British National Grid
  easting/northing, EPSG:27700) or None (detect; a file with both uses lat/lon).
- Vector files (GeoJSON, GeoPackage, Shapefile) take coordinates from the Point geometry unless
  ``x_column``/``y_column`` are given. Non-point geometries are refused (see
  :mod:`planner.geo.tables`).
- Computation is in metres: EPSG:27700 when every centre lies in Great Britain, else the
  estimated UTM zone.
- Rows with blank coordinates are skipped with a warning naming them; coincident centres are
  allowed and counted in a warning. Everything else that is wrong raises :class:`InputError`
  naming the file, the rows (``row N`` as a spreadsheet numbers them, header = row 1, or
  ``feature N``) and the column.
- Ids come from the id column, else the GeoJSON feature ids, else ``row-<N>`` / ``feature-<N>``
  (stable: the spreadsheet row or feature number). Every column not used for id, name,
  coordinates or federation is kept, unchanged, as an attribute.
- A ``federation`` column or property gives ``plan`` (federations named by its values); a saved
  plan's ``"planner"`` member restores keys, colours, locks, hubs, params and constraints.

The file and the caller's objects are never modified.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from planner.domain.centres import Centres
from planner.domain.constraints import Constraints
from planner.domain.plan import Plan
from planner.geo import planmeta
from planner.geo.columns import ColumnGuess, guess_columns, normalise
from planner.geo.errors import InputError, list_some
from planner.geo.projection import BNG, WGS84, lonlat_to_metric, transform
from planner.geo.tables import Table, read_table

__all__ = ["LoadResult", "InputError", "ColumnGuess", "read_centres", "detect_columns"]

COORDS = ("lonlat", "bng")
_BNG_RANGE = ((-1.0e5, 8.0e5), (-1.0e5, 1.35e6))  # easting, northing: GB with a margin
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


@dataclass
class LoadResult:
    """What a file held. Unpacks as ``centres, plan, warnings``; ``constraints`` comes from a
    saved plan file (else None)."""

    centres: Centres
    plan: Plan | None
    warnings: list[str] = field(default_factory=list)
    constraints: Constraints | None = None

    def __iter__(self):
        return iter((self.centres, self.plan, self.warnings))


def detect_columns(path: str | Path) -> ColumnGuess:
    """The columns :func:`read_centres` would use for ``path``, with candidates and a preview."""
    table = read_table(path)
    guess = guess_columns(table.columns, has_geometry=table.points is not None)
    guess.kind = table.kind
    guess.preview = [list(r) for r in table.rows[:10]]
    guess.numeric_columns = [c for c in table.columns if _all_numeric(table.column(c))]
    return guess


def read_centres(
    path: str | Path,
    *,
    id_column: str | None = None,
    name_column: str | None = None,
    x_column: str | None = None,
    y_column: str | None = None,
    coords: str | None = None,
    weight_column: str | None = None,
) -> LoadResult:
    """Centres (and a plan, if the file has federations) from ``path``; see the module notes.

    ``x_column``/``y_column`` are longitude/latitude when ``coords="lonlat"`` and
    easting/northing when ``coords="bng"``; with ``coords=None`` the values decide.
    ``weight_column`` must then hold a non-negative number in every located row.
    """
    if coords not in (None, *COORDS):
        raise ValueError(f"coords must be one of {COORDS} or None, not {coords!r}")
    table = read_table(path)
    return _Reader(table, id_column, name_column, x_column, y_column, coords, weight_column).run()


def _all_numeric(values: list) -> bool:
    seen = False
    for v in values:
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if _number(v, decimal_comma=True) is None:
            return False
        seen = True
    return seen


def _decimal_commas_read(values: list) -> list:
    """A column written with decimal commas ("1,5") as numbers, so every later reader (weights,
    statistics, exports) sees 1.5; other columns, and blanks, stay as they are."""
    texts = [v for v in values if isinstance(v, str) and v.strip()]
    if not any(_DECIMAL_COMMA.match(t.strip()) and "," in t for t in texts):
        return values
    numbers = [None if _blank(v) else _number(v, decimal_comma=True) for v in values]
    if any(n is None and not _blank(v) for n, v in zip(numbers, values, strict=True)):
        return values
    return [v if n is None else n for n, v in zip(numbers, values, strict=True)]


def _number(value, decimal_comma: bool = False) -> float | None:
    """A finite float, or None if ``value`` is not a number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        out = float(value)
    else:
        text = str(value).strip()
        if decimal_comma and _DECIMAL_COMMA.match(text):
            text = text.replace(",", ".")
        try:
            out = float(text)
        except ValueError:
            return None
    return out if math.isfinite(out) else None


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip()
    )


def _id_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _Reader:
    """One read: resolves columns, validates rows, builds centres and plan."""

    def __init__(self, table: Table, id_column, name_column, x_column, y_column, coords, weight):
        self.t = table
        self.path = table.path
        self.guess = guess_columns(table.columns, has_geometry=table.points is not None)
        self.id_col = self._column(id_column, "id") if id_column else self.guess.id_column
        self.name_col = self._column(name_column, "name") if name_column else self.guess.name_column
        self.weight_col = self._column(weight, "weight") if weight else None
        self.fed_col = self.guess.federation_column
        self.x_col = self._column(x_column, "x") if x_column else None
        self.y_col = self._column(y_column, "y") if y_column else None
        self.coords = coords
        self.warnings = list(table.warnings)

    def _column(self, name: str, role: str) -> str:
        if name in self.t.columns:
            return name
        folded = {normalise(c): c for c in self.t.columns}
        if normalise(name) in folded:
            return folded[normalise(name)]
        raise InputError(
            f"{self.path}: no {role} column {name!r}; the columns are: "
            f"{', '.join(self.t.columns) or '(none)'}"
        )

    # -- coordinates -----------------------------------------------------------------------
    def _coordinate_columns(self) -> tuple[str, str, str | None]:
        g = self.guess
        if self.x_col or self.y_col:
            if not (self.x_col and self.y_col):
                raise InputError(f"{self.path}: give both the x and the y coordinate column")
            return self.x_col, self.y_col, self.coords
        if self.coords == "bng" and g.candidates["easting"] and g.candidates["northing"]:
            return g.candidates["easting"][0], g.candidates["northing"][0], "bng"
        if self.coords == "lonlat" and g.candidates["lon"] and g.candidates["lat"]:
            return g.candidates["lon"][0], g.candidates["lat"][0], "lonlat"
        if self.coords is None and g.x_column and g.y_column:
            return g.x_column, g.y_column, g.coords
        wanted = {
            "bng": "easting and northing",
            "lonlat": "latitude and longitude (lat/lon)",
            None: "latitude and longitude (lat/lon) or easting and northing",
        }[self.coords]
        raise InputError(
            f"{self.path}: no coordinate columns: expected {wanted}; the columns found are: "
            f"{', '.join(self.t.columns) or '(none)'}"
        )

    def _points_from_columns(self) -> tuple[list[int], np.ndarray, str]:
        x_col, y_col, kind = self._coordinate_columns()
        self.used_xy = (x_col, y_col)
        xs, ys = self.t.column(x_col), self.t.column(y_col)
        comma = self.t.decimal_comma
        keep: list[int] = []
        values: list[tuple[float, float]] = []
        blank: list[int] = []
        bad: dict[str, list[str]] = defaultdict(list)
        for i, (xv, yv) in enumerate(zip(xs, ys, strict=True)):
            if _blank(xv) and _blank(yv):
                blank.append(i)
                continue
            x, y = _number(xv, comma), _number(yv, comma)
            for col, raw, num in ((x_col, xv, x), (y_col, yv, y)):
                if num is None:
                    shown = "blank" if _blank(raw) else repr(str(raw))
                    bad[col].append(f"{self.t.labels[i]} ({shown})")
            if x is None or y is None:
                continue
            keep.append(i)
            values.append((x, y))
        if bad:
            parts = [f"column {col!r} is not a number in {list_some(rows)}"
                     for col, rows in bad.items()]
            raise InputError(f"{self.path}: {'; '.join(parts)}")
        self._warn_blank(blank, f"{x_col}/{y_col}")
        xy = np.array(values, dtype=float).reshape(-1, 2)
        if kind is None:
            inside = len(xy) and (np.abs(xy[:, 0]) <= 180).all() and (np.abs(xy[:, 1]) <= 90).all()
            kind = "lonlat" if inside else "bng"
        self._check_range(keep, xy, kind, (x_col, y_col))
        return keep, xy, kind

    def _points_from_geometry(self) -> tuple[list[int], np.ndarray, str]:
        self.used_xy = ()
        keep = [i for i, p in enumerate(self.t.points) if p is not None]
        self._warn_blank([i for i, p in enumerate(self.t.points) if p is None], "geometry")
        xy = np.array([self.t.points[i] for i in keep], dtype=float).reshape(-1, 2)
        crs = self.t.points_crs or WGS84
        if crs.upper() in ("EPSG:4326", "OGC:CRS84", WGS84):
            kind = "lonlat"
        elif crs.upper() == BNG:
            kind = "bng"
        else:
            xy = transform(xy, crs, WGS84)
            kind = "lonlat"
        self._check_range(keep, xy, kind, ("longitude", "latitude") if kind == "lonlat"
                          else ("easting", "northing"), geometry=True)
        return keep, xy, kind

    def _warn_blank(self, rows: list[int], what: str) -> None:
        if not rows:
            return
        named = [self._row_name(i) for i in rows]
        self.warnings.append(
            f"{self.path.name}: {len(rows)} centre(s) without coordinates ({what}) skipped: "
            f"{list_some(named)}"
        )

    def _row_name(self, i: int) -> str:
        if self.id_col:
            value = self.t.rows[i][self.t.columns.index(self.id_col)]
            if not _blank(value):
                return f"{self.t.labels[i]} (id {_id_text(value)})"
        return self.t.labels[i]

    def _check_range(self, keep, xy, kind, names, geometry=False) -> None:
        if kind == "lonlat":
            limits = ((-180.0, 180.0), (-90.0, 90.0))
        else:
            limits = _BNG_RANGE
        problems: list[str] = []
        for axis in (0, 1):
            lo, hi = limits[axis]
            out = np.flatnonzero((xy[:, axis] < lo) | (xy[:, axis] > hi))
            if len(out):
                rows = [f"{self.t.labels[keep[j]]} ({xy[j, axis]:g})" for j in out]
                where = f"{names[axis]} of the geometry" if geometry else f"column {names[axis]!r}"
                problems.append(
                    f"{where} is outside {lo:g} to {hi:g} in {list_some(rows)}"
                )
        if problems:
            frame = "longitude/latitude" if kind == "lonlat" else "British National Grid"
            raise InputError(
                f"{self.path}: coordinates out of range for {frame}: {'; '.join(problems)}"
            )

    # -- ids, names, weights -----------------------------------------------------------------
    def _ids(self, keep: list[int]) -> list[str]:
        if self.id_col:
            values = self.t.column(self.id_col)
            blank = [self.t.labels[i] for i in keep if _blank(values[i])]
            if blank:
                raise InputError(
                    f"{self.path}: id column {self.id_col!r} is blank in {list_some(blank)}"
                )
            ids = [_id_text(values[i]) for i in keep]
        elif self.t.feature_ids and all(not _blank(self.t.feature_ids[i]) for i in keep) and len(
            {_id_text(self.t.feature_ids[i]) for i in keep}
        ) == len(keep):
            ids = [_id_text(self.t.feature_ids[i]) for i in keep]
        else:
            ids = [self.t.labels[i].replace(" ", "-") for i in keep]
        rows_of: dict[str, list[str]] = defaultdict(list)
        for i, cid in zip(keep, ids, strict=True):
            rows_of[cid].append(self.t.labels[i])
        dups = [f"{cid!r} ({', '.join(rows)})" for cid, rows in rows_of.items() if len(rows) > 1]
        if dups:
            raise InputError(
                f"{self.path}: duplicate ids in column {self.id_col!r}: {list_some(dups)}"
            )
        return ids

    def _names(self, keep: list[int], ids: list[str]) -> list[str]:
        if not self.name_col:
            return list(ids)
        values = self.t.column(self.name_col)
        return [
            cid if _blank(values[i]) else str(values[i]).strip()
            for i, cid in zip(keep, ids, strict=True)
        ]

    def _check_weights(self, keep: list[int]) -> None:
        if not self.weight_col:
            return
        values = self.t.column(self.weight_col)
        bad = []
        for i in keep:
            num = _number(values[i], self.t.decimal_comma)
            if num is None or num < 0:
                shown = "blank" if _blank(values[i]) else repr(str(values[i]))
                bad.append(f"{self.t.labels[i]} ({shown})")
        if bad:
            raise InputError(
                f"{self.path}: weight column {self.weight_col!r} needs a number of 0 or more; "
                f"not in {list_some(bad)}"
            )

    # -- assembly ----------------------------------------------------------------------------
    def run(self) -> LoadResult:
        use_geometry = self.t.points is not None and not (self.x_col or self.y_col)
        if use_geometry:
            keep, xy_in, kind = self._points_from_geometry()
        else:
            keep, xy_in, kind = self._points_from_columns()
        if not keep:
            raise InputError(f"{self.path}: no centre has coordinates")
        ids = self._ids(keep)
        names = self._names(keep, ids)
        self._check_weights(keep)
        if kind == "bng":
            xy, crs = xy_in, BNG
            lonlat = transform(xy_in, BNG, WGS84)
        else:
            lonlat = xy_in
            xy, crs = lonlat_to_metric(lonlat)
        skip = {self.id_col, self.name_col, self.fed_col, *self.used_xy} - {None}
        attributes = {
            col: [self.t.rows[i][j] for i in keep]
            for j, col in enumerate(self.t.columns)
            if col not in skip
        }
        if self.t.decimal_comma:
            attributes = {col: _decimal_commas_read(v) for col, v in attributes.items()}
        centres = Centres(ids, names, xy, lonlat, crs, attributes, source=str(self.path))
        self._warn_coincident(xy)
        plan, constraints = self._plan(centres, keep)
        return LoadResult(centres, plan, self.warnings, constraints)

    def _warn_coincident(self, xy: np.ndarray) -> None:
        _, inverse, counts = np.unique(
            np.round(xy, 3), axis=0, return_inverse=True, return_counts=True
        )
        shared = counts[inverse.reshape(-1)] > 1
        if shared.any():
            self.warnings.append(
                f"{self.path.name}: {int(shared.sum())} centres share a location with another "
                f"centre ({int((counts > 1).sum())} shared locations); they are kept"
            )

    def _plan(self, centres: Centres, keep: list[int]) -> tuple[Plan | None, Constraints | None]:
        labels = None
        if self.fed_col:
            values = self.t.column(self.fed_col)
            labels = [None if _blank(values[i]) else str(values[i]).strip() for i in keep]
        member = self.t.foreign.get("planner")
        if isinstance(member, dict):
            try:
                member = planmeta.plan_member(member)  # a book of options: the current one
                plan, notes = planmeta.decode_plan(centres, member, labels)
                constraints = planmeta.decode_constraints(member)
            except (KeyError, TypeError, ValueError, IndexError) as exc:
                raise InputError(f"{self.path}: the saved plan is damaged ({exc})") from None
            self.warnings.extend(f"{self.path.name}: {n}" for n in notes)
            return plan, constraints
        if labels is not None:
            return Plan.from_labels(centres, labels), None
        return None, None
