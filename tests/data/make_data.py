"""Regenerate the small cuts in this folder from the shared national data (not run by the tests).

    python tests/data/make_data.py SHARED_DATA_DIR

The cuts keep the source files' lines byte for byte (header + the chosen rows), so a test reads
exactly what a planner's download holds. The authorities are one per corner of England plus the
ones with centres that have no coordinates, so the cut spans every district of England:

- ``childrens_centres_england_{2026-08-21,2016-08-04}_cut.csv``: the centres of the DfE local
  authorities in ``AUTHORITIES`` and of the Dover and Thanet districts (Kent's far east corner).
- ``childrens_centre_links_2026-08-21_cut.csv``: the link rows whose ``urn`` is in the 2026 cut
  or in the Kent and Medway sample.
- ``kent_medway_childrens_centres_2026-08-21.geojson``: the Kent and Medway centres as GeoJSON,
  copied whole.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
AUTHORITIES = {
    "Cambridgeshire", "Warrington", "Bracknell Forest", "Isles Of Scilly", "Cornwall",
    "Northumberland", "Norfolk", "East Sussex",
}
DISTRICTS = {"Dover", "Thanet"}
CENTRES = ("childrens_centres_england_2026-08-21", "childrens_centres_england_2016-08-04")
LINKS = "childrens_centre_links_2026-08-21"
KENT_GEOJSON = "sample_kent_medway/kent_medway_childrens_centres_2026-08-21.geojson"
KENT_CSV = "sample_kent_medway/kent_medway_childrens_centres_2026-08-21.csv"


def cut(source: Path, target: Path, keep) -> set[str]:
    """Copy the header and the lines whose row satisfies ``keep``; return the kept urns."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    kept, urns = [lines[0]], set()
    for line in lines[1:]:
        row = dict(zip(header, next(csv.reader([line])), strict=True))
        if keep(row):
            kept.append(line)
            urns.add(row["urn"])
    target.write_text("".join(kept), encoding="utf-8", newline="")
    return urns


def main(shared: Path) -> None:
    folder = shared / "childrens_centres"
    urns: set[str] = set()
    for stem in CENTRES:
        kept = cut(folder / f"{stem}.csv", HERE / f"{stem}_cut.csv",
                   lambda r: r["dfe_la_name"] in AUTHORITIES or r["lad_name"] in DISTRICTS)
        urns |= kept if "2026" in stem else set()
    with (shared / KENT_CSV).open(encoding="utf-8", newline="") as stream:
        urns |= {row["urn"] for row in csv.DictReader(stream)}
    cut(folder / f"{LINKS}.csv", HERE / f"{LINKS}_cut.csv", lambda r: r["urn"] in urns)
    shutil.copyfile(shared / KENT_GEOJSON, HERE / Path(KENT_GEOJSON).name)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
