"""Federation names a planner recognises: the authority and the hub's town ("Kent: Margate").

One namer for the command line and the window, so both name a plan alike::

    plan = name_federations(plan, authority_of)   # {centre id: authority label} or None

Only federations the engine numbered ("Federation 3") and that are not locked are renamed; a name
the planner chose, or inherited from the plan being re-optimised, stays. A federation is named
``"<authority>: <town>"`` when its hub's authority is every member's authority (labels from
``authority_of``, else from the first of :data:`AUTHORITY_COLUMNS` the centres have), else
``"<town>"``; the town is the hub's ``town`` attribute, or the hub centre's name without one. Two
federations that would share a name are told apart by number, north to south: "Kent: Margate",
"Kent: Margate 2".
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import replace

from planner.domain.centres import Centres
from planner.domain.plan import Federation, Plan

__all__ = [
    "AUTHORITY_COLUMNS",
    "authority_column",
    "federation_names",
    "name_after_hubs",
    "name_federations",
    "place_name",
]

#: Centre columns that name an authority, most specific to the planner's job first.
AUTHORITY_COLUMNS = ("dfe_la_name", "utla_name", "la_name", "lad_name")
_NUMBERED = re.compile(r"^Federation \d+$")


def authority_column(centres: Centres) -> str | None:
    """The first of :data:`AUTHORITY_COLUMNS` that the centres carry (None if none)."""
    return next((c for c in AUTHORITY_COLUMNS if c in centres.attributes), None)


def place_name(text: object) -> str:
    """A town as written on a map: ``"KING'S LYNN"`` -> ``"King's Lynn"``; mixed case is kept."""
    text = " ".join(str(text or "").split())
    if text.isupper() or text.islower():
        return string.capwords(text.lower())
    return text


def _labels(centres: Centres, authority_of: Mapping[str, str] | None) -> list[str]:
    if authority_of is None:
        column = authority_column(centres)
        values = centres.attributes[column] if column else [None] * len(centres)
        return [str(v).strip() if v is not None else "" for v in values]
    return [str(authority_of.get(cid) or "").strip() for cid in centres.ids]


def _base_name(plan: Plan, fed: Federation, labels: list[str], towns) -> str:
    centres = plan.centres
    hub = centres.index_of(fed.hub)
    town = place_name(towns[hub]) if towns is not None else ""
    town = town or centres.names[hub].strip() or f"Federation {fed.key}"
    authority = labels[hub]
    members = plan.members(fed.key)
    if authority and all(labels[i] in ("", authority) for i in members):
        return f"{authority}: {town}"
    return town


def federation_names(
    plan: Plan,
    authority_of: Mapping[str, str] | None = None,
    *,
    town_column: str = "town",
) -> dict[int, str]:
    """New names for the federations :func:`name_federations` renames (key -> name)."""
    todo = [f for f in plan.federations.values()
            if not f.locked and f.hub is not None and _NUMBERED.match(f.name)]
    if not todo:
        return {}
    labels = _labels(plan.centres, authority_of)
    towns = plan.centres.attributes.get(town_column)
    xy = plan.centres.xy
    todo.sort(key=lambda f: (-xy[plan.centres.index_of(f.hub), 1],
                             xy[plan.centres.index_of(f.hub), 0], f.key))
    renamed = {f.key for f in todo}
    taken = {f.name for f in plan.federations.values() if f.key not in renamed}
    out: dict[int, str] = {}
    for fed in todo:
        base = _base_name(plan, fed, labels, towns)
        name, number = base, 1
        while name in taken:
            number += 1
            name = f"{base} {number}"
        taken.add(name)
        out[fed.key] = name
    return out


def name_federations(
    plan: Plan,
    authority_of: Mapping[str, str] | None = None,
    *,
    town_column: str = "town",
) -> Plan:
    """``plan`` with its engine-numbered federations named after authority and hub town.

    Returns a new plan (the same one when nothing is renamed); see the module docstring.
    """
    names = federation_names(plan, authority_of, town_column=town_column)
    if not names:
        return plan
    feds = [replace(f, name=names.get(f.key, f.name)) for f in plan.federations.values()]
    return Plan(plan.centres, plan.assignment, feds, plan.locked_centres, plan.params)


def name_after_hubs(plan: Plan, column: str = "town") -> Plan:
    """The plan with each federation named after its hub's town (when the towns differ).

    The start-up sample's naming: every federation or none, towns only.
    """
    towns = plan.centres.attributes.get(column)
    feds = list(plan.federations.values())
    if towns is None or any(f.hub is None for f in feds):
        return plan
    names = [str(towns[plan.centres.index_of(f.hub)]).strip().title() for f in feds]
    if len(set(names)) != len(names) or not all(names):
        return plan
    renamed = [replace(f, name=name) for f, name in zip(feds, names, strict=True)]
    return Plan(plan.centres, plan.assignment, renamed, plan.locked_centres, plan.params)
