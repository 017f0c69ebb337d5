"""Must-link groups from a GIAS children's centre links file (columns ``urn``, ``link_urn``).

One reader for the command line and the auto-federate dialog. A group is a connected component of
the links, restricted to the centres being planned: partners that have closed (ids not among the
centres) still join their neighbours, and are counted as unknown. Groups of one are dropped.
"""

from __future__ import annotations

import csv
from collections.abc import Collection
from pathlib import Path

import networkx as nx

from planner.geo.errors import InputError

__all__ = ["read_links"]


def read_links(
    path: str | Path, known: Collection[str]
) -> tuple[tuple[tuple[str, ...], ...], int]:
    """(groups of linked centre ids, each and all sorted; how many linked ids are not ``known``).

    ``InputError`` names the file when it is missing, not a CSV, or lacks the two columns.
    """
    path = Path(path)
    graph = nx.Graph()
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
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
    except OSError as exc:
        raise InputError(f"{path}: cannot read the links file ({exc.strerror})") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError(f"{path}: not a CSV links file ({exc})") from None
    known = set(known)
    unknown = sum(1 for node in graph if node not in known)
    groups = []
    for component in nx.connected_components(graph):
        present = sorted(c for c in component if c in known)
        if len(present) > 1:
            groups.append(tuple(present))
    return tuple(sorted(groups)), unknown


def _urn(value: object) -> str:
    """A URN as text; ``"20041.0"`` (a spreadsheet's float) becomes ``"20041"``."""
    text = str(value or "").strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text
