"""A seeded random walk of 10,000 edits (moves, locks, renames, add and remove federation),
undone to the start and redone to the end: the plan returns exactly to each state, federation
order included. The oracle is the recorded state before each edit, not the edit code."""

from __future__ import annotations

import random

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.domain.centres import Centres
from planner.domain.plan import (
    AddFederation,
    EditRefused,
    Federation,
    LockCentres,
    Plan,
    Reassign,
    RemoveFederation,
    SetFederation,
)

STEPS = 10_000


def _plan(n: int = 40, k: int = 5) -> Plan:
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 10_000, size=(n, 2))
    centres = Centres([f"c{i}" for i in range(n)], [f"C{i}" for i in range(n)], xy, xy / 1e5)
    return Plan.from_labels(centres, [i % k for i in range(n)])


def _snapshot(plan: Plan) -> tuple:
    return (tuple(plan.assignment.tolist()), tuple(plan.federations.items()),
            tuple(sorted(plan.locked_centres)))


def _edit(plan: Plan, rnd: random.Random):
    ids = plan.centres.ids
    keys = list(plan.federations)
    roll = rnd.random()
    if roll < 0.45 and keys:
        chosen = rnd.sample(ids, rnd.randint(1, 4))
        return Reassign.make(plan, chosen, rnd.choice(keys + [-1]))
    if roll < 0.6:
        return LockCentres.make(plan, rnd.sample(ids, rnd.randint(1, 3)), rnd.random() < 0.5)
    if roll < 0.75 and keys:
        key = rnd.choice(keys)
        return SetFederation.make(plan, key, name=f"F{rnd.randint(0, 99)}",
                                  locked=rnd.random() < 0.2)
    if roll < 0.87:
        key = plan.next_key()
        return AddFederation(Federation(key, f"New {key}", "#123456"))
    empty = [k for k in keys if not len(plan.members(k))]
    if empty:
        return RemoveFederation(plan.federations[rnd.choice(empty)])
    return None


def _walk(seed: int, steps: int) -> None:
    rnd = random.Random(seed)
    plan = _plan()
    done, states = [], []
    while len(done) < steps:
        try:
            edit = _edit(plan, rnd)
            if edit is None:
                continue
            before = _snapshot(plan)
            edit.apply(plan)
        except EditRefused:
            continue
        states.append(before)
        done.append(edit)
    end = _snapshot(plan)
    for edit, before in zip(reversed(done), reversed(states), strict=True):
        edit.inverse().apply(plan)
        assert _snapshot(plan) == before
    for edit in done:
        edit.apply(plan)
    assert _snapshot(plan) == end


def test_ten_thousand_edits_undo_and_redo_exactly():
    _walk(seed=8, steps=STEPS)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_random_walks_return_to_the_start(seed):
    _walk(seed, 300)


def test_undoing_remove_federation_puts_it_back_where_it_was():
    plan = _plan(n=10, k=3)
    middle = list(plan.federations)[1]
    for cid in plan.member_ids(middle):
        Reassign.make(plan, [cid], list(plan.federations)[0]).apply(plan)
    order = list(plan.federations)
    edit = RemoveFederation(plan.federations[middle])
    edit.apply(plan)
    edit.inverse().apply(plan)
    assert list(plan.federations) == order
