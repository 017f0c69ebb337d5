"""Slots: federations the engine must fill, pinned by locked centres or by a fixed hub."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from planner.clustering.rules.counts import label
from planner.clustering.rules.links import Units
from planner.clustering.rules.locks import Locks
from planner.domain.centres import Centres
from planner.domain.constraints import Constraints
from planner.domain.plan import Federation, Plan

__all__ = ["Slot", "Slots", "slots"]


@dataclass
class Slot:
    """A federation the engine must fill: an existing one (pinned) or one with a fixed hub."""

    key: int | None  # existing federation key, None for a new federation
    federation: Federation | None  # the existing settings (name, colour) to keep
    hub_row: int = -1  # fixed hub centre row, -1 when the engine chooses
    region: int = -1


@dataclass
class Slots:
    slots: list[Slot]
    unit_pin: np.ndarray  # slot per unit, -1 when free
    reasons: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def slots(centres: Centres, c: Constraints, lk: Locks, un: Units, current: Plan | None,
          k_free: int) -> Slots:
    """Slots for locked centres' federations and fixed hubs; why they clash."""
    out = Slots([], np.full(len(un.units), -1, dtype=np.intp))
    slot_of_key = _pinned(centres, lk, un, current, out)
    # Hubs the planner fixed: the hub of a federation that keeps locked centres (it stays that
    # federation's hub), and Constraints.fixed_hubs (each the hub of a federation of its own).
    hub_slot: list[tuple[str, int]] = []
    for key, s in slot_of_key.items():
        hub = current.federations[key].hub  # type: ignore[union-attr]
        if hub is not None and hub in centres and int(
            lk.key_of_row[centres.index_of(hub)]
        ) == key:
            hub_slot.append((hub, s))
    hub_slot += [(h, -1) for h in c.fixed_hubs if h not in {x for x, _ in hub_slot}]
    for hid, want in hub_slot:
        if hid not in centres:
            out.notes.append(f"fixed hub {hid} is not among the centres and was ignored")
        elif centres.index_of(hid) not in lk.locked_rows:
            _fix_hub(centres, centres.index_of(hid), want, un, out)
    if len(out.slots) > k_free:
        out.reasons.append(f"{len(out.slots)} federations are fixed by locked centres or hubs, "
                           f"more than the {k_free} left to make")
    return out


def _pinned(centres: Centres, lk: Locks, un: Units, current: Plan | None,
            out: Slots) -> dict[int, int]:
    """A slot per federation holding locked centres; their units pinned to it."""
    slot_of_key: dict[int, int] = {}
    for r, key in sorted(lk.pinned_key.items()):
        if key not in slot_of_key:
            slot_of_key[key] = len(out.slots)
            out.slots.append(Slot(key, current.federations[key]))  # type: ignore[union-attr]
        s = slot_of_key[key]
        u = un.unit_of[r]
        if out.unit_pin[u] >= 0 and out.unit_pin[u] != s:
            other = next(x for x in un.units[u] if lk.pinned_key.get(x, key) != key)
            out.reasons.append(
                f"centres {label(centres, r)} and {label(centres, other)} must be together but "
                "are locked in different federations"
            )
        out.unit_pin[u] = s
    return slot_of_key


def _fix_hub(centres: Centres, r: int, want: int, un: Units, out: Slots) -> None:
    """Make row r the hub of slot ``want`` (or of a new slot when ``want`` is -1)."""
    u = un.unit_of[r]
    s = int(out.unit_pin[u])
    if s < 0:
        if want >= 0:
            s = want
        else:
            s = len(out.slots)
            out.slots.append(Slot(None, None))
        out.unit_pin[u] = s
    elif want >= 0 and s != want:
        out.reasons.append(
            f"{label(centres, r)} is the hub of {out.slots[want].federation.name} but "  # type: ignore[union-attr]
            f"is linked to centres locked in {out.slots[s].federation.name}"  # type: ignore[union-attr]
        )
        return
    if out.slots[s].hub_row >= 0 and out.slots[s].hub_row != r:
        out.reasons.append(
            f"centres {label(centres, out.slots[s].hub_row)} and {label(centres, r)} are both "
            "fixed as hubs but must share a federation"
        )
        return
    out.slots[s].hub_row = r
