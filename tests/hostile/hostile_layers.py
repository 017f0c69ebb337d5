"""Hostile boundaries, links, GeoPackages and shapefiles."""

from __future__ import annotations

import json
import os
import shutil

from hostile_base import _json, _Maker


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
