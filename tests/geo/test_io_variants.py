"""The files planners really have: BOM, Excel's Windows-1252, semicolons, GeoPackage, Shapefile."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from planner.geo.io import InputError, detect_columns, read_centres


def _check_small(result, name="Café Bébé Centre"):
    c = result.centres
    assert c.ids == ("A1", "A2", "A3", "A4")
    assert c.names[0] == name
    assert c.crs == "EPSG:27700"
    assert c.lonlat[1] == pytest.approx([0.5340, 51.3749])
    assert c.attributes["kids"][0] in ("120", 120)


def test_plain_utf8_with_case_insensitive_headers(small_csv):
    _check_small(read_centres(small_csv))


def test_utf8_with_bom(tmp_path, make_csv):
    path = make_csv(tmp_path / "bom.csv", bom=True)
    result = read_centres(path)
    _check_small(result)
    assert "URN" not in result.centres.attributes  # the BOM did not stick to the first column


def test_windows_1252_from_excel(tmp_path, make_csv):
    path = make_csv(tmp_path / "excel.csv", encoding="cp1252")
    assert "Caf\xe9".encode("cp1252") in path.read_bytes()
    result = read_centres(path)
    _check_small(result)
    assert any("1252" in w for w in result.warnings)


def test_semicolon_with_decimal_commas(tmp_path, make_csv, rows):
    rows = [tuple(v.replace(".", ",") for v in r) for r in rows]
    path = make_csv(tmp_path / "semi.csv", rows=rows, sep=";", encoding="cp1252")
    _check_small(read_centres(path))


def test_tab_separated(tmp_path, make_csv):
    _check_small(read_centres(make_csv(tmp_path / "tabs.tsv", sep="\t")))


def test_quoted_fields_with_commas_and_blank_lines(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text('id,name,lat,lon\n\n1,"Smith, Jones Centre",51.3,0.5\n2,"B",51.4,0.6\n\n')
    result = read_centres(path)
    assert result.centres.names == ("Smith, Jones Centre", "B")


def test_file_is_not_modified(small_csv):
    before = small_csv.read_bytes()
    read_centres(small_csv, weight_column="kids")
    assert small_csv.read_bytes() == before


def _frame(rows):
    lon = [float(r[3]) for r in rows]
    lat = [float(r[2]) for r in rows]
    return gpd.GeoDataFrame(
        {"urn": [1, 2, 3, 4], "name": [r[1] for r in rows], "kids": [120, 80, 95, 60]},
        geometry=[Point(x, y) for x, y in zip(lon, lat, strict=True)],
        crs="EPSG:4326",
    )


@pytest.mark.parametrize("suffix", [".gpkg", ".shp"])
def test_geopackage_and_shapefile(tmp_path, suffix, rows):
    path = tmp_path / f"centres{suffix}"
    _frame(rows).to_file(path)
    result = read_centres(path, weight_column="kids")
    c = result.centres
    assert c.ids == ("1", "2", "3", "4")  # integer ids as the planner sees them
    assert c.names[0] == "Café Bébé Centre"
    assert c.lonlat[1] == pytest.approx([0.5340, 51.3749])
    assert list(c.numeric("kids")) == [120, 80, 95, 60]


def test_geopackage_in_british_national_grid(tmp_path, rows):
    path = tmp_path / "bng.gpkg"
    _frame(rows).to_crs("EPSG:27700").to_file(path)
    c = read_centres(path).centres
    assert c.lonlat[1] == pytest.approx([0.5340, 51.3749], abs=1e-6)


def test_legacy_geojson_crs_member_is_honoured(tmp_path):
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::27700"}},
        "features": [
            {"type": "Feature", "properties": {"name": "X"},
             "geometry": {"type": "Point", "coordinates": [576464, 167033]}},
        ],
    }
    path = tmp_path / "legacy.geojson"
    path.write_text(json.dumps(doc))
    c = read_centres(path).centres
    assert tuple(c.xy[0]) == (576464.0, 167033.0)
    assert c.ids == ("feature-1",)  # generated, stable


def test_generated_ids_follow_spreadsheet_rows(tmp_path, make_csv, rows):
    path = make_csv(tmp_path / "noid.csv", rows=[r[1:] for r in rows],
                    header=("name", "lat", "lon", "kids"))
    c = read_centres(path).centres
    assert c.ids == ("row-2", "row-3", "row-4", "row-5")
    assert read_centres(path).centres.ids == c.ids


def test_bng_columns_and_explicit_mapping(tmp_path):
    path = tmp_path / "bng.csv"
    path.write_text("site,label,E,N\nS1,First,576464,167033\nS2,Second,629573,142005\n")
    with pytest.raises(InputError, match="no coordinate columns"):
        read_centres(path)
    c = read_centres(path, id_column="site", name_column="label", x_column="E",
                     y_column="N").centres
    assert c.ids == ("S1", "S2") and c.names == ("First", "Second")
    assert tuple(c.xy[0]) == (576464.0, 167033.0)
    assert c.crs == "EPSG:27700"


def test_points_outside_great_britain_use_a_utm_zone(tmp_path):
    path = tmp_path / "paris.csv"
    path.write_text("id,name,lat,lon\np1,Louvre,48.8606,2.3376\np2,Orsay,48.8600,2.3266\n")
    with pytest.raises(InputError, match="outside England"):
        read_centres(path)
    c = read_centres(path, allow_outside_england=True).centres
    assert c.crs == "EPSG:32631"
    d = np.hypot(*(c.xy[0] - c.xy[1]))
    assert 700 < d < 900  # about 800 m apart


def test_federation_column_gives_a_plan(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("id,name,lat,lon,Federation\n1,a,51.3,0.5,North\n2,b,51.4,0.6,South\n"
                    "3,c,51.5,0.7,North\n4,d,51.6,0.8,\n")
    result = read_centres(path)
    plan = result.plan
    assert [f.name for f in plan.federations.values()] == ["North", "South"]
    assert [plan.federation_of(i) for i in "1234"] == [0, 1, 0, -1]
    assert "Federation" not in result.centres.attributes


def test_detect_columns_for_geojson(data_dir):
    guess = detect_columns(data_dir / "kent_medway_childrens_centres_2026-08-21.geojson")
    assert guess.coords == "geometry" and guess.kind == "geojson"
    assert guess.id_column == "urn" and not guess.ambiguous


def test_coincident_points_are_allowed_and_counted(tmp_path):
    path = tmp_path / "same.csv"
    path.write_text("id,name,lat,lon\n1,a,51.3,0.5\n2,b,51.3,0.5\n3,c,51.4,0.6\n")
    result = read_centres(path)
    assert len(result.centres) == 3
    assert any("2 centres share a location" in w for w in result.warnings)


def test_geopackage_attribute_table_uses_coordinate_columns(tmp_path):
    import pandas as pd
    import pyogrio

    frame = pd.DataFrame({"id": ["a", "b"], "Lat": [51.3, 51.4], "Lon": [0.5, 0.6],
                          "opened": pd.to_datetime(["2020-01-01", None])})
    path = tmp_path / "table.gpkg"
    pyogrio.write_dataframe(frame, path)
    c = read_centres(path).centres
    assert c.ids == ("a", "b")
    assert c.lonlat[1] == pytest.approx([0.6, 51.4])
    assert c.attributes["opened"] == ("2020-01-01T00:00:00", None)


def test_detect_columns_flags_what_the_dialog_must_ask(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text("Centre Code,Site Name,X,Y,Children\nc1,a,1,2,3\n", encoding="utf-8")
    guess = detect_columns(path)
    assert guess.id_column == "Centre Code" and guess.name_column == "Site Name"
    assert guess.coords is None and guess.ambiguous
    assert guess.numeric_columns == ["X", "Y", "Children"]
    with pytest.raises(ValueError, match="coords must be one of"):
        read_centres(path, coords="utm")



def test_decimal_comma_weights_are_numbers_everywhere_after_loading(tmp_path):
    path = tmp_path / "excel_fr.csv"
    path.write_text(
        "id;name;lat;lon;children;code\n"
        "1;A;51,37;0,53;1,5;0886\n2;B;51,38;0,54;2;0887\n3;C;51,39;0,55;3,25;0888\n",
        encoding="utf-8",
    )
    centres = read_centres(path, weight_column="children").centres
    assert list(centres.numeric("children")) == [1.5, 2.0, 3.25]
    assert "children" in centres.numeric_columns()
    assert centres.attributes["code"] == ("0886", "0887", "0888")  # no decimal comma: untouched
