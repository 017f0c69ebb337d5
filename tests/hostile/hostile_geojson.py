"""Hostile GeoJSON: every geometry type, broken coordinates, CRS members, deep nesting."""

from __future__ import annotations

import json
import os

from hostile_base import PROBE_LONLAT, _features, _json, _Maker


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
