"""Plan: centre -> federation assignment, federations (name, colour, hub, lock), and pure edits.

Every edit is a small frozen object with ``apply(plan) -> changed`` and ``inverse()``. ``apply``
returns the set of federation keys whose membership (or figures) changed, so statistics and
outlines update only those. Undo is ``edit.inverse().apply(plan)``: it restores the exact earlier
state. The Qt undo commands only wrap these.

A centre whose federation is :data:`UNASSIGNED` belongs to no federation yet (a freshly loaded
centres file); constraint checks report such centres.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from planner.domain.centres import Centres
from planner.domain.editbase import Edit, EditRefused
from planner.domain.palette import colour_for

__all__ = [
    "UNASSIGNED",
    "Federation",
    "Plan",
    "Edit",
    "Reassign",
    "SetFederation",
    "AddFederation",
    "RemoveFederation",
    "LockCentres",
    "ReplacePlan",
    "CompoundEdit",
    "EditRefused",
]

UNASSIGNED = -1


@dataclass(frozen=True)
class Federation:
    """A federation's settings. ``key`` is stable for the life of a plan; ``hub`` is a centre id."""

    key: int
    name: str
    colour: str
    locked: bool = False
    hub: str | None = None


class Plan:
    """The current assignment of centres to federations.

    ``assignment[i]`` is the federation key of centre row ``i`` (or ``UNASSIGNED``).
    ``federations`` keeps insertion order (the order shown to the planner).
    ``params`` records the engine parameters and seed that produced the plan (saved with it).
    """

    def __init__(
        self,
        centres: Centres,
        assignment: Sequence[int] | np.ndarray | None = None,
        federations: Iterable[Federation] = (),
        locked_centres: Iterable[str] = (),
        params: Mapping | None = None,
    ) -> None:
        self.centres = centres
        n = len(centres)
        if assignment is None:
            assignment = np.full(n, UNASSIGNED, dtype=np.int64)
        self.assignment = np.array(assignment, dtype=np.int64, copy=True)
        if self.assignment.shape != (n,):
            raise ValueError(f"assignment has {self.assignment.shape[0]} entries for {n} centres")
        self.federations: dict[int, Federation] = {}
        for fed in federations:
            if fed.key in self.federations:
                raise ValueError(f"duplicate federation key {fed.key}")
            self.federations[fed.key] = fed
        unknown = set(np.unique(self.assignment).tolist()) - set(self.federations) - {UNASSIGNED}
        if unknown:
            raise ValueError(f"assignment uses unknown federation keys {sorted(unknown)}")
        self.locked_centres: set[str] = {str(c) for c in locked_centres}
        missing = [c for c in self.locked_centres if c not in centres]
        if missing:
            raise ValueError(f"locked centres not in the plan: {', '.join(sorted(missing)[:10])}")
        self.params: dict = dict(params or {})

    # -- construction ------------------------------------------------------------------------
    @classmethod
    def from_labels(
        cls,
        centres: Centres,
        labels: Sequence,
        names: Mapping | None = None,
        params: Mapping | None = None,
    ) -> Plan:
        """A plan from one label per centre (ints, or federation names from a file).

        Labels keep the order in which they first appear (ints sort numerically). ``None``, NaN
        and empty strings mean unassigned.
        """
        clean = []
        for lab in labels:
            if lab is None or (isinstance(lab, float) and np.isnan(lab)) or str(lab).strip() == "":
                clean.append(None)
            else:
                clean.append(lab)
        distinct = list(dict.fromkeys(c for c in clean if c is not None))
        if all(isinstance(d, (int, np.integer)) for d in distinct):
            distinct.sort()
        key_of = {lab: k for k, lab in enumerate(distinct)}
        feds = []
        for lab, k in key_of.items():
            name = (names or {}).get(lab, str(lab) if not isinstance(lab, (int, np.integer))
                                     else f"Federation {k + 1}")
            feds.append(Federation(key=k, name=str(name), colour=colour_for(k)))
        assignment = [UNASSIGNED if c is None else key_of[c] for c in clean]
        return cls(centres, assignment, feds, params=params)

    def copy(self) -> Plan:
        return Plan(
            self.centres,
            self.assignment,
            self.federations.values(),
            self.locked_centres,
            self.params,
        )

    # -- queries -----------------------------------------------------------------------------
    def federation_of(self, centre_id: str) -> int:
        return int(self.assignment[self.centres.index_of(centre_id)])

    def members(self, key: int) -> np.ndarray:
        """Row indices of the centres in federation ``key``."""
        return np.flatnonzero(self.assignment == key)

    def member_ids(self, key: int) -> list[str]:
        return [self.centres.ids[i] for i in self.members(key)]

    def is_locked(self, centre_id: str) -> bool:
        """True if the centre, or its federation, is locked."""
        if centre_id in self.locked_centres:
            return True
        fed = self.federations.get(self.federation_of(centre_id))
        return bool(fed and fed.locked)

    def next_key(self) -> int:
        return max(self.federations, default=-1) + 1

    def state(self) -> tuple:
        """A hashable snapshot of everything edits can change (for tests and dirty tracking)."""
        return (
            tuple(self.assignment.tolist()),
            tuple(self.federations.items()),
            tuple(sorted(self.locked_centres)),
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Plan) and self.centres is other.centres and (
            self.state() == other.state()
        )

    __hash__ = None  # type: ignore[assignment]


