"""Must-link groups from a GIAS children's centre links file (columns ``urn``, ``link_urn``).

One reader for the command line and the auto-federate dialog. A group is a connected component of
the links, restricted to the centres being planned: partners that have closed (ids not among the
centres) still join their neighbours, and are counted as unknown. Groups of one are dropped.
"""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Collection
from pathlib import Path

import networkx as nx

from planner.geo.errors import InputError
from planner.geo.guard import read_bytes

__all__ = ["read_links"]


def read_links(
    path: str | Path, known: Collection[str]
) -> tuple[tuple[tuple[str, ...], ...], int]:
    """(groups of linked centre ids, each and all sorted; how many linked ids are not ``known``).

    ``InputError`` names the file when it is missing, not a CSV, or lacks the two columns.
    """
    path = Path(path)
    data = read_bytes(path)  # stat first: FIFOs, devices and huge files are refused
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path}: is not UTF-8 text, so not a CSV links file") from None
    if "\x00" in text:
        raise InputError(f"{path}: holds NUL bytes: a binary file, not a CSV links file")
    graph = _link_graph(path, text)
    known = set(known)
    unknown = sum(1 for node in graph if node not in known)
    groups = []
    for component in nx.connected_components(graph):
        present = sorted(c for c in component if c in known)
        if len(present) > 1:
            groups.append(tuple(present))
    return tuple(sorted(groups)), unknown


def _link_graph(path: Path, text: str) -> nx.Graph:
    graph = nx.Graph()
    reader = csv.DictReader(_io.StringIO(text, newline=""), strict=True)
    try:
        fields = {(f or "").strip().lower(): f for f in reader.fieldnames or []}
        if "urn" not in fields or "link_urn" not in fields:
            raise InputError(
                f"{path}: a links file needs the columns urn and link_urn; it has "
                f"{', '.join(reader.fieldnames or []) or 'no header'}"
            )
        for row in reader:
            a, b = _urn(row.get(fields["urn"])), _urn(row.get(fields["link_urn"]))
            if a and b and a != b:
                graph.add_edge(a, b)
    except csv.Error as exc:
        raise InputError(f"{path}: line {reader.line_num}: not a CSV links file ({exc})") from None
    return graph


def _urn(value: object) -> str:
    """A URN as text; ``"20041.0"`` (a spreadsheet's float) becomes ``"20041"``."""
    text = str(value or "").strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text
