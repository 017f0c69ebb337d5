"""Benchmark areas: real groups of children's centres, cut from the shared GIAS extracts.

Each area is a real, contiguous grouping of upper-tier authorities (``utla_name``), chosen to
hold about 100 centres, plus the Kent + Medway sample and all of England (2016 extract, the
scaling case). Every located row is kept (main centres and linked sites alike); rows without
coordinates are dropped. ``xy`` is the file's easting/northing (EPSG:27700, metres).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from planner.domain.centres import Centres

__all__ = ["AREAS", "Area", "data_root", "load_area"]


def data_root() -> Path:
    """The shared data folder: ``$PLANNER_DATA`` or ``../shared/data`` beside the checkout."""
    env = os.environ.get("PLANNER_DATA")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "shared" / "data", Path("/work/shared/data")):
        if candidate.is_dir():
            return candidate
    return here.parent / "shared" / "data"


NATIONAL_2026 = "childrens_centres/childrens_centres_england_2026-08-21.csv"
NATIONAL_2016 = "childrens_centres/childrens_centres_england_2016-08-04.csv"
KENT_SAMPLE = "sample_kent_medway/kent_medway_childrens_centres_2026-08-21.csv"


@dataclass(frozen=True)
class Area:
    key: str
    title: str
    path: str  # relative to data_root()
    k: int
    utlas: tuple[str, ...] = ()  # empty: every row of the file
    note: str = ""


AREAS: dict[str, Area] = {
    a.key: a
    for a in (
        Area(
            "kent",
            "Kent + Medway (sample)",
            KENT_SAMPLE,
            5,
            note="the shared 103-centre sample (Kent 84, Medway 19)",
        ),
        Area(
            "lancashire",
            "Lancashire + Blackpool + Blackburn with Darwen",
            NATIONAL_2026,
            5,
            ("Lancashire", "Blackpool", "Blackburn with Darwen"),
            "the ceremonial county of Lancashire: the county and its two unitaries (79+13+13)",
        ),
        Area(
            "hertfordshire",
            "Hertfordshire + Luton",
            NATIONAL_2026,
            5,
            ("Hertfordshire", "Luton"),
            "Hertfordshire and the adjoining unitary of Luton (81+22)",
        ),
        Area(
            "hampshire",
            "Hampshire + Portsmouth + Southampton",
            NATIONAL_2026,
            5,
            ("Hampshire", "Portsmouth", "Southampton"),
            "the ceremonial county of Hampshire without the Isle of Wight (77+16+14)",
        ),
        Area(
            "leeds_bradford",
            "Leeds + Bradford",
            NATIONAL_2026,
            5,
            ("Leeds", "Bradford"),
            "two adjoining West Yorkshire metropolitan boroughs: a dense urban case (58+41)",
        ),
        Area(
            "england",
            "All England (2016)",
            NATIONAL_2016,
            160,
            note="every located centre in the 2016 extract (the scaling case)",
        ),
    )
}

SMALL_AREAS = ("kent", "lancashire", "hertfordshire", "hampshire", "leeds_bradford")


def _float(value: str) -> float | None:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if np.isfinite(out) else None


def load_area(key: str) -> tuple[Centres, Area]:
    """The centres of area ``key`` (rows in file order) and its description."""
    area = AREAS[key]
    path = data_root() / area.path
    wanted = set(area.utlas)
    ids, names, xy, lonlat = [], [], [], []
    with open(path, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if wanted and row["utla_name"] not in wanted:
                continue
            e, n = _float(row["easting"]), _float(row["northing"])
            lon, lat = _float(row["lon"]), _float(row["lat"])
            if e is None or n is None or lon is None or lat is None:
                continue
            ids.append(row["urn"])
            names.append(row["name"])
            xy.append((e, n))
            lonlat.append((lon, lat))
    if not ids:
        raise ValueError(f"area {key!r}: no located centres in {path}")
    centres = Centres(
        ids=ids,
        names=names,
        xy=np.array(xy, dtype=float),
        lonlat=np.array(lonlat, dtype=float),
        crs="EPSG:27700",
        attributes={},
        source=str(path),
    )
    return centres, area
