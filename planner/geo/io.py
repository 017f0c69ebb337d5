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
- Rows with blank coordinates are skipped with a warning naming them (a file that would lose
  more than a few is refused, see :mod:`planner.geo.locate`); coincident centres are allowed and
  counted in a warning. Coordinates must be plausible: in England unless the caller allows
  elsewhere, with swapped axes and wrong units named (:mod:`planner.geo.area`). Everything else
  that is wrong raises :class:`InputError` naming the file, the rows (``row N`` as a
  spreadsheet numbers them, header = row 1, or ``feature N``) and the column.
- Ids come from the id column, else the GeoJSON feature ids, else ``row-<N>`` / ``feature-<N>``
  (stable: the spreadsheet row or feature number). Every column not used for id, name,
  coordinates or federation is kept, unchanged, as an attribute.
- A ``federation`` column or property gives ``plan`` (federations named by its values); a saved
  plan's ``"planner"`` member restores keys, colours, locks, hubs, params and constraints; it is
  checked against the plan-file schema (:mod:`planner.domain.planschema`) first.

The file and the caller's objects are never modified.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from planner.domain import planschema
from planner.domain.centres import Centres
from planner.domain.constraints import Constraints
from planner.domain.plan import Plan
from planner.geo import planmeta
from planner.geo.columns import ColumnGuess, guess_columns, normalise
from planner.geo.errors import InputError, list_some
from planner.geo.locate import Located, locate
from planner.geo.projection import BNG, WGS84, lonlat_to_metric, transform
from planner.geo.tables import Table, read_table
from planner.geo.values import (
    MAX_WEIGHT,
    all_numeric,
    blank,
    decimal_commas_read,
    id_text,
    number,
)

__all__ = ["LoadResult", "InputError", "ColumnGuess", "read_centres", "detect_columns",
           "MAX_AT_ONE_LOCATION"]

#: Centres that may share one location (GIAS linked sites share a postcode: a handful at most).
MAX_AT_ONE_LOCATION = 50

COORDS = ("lonlat", "bng")


@dataclass
class LoadResult:
    """What a file held. Unpacks as ``centres, plan, warnings``; ``constraints`` comes from a
    saved plan file (else None)."""

    centres: Centres
    plan: Plan | None
    warnings: list[str] = field(default_factory=list)
    constraints: Constraints | None = None
    has_plan: bool = False  # set by planfile.load_plan: the file carried federations

    def __iter__(self):
        return iter((self.centres, self.plan, self.warnings))


def detect_columns(path: str | Path) -> ColumnGuess:
    """The columns :func:`read_centres` would use for ``path``, with candidates and a preview."""
    table = read_table(path)
    guess = guess_columns(table.columns, has_geometry=table.points is not None)
    guess.kind = table.kind
    guess.preview = [list(r) for r in table.rows[:10]]
    guess.numeric_columns = [c for c in table.columns if all_numeric(table.column(c))]
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
    allow_outside_england: bool = False,
) -> LoadResult:
    """Centres (and a plan, if the file has federations) from ``path``; see the module notes.

    ``x_column``/``y_column`` are longitude/latitude when ``coords="lonlat"`` and
    easting/northing when ``coords="bng"``; with ``coords=None`` the values decide.
    ``weight_column`` must then hold a number from 0 to ``MAX_WEIGHT`` in every located row
    (so must every column a saved plan balances). Centres must lie in England (with a margin)
    unless ``allow_outside_england``; see :mod:`planner.geo.area`.
    """
    if coords not in (None, *COORDS):
        raise ValueError(f"coords must be one of {COORDS} or None, not {coords!r}")
    table = read_table(path)
    return _Reader(table, id_column, name_column, x_column, y_column, coords, weight_column,
                   allow_outside_england).run()


