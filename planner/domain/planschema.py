"""The plan-file schema: every key of a saved plan's ``"planner"`` member, checked once.

Versions this planner reads (:data:`VERSIONS`):

- **1**: one plan::

    {"version": 1,
     "federations": [{"key": 0, "name": "...", "colour": "#CC6677", "locked": false,
                      "hub": "20070" | null}, ...],
     "assignment": {"<centre id>": <federation key>, ...},
     "locked_centres": ["<centre id>", ...],
     "params": {...},
     "constraints": {...} | null}

- **2**: named options over one centre table::

    {"version": 2, "options": [<a version-1 plan member + "name" + "log">, ...],
     "current": <index into options>}

Any other version is refused, naming the versions read. :func:`check_member` checks types,
ranges and references (federation keys the assignment uses exist; keys are unique, whole and
between 0 and :data:`MAX_KEY`) of every plan member (in version 2, of every option; the options'
own ``name`` and ``log`` are checked by :mod:`planner.geo.planbook`) and raises
:class:`SchemaError` with the key's path, what was found and what was expected. After it,
decoding may trust the member. Pure Python.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping

__all__ = ["VERSIONS", "MAX_KEY", "SchemaError", "check_member", "plan_member",
           "CONSTRAINT_CHECKS"]

VERSIONS = (1, 2)
MAX_KEY = 1_000_000
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")
_MAX_NUMBER = 1e12


class SchemaError(ValueError):
    """A plan member that breaks the schema: ``where`` (a key path), what was found, expected."""

    def __init__(self, where: str, found: object, expected: str) -> None:
        self.where, self.found, self.expected = where, found, expected
        super().__init__(f"{where}: found {_show(found)}, expected {expected}")


def _show(value: object) -> str:
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


# -- scalar checks -----------------------------------------------------------------------------
def _int(where: str, value, lo: int, hi: int, none: bool = False):
    if value is None and none:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
        raise SchemaError(where, value, f"a whole number from {lo} to {hi}"
                          + (" or null" if none else ""))


def _number(where: str, value, lo: float, none: bool = True, positive: bool = False):
    if value is None and none:
        return
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if ok:
        ok = math.isfinite(value) and lo <= value <= _MAX_NUMBER and (value > 0 or not positive)
    if not ok:
        word = "a positive number" if positive else f"a number of at least {lo:g}"
        raise SchemaError(where, value, word + (" or null" if none else ""))


def _bool(where: str, value):
    if not isinstance(value, bool):
        raise SchemaError(where, value, "true or false")


def _text(where: str, value, none: bool = False):
    if value is None and none:
        return
    if not isinstance(value, str):
        raise SchemaError(where, value, "text" + (" or null" if none else ""))


def _id(where: str, value, none: bool = False):
    """A centre id: text, or a whole number (a spreadsheet's URN)."""
    if value is None and none:
        return
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise SchemaError(where, value, "a centre id (text)" + (" or null" if none else ""))


def _list(where: str, value) -> list:
    if not isinstance(value, list):
        raise SchemaError(where, value, "a list")
    return value


def _object(where: str, value) -> Mapping:
    if not isinstance(value, Mapping):
        raise SchemaError(where, value, "an object")
    return value


def _ids(where: str, value):
    for n, item in enumerate(_list(where, value)):
        _id(f"{where}[{n}]", item)


def _groups(where: str, value, size: int | None = None):
    for n, group in enumerate(_list(where, value)):
        _ids(f"{where}[{n}]", group)
        if size is not None and len(group) != size:
            raise SchemaError(f"{where}[{n}]", group, f"a list of {size} centre ids")


def _balance(where: str, value):
    for n, rule in enumerate(_list(where, value)):
        at = f"{where}[{n}]"
        rule = _object(at, rule)
        _text(f"{at}.column", rule.get("column"))
        _number(f"{at}.tolerance", rule.get("tolerance"), 0.0, none=False)
        if "soft" in rule:
            _bool(f"{at}.soft", rule["soft"])


def _labels(where: str, value):
    if value is None:
        return
    for k, v in _object(where, value).items():
        _text(f"{where}.{k}", v, none=True)


# -- constraints -------------------------------------------------------------------------------
CONSTRAINT_CHECKS = {
    "federations": lambda w, v: _int(w, v, 1, MAX_KEY, none=True),
    "target_size": lambda w, v: _int(w, v, 1, MAX_KEY),
    "min_size": lambda w, v: _int(w, v, 0, MAX_KEY, none=True),
    "max_size": lambda w, v: _int(w, v, 1, MAX_KEY, none=True),
    "weight_column": lambda w, v: _text(w, v, none=True),
    "weight_tolerance": lambda w, v: _number(w, v, 0.0),
    "max_link_m": lambda w, v: _number(w, v, 0.0, positive=True),
    "max_radius_m": lambda w, v: _number(w, v, 0.0, positive=True),
    "boundary_of": _labels,
    "within_boundaries": _bool,
    "boundary_exceptions": _ids,
    "must_link": _groups,
    "cannot_link": lambda w, v: _groups(w, v, 2),
    "contiguous": _bool,
    "fixed_hubs": _ids,
    "balance": _balance,
}


def _constraints(where: str, value, notes: list[str]) -> None:
    if value is None:
        return
    value = _object(where, value)
    for key, item in value.items():
        check = CONSTRAINT_CHECKS.get(key)
        if check is None:
            notes.append(f"{where}.{key} is not a constraint this planner knows; ignored")
            continue
        check(f"{where}.{key}", item)
    lo, hi = value.get("min_size"), value.get("max_size")
    if isinstance(lo, int) and isinstance(hi, int) and lo > hi:
        raise SchemaError(f"{where}.min_size", lo, f"at most max_size ({hi})")


# -- one plan ----------------------------------------------------------------------------------
def _federations(where: str, value) -> set[int]:
    keys: set[int] = set()
    for n, fed in enumerate(_list(where, value)):
        at = f"{where}[{n}]"
        fed = _object(at, fed)
        if "key" not in fed:
            raise SchemaError(f"{at}.key", None, "a whole number from 0 to "
                              f"{MAX_KEY} (the key is missing)")
        _int(f"{at}.key", fed["key"], 0, MAX_KEY)
        if fed["key"] in keys:
            raise SchemaError(f"{at}.key", fed["key"], "a key no other federation has")
        keys.add(fed["key"])
        if "name" in fed:
            _text(f"{at}.name", fed["name"])
        colour = fed.get("colour")
        if colour is not None and not (isinstance(colour, str) and _COLOUR.match(colour)):
            raise SchemaError(f"{at}.colour", colour, "a colour like \"#CC6677\"")
        if "locked" in fed:
            _bool(f"{at}.locked", fed["locked"])
        _id(f"{at}.hub", fed.get("hub"), none=True)
    return keys


def _plan(where: str, member: Mapping, notes: list[str]) -> None:
    keys = _federations(f"{where}.federations", member.get("federations") or [])
    assignment = member.get("assignment")
    if assignment is not None:
        if isinstance(assignment, list):
            raise SchemaError(f"{where}.assignment", assignment,
                              "an object {\"<centre id>\": <federation key>}")
        for cid, key in _object(f"{where}.assignment", assignment).items():
            at = f"{where}.assignment[{cid!r}]"
            _int(at, key, 0, MAX_KEY)
            if key not in keys:
                raise SchemaError(at, key, "the key of a federation in the file (one of "
                                  f"{sorted(keys)[:10]})" if keys else "no key: the file has "
                                  "no federations")
    if member.get("locked_centres") is not None:
        _ids(f"{where}.locked_centres", member["locked_centres"])
    if member.get("params") is not None:
        _object(f"{where}.params", member["params"])
    _constraints(f"{where}.constraints", member.get("constraints"), notes)


def check_member(member: object) -> list[str]:
    """Check a ``"planner"`` member (any version read); notes about ignored keys, or raise
    :class:`SchemaError`."""
    member = _object("planner", member)
    version = member.get("version", 1)
    if isinstance(version, bool) or version not in VERSIONS:
        raise SchemaError("planner.version", version,
                          "1 or 2 (this planner reads versions 1 and 2)")
    notes: list[str] = []
    if version == 1:
        _plan("planner", member, notes)
        return notes
    options = _list("planner.options", member.get("options"))
    if not options:
        raise SchemaError("planner.options", options, "at least one option")
    for n, option in enumerate(options):
        at = f"planner.options[{n}]"
        _plan(at, _object(at, option), notes)  # "name" and "log": planner.geo.planbook
    _int("planner.current", member.get("current", 0), 0, len(options) - 1)
    return notes


def plan_member(member: Mapping) -> Mapping:
    """The version-1 plan a checked member opens on (version 2: its current option)."""
    if member.get("version", 1) == 2:
        return member["options"][member.get("current", 0)]
    return member
