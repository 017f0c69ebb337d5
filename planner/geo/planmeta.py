"""The ``"planner"`` foreign member of a saved plan file: federations, locks, params, constraints.

Layout (version 1)::

    "planner": {
      "version": 1,
      "federations": [{"key": 0, "name": "...", "colour": "#CC6677", "locked": false,
                       "hub": "20070" | null}, ...],
      "assignment": {"<centre id>": <federation key>, ...},
      "locked_centres": ["<centre id>", ...],
      "params": {...},
      "constraints": {...} | null
    }

Version 2 (named options) is checked by :mod:`planner.domain.planschema` too; a reader decodes
its current option. The member must have passed :func:`planner.domain.planschema.check_member`
before it is decoded here: decoding trusts types, ranges and references.

Pure data conversion; reading and writing files is elsewhere.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np

from planner.domain.centres import Centres
from planner.domain.constraints import Balance, Constraints
from planner.domain.plan import UNASSIGNED, Federation, Plan

__all__ = [
    "VERSION", "OPTIONS_VERSION", "encode", "decode_plan", "decode_constraints", "jsonable",
    "plan_member", "weight_columns",
]

VERSION = 1
OPTIONS_VERSION = 2  # several named options; see planner.geo.planbook


def plan_member(member: Mapping) -> Mapping:
    """The version-1 plan member a file's ``"planner"`` member stands for: itself, or (version 2,
    a book of options) its current option's. The options themselves: :mod:`planner.geo.planbook`.
    """
    if member.get("version") == OPTIONS_VERSION:
        options = member["options"]
        return options[int(member.get("current", 0))]
    return member


def jsonable(value):
    """``value`` with numpy scalars/arrays, tuples and sets made JSON-friendly; NaN -> None."""
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset, np.ndarray)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def encode(plan: Plan, constraints: Constraints | None = None) -> dict:
    ids = plan.centres.ids
    return {
        "version": VERSION,
        "federations": [
            {"key": f.key, "name": f.name, "colour": f.colour, "locked": f.locked, "hub": f.hub}
            for f in plan.federations.values()
        ],
        "assignment": {
            ids[i]: int(k) for i, k in enumerate(plan.assignment.tolist()) if k != UNASSIGNED
        },
        "locked_centres": sorted(plan.locked_centres),
        "params": jsonable(plan.params),
        "constraints": None if constraints is None else _encode_constraints(constraints),
    }


def _encode_constraints(constraints: Constraints) -> dict:
    values = {f.name: getattr(constraints, f.name) for f in dataclasses.fields(constraints)}
    values["balance"] = [dataclasses.asdict(b) for b in constraints.balance]
    return jsonable(values)


def decode_constraints(member: Mapping) -> Constraints | None:
    raw = member.get("constraints")
    if not isinstance(raw, Mapping):
        return None
    known = {f.name for f in dataclasses.fields(Constraints)}
    values = {k: _tuples(v) for k, v in raw.items() if k in known and k != "balance"}
    values["balance"] = _balance(raw)
    if "boundary_exceptions" in values:
        values["boundary_exceptions"] = tuple(str(c) for c in values["boundary_exceptions"])
    for key in ("must_link", "cannot_link"):
        if key in values:
            values[key] = tuple(tuple(str(c) for c in group) for group in values[key])
    if "fixed_hubs" in values:
        values["fixed_hubs"] = tuple(str(c) for c in values["fixed_hubs"])
    return Constraints(**values)


def _balance(raw: Mapping) -> tuple[Balance, ...]:
    """The balance rules; files from before multi-weight hold one ``weight_column`` and
    ``weight_tolerance`` (a column without a tolerance was only shown, not balanced)."""
    rows = raw.get("balance")
    if isinstance(rows, list):
        return tuple(
            Balance(str(r["column"]), float(r["tolerance"]), bool(r.get("soft", False)))
            for r in rows
            if isinstance(r, Mapping) and r.get("column") and r.get("tolerance") is not None
        )
    column, tolerance = raw.get("weight_column"), raw.get("weight_tolerance")
    if column and tolerance is not None:
        return (Balance(str(column), float(tolerance)),)
    return ()


def weight_columns(constraints: Constraints | None) -> list[str]:
    """The attribute columns ``constraints`` balance (each must hold a weight per centre)."""
    if constraints is None:
        return []
    columns = [getattr(constraints, "weight_column", None)]
    for rule in getattr(constraints, "balance", ()) or ():
        columns.append(rule["column"] if isinstance(rule, Mapping) else rule.column)
    return list(dict.fromkeys(c for c in columns if c))



def _tuples(value):
    """JSON lists back to the tuples Constraints holds (mappings stay mappings)."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def decode_plan(centres: Centres, member: Mapping, labels: list | None) -> tuple[Plan, list[str]]:
    """The plan a ``"planner"`` member describes, and warnings about anything it had to repair.

    ``labels`` (the features' ``federation`` names) place centres the member's assignment does
    not mention (e.g. rows added in QGIS) when a federation of that name exists.
    """
    warnings: list[str] = []
    feds = []
    for raw in member.get("federations") or []:
        feds.append(
            Federation(
                key=int(raw["key"]),
                name=str(raw.get("name", f"Federation {int(raw['key']) + 1}")),
                colour=str(raw.get("colour") or "#BBBBBB"),
                locked=bool(raw.get("locked", False)),
                hub=None if raw.get("hub") is None else str(raw["hub"]),
            )
        )
    keys = {f.key for f in feds}
    by_name: dict[str, int] = {}
    for f in feds:
        by_name.setdefault(f.name, f.key)
    saved = {str(k): int(v) for k, v in (member.get("assignment") or {}).items()}
    strays = len(set(saved) - set(centres.ids))
    if strays:
        warnings.append(f"{strays} centre(s) of the saved assignment are not in the file; "
                        "their places are dropped")
    assignment = np.full(len(centres), UNASSIGNED, dtype=np.int64)
    for i, cid in enumerate(centres.ids):
        key = saved.get(cid)
        if key is None and labels is not None and labels[i] not in (None, ""):
            key = by_name.get(str(labels[i]))
        if key is not None and key in keys:
            assignment[i] = key
    fixed = []
    for f in feds:
        if f.hub is not None and (f.hub not in centres or
                                  assignment[centres.index_of(f.hub)] != f.key):
            warnings.append(f"hub {f.hub} of {f.name!r} is not one of its centres; hub cleared")
            f = dataclasses.replace(f, hub=None)
        fixed.append(f)
    locked = [str(c) for c in member.get("locked_centres") or []]
    missing = [c for c in locked if c not in centres]
    if missing:
        warnings.append(f"{len(missing)} locked centre(s) are not in the file; lock dropped")
    locked = [c for c in locked if c in centres]
    params = dict(member.get("params") or {})
    return Plan(centres, assignment, fixed, locked, params), warnings
