"""Options: named plans over one centre table; names unique; copies independent."""

from __future__ import annotations

import numpy as np
import pytest

from planner.domain.centres import Centres
from planner.domain.changelog import ChangeLog, LogEntry, entry_for
from planner.domain.options import Option, OptionRefused, PlanBook
from planner.domain.plan import Plan, Reassign, SetFederation


def small_plan(n: int = 6) -> Plan:
    xy = np.column_stack([np.arange(n) * 1000.0, np.zeros(n)])
    c = Centres([f"C{i}" for i in range(n)], [f"Centre {i}" for i in range(n)], xy,
                np.column_stack([xy[:, 0] / 1e5, np.full(n, 51.0)]))
    return Plan.from_labels(c, ["N", "N", "N", "S", "S", "S"][:n])


def test_duplicate_is_independent_and_named_by_the_next_letter():
    book = PlanBook.single(small_plan())
    i = book.duplicate(0)
    assert book.names() == ["Option A", "Option B"] and i == 1
    Reassign.make(book.options[1].plan, ["C0"], 1).apply(book.options[1].plan)
    assert book.options[0].plan.federation_of("C0") == 0  # the original is untouched
    assert book.options[1].plan.federation_of("C0") == 1


def test_names_are_unique_and_not_blank():
    book = PlanBook.single(small_plan())
    book.duplicate(0)
    with pytest.raises(OptionRefused, match="already"):
        book.rename(1, "Option A")
    with pytest.raises(OptionRefused, match="name"):
        book.rename(1, "   ")
    book.rename(1, "  Coastal  ")
    assert book.names() == ["Option A", "Coastal"]
    assert book.unique_name("Coastal") == "Coastal (2)"


def test_remove_keeps_the_current_option_and_refuses_the_last():
    book = PlanBook.single(small_plan())
    book.duplicate(0)
    book.duplicate(1)
    book.current = 2
    removed = book.remove(0)
    assert removed.name == "Option A" and book.current == 1
    assert book.current_option.name == "Option C"
    book.remove(1)
    assert book.current == 0
    with pytest.raises(OptionRefused, match="last"):
        book.remove(0)


def test_options_must_share_centres():
    with pytest.raises(OptionRefused, match="different centres"):
        PlanBook([Option("A", small_plan(6)), Option("B", small_plan(5))])


def test_log_entry_names_the_centres_and_both_federations():
    plan = small_plan()
    before, feds = plan.assignment.copy(), dict(plan.federations)
    SetFederation.make(plan, 1, name="South Coast").apply(plan)
    Reassign.make(plan, ["C1", "C2"], 1).apply(plan)
    entry = entry_for("Move 2 centres", before, feds, plan, who="ann", when="2026-01-02T03:04:05")
    assert entry.centres == ("C1", "C2")
    assert entry.sources == ("N", "N") and entry.targets == ("South Coast", "South Coast")
    assert entry.csv_row()["from"] == "N" and entry.csv_row()["to"] == "South Coast"


def test_log_round_trips_through_json_and_refuses_bad_entries():
    log = ChangeLog([LogEntry("2026-01-01T00:00:00+00:00", "ann", "Move", ("C1",), ("N",),
                              ("S",), "parents asked")])
    assert ChangeLog.from_json(log.to_json()) == log
    with pytest.raises(ValueError, match="entry 1.*'who'"):
        ChangeLog.from_json([{"when": "x", "who": 3}])
    with pytest.raises(ValueError, match="differ in length"):
        ChangeLog.from_json([{"centres": ["C1"], "from": [], "to": []}])
