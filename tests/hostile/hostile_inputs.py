"""Build malformed, hostile and awkward-but-valid inputs from the shipped sample, each with what
the planner must do with it.

``generate(sample_dir, out_dir) -> list[Case]``. A :class:`Case` is refused (exit 2, a message of
at most three lines naming the file and, where there is one, the place: ``words``) or loaded
(``count`` centres; ``coords`` = one centre's id and its lon/lat, to 1e-4 degrees, checked against
the sample). ``kind`` says which commands take it: ``centres`` (stats, validate, export, plan),
``boundaries`` (``--boundaries`` of validate and export), ``links`` (``plan --links``).

Expectations come from how the files were made (the sample's 103 centres, its known coordinates),
never from the planner's own reader.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
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


# -- delimited text ----------------------------------------------------------------------------
def _text_cases(m: _Maker) -> None:
    h, rows = m.header, m.rows
    m.ok("sample.csv", _csv(m.p("sample.csv"), h, rows))
    m.ok("bom.csv", _csv(m.p("bom.csv"), h, rows, bom=True))
    m.ok("crlf.csv", _csv(m.p("crlf.csv"), h, rows, newline="\r\n"))
    m.ok("tabs.tsv", _csv(m.p("tabs.tsv"), h, rows, sep="\t"))
    m.ok("tabs.txt", _csv(m.p("tabs.txt"), h, rows, sep="\t"))
    comma = [[c.replace(".", ",") if j in (m.col("lat"), m.col("lon")) else c
              for j, c in enumerate(r)] for r in rows]
    m.ok("semicolon_decimal_comma.csv", _csv(m.p("semicolon_decimal_comma.csv"), h, comma,
                                             sep=";"))
    named = m.with_cell(0, "name", "Caf\u00e9 B\u00e9b\u00e9 \u2013 Chatham")
    m.ok("cp1252.csv", _csv(m.p("cp1252.csv"), h, named, encoding="cp1252"))
    m.ok("unicode_names.csv", _csv(m.p("unicode_names.csv"), h,
                                   m.with_cell(3, "name", "\u0645\u0631\u0643\u0632 \U0001F600")))
    m.bad("utf16.csv", _csv(m.p("utf16.csv"), h, rows, encoding="utf-16"), "NUL")
    data = _csv(m.p("nul.csv"), h, rows).read_bytes().replace(b"Chatham", b"Chat\x00ham", 1)
    m.p("nul.csv").write_bytes(data)
    m.bad("nul.csv", m.p("nul.csv"), "NUL")
    m.ok("quoted_newline.csv", _csv(m.p("quoted_newline.csv"), h,
                                    m.with_cell(2, "street", "Unit 4\nThe Parade")))
    lines = _csv(m.p("x.csv"), h, rows).read_text().splitlines()
    lines[16] = lines[16].replace(",", ',"', 1)  # row 17 opens a quote that never closes
    m.p("unclosed_quote_eof.csv").write_text("\n".join(lines) + "\n")
    m.bad("unclosed_quote_eof.csv", m.p("unclosed_quote_eof.csv"), "row 17", "quote")
    lines = _csv(m.p("x.csv"), h, rows).read_text().splitlines()
    lines[9] = lines[9].replace(",", ',"', 1)
    lines[13] = lines[13] + '"'
    m.p("quote_swallows_rows.csv").write_text("\n".join(lines) + "\n")
    m.bad("quote_swallows_rows.csv", m.p("quote_swallows_rows.csv"), "row 10", "quote")
    m.p("commas_only.csv").write_text(",,,,\n,,,,\n,,,,\n")
    m.bad("commas_only.csv", m.p("commas_only.csv"), "header")
    m.p("empty.csv").write_bytes(b"")
    m.bad("empty.csv", m.p("empty.csv"), "empty")
    m.p("blank_lines.csv").write_text("\n \n\t\n")
    m.bad("blank_lines.csv", m.p("blank_lines.csv"), "empty")
    m.bad("header_only.csv", _csv(m.p("header_only.csv"), h, []), "no data rows")
    m.bad("duplicate_columns.csv", _csv(m.p("duplicate_columns.csv"),
                                        h[:-1] + ["lat"], rows), "duplicate column")
    long_rows = [list(r) for r in rows]
    long_rows[3] = long_rows[3] + ["extra"]
    m.bad("long_row.csv", _csv(m.p("long_row.csv"), h, long_rows), "row 5")
    short = [r[:-1] for r in rows]
    m.ok("short_rows.csv", _csv(m.p("short_rows.csv"), h, short))
    m.bad("one_blank_lat.csv", _csv(m.p("one_blank_lat.csv"), h, m.with_cell(4, "lat", "")),
          "row 6", "lat")
    both = m.with_cell(4, "lat", "")
    both[4][m.col("lon")] = ""
    m.ok("one_unlocated.csv", _csv(m.p("one_unlocated.csv"), h, both), count=102)
    three = [list(r) for r in rows]
    for i in (5, 6, 7):
        three[i][m.col("lat")] = three[i][m.col("lon")] = ""
    m.ok("three_unlocated.csv", _csv(m.p("three_unlocated.csv"), h, three), count=100)
    ten = [list(r) for r in rows]
    for i in range(10, 20):
        ten[i][m.col("lat")] = ten[i][m.col("lon")] = ""
    m.bad("ten_unlocated.csv", _csv(m.p("ten_unlocated.csv"), h, ten), "10 of 103")
    for name, value in (("text", "51,3x"), ("nan", "NaN"), ("inf", "inf"), ("minus_inf", "-inf"),
                        ("hex", "0x33"), ("words", "fifty-one")):
        m.bad(f"lat_{name}.csv", _csv(m.p(f"lat_{name}.csv"), h,
                                      m.with_cell(16, "lat", value)), "row 18", "lat")
    m.bad("lat_1e308.csv", _csv(m.p("lat_1e308.csv"), h, m.with_cell(16, "lat", "1e308")),
          "row 18")
    m.bad("lon_200.csv", _csv(m.p("lon_200.csv"), h, m.with_cell(2, "lon", "200")), "row 4")
    swapped_h = [{"lat": "lon", "lon": "lat"}.get(c, c) for c in h]
    m.bad("swapped_header.csv", _csv(m.p("swapped_header.csv"), swapped_h, rows), "swapped")
    one = m.with_cell(4, "lat", rows[4][m.col("lon")])
    one[4][m.col("lon")] = rows[4][m.col("lat")]
    m.bad("one_row_swapped.csv", _csv(m.p("one_row_swapped.csv"), h, one), "swapped", "row 6")
    scot = m.with_cell(7, "lat", "57.48")
    scot[7][m.col("lon")] = "-4.22"
    m.bad("one_in_scotland.csv", _csv(m.p("one_in_scotland.csv"), h, scot), "outside England")
    m.ok("one_in_scotland_allowed.csv", _csv(m.p("one_in_scotland_allowed.csv"), h, scot),
         options=("--allow-outside-england",))
    paris = [list(r) for r in rows[:30]]
    for n, r in enumerate(paris):
        r[m.col("lat")], r[m.col("lon")] = f"{48.80 + n * 0.003:.4f}", f"{2.30 + n * 0.002:.4f}"
    m.bad("paris.csv", _csv(m.p("paris.csv"), h, paris), "outside England")
    m.ok("paris_allowed.csv", _csv(m.p("paris_allowed.csv"), h, paris), count=30, probe=False,
         options=("--allow-outside-england",))
    metres = [list(r) for r in rows]
    for r in metres:
        r[m.col("lat")], r[m.col("lon")] = r[m.col("northing")], r[m.col("easting")]
    m.bad("bng_in_latlon.csv", _csv(m.p("bng_in_latlon.csv"), h, metres),
          "British National Grid")
    keep = [j for j, c in enumerate(h) if c not in ("lat", "lon")]
    bng_h = [h[j] for j in keep]
    bng_rows = [[r[j] for j in keep] for r in rows]
    m.ok("bng_only.csv", _csv(m.p("bng_only.csv"), bng_h, bng_rows))
    deg = [list(r) for r in rows]
    for r in deg:
        r[m.col("easting")], r[m.col("northing")] = r[m.col("lon")], r[m.col("lat")]
    m.bad("latlon_in_bng.csv", _csv(m.p("latlon_in_bng.csv"), bng_h,
                                    [[r[j] for j in keep] for r in deg]), "longitude/latitude")
    en_h = [{"easting": "northing", "northing": "easting"}.get(c, c) for c in bng_h]
    m.bad("bng_swapped.csv", _csv(m.p("bng_swapped.csv"), en_h, bng_rows), "swapped")
    far = m.with_cell(3, "easting", "-5000000")
    m.bad("bng_far.csv", _csv(m.p("bng_far.csv"), bng_h, [[r[j] for j in keep] for r in far]),
          "row 5")
    dup = m.with_cell(5, "urn", rows[2][0])
    m.bad("duplicate_ids.csv", _csv(m.p("duplicate_ids.csv"), h, dup), "duplicate ids")
    m.bad("blank_id.csv", _csv(m.p("blank_id.csv"), h, m.with_cell(8, "urn", "")), "row 10")
    m.ok("float_ids.csv", _csv(m.p("float_ids.csv"), h, [[f"{r[0]}.0"] + r[1:] for r in rows]),
         probe=False, coords=(f"{PROBE_ID}.0", *PROBE_LONLAT))
    m.ok("huge_field.csv", _csv(m.p("huge_field.csv"), h, m.with_cell(9, "name", "x" * 1_000_000)))
    fed_h = h + ["federation"]
    m.ok("federation_column.csv", _csv(m.p("federation_column.csv"), fed_h,
                                       [r + [f"F{i % 4}"] for i, r in enumerate(rows)]))
    m.ok("federation_blank.csv", _csv(m.p("federation_blank.csv"), fed_h, [r + [""] for r in rows]))
    m.ok("padded_header.csv", _csv(m.p("padded_header.csv"), [f"  {c} " for c in h], rows))
    m.ok("upper_header.csv", _csv(m.p("upper_header.csv"), [c.upper() for c in h], rows))
    m.ok("one_row.csv", _csv(m.p("one_row.csv"), h, rows[:1]), count=1)
    twin = [list(r) for r in rows[:40]] + [[rows[0][0] + "b"] + rows[0][1:]]
    m.ok("coincident_pair.csv", _csv(m.p("coincident_pair.csv"), h, twin), count=41)
    m.p("excel.csv").write_bytes(b"PK\x03\x04" + os.urandom(200))
    m.bad("excel.csv", m.p("excel.csv"), "zip")
    m.p("sheet.xlsx").write_bytes(b"PK\x03\x04")
    m.bad("sheet.xlsx", m.p("sheet.xlsx"), "spreadsheet")
    shutil.copy(m.p("sample.csv"), m.p("centres.dat"))
    m.bad("centres.dat", m.p("centres.dat"), "unknown file type")
    shutil.copy(m.p("sample.csv"), m.p("centres"))
    m.bad("no_extension", m.p("centres"), "unknown file type")
    m.p("folder.csv").mkdir()
    m.bad("folder.csv", m.p("folder.csv"), "folder")
    os.mkfifo(m.p("fifo.csv"))
    m.bad("fifo.csv", m.p("fifo.csv"), "pipe")
    os.symlink("/dev/zero", m.p("zero.csv"))
    m.bad("dev_zero.csv", m.p("zero.csv"), "device")
    os.symlink("/dev/null", m.p("null.geojson"))
    m.bad("dev_null.geojson", m.p("null.geojson"), "device")
    os.symlink(m.p("sample.csv"), m.p("link.csv"))
    m.ok("symlink.csv", m.p("link.csv"))
    os.symlink(m.p("gone.csv"), m.p("dangling.csv"))
    m.bad("dangling_symlink.csv", m.p("dangling.csv"), "not found")
    m.bad("missing.csv", m.p("missing.csv"), "not found")
    with open(m.p("huge.csv"), "wb") as handle:  # sparse: takes no disk
        handle.write(",".join(h).encode() + b"\n")
        handle.truncate(600 * 1024 * 1024)
    m.bad("over_size_limit.csv", m.p("huge.csv"), "MB")


# -- GeoJSON -----------------------------------------------------------------------------------
def _fc(features, **extra) -> dict:
    return {"type": "FeatureCollection", "features": features, **extra}


def _geojson_cases(m: _Maker) -> None:
    feats = _features(m.header, m.rows)

    def doc(name, features=None, **extra):
        return _json(m.p(name), _fc(feats if features is None else features, **extra))

    def edited(n, geometry):
        out = json.loads(json.dumps(feats))
        out[n]["geometry"] = geometry
        return out

    m.ok("sample.geojson", doc("sample.geojson"))
    m.ok("sample.json", doc("sample.json"))
    m.ok("bbox.geojson", doc("bbox.geojson", bbox=[0, 50, 2, 52]))
    m.ok("single_feature.geojson", _json(m.p("single_feature.geojson"), feats[0]), count=1)
    m.bad("latlon_order.geojson", _json(m.p("latlon_order.geojson"),
                                        _fc(_features(m.header, m.rows, lon_first=False))),
          "swapped")
    bng_crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}}
    m.bad("crs27700_holding_lonlat.geojson", doc("crs27700_holding_lonlat.geojson",
                                                 crs=bng_crs), "longitude/latitude")
    bng = json.loads(json.dumps(feats))
    for f, r in zip(bng, m.rows, strict=True):
        f["geometry"]["coordinates"] = [float(r[m.col("easting")]), float(r[m.col("northing")])]
    m.ok("crs27700.geojson", doc("crs27700.geojson", bng, crs=bng_crs))
    m.bad("crs999999.geojson", doc("crs999999.geojson", bng, crs={
        "type": "name", "properties": {"name": "EPSG:999999"}}), "999999")
    m.bad("crs_text.geojson", doc("crs_text.geojson", crs="EPSG:4326"), "crs")
    m.bad("crs_unknown_name.geojson", doc("crs_unknown_name.geojson", crs={
        "type": "name", "properties": {"name": "my own grid"}}), "crs")
    m.ok("crs84.geojson", doc("crs84.geojson", crs={
        "type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}))
    for name, geometry, word in (
        ("coords_object", {"type": "Point", "coordinates": {"x": 0.5, "y": 51.3}}, "feature 3"),
        ("coords_text", {"type": "Point", "coordinates": ["0.5", "51.3"]}, "feature 3"),
        ("coords_one", {"type": "Point", "coordinates": [0.5]}, "feature 3"),
        ("coords_bool", {"type": "Point", "coordinates": [True, False]}, "feature 3"),
        ("linestring", {"type": "LineString", "coordinates": [[0.5, 51.3], [0.6, 51.4]]},
         "LineString"),
        ("polygon", {"type": "Polygon", "coordinates": [[[0.5, 51.3], [0.6, 51.4],
                                                         [0.6, 51.3], [0.5, 51.3]]]},
         "Polygon"),
        ("multipoint_two", {"type": "MultiPoint", "coordinates": [[0.5, 51.3], [0.6, 51.4]]},
         "feature 3"),
        ("collection", {"type": "GeometryCollection", "geometries": []}, "feature 3"),
        ("geometry_text", "POINT (0.5 51.3)", "feature 3"),
        ("no_type", {"coordinates": [0.5, 51.3]}, "feature 3"),
    ):
        m.bad(f"{name}.geojson", doc(f"{name}.geojson", edited(2, geometry)), word)
    nan = doc("nan.geojson").read_text().replace("[0.534029, 51.374928]", "[NaN, 51.374928]")
    m.p("nan.geojson").write_text(nan)
    m.bad("bare_nan.geojson", m.p("nan.geojson"), "feature 1")
    inf = nan.replace("NaN", "Infinity")
    m.p("inf.geojson").write_text(inf)
    m.bad("bare_infinity.geojson", m.p("inf.geojson"), "feature 1")
    m.bad("coords_1e308.geojson", doc("coords_1e308.geojson",
                                      edited(0, {"type": "Point", "coordinates": [1e308, 51.3]})),
          "feature 1")
    m.ok("xyz.geojson", doc("xyz.geojson", edited(0, {"type": "Point",
                                                      "coordinates": [*PROBE_LONLAT, 12.0]})))
    m.ok("null_geometry.geojson", doc("null_geometry.geojson", edited(5, None)), count=102)
    m.ok("empty_point.geojson", doc("empty_point.geojson",
                                    edited(5, {"type": "Point", "coordinates": []})), count=102)
    m.ok("multipoint_one.geojson", doc("multipoint_one.geojson", edited(
        0, {"type": "MultiPoint", "coordinates": [list(PROBE_LONLAT)]})))
    nulls = json.loads(json.dumps(feats))
    for f in nulls:
        f["geometry"] = None
    m.bad("all_null_geometry.geojson", doc("all_null_geometry.geojson", nulls), "103 of 103")
    m.p("deep.geojson").write_text("[" * 200_000 + "]" * 200_000)
    m.bad("nested_200000.geojson", m.p("deep.geojson"), "nested")
    m.p("deep_object.geojson").write_text('{"type": "FeatureCollection", "features": '
                                          + "[" * 100_000 + "]" * 100_000 + "}")
    m.bad("nested_features.geojson", m.p("deep_object.geojson"), "nested")
    m.bad("array.geojson", _json(m.p("array.geojson"), [1, 2, 3]), "not GeoJSON")
    m.bad("string.geojson", _json(m.p("string.geojson"), "hello"), "not GeoJSON")
    m.bad("number.json", _json(m.p("number.json"), 42), "not GeoJSON")
    text = doc("t.geojson").read_text()
    m.p("truncated.geojson").write_text(text[: len(text) // 2])
    m.bad("truncated.geojson", m.p("truncated.geojson"), "line 1")
    m.bad("features_object.geojson", _json(m.p("features_object.geojson"),
                                           {"type": "FeatureCollection", "features": {}}),
          "features")
    broken = json.loads(json.dumps(feats))
    broken[2] = "feature"
    m.bad("feature_text.geojson", doc("feature_text.geojson", broken), "feature 3")
    props = json.loads(json.dumps(feats))
    props[2]["properties"] = [1, 2]
    m.bad("properties_list.geojson", doc("properties_list.geojson", props), "feature 3")
    m.bad("no_features.geojson", doc("no_features.geojson", []), "no features")
    m.p("garbage.geojson").write_bytes(os.urandom(4096).replace(b"\x00", b"\x01"))
    m.bad("garbage.geojson", m.p("garbage.geojson"), "garbage.geojson")
    m.p("latin1.geojson").write_bytes(doc("l.geojson", edited(0, feats[0]["geometry"]))
                                      .read_text().replace("All Saints", "Caf\u00e9")
                                      .encode("latin-1"))
    m.bad("latin1.geojson", m.p("latin1.geojson"), "UTF-8")
    outlines = feats + [{"type": "Feature", "properties": {"federation": "A", "kind": "outline"},
                         "geometry": {"type": "Polygon", "coordinates": [
                             [[0.5, 51.3], [0.6, 51.3], [0.6, 51.4], [0.5, 51.3]]]}}]
    m.ok("with_outlines.geojson", doc("with_outlines.geojson", outlines))
    only = [f for f in outlines if f["properties"].get("kind") == "outline"]
    m.bad("only_outlines.geojson", doc("only_outlines.geojson", only), "no features")
    fid = json.loads(json.dumps(feats))
    for f in fid:
        f["id"] = 1
    m.ok("duplicate_feature_ids.geojson", doc("duplicate_feature_ids.geojson", fid))
    big = json.loads(json.dumps(feats))
    big[4]["properties"]["notes"] = "y" * 500_000
    m.ok("huge_property.geojson", doc("huge_property.geojson", big))


# -- plan files --------------------------------------------------------------------------------
def _plan_cases(m: _Maker) -> None:
    def plan(name, change=None, expect="load", words=(), count=SAMPLE_ROWS):
        d = m.plan_doc()
        if change is not None:
            change(d)
        path = _json(m.p(name), d)
        if expect == "load":
            m.ok(name, path, count=count)
        else:
            m.bad(name, path, *words)

    def member(key, value):
        return lambda d: d["planner"].__setitem__(key, value)

    def fed(n, key, value):
        return lambda d: d["planner"]["federations"][n].__setitem__(key, value)

    def rule(key, value):
        return lambda d: d["planner"]["constraints"].__setitem__(key, value)

    def weight(n, value):
        return lambda d: d["features"][n]["properties"].__setitem__("children_0_15", value)

    plan("plan.geojson")
    plan("plan_v99.geojson", member("version", 99), "refuse", ("versions 1 and 2",))
    plan("plan_v0.geojson", member("version", 0), "refuse", ("versions 1 and 2",))
    plan("plan_version_text.geojson", member("version", "1"), "refuse", ("version",))

    def v2(d, current=0, options=None):
        one = dict(d["planner"], name="Option A", log=[])
        d["planner"] = {"version": 2, "options": options if options is not None else [one],
                        "current": current}

    plan("plan_v2.geojson", v2)
    plan("plan_v2_current_out_of_range.geojson", lambda d: v2(d, current=3), "refuse",
         ("current",))
    plan("plan_v2_options_object.geojson", lambda d: v2(d, options={}), "refuse", ("options",))
    plan("plan_v2_no_options.geojson", lambda d: v2(d, options=[]), "refuse", ("options",))
    plan("plan_member_list.geojson", lambda d: d.__setitem__("planner", []), "refuse",
         ("planner",))
    plan("plan_member_null.geojson", lambda d: d.__setitem__("planner", None), "refuse",
         ("planner",))
    plan("plan_federations_object.geojson", member("federations", {}), "refuse", ("federations",))
    for name, value in (("minus_one", -1), ("huge", 10**30), ("text", "0"), ("float", 1.5),
                        ("bool", True), ("null", None)):
        plan(f"plan_key_{name}.geojson", fed(0, "key", value), "refuse", ("key",))
    plan("plan_duplicate_keys.geojson", fed(1, "key", 0), "refuse", ("key",))
    plan("plan_key_missing.geojson", lambda d: d["planner"]["federations"][0].pop("key"),
         "refuse", ("key",))
    plan("plan_colour_word.geojson", fed(0, "colour", "red"), "refuse", ("colour",))
    plan("plan_colour_number.geojson", fed(0, "colour", 5), "refuse", ("colour",))
    plan("plan_name_number.geojson", fed(0, "name", 5), "refuse", ("name",))
    plan("plan_locked_text.geojson", fed(0, "locked", "yes"), "refuse", ("locked",))
    plan("plan_hub_list.geojson", fed(0, "hub", ["20070"]), "refuse", ("hub",))
    plan("plan_hub_not_member.geojson", fed(0, "hub", "20070"))
    plan("plan_assignment_list.geojson", member("assignment", [1, 2, 3]), "refuse",
         ("assignment",))
    plan("plan_assignment_unknown_key.geojson",
         lambda d: d["planner"]["assignment"].__setitem__("20070", 99), "refuse", ("20070",))
    plan("plan_assignment_text_key.geojson",
         lambda d: d["planner"]["assignment"].__setitem__("20070", "1"), "refuse", ("20070",))
    plan("plan_assignment_null.geojson",
         lambda d: d["planner"]["assignment"].__setitem__("20070", None), "refuse", ("20070",))
    plan("plan_assignment_stray_centre.geojson",
         lambda d: d["planner"]["assignment"].__setitem__("99999999", 1))
    plan("plan_locked_centres_text.geojson", member("locked_centres", "20070"), "refuse",
         ("locked_centres",))
    plan("plan_locked_centres_unknown.geojson", member("locked_centres", ["nope", "20070"]))
    plan("plan_params_list.geojson", member("params", [1]), "refuse", ("params",))
    plan("plan_constraints_list.geojson", member("constraints", [1]), "refuse",
         ("constraints",))
    for name, key, value in (
        ("federations_text", "federations", "5"), ("federations_zero", "federations", 0),
        ("min_negative", "min_size", -1), ("tolerance_text", "weight_tolerance", "10%"),
        ("tolerance_negative", "weight_tolerance", -0.1), ("max_link_negative", "max_link_m", -5),
        ("max_radius_zero", "max_radius_m", 0), ("contiguous_text", "contiguous", "true"),
        ("must_link_object", "must_link", {"a": 1}), ("cannot_link_triple", "cannot_link",
                                                      [["20070", "20155", "20222"]]),
        ("weight_column_number", "weight_column", 7), ("boundary_of_numbers", "boundary_of",
                                                       {"20070": 5}),
        ("fixed_hubs_text", "fixed_hubs", "20070"), ("balance_object", "balance", {"a": 1}),
        ("balance_tolerance_text", "balance", [{"column": "children_0_15",
                                                "tolerance": "ten"}]),
    ):
        plan(f"plan_rule_{name}.geojson", rule(key, value), "refuse", (key,))
    plan("plan_min_over_max.geojson", lambda d: (rule("min_size", 30)(d),
                                                 rule("max_size", 10)(d)), "refuse", ("min_size",))
    plan("plan_rule_unknown_key.geojson", rule("sparkle", True))
    plan("plan_rule_missing_weight_column.geojson", rule("weight_column", "nope"), "refuse",
         ("nope",))
    for name, value in (("blank", None), ("negative", -3), ("text", "12a"), ("huge", 1e308),
                        ("empty_text", "")):
        plan(f"plan_weight_{name}.geojson", weight(2, value), "refuse",
             ("feature 3", "children_0_15"))
    for name, token in (("nan", "NaN"), ("infinity", "Infinity")):
        d = m.plan_doc()
        d["features"][2]["properties"]["children_0_15"] = 123456789
        text = json.dumps(d).replace("123456789", token)
        m.p(f"plan_weight_{name}.geojson").write_text(text)
        m.bad(f"plan_weight_{name}.geojson", m.p(f"plan_weight_{name}.geojson"), "feature 3")


# -- boundaries and links ----------------------------------------------------------------------
def _layer_cases(m: _Maker) -> None:
    districts = json.loads((m.sample_dir / "kent_medway_districts.geojson").read_text())

    def layer(name, doc, expect="load", *words):
        path = _json(m.p(name), doc)
        if expect == "load":
            m.ok(name, path, kind="boundaries")
        else:
            m.bad(name, path, *words, kind="boundaries")

    layer("districts.geojson", districts)

    def shifted(dx, dy):
        out = json.loads(json.dumps(districts))

        def move(c):
            return [move(x) for x in c] if isinstance(c[0], list) else [c[0] + dx, c[1] + dy]

        for f in out["features"]:
            f["geometry"]["coordinates"] = move(f["geometry"]["coordinates"])
        return out

    layer("districts_elsewhere.geojson", shifted(-8.0, 4.0), "refuse", "km")
    bowtie = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {
        "lad_name": "Bow"}, "geometry": {"type": "Polygon", "coordinates": [[
            [-0.5, 50.5], [2.0, 52.0], [2.0, 50.5], [-0.5, 52.0], [-0.5, 50.5]]]}}]}
    layer("bowtie.geojson", bowtie)
    pts = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {},
           "geometry": {"type": "Point", "coordinates": [0.5, 51.3]}}]}
    layer("points_as_boundaries.geojson", pts, "refuse", "polygons")
    layer("empty_layer.geojson", {"type": "FeatureCollection", "features": []}, "refuse",
          "empty_layer.geojson")
    os.mkfifo(m.p("fifo_layer.geojson"))
    m.bad("fifo_layer.geojson", m.p("fifo_layer.geojson"), "pipe", kind="boundaries")
    m.p("garbage_layer.geojson").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x01" * 300)
    m.bad("garbage_layer.geojson", m.p("garbage_layer.geojson"), "garbage_layer",
          kind="boundaries")
    layer("districts_crs84.geojson", dict(districts, crs={
        "type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}))

    links = m.p("links.csv")
    links.write_text("urn,link_urn\n20070,20155\n20155,20222\n99999,20070\n")
    m.ok("links.csv", links, kind="links")
    m.p("links_no_columns.csv").write_text("a,b\n1,2\n")
    m.bad("links_no_columns.csv", m.p("links_no_columns.csv"), "urn", kind="links")
    m.p("links_unclosed.csv").write_text('urn,link_urn\n20070,"20155\n20155,20222\n')
    m.bad("links_unclosed_quote.csv", m.p("links_unclosed.csv"), "line", kind="links")
    os.mkfifo(m.p("links_fifo.csv"))
    m.bad("links_fifo.csv", m.p("links_fifo.csv"), "pipe", kind="links")
    m.p("links_binary.csv").write_bytes(b"urn,link_urn\n\x00\x00\x00")
    m.bad("links_binary.csv", m.p("links_binary.csv"), "NUL", kind="links")
    m.p("links_latin1.csv").write_bytes("urn,link_urn\n20070,caf\u00e9\n".encode("latin-1"))
    m.bad("links_latin1.csv", m.p("links_latin1.csv"), "UTF-8", kind="links")


# -- GeoPackage and Shapefile ------------------------------------------------------------------
def _ogr_cases(m: _Maker) -> None:
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import box

    h, rows = m.header, m.rows
    frame = pd.DataFrame(rows, columns=h)
    points = gpd.GeoDataFrame(
        {"urn": frame["urn"], "name": frame["name"],
         "kids": frame["children_0_15"].astype(int)},
        geometry=gpd.points_from_xy(frame["lon"].astype(float), frame["lat"].astype(float)),
        crs="EPSG:4326",
    )
    shp = m.p("shp")
    shp.mkdir()
    points.to_file(shp / "centres.shp")
    m.ok("centres.shp", shp / "centres.shp")
    points.to_crs("EPSG:27700").to_file(shp / "bng.shp")
    m.ok("bng.shp", shp / "bng.shp")
    for name, part, cut in (("truncated_shp", ".shp", 0.5), ("truncated_dbf", ".dbf", 0.5),
                            ("truncated_shx", ".shx", 0.3)):
        for ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
            shutil.copy(shp / f"centres{ext}", shp / f"{name}{ext}")
        data = (shp / f"{name}{part}").read_bytes()
        (shp / f"{name}{part}").write_bytes(data[: int(len(data) * cut)])
        m.bad(f"{name}.shp", shp / f"{name}.shp", "truncated")
    for name, missing in (("no_shx", ".shx"), ("no_dbf", ".dbf")):
        for ext in (".shp", ".shx", ".dbf", ".prj"):
            if ext != missing:
                shutil.copy(shp / f"centres{ext}", shp / f"{name}{ext}")
        m.bad(f"{name}.shp", shp / f"{name}.shp", missing)
    polys = gpd.GeoDataFrame({"name": ["a"]}, geometry=[box(0.4, 51.2, 0.6, 51.4)],
                             crs="EPSG:4326")
    polys.to_file(shp / "polygons.shp")
    m.bad("polygons.shp", shp / "polygons.shp", "Point")
    points.to_file(m.p("centres.gpkg"), layer="centres")
    m.ok("centres.gpkg", m.p("centres.gpkg"))
    polys.to_file(m.p("two_layers.gpkg"), layer="areas")
    points.to_file(m.p("two_layers.gpkg"), layer="centres")
    m.ok("two_layers.gpkg", m.p("two_layers.gpkg"))
    points.iloc[:0].to_file(m.p("empty_layer.gpkg"), layer="centres")
    m.bad("empty_layer.gpkg", m.p("empty_layer.gpkg"), "no features")
    m.p("corrupt.gpkg").write_bytes(b"SQLite format 3\x00" + b"\x01" * 2000)
    m.bad("corrupt.gpkg", m.p("corrupt.gpkg"), "corrupt.gpkg")
    polys.to_crs("EPSG:27700").to_file(m.p("districts.gpkg"), layer="d")
    m.ok("districts_bng.gpkg", m.p("districts.gpkg"), kind="boundaries")


def _big_cases(m: _Maker) -> None:
    h, rows = m.header, m.rows
    big = [rows[i % len(rows)][:] for i in range(BIG_ROWS)]
    for i, r in enumerate(big):
        r[0] = str(1_000_000 + i)
        r[m.col("lat")] = f"{float(r[m.col('lat')]) + (i // len(rows)) * 1e-6:.7f}"
    big[0] = rows[0][:]
    m.ok("rows_200000.csv", _csv(m.p("rows_200000.csv"), h, big), count=BIG_ROWS, slow=True)


def generate(sample_dir: Path, out_dir: Path, *, big: bool = False) -> list[Case]:
    """Every case, its files written under ``out_dir``; ``big`` adds the 200,000-row file."""
    out_dir.mkdir(parents=True, exist_ok=True)
    m = _Maker(Path(sample_dir), out_dir)
    _text_cases(m)
    _geojson_cases(m)
    _plan_cases(m)
    _layer_cases(m)
    _ogr_cases(m)
    if big:
        _big_cases(m)
    return m.cases
