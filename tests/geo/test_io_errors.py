"""Bad input gets an InputError that names the file and the problem (rows, columns)."""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
from shapely.geometry import LineString, Point, Polygon

from planner.geo.io import InputError, read_centres


def _error(path, **kwargs) -> str:
    with pytest.raises(InputError) as err:
        read_centres(path, **kwargs)
    message = str(err.value)
    assert str(path) in message, message
    return message


def _text(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file(tmp_path):
    assert "file not found" in _error(tmp_path / "nope.csv")


def test_folder(tmp_path):
    folder = tmp_path / "centres.csv"
    folder.mkdir()
    assert "folder" in _error(folder)


def test_unknown_extension_and_spreadsheet(tmp_path):
    assert "unknown file type '.dat'" in _error(_text(tmp_path, "x.dat", "id\n1\n"))
    assert "save it as CSV" in _error(_text(tmp_path, "x.xlsx", "zip"))


@pytest.mark.parametrize("content", ["", "\n\n  \n"])
def test_empty_csv(tmp_path, content):
    assert "empty" in _error(_text(tmp_path, "empty.csv", content))


def test_header_without_rows(tmp_path):
    message = _error(_text(tmp_path, "head.csv", "id,name,lat,lon\n"))
    assert "no data rows" in message and "id, name, lat, lon" in message


def test_missing_coordinate_columns_lists_columns_found(tmp_path):
    message = _error(_text(tmp_path, "nocoords.csv", "id,name,postcode\n1,a,ME4 5AZ\n"))
    assert "no coordinate columns" in message
    assert "id, name, postcode" in message


def test_non_numeric_coordinates_name_rows_and_column(tmp_path):
    path = _text(tmp_path, "bad.csv",
                 "id,name,lat,lon\n1,a,51.3,0.5\n2,b,fifty,0.6\n3,c,51.4,east\n4,d,51.5,0.7\n")
    message = _error(path)
    assert "column 'lat' is not a number in row 3 ('fifty')" in message
    assert "column 'lon' is not a number in row 4 ('east')" in message


def test_one_blank_coordinate_of_a_pair_is_an_error(tmp_path):
    message = _error(_text(tmp_path, "half.csv", "id,name,lat,lon\n1,a,51.3,\n2,b,51.4,0.6\n"))
    assert "column 'lon' is not a number in row 2 (blank)" in message


def test_out_of_range_coordinates_name_rows_and_column(tmp_path):
    path = _text(tmp_path, "range.csv", "id,name,lat,lon\n1,a,51.3,0.5\n2,b,95.0,0.6\n")
    message = _error(path)
    assert "out of range" in message and "'lat'" in message and "row 3 (95)" in message


def test_bng_out_of_range(tmp_path):
    path = _text(tmp_path, "bng.csv", "id,name,easting,northing\n1,a,576464,167033\n"
                 "2,b,576464,99999999\n")
    message = _error(path)
    assert "British National Grid" in message and "'northing'" in message and "row 3" in message


def test_duplicate_ids_named(tmp_path):
    path = _text(tmp_path, "dups.csv", "urn,name,lat,lon\n7,a,51.3,0.5\n8,b,51.4,0.6\n"
                 "7,c,51.5,0.7\n")
    message = _error(path)
    assert "duplicate ids" in message and "'7' (row 2, row 4)" in message


def test_blank_ids_named(tmp_path):
    message = _error(_text(tmp_path, "blankid.csv", "id,name,lat,lon\n,a,51.3,0.5\n2,b,51.4,0.6\n"))
    assert "id column 'id' is blank in row 2" in message


def test_duplicate_header_columns(tmp_path):
    message = _error(_text(tmp_path, "duphead.csv", "id,lat,lon,lat\n1,51.3,0.5,51.3\n"))
    assert "duplicate column names" in message and "lat" in message


def test_rows_longer_than_header(tmp_path):
    message = _error(_text(tmp_path, "long.csv", "id,lat,lon\n1,51.3,0.5\n2,51.4,0.6,extra\n"))
    assert "row 3" in message and "more values" in message


def test_binary_file_in_csv(tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    assert "binary" in _error(path)


def test_excel_workbook_renamed_csv(tmp_path):
    path = tmp_path / "book.csv"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 50)
    assert "Excel workbook" in _error(path)


def test_blank_coordinates_skipped_with_warning_naming_them(tmp_path):
    path = _text(tmp_path, "gaps.csv", "id,name,lat,lon\n1,a,51.3,0.5\n2,b,,\n3,c,51.4,0.6\n")
    result = read_centres(path)
    assert result.centres.ids == ("1", "3")
    assert any("row 3 (id 2)" in w and "skipped" in w for w in result.warnings)


def test_no_located_centre_at_all(tmp_path):
    message = _error(_text(tmp_path, "none.csv", "id,name,lat,lon\n1,a,,\n2,b,,\n"))
    assert "no centre has coordinates" in message


def test_bad_weight_names_rows_and_column(tmp_path):
    path = _text(tmp_path, "w.csv", "id,lat,lon,kids\n1,51.3,0.5,10\n2,51.4,0.6,lots\n"
                 "3,51.5,0.7,-4\n4,51.6,0.8,\n")
    message = _error(path, weight_column="kids")
    assert "weight column 'kids'" in message
    assert "row 3 ('lots')" in message and "row 4 ('-4')" in message and "row 5 (blank)" in message


def test_unknown_column_named_by_the_user(tmp_path):
    path = _text(tmp_path, "u.csv", "id,lat,lon\n1,51.3,0.5\n")
    message = _error(path, weight_column="children")
    assert "no weight column 'children'" in message and "id, lat, lon" in message


# -- GeoJSON -----------------------------------------------------------------------------------
def test_broken_json(tmp_path):
    message = _error(_text(tmp_path, "broken.geojson", '{"type": "FeatureCollection", "feat'))
    assert "not valid JSON" in message and "line 1" in message


def test_json_that_is_not_geojson(tmp_path):
    message = _error(_text(tmp_path, "other.json", json.dumps({"centres": [1, 2]})))
    assert "not GeoJSON" in message


def test_json_array_is_not_geojson(tmp_path):
    assert "not GeoJSON" in _error(_text(tmp_path, "list.json", "[1, 2, 3]"))


def test_geojson_without_features(tmp_path):
    path = _text(tmp_path, "empty.geojson", json.dumps({"type": "FeatureCollection",
                                                        "features": []}))
    assert "has no features" in _error(path)


def test_empty_geojson_file(tmp_path):
    assert "empty" in _error(_text(tmp_path, "nothing.geojson", ""))


def test_binary_geojson(tmp_path):
    path = tmp_path / "bin.geojson"
    path.write_bytes(b"\x00\x01\x02" * 10)
    assert "binary" in _error(path)


def test_non_point_geometries_are_refused_naming_features(tmp_path):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "p"},
         "geometry": {"type": "Point", "coordinates": [0.5, 51.3]}},
        {"type": "Feature", "properties": {"id": "q"},
         "geometry": {"type": "Polygon", "coordinates": [[[0, 51], [1, 51], [1, 52], [0, 51]]]}},
    ]}
    message = _error(_text(tmp_path, "mixed.geojson", json.dumps(doc)))
    assert "must be Point features" in message and "feature 2 (Polygon)" in message


