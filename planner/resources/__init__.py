"""Files shipped inside the package, found with :mod:`importlib.resources`.

The one locator for every resource (icons, England's districts, the sample, small-area data): it
works the same from a clone, an editable install and an installed wheel, and never reads a path
outside the package. The top-level ``sample_data/`` and ``resources/`` folders of the repository
hold the scripts that build these files.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = [
    "where",
    "ENGLAND_DISTRICTS",
    "ICON",
    "SAMPLE_CENTRES",
    "SAMPLE_DISTRICTS",
    "SAMPLE_PLAN",
]

ENGLAND_DISTRICTS = "boundaries/england_lad_may2024_buc.geojson"
ICON = "icon.svg"
SAMPLE_CENTRES = "sample/kent_medway_centres.csv"
SAMPLE_DISTRICTS = "sample/kent_medway_districts.geojson"
SAMPLE_PLAN = "sample/sample_plan.json"


def where(name: str = "") -> Path:
    """The path of the shipped resource ``name`` (``"icons/lock.svg"``), or of the folder itself.

    Wheels install as plain files, so the resource is a real path that GDAL and Qt can open.
    """
    root = files(__name__)
    return Path(str(root.joinpath(*name.split("/")) if name else root))
