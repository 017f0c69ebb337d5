"""Seeded random plans with awkward text survive CSV and GeoJSON export and re-import."""

from __future__ import annotations

import random

import numpy as np
import pytest

from planner.domain.centres import Centres
from planner.domain.plan import UNASSIGNED, Plan
from planner.geo.export import write_csv, write_geojson
from planner.geo.io import read_centres

AWKWARD = ["Café", "O'Neill, Smith & Co", 'The "Hub"', "Ty Gwyn; Ysgol", "école", "  x", "Ænon",
           "line\nbreak", "tab\there", "£5 centre"]


def _random_plan(seed: int) -> Plan:
    rng = random.Random(seed)
    n = rng.randint(1, 40)
    ids = [f"{rng.choice(['C', 'urn-', ''])}{i}{rng.choice(['', 'a', '/7'])}" for i in range(n)]
    names = [rng.choice(AWKWARD).strip() + f" {i}" for i in range(n)]
    lonlat = np.column_stack([np.round([rng.uniform(-5.5, 1.7) for _ in range(n)], 6),
                              np.round([rng.uniform(50.1, 55.5) for _ in range(n)], 6)])
    centres = Centres(ids, names, lonlat * 1000, lonlat,
                      attributes={"note": [rng.choice(AWKWARD) for _ in range(n)]})
    feds = [rng.choice(["North", "South", "Fédération 3", None]) for _ in range(n)]
    return Plan.from_labels(centres, feds)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("writer, suffix", [(write_csv, ".csv"), (write_geojson, ".geojson")])
def test_random_plan_round_trip(seed, writer, suffix, tmp_path):
    plan = _random_plan(seed)
    path = tmp_path / f"plan{suffix}"
    writer(plan, path)
    back = read_centres(path)
    assert back.centres.ids == plan.centres.ids
    assert back.centres.names == plan.centres.names
    assert back.centres.attributes["note"] == plan.centres.attributes["note"]
    assert np.allclose(back.centres.lonlat, plan.centres.lonlat, atol=1e-6)
    for cid in plan.centres.ids:
        key = plan.federation_of(cid)
        name = None if key == UNASSIGNED else plan.federations[key].name
        got = back.plan.federation_of(cid) if back.plan else UNASSIGNED
        assert (None if got == UNASSIGNED else back.plan.federations[got].name) == name
