"""``planner plan --per-authority``: one plan file, the summary printed and written beside it."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
import shapely.affinity

from planner.cli import main


@pytest.fixture
def cut_csv(sample_dir, tmp_path) -> Path:
    """The sample with Sevenoaks' 5 centres relabelled as the authority "Tiny" (dfe_la_name)."""
    with open(sample_dir / "kent_medway_centres.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["lad_name"] == "Sevenoaks":
            row["dfe_la_name"] = "Tiny"
    path = tmp_path / "cut.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_per_authority_writes_one_plan_and_the_summary_beside_it(cut_csv, tmp_path, capsys):
    out = tmp_path / "national.geojson"
    code = main(["plan", str(cut_csv), "--per-authority", "dfe_la_name", "--target-size", "20",
                 "--jobs", "1", "-q", "--out", str(out)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    summary = read_rows(tmp_path / "national_authorities.csv")
    # Hand-checked: Kent 79 -> 4 federations of 17-22; Medway 19 -> 1 of 17-21 (19 +- 2);
    # Tiny 5 -> one federation, listed.
    assert [(r["authority"], r["centres"], r["federations"], r["min_size"], r["max_size"],
             r["status"]) for r in summary] == [
        ("Kent", "79", "4", "17", "22", "planned"),
        ("Medway", "19", "1", "17", "21", "planned"),
        ("Tiny", "5", "1", "5", "5", "one federation"),
    ]
    assert summary[1]["sizes"] == "19" and summary[2]["sizes"] == "5"
    kent_sizes = [int(s) for s in summary[0]["sizes"].split()]
    assert sum(kent_sizes) == 79 and all(17 <= s <= 22 for s in kent_sizes)
    assert summary[2]["note"] == "5 centres, fewer than the minimum 18: one federation"
    assert all(float(r["cost_km"]) > 0 for r in summary)
    # The summary is printed too, one line per authority after the header.
    lines = captured.out.splitlines()
    assert lines[0].split()[:3] == ["authority", "centres", "federations"]
    assert [ln.split()[0] for ln in lines[1:]] == ["Kent", "Medway", "Tiny"]
    doc = json.loads(out.read_text(encoding="utf-8"))
    names = {f["name"] for f in doc["planner"]["federations"]}
    assert len(names) == 6
    assert sum(n.startswith("Kent: ") for n in names) == 4
    assert sum(n.startswith("Medway: ") for n in names) == 1
    assert sum(n.startswith("Tiny: ") for n in names) == 1
    by_fed: dict[str, set[str]] = {}
    for feature in doc["features"]:
        props = feature["properties"]
        by_fed.setdefault(props["federation"], set()).add(props["dfe_la_name"])
    assert all(len(v) == 1 and name.startswith(next(iter(v)) + ": ")
               for name, v in by_fed.items())


def test_a_refused_authority_is_listed_and_the_rest_written(cut_csv, tmp_path, capsys):
    out = tmp_path / "plan.csv"
    code = main(["plan", str(cut_csv), "--per-authority", "dfe_la_name", "--target-size", "25",
                 "--min-size", "25", "--max-size", "26", "-q", "--jobs", "1",
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "refused: Kent: 79 centres cannot be split into federations of 25-26" in err
    rows = read_rows(out)
    kent = [r for r in rows if r["dfe_la_name"] == "Kent"]
    assert len(kent) == 79 and all(r["federation"] == "" for r in kent)
    assert len({r["federation"] for r in rows if r["dfe_la_name"] != "Kent"}) == 2
    summary = {r["authority"]: r for r in read_rows(tmp_path / "plan_authorities.csv")}
    assert summary["Kent"]["status"] == "refused" and summary["Kent"]["federations"] == "0"


def test_nothing_planned_exits_1_and_writes_nothing(cut_csv, tmp_path, capsys):
    out = tmp_path / "plan.geojson"
    # Every centre is in the South East: 103 centres cannot make federations of 30-31.
    code = main(["plan", str(cut_csv), "--per-authority", "gor_name", "--target-size", "30",
                 "--min-size", "30", "--max-size", "31", "-q", "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 1
    assert "refused: South East: 103 centres cannot be split" in err
    assert not out.exists() and not (tmp_path / "plan_authorities.csv").exists()


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--per-authority", "nosuch"], "no column 'nosuch' to plan by"),
        (["--per-authority", "dfe_la_name", "--federations", "5"], "--federations does not go"),
        (["--per-authority", "dfe_la_name", "--jobs", "0"], "--jobs must be at least 1"),
        (["--per-authority", "dfe_la_name", "--min-size", "20", "--max-size", "10"],
         "--min-size (20) is larger than --max-size (10)"),
        (["--per-authority", "dfe_la_name", "--target-size", "30", "--max-size", "25"],
         "--target-size 30 is outside the sizes -25"),
    ],
)
def test_bad_per_authority_options_exit_2(cut_csv, tmp_path, capsys, extra, message):
    code = main(["plan", str(cut_csv), *extra, "-q", "--out", str(tmp_path / "p.csv")])
    assert code == 2
    assert message in capsys.readouterr().err


def test_one_plan_names_federations_as_the_window_does(sample_dir, tmp_path, capsys):
    out = tmp_path / "plan.geojson"
    code = main(["plan", str(sample_dir / "kent_medway_centres.csv"), "--federations", "5",
                 "-q", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    doc = json.loads(out.read_text(encoding="utf-8"))
    props = {f["properties"]["id"]: f["properties"] for f in doc["features"]}
    feds = doc["planner"]["federations"]
    names = [f["name"] for f in feds]
    assert len(set(names)) == 5
    for fed in feds:
        hub = props[fed["hub"]]
        members = [p for p in props.values() if p["federation"] == fed["name"]]
        authorities = {p["dfe_la_name"] for p in members}
        town = hub["town"].title()
        expected = f"{hub['dfe_la_name']}: {town}" if len(authorities) == 1 else town
        assert fed["name"] in (expected, *(f"{expected} {i}" for i in range(2, 6)))


# -- each authority on its own land -----------------------------------------------------------
def outline_pieces(export: Path, boundaries: Path) -> dict[str, list[int]]:
    """Federation -> polygons (over 100 m²) of its exported outline on each land part it
    touches; the land is the union of the boundary polygons, its parts the land parts. Read with
    geopandas and shapely from the two files only."""
    frame = gpd.read_file(export).to_crs("EPSG:27700")
    layer = gpd.read_file(boundaries).to_crs("EPSG:27700")
    parts = shapely.get_parts(shapely.union_all(shapely.make_valid(layer.geometry.to_numpy())))
    outlines = frame[frame["kind"] == "outline"]
    pieces = {}
    for name, geom in zip(outlines["federation"], outlines.geometry, strict=True):
        counts = []
        for part in parts:
            on_part = [p for p in shapely.get_parts(shapely.intersection(geom, part))
                       if p.geom_type == "Polygon" and p.area > 100.0]
            if on_part:
                counts.append(len(on_part))
        pieces[name] = counts
    return pieces


def plan_and_export(centres: Path, boundaries: Path, tmp_path: Path, *extra: str) -> Path:
    plan, export = tmp_path / "plan.geojson", tmp_path / "export.geojson"
    code = main(["plan", str(centres), "--per-authority", "dfe_la_name", "--boundaries",
                 str(boundaries), "-q", "--out", str(plan), *extra])
    assert code == 0
    code = main(["export", str(plan), "--out", str(export), "--outlines", "--boundaries",
                 str(boundaries)])
    assert code == 0
    return export


def test_each_authority_is_drawn_in_one_piece_per_land_part(sample_dir, tmp_path):
    """Kent and Medway by the sample's authority column, about 10 centres per federation, on the
    sample's districts: every exported outline is one polygon on each land part it touches
    (with the Delaunay graph one Kent federation had a second piece)."""
    boundaries = sample_dir / "kent_medway_districts.geojson"
    export = plan_and_export(sample_dir / "kent_medway_centres.csv", boundaries, tmp_path,
                             "--target-size", "10", "--jobs", "2")
    pieces = outline_pieces(export, boundaries)
    assert len(pieces) == 10  # Kent 84 -> 8, Medway 19 -> 2
    assert all(counts and max(counts) == 1 for counts in pieces.values()), pieces


def test_the_land_of_boundaries_keeps_federations_off_the_water(tmp_path):
    """A U-shaped coast round a 4 km bay (authority Bay, 9 centres 6 km apart across the water)
    and a separate square (Other, 3 centres): with sizes of exactly 3 the only federations on the
    land are three runs of the chain round the bay (worked out by hand)."""
    km, x0, y0 = 1000.0, 400_000.0, 300_000.0
    bay = shapely.difference(shapely.box(0, 0, 40 * km, 40 * km),
                             shapely.box(18 * km, 6 * km, 22 * km, 40 * km))
    other = shapely.box(50 * km, 0, 60 * km, 10 * km)
    boundaries = tmp_path / "coast.gpkg"
    gpd.GeoDataFrame({"name": ["Bay", "Other"]},
                     geometry=[shapely.affinity.translate(g, x0, y0) for g in (bay, other)],
                     crs="EPSG:27700").to_file(boundaries, driver="GPKG")
    pts = [(17, 38), (17, 30), (17, 22), (17, 14), (20, 3), (23, 14), (23, 22), (23, 30),
           (23, 38), (52, 2), (55, 5), (58, 8)]
    centres = tmp_path / "coast.csv"
    with open(centres, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["urn", "name", "easting", "northing", "dfe_la_name"])
        for i, (x, y) in enumerate(pts):
            writer.writerow([f"{100 + i}", f"Centre {i}", x0 + x * km, y0 + y * km,
                             "Bay" if i < 9 else "Other"])
    export = plan_and_export(centres, boundaries, tmp_path, "--target-size", "3",
                             "--min-size", "3", "--max-size", "3", "--jobs", "1")
    doc = json.loads(export.read_text(encoding="utf-8"))
    groups: dict[str, set[int]] = {}
    for f in doc["features"]:
        if f["properties"].get("kind") != "outline":
            groups.setdefault(f["properties"]["federation"], set()).add(
                int(f["properties"]["id"]) - 100)
    assert sorted(sorted(g) for g in groups.values()) == [
        [0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]
    assert all(counts == [1] for counts in outline_pieces(export, boundaries).values())
