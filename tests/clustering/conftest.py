"""Fixtures for the engine tests."""

from __future__ import annotations

import pytest
from clustering_data import KENT, centres_from_csv

from planner.domain.centres import Centres


@pytest.fixture(scope="session")
def kent() -> Centres:
    return centres_from_csv(KENT)
