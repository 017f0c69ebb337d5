"""One links reader for the command line and the dialog: closed partners still join neighbours."""

from __future__ import annotations

import pytest

from planner.geo.errors import InputError
from planner.geo.links import read_links


def test_a_closed_partner_joins_its_neighbours_and_is_counted(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("urn,link_urn\nA,X\nX,B\nC,D\nE,Y\n20041.0,F\n", encoding="utf-8")
    groups, unknown = read_links(path, {"A", "B", "C", "D", "E", "F", "20041"})
    assert groups == (("20041", "F"), ("A", "B"), ("C", "D"))
    assert unknown == 2  # X and Y


def test_a_missing_links_file_is_named(tmp_path):
    with pytest.raises(InputError, match="missing.csv"):
        read_links(tmp_path / "missing.csv", set())
