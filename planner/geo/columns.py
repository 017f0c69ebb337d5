"""Which columns hold the id, name, coordinates and federation: case-insensitive detection.

Names are compared after lower-casing and turning spaces, hyphens and dots into ``_``. The first
name in each list that the header has wins; the rest are reported as candidates so the import
dialog can offer them.

Coordinates: when a file has both ``lat``/``lon`` and British National Grid
``easting``/``northing`` (the DfE extract does), latitude/longitude are chosen, consistently: an
exported plan (whose ``latitude``/``longitude`` columns are authoritative) then re-imports with
exactly the attributes it was exported with. The difference is below 0.2 m at 6 decimals; pass
``coords="bng"`` to use easting/northing instead.

``coords`` is ``"bng"``, ``"lonlat"``, ``"geometry"`` (vector files) or None (nothing found).
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "ColumnGuess",
    "guess_columns",
    "normalise",
    "ID_NAMES",
    "NAME_NAMES",
    "LAT_NAMES",
    "LON_NAMES",
    "EASTING_NAMES",
    "NORTHING_NAMES",
    "FEDERATION_NAMES",
]

ID_NAMES = ("id", "urn", "centre_id", "center_id", "site_id", "code", "centre_code", "ref",
            "reference", "uid", "fid")
NAME_NAMES = ("name", "centre_name", "center_name", "establishment_name", "site_name",
              "centre", "title", "label")
LAT_NAMES = ("latitude", "lat", "y_lat", "wgs84_lat")
LON_NAMES = ("longitude", "lon", "lng", "long", "x_lon", "wgs84_lon", "wgs84_long")
EASTING_NAMES = ("easting", "eastings", "bng_easting", "os_easting", "x_bng")
NORTHING_NAMES = ("northing", "northings", "bng_northing", "os_northing", "y_bng")
FEDERATION_NAMES = ("federation", "federation_name")


def normalise(column: str) -> str:
    out = column.strip().lower()
    for ch in " -.":
        out = out.replace(ch, "_")
    return out


@dataclass
class ColumnGuess:
    """What :func:`planner.geo.io.detect_columns` found; the import dialog's starting point.

    ``coords``: ``"bng"`` (x/y are easting/northing), ``"lonlat"`` (x is longitude, y latitude),
    ``"geometry"`` (a vector file's points) or None (no coordinates found).
    ``ambiguous`` is True when the planner should confirm: several id or coordinate candidates
    of one kind, or no coordinates. Lon/lat beside easting/northing (the DfE extract) is not
    ambiguous: both place the same centres, and lon/lat is used. ``candidates`` maps a role
    (``id``, ``name``, ``lon``, ``lat``, ``easting``, ``northing``, ``federation``) to every
    matching column.
    """

    header: list[str]
    id_column: str | None = None
    name_column: str | None = None
    x_column: str | None = None
    y_column: str | None = None
    coords: str | None = None
    federation_column: str | None = None
    ambiguous: bool = False
    candidates: dict[str, list[str]] = field(default_factory=dict)
    numeric_columns: list[str] = field(default_factory=list)
    preview: list[list] = field(default_factory=list)
    kind: str = "csv"


def _matches(header: list[str], names: tuple[str, ...]) -> list[str]:
    by_norm: dict[str, str] = {}
    for col in header:
        by_norm.setdefault(normalise(col), col)
    return [by_norm[n] for n in names if n in by_norm]


def guess_columns(header: list[str], *, has_geometry: bool = False) -> ColumnGuess:
    """Pick id, name, coordinate and federation columns from a header."""
    cands = {
        "id": _matches(header, ID_NAMES),
        "name": _matches(header, NAME_NAMES),
        "lat": _matches(header, LAT_NAMES),
        "lon": _matches(header, LON_NAMES),
        "easting": _matches(header, EASTING_NAMES),
        "northing": _matches(header, NORTHING_NAMES),
        "federation": _matches(header, FEDERATION_NAMES),
    }
    guess = ColumnGuess(header=list(header), candidates=cands)
    guess.id_column = cands["id"][0] if cands["id"] else None
    guess.name_column = cands["name"][0] if cands["name"] else None
    guess.federation_column = cands["federation"][0] if cands["federation"] else None
    bng = bool(cands["easting"] and cands["northing"])
    lonlat = bool(cands["lat"] and cands["lon"])
    if has_geometry:
        guess.coords = "geometry"
    elif lonlat:
        guess.coords = "lonlat"
        guess.x_column, guess.y_column = cands["lon"][0], cands["lat"][0]
    elif bng:
        guess.coords = "bng"
        guess.x_column, guess.y_column = cands["easting"][0], cands["northing"][0]
    guess.ambiguous = (
        guess.coords is None
        or len(cands["id"]) > 1
        or len(cands["lat"]) > 1
        or len(cands["lon"]) > 1
    )
    return guess
