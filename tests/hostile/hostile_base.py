"""The pieces every hostile-input family uses: the sample, writers, the case record."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

SAMPLE_ROWS = 103
PROBE_ID = "20070"  # All Saints, Chatham
PROBE_LONLAT = (0.534029, 51.374928)
BIG_ROWS = 200_000


@dataclass
class Case:
    name: str
    path: Path
    expect: str  # "refuse" | "load"
    count: int | None = None
    coords: tuple | None = None  # (id, lon, lat)
    words: tuple[str, ...] = ()
    kind: str = "centres"
    slow: bool = False
    options: tuple[str, ...] = ()  # extra CLI options (e.g. --allow-outside-england)
    notes: list[str] = field(default_factory=list)


def _sample(sample_dir: Path) -> tuple[list[str], list[list[str]]]:
    with open(sample_dir / "kent_medway_centres.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _csv(path: Path, header, rows, sep=",", encoding="utf-8", newline="\n", bom=False) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    data = buf.getvalue().encode(encoding)
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)
    return path


def _features(header, rows, lon_first=True):
    li, ti = header.index("lon"), header.index("lat")
    feats = []
    for r in rows:
        props = {h: v for h, v in zip(header, r, strict=True) if h not in ("lat", "lon")}
        props["children_0_15"] = int(props["children_0_15"])
        x, y = float(r[li]), float(r[ti])
        feats.append({"type": "Feature", "properties": props,
                      "geometry": {"type": "Point",
                                   "coordinates": [x, y] if lon_first else [y, x]}})
    return feats


def _json(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


class _Maker:
    def __init__(self, sample_dir: Path, out: Path) -> None:
        self.sample_dir = sample_dir
        self.out = out
        self.header, self.rows = _sample(sample_dir)
        self.cases: list[Case] = []

    def add(self, name, path, expect, **kw) -> None:
        self.cases.append(Case(name, Path(path), expect, **kw))

    def ok(self, name, path, count=SAMPLE_ROWS, probe=True, coords=None, **kw) -> None:
        coords = coords or ((PROBE_ID, *PROBE_LONLAT) if probe else None)
        self.add(name, path, "load", count=count, coords=coords, **kw)

    def bad(self, name, path, *words, **kw) -> None:
        self.add(name, path, "refuse", words=words, **kw)

    def p(self, name: str) -> Path:
        return self.out / name

    def col(self, name):
        return self.header.index(name)

    def with_cell(self, row: int, column: str, value: str) -> list[list[str]]:
        rows = [list(r) for r in self.rows]
        rows[row][self.col(column)] = value
        return rows

    def plan_doc(self) -> dict:
        """A saved plan file of the sample (five federations), built from the shipped proposal."""
        member = json.loads((self.sample_dir / "sample_plan.json").read_text())["planner"]
        feats = _features(self.header, self.rows)
        for f in feats:
            f["id"] = f["properties"]["urn"]
        return {"type": "FeatureCollection", "features": feats, "planner": member}