class _Reader:
    """One read: resolves columns, validates rows, builds centres and plan."""

    def __init__(self, table: Table, id_column, name_column, x_column, y_column, coords, weight,
                 allow_outside: bool = False):
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
        self.allow_outside = allow_outside
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

    def _row_name(self, i: int) -> str:
        if self.id_col:
            value = self.t.rows[i][self.t.columns.index(self.id_col)]
            if not blank(value):
                return f"{self.t.labels[i]} (id {id_text(value)})"
        return self.t.labels[i]

    def _warn_unlocated(self, found: Located) -> None:
        if found.unlocated:
            named = [self._row_name(i) for i in found.unlocated]
            self.warnings.append(
                f"{self.path.name}: {len(named)} centre(s) without coordinates ({found.what}) "
                f"skipped: {list_some(named)}"
            )

    # -- ids, names, weights -----------------------------------------------------------------
    def _ids(self, keep: list[int]) -> list[str]:
        if self.id_col:
            values = self.t.column(self.id_col)
            blanks = [self.t.labels[i] for i in keep if blank(values[i])]
            if blanks:
                raise InputError(
                    f"{self.path}: id column {self.id_col!r} is blank in {list_some(blanks)}"
                )
            ids = [id_text(values[i]) for i in keep]
        elif self.t.feature_ids and all(not blank(self.t.feature_ids[i]) for i in keep) and len(
            {id_text(self.t.feature_ids[i]) for i in keep}
        ) == len(keep):
            ids = [id_text(self.t.feature_ids[i]) for i in keep]
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
            cid if blank(values[i]) else str(values[i]).strip()
            for i, cid in zip(keep, ids, strict=True)
        ]

    def _check_weights(self, keep: list[int], column: str | None, why: str = "") -> None:
        """Every located row of weight ``column`` holds a number from 0 to MAX_WEIGHT."""
        if not column:
            return
        if column not in self.t.columns:
            raise InputError(f"{self.path}: no weight column {column!r}{why}; the columns are: "
                             f"{list_some(self.t.columns)}")
        values = self.t.column(column)
        bad = []
        for i in keep:
            num = number(values[i], self.t.decimal_comma)
            if num is None or num < 0 or num > MAX_WEIGHT:
                shown = "blank" if blank(values[i]) else repr(str(values[i])[:30])
                bad.append(f"{self.t.labels[i]} ({shown})")
        if bad:
            raise InputError(
                f"{self.path}: weight column {column!r}{why} needs a number from 0 to "
                f"{MAX_WEIGHT:g} in every row; not in {list_some(bad, 5)}"
            )

    # -- assembly ----------------------------------------------------------------------------
    def run(self) -> LoadResult:
        use_geometry = self.t.points is not None and not (self.x_col or self.y_col)
        columns = None if use_geometry else self._coordinate_columns()
        found = locate(self.t, columns, self.allow_outside)
        self._warn_unlocated(found)
        keep, xy_in, kind, self.used_xy = found.keep, found.xy, found.kind, found.used
        ids = self._ids(keep)
        names = self._names(keep, ids)
        self._check_weights(keep, self.weight_col)
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
            attributes = {col: decimal_commas_read(v) for col, v in attributes.items()}
        centres = Centres(ids, names, xy, lonlat, crs, attributes, source=str(self.path))
        self._check_coincident(xy, ids, lonlat)
        plan, constraints = self._plan(centres, keep)
        return LoadResult(centres, plan, self.warnings, constraints)

    def _check_coincident(self, xy: np.ndarray, ids, lonlat: np.ndarray) -> None:
        """Centres at one location are kept (linked sites share a postcode), up to
        :data:`MAX_AT_ONE_LOCATION`: more is a placeholder or a failed geocode, and would make
        the neighbourhood graph grow with the square of that count."""
        _, inverse, counts = np.unique(
            np.round(xy, 3), axis=0, return_inverse=True, return_counts=True
        )
        inverse = inverse.reshape(-1)
        worst = int(np.argmax(counts)) if len(counts) else 0
        if len(counts) and counts[worst] > MAX_AT_ONE_LOCATION:
            rows = np.flatnonzero(inverse == worst)
            lon, lat = lonlat[rows[0]]
            named = list_some([ids[i] for i in rows], 5)
            raise InputError(
                f"{self.path}: {int(counts[worst])} centres share one location "
                f"(longitude {lon:.5f}, latitude {lat:.5f}; ids {named}); at most "
                f"{MAX_AT_ONE_LOCATION} may share a location: the coordinates look like a "
                "placeholder or a failed geocode")
        shared = counts[inverse] > 1
        if shared.any():
            self.warnings.append(
                f"{self.path.name}: {int(shared.sum())} centres share a location with another "
                f"centre ({int((counts > 1).sum())} shared locations); they are kept"
            )

    def _plan(self, centres: Centres, keep: list[int]) -> tuple[Plan | None, Constraints | None]:
        labels = None
        if self.fed_col:
            values = self.t.column(self.fed_col)
            labels = [None if blank(values[i]) else str(values[i]).strip() for i in keep]
        if "planner" in self.t.foreign:
            try:
                notes = planschema.check_member(self.t.foreign["planner"])
            except planschema.SchemaError as exc:
                raise InputError(f"{self.path}: the saved plan is damaged: {exc}") from None
            member = planschema.plan_member(self.t.foreign["planner"])
            plan, more = planmeta.decode_plan(centres, member, labels)
            constraints = planmeta.decode_constraints(member)
            for column in planmeta.weight_columns(constraints):
                self._check_weights(keep, column, " (the saved plan balances it)")
            self.warnings.extend(f"{self.path.name}: {n}" for n in notes + more)
            return plan, constraints
        if labels is not None:
            return Plan.from_labels(centres, labels), None
        return None, None