@dataclass(frozen=True)
class Reassign(Edit):
    """Move centres to federation ``to``. ``sources[i]`` is where ``ids[i]`` was.

    Build it with :meth:`Reassign.make`, which records the sources and refuses locked centres.
    """

    ids: tuple[str, ...]
    sources: tuple[int, ...]
    to: int
    check_locks: bool = True

    @classmethod
    def make(cls, plan: Plan, ids: Iterable[str], to: int, check_locks: bool = True) -> Reassign:
        ids = tuple(dict.fromkeys(str(i) for i in ids))
        if to != UNASSIGNED and to not in plan.federations:
            raise EditRefused(f"there is no federation {to}")
        if check_locks:
            _refuse_locked(plan, ids, to)
        sources = tuple(plan.federation_of(i) for i in ids)
        return cls(ids, sources, to, check_locks)

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"Move {len(self.ids)} centre{'s' if len(self.ids) != 1 else ''}"

    def apply(self, plan: Plan) -> set[int]:
        rows = plan.centres.indices_of(self.ids)
        current = plan.assignment[rows]
        if not np.array_equal(current, np.asarray(self.sources, dtype=np.int64)):
            raise EditRefused("the plan changed since this move was made")
        if self.check_locks:
            _refuse_locked(plan, self.ids, self.to)
        plan.assignment[rows] = self.to
        changed = set(self.sources) | {self.to}
        changed.discard(UNASSIGNED)
        moved = [i for i, s in zip(self.ids, self.sources, strict=True) if s != self.to]
        return changed if moved else set()

    def inverse(self) -> Edit:
        groups: dict[int, list[str]] = {}
        for cid, src in zip(self.ids, self.sources, strict=True):
            groups.setdefault(src, []).append(cid)
        parts = [
            Reassign(tuple(ids), (self.to,) * len(ids), src, check_locks=False)
            for src, ids in groups.items()
        ]
        return parts[0] if len(parts) == 1 else CompoundEdit(tuple(parts), self.description)


def _refuse_locked(plan: Plan, ids: Sequence[str], to: int) -> None:
    locked = [i for i in ids if i in plan.locked_centres]
    if locked:
        raise EditRefused(
            f"centre {_label(plan, locked[0])} is locked"
            + (f" (and {len(locked) - 1} more)" if len(locked) > 1 else "")
        )
    for i in ids:
        src = plan.federation_of(i)
        fed = plan.federations.get(src)
        if fed and fed.locked and src != to:
            raise EditRefused(f"federation {fed.name!r} is locked")
    target = plan.federations.get(to)
    if target and target.locked and any(plan.federation_of(i) != to for i in ids):
        raise EditRefused(f"federation {target.name!r} is locked")


