"""The change log of an option: when, who, what (centres, from, to) and why.

Every edit the planner makes adds one :class:`LogEntry`. ``what`` is the edit's description;
``centres``, ``sources`` and ``targets`` are parallel: centre ``centres[i]`` went from federation
``sources[i]`` to ``targets[i]`` (federation names at the time, ``""`` for none). ``reason`` is the
planner's own words, editable at any time. Pure data; files and CSV are in :mod:`planner.geo`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from planner.domain.plan import UNASSIGNED, Plan

__all__ = ["LogEntry", "ChangeLog", "entry_for", "now_iso", "CSV_FIELDS"]

CSV_FIELDS = ("when", "who", "what", "centres", "from", "to", "reason")


def now_iso() -> str:
    """The current time in ISO 8601 (UTC, seconds)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


@dataclass
class LogEntry:
    """One change. Mutable only in ``reason`` (the planner may add or edit it later)."""

    when: str
    who: str
    what: str
    centres: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    reason: str = ""

    def to_json(self) -> dict:
        return {
            "when": self.when, "who": self.who, "what": self.what,
            "centres": list(self.centres), "from": list(self.sources),
            "to": list(self.targets), "reason": self.reason,
        }

    @classmethod
    def from_json(cls, raw: Mapping) -> LogEntry:
        """An entry from its saved form; ValueError names the key that is wrong."""
        if not isinstance(raw, Mapping):
            raise ValueError(f"a log entry must be an object, not {type(raw).__name__}")
        text = {}
        for key in ("when", "who", "what", "reason"):
            value = raw.get(key, "")
            if not isinstance(value, str):
                raise ValueError(f"log entry key {key!r} must be text, not {value!r}")
            text[key] = value
        lists = {}
        for key in ("centres", "from", "to"):
            value = raw.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ValueError(f"log entry key {key!r} must be a list of text")
            lists[key] = tuple(value)
        if not len(lists["centres"]) == len(lists["from"]) == len(lists["to"]):
            raise ValueError("log entry lists 'centres', 'from' and 'to' differ in length")
        return cls(text["when"], text["who"], text["what"], lists["centres"], lists["from"],
                   lists["to"], text["reason"])

    def csv_row(self) -> dict[str, str]:
        """The entry as one CSV row: lists joined with ``"; "`` (from/to: distinct, in order)."""
        return {
            "when": self.when, "who": self.who, "what": self.what,
            "centres": "; ".join(self.centres),
            "from": "; ".join(dict.fromkeys(s or "(none)" for s in self.sources)),
            "to": "; ".join(dict.fromkeys(t or "(none)" for t in self.targets)),
            "reason": self.reason,
        }


@dataclass
class ChangeLog:
    """The entries of one option, oldest first."""

    entries: list[LogEntry] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):
        return iter(self.entries)

    def __getitem__(self, i: int) -> LogEntry:
        return self.entries[i]

    def append(self, entry: LogEntry) -> None:
        self.entries.append(entry)

    def copy(self) -> ChangeLog:
        return ChangeLog([LogEntry(**vars(e)) for e in self.entries])

    def to_json(self) -> list[dict]:
        return [e.to_json() for e in self.entries]

    @classmethod
    def from_json(cls, raw) -> ChangeLog:
        if raw is None:
            return cls()
        if not isinstance(raw, list):
            raise ValueError("'log' must be a list of entries")
        entries = []
        for i, item in enumerate(raw):
            try:
                entries.append(LogEntry.from_json(item))
            except ValueError as exc:
                raise ValueError(f"log entry {i + 1}: {exc}") from None
        return cls(entries)


def _names(plan_feds: Mapping, keys: Iterable[int]) -> tuple[str, ...]:
    return tuple("" if k == UNASSIGNED else plan_feds[k].name for k in keys)


def entry_for(
    what: str,
    before: np.ndarray,
    before_feds: Mapping,
    after: Plan,
    who: str,
    when: str | None = None,
    reason: str = "",
) -> LogEntry:
    """The log entry of an edit described as ``what`` that took ``after``'s assignment from
    ``before`` (with federations ``before_feds``, key -> Federation) to what it is now."""
    rows = np.flatnonzero(np.asarray(before) != after.assignment)
    ids = tuple(after.centres.ids[i] for i in rows)
    sources = _names(before_feds, before[rows].tolist())
    targets = _names(after.federations, after.assignment[rows].tolist())
    return LogEntry(when or now_iso(), who, what, ids, sources, targets, reason)