def test_feature_without_geometry_is_an_unlocated_centre(tmp_path):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "p"},
         "geometry": {"type": "Point", "coordinates": [0.5, 51.3]}},
        {"type": "Feature", "properties": {"id": "q"}, "geometry": None},
    ]}
    result = read_centres(_text(tmp_path, "nogeom.geojson", json.dumps(doc)))
    assert result.centres.ids == ("p",)
    assert any("feature 2 (id q)" in w for w in result.warnings)


def test_geojson_out_of_range_longitude(tmp_path):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "p"},
         "geometry": {"type": "Point", "coordinates": [200.0, 51.3]}},
    ]}
    message = _error(_text(tmp_path, "far.geojson", json.dumps(doc)))
    assert "longitude" in message and "feature 1 (200)" in message


def test_geopackage_with_lines_is_refused(tmp_path):
    frame = gpd.GeoDataFrame({"id": [1, 2]},
                             geometry=[Point(0.5, 51.3), LineString([(0, 51), (1, 52)])],
                             crs="EPSG:4326")
    path = tmp_path / "lines.gpkg"
    frame.to_file(path)
    message = _error(path)
    assert "feature 2 (LineString)" in message


def test_corrupt_geopackage(tmp_path):
    path = tmp_path / "junk.gpkg"
    path.write_bytes(b"this is not sqlite" * 20)
    assert "cannot be read" in _error(path)


def test_shapefile_of_polygons_is_refused(tmp_path):
    frame = gpd.GeoDataFrame({"id": [1]}, geometry=[Polygon([(0, 51), (1, 51), (1, 52)])],
                             crs="EPSG:4326")
    path = tmp_path / "areas.shp"
    frame.to_file(path)
    assert "feature 1 (Polygon)" in _error(path)