def _label(plan: Plan, cid: str) -> str:
    return f"{plan.centres.names[plan.centres.index_of(cid)]} ({cid})"


@dataclass(frozen=True)
class SetFederation(Edit):
    """Replace one federation's settings (name, colour, lock, hub): ``before`` -> ``after``."""

    before: Federation
    after: Federation

    @classmethod
    def make(cls, plan: Plan, key: int, **changes) -> SetFederation:
        before = plan.federations[key]
        after = replace(before, **changes)
        if after.hub is not None and plan.federation_of(after.hub) != key:
            raise EditRefused(f"hub {after.hub} is not a member of {before.name!r}")
        return cls(before, after)

    @property
    def description(self) -> str:  # type: ignore[override]
        b, a = self.before, self.after
        if b.name != a.name:
            return f"Rename {b.name!r} to {a.name!r}"
        if b.locked != a.locked:
            return f"{'Lock' if a.locked else 'Unlock'} {a.name!r}"
        if b.hub != a.hub:
            return f"Set hub of {a.name!r}"
        return f"Change {a.name!r}"

    def apply(self, plan: Plan) -> set[int]:
        if plan.federations.get(self.before.key) != self.before:
            raise EditRefused("the federation changed since this edit was made")
        plan.federations[self.before.key] = self.after
        return {self.before.key}

    def inverse(self) -> Edit:
        return SetFederation(self.after, self.before)


@dataclass(frozen=True)
class AddFederation(Edit):
    """Add an empty federation at ``position`` in the panel's order (None: at the end)."""

    federation: Federation
    position: int | None = None
    description = "Add federation"

    def apply(self, plan: Plan) -> set[int]:
        if self.federation.key in plan.federations:
            raise EditRefused(f"federation key {self.federation.key} exists")
        items = list(plan.federations.items())
        at = len(items) if self.position is None else max(0, min(self.position, len(items)))
        items.insert(at, (self.federation.key, self.federation))
        plan.federations = dict(items)
        return {self.federation.key}

    def inverse(self) -> Edit:
        return RemoveFederation(self.federation)


@dataclass(frozen=True)
class RemoveFederation(Edit):
    """Remove an empty federation; undoing it puts it back where it was in the order."""

    federation: Federation
    description = "Remove federation"

    def apply(self, plan: Plan) -> set[int]:
        key = self.federation.key
        if len(plan.members(key)):
            raise EditRefused(f"federation {self.federation.name!r} still has centres")
        if plan.federations.get(key) != self.federation:
            raise EditRefused("the federation changed since this edit was made")
        # Where it stood, for inverse(): an edit is applied before it is inverted (undo).
        object.__setattr__(self, "_position", list(plan.federations).index(key))
        del plan.federations[key]
        return {key}

    def inverse(self) -> Edit:
        return AddFederation(self.federation, getattr(self, "_position", None))


@dataclass(frozen=True)
class LockCentres(Edit):
    """Lock (``lock=True``) or unlock centres. Records which ones actually changed."""

    ids: tuple[str, ...]
    lock: bool

    @classmethod
    def make(cls, plan: Plan, ids: Iterable[str], lock: bool) -> LockCentres:
        ids = tuple(i for i in dict.fromkeys(map(str, ids)) if (i in plan.locked_centres) != lock)
        return cls(ids, lock)

    @property
    def description(self) -> str:  # type: ignore[override]
        return f"{'Lock' if self.lock else 'Unlock'} {len(self.ids)} centre(s)"

    def apply(self, plan: Plan) -> set[int]:
        if self.lock:
            plan.locked_centres.update(self.ids)
        else:
            plan.locked_centres.difference_update(self.ids)
        return {plan.federation_of(i) for i in self.ids} - {UNASSIGNED}

    def inverse(self) -> Edit:
        return LockCentres(self.ids, not self.lock)


# The edits that replace or group others live in their own module; they are part of this API.
from planner.domain.compound import CompoundEdit, ReplacePlan  # noqa: E402
