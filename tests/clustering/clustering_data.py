"""Test data for the engine: real centres read with pandas (the shipped sample, the cuts in
``tests/data``), and random ones."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planner.domain.centres import Centres
from planner.resources import SAMPLE_CENTRES, SAMPLE_DISTRICTS, where

DATA = Path(__file__).resolve().parents[1] / "data"
KENT = where(SAMPLE_CENTRES)  # the 103 Kent and Medway centres (GIAS 2026) + children_0_15
KENT_DISTRICTS = where(SAMPLE_DISTRICTS)  # their 13 districts (ONS LAD May 2024), WGS84
# 227 centres (223 located) in eight authorities spread over England, GIAS 2016 (tests/data)
ENGLAND_2016 = DATA / "childrens_centres_england_2016-08-04_cut.csv"


def centres_from_csv(path: Path, query: str | None = None) -> Centres:
    """Centres from a GIAS-style CSV (easting/northing as xy); rows without coordinates dropped."""
    df = pd.read_csv(path, dtype={"urn": str})
    df = df.dropna(subset=["easting", "northing", "lat", "lon"])
    if query:
        df = df.query(query)
    df = df.reset_index(drop=True)
    attrs = {c: df[c].tolist() for c in ("lad_name", "utla_name", "type_code") if c in df}
    return Centres(
        ids=df["urn"].tolist(),
        names=df["name"].tolist(),
        xy=df[["easting", "northing"]].to_numpy(float),
        lonlat=df[["lon", "lat"]].to_numpy(float),
        crs="EPSG:27700",
        attributes=attrs,
        source=str(path),
    )


def random_centres(rng: np.random.Generator, n: int, *, duplicates: int = 0) -> Centres:
    xy = rng.uniform(0, 50_000, size=(n, 2)).round()
    for i in range(min(duplicates, n - 1)):
        xy[n - 1 - i] = xy[i]
    lonlat = np.column_stack([xy[:, 0] / 1e5, 51 + xy[:, 1] / 1e5])
    return Centres(
        ids=[f"c{i}" for i in range(n)],
        names=[f"Centre {i}" for i in range(n)],
        xy=xy,
        lonlat=lonlat,
        attributes={"children": rng.integers(50, 500, size=n).tolist()},
    )
