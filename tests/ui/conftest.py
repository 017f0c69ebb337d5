"""Shared UI fixtures: the Kent & Medway sample as an open :class:`Document` with five federations.

Kept small and generic: ``kent_centres`` (the centre table), ``kent_boundaries`` (the 13 districts
in EPSG:27700), ``kent_plan`` (five federations by seeded k-means) and ``document``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.domain.centres import Centres
from planner.domain.plan import Plan

KENT = "sample_kent_medway/kent_medway_childrens_centres_2026-08-21.csv"
KENT_LAD = "sample_kent_medway/kent_medway_lad_may2024_buc.geojson"
ATTRIBUTES = ("type_name", "town", "postcode", "lad_name", "dfe_la_name")


def centres_from_csv(path) -> Centres:
    """A centre table from a GIAS-style CSV (urn, name, easting, northing, lat, lon)."""
    df = pd.read_csv(path, dtype={"urn": str}).dropna(subset=["easting", "northing"])
    return Centres(
        ids=df["urn"].tolist(),
        names=df["name"].tolist(),
        xy=df[["easting", "northing"]].to_numpy(float),
        lonlat=df[["lon", "lat"]].to_numpy(float),
        crs="EPSG:27700",
        attributes={c: df[c].fillna("").astype(str).tolist() for c in ATTRIBUTES if c in df},
        source=str(path),
    )


def kmeans_labels(xy: np.ndarray, k: int, seed: int = 0, iterations: int = 30) -> np.ndarray:
    """Deterministic Lloyd's k-means (k-means++ start from ``seed``); one label per row."""
    rng = np.random.default_rng(seed)
    xy = np.asarray(xy, dtype=float)
    centres = [xy[rng.integers(len(xy))]]
    for _ in range(1, k):
        d2 = np.min([((xy - c) ** 2).sum(1) for c in centres], axis=0)
        centres.append(xy[rng.choice(len(xy), p=d2 / d2.sum())])
    c = np.array(centres)
    labels = np.zeros(len(xy), dtype=int)
    for _ in range(iterations):
        labels = np.argmin(((xy[:, None, :] - c[None, :, :]) ** 2).sum(-1), axis=1)
        for j in range(k):
            if np.any(labels == j):
                c[j] = xy[labels == j].mean(0)
    return labels


@pytest.fixture(scope="session")
def kent_centres(shared_data) -> Centres:
    return centres_from_csv(shared_data / KENT)


@pytest.fixture(scope="session")
def kent_boundaries(shared_data):
    import geopandas as gpd

    return gpd.read_file(shared_data / KENT_LAD).to_crs("EPSG:27700")


@pytest.fixture
def kent_plan(kent_centres) -> Plan:
    return Plan.from_labels(kent_centres, kmeans_labels(kent_centres.xy, 5, seed=0))


@pytest.fixture
def document(qapp, kent_plan, kent_boundaries):
    """An open document: the Kent & Medway plan of five federations, district boundaries set."""
    from planner.ui.document import Document

    doc = Document(kent_plan)
    doc.boundaries = kent_boundaries
    doc.boundary_field = "lad_name"
    return doc
