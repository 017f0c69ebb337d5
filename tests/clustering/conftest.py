"""Fixtures for the engine tests."""

from __future__ import annotations

import pytest
from clustering_data import KENT, centres_from_csv

from planner.domain.centres import Centres


@pytest.fixture(scope="session")
def kent() -> Centres:
    if not KENT.exists():
        pytest.skip(f"shared data not found at {KENT}")
    return centres_from_csv(KENT)
