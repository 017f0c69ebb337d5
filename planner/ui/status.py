"""The status bar: selection summary, rule check, messages and the live preview of a drag."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QStatusBar

from planner.domain.plan import UNASSIGNED
from planner.ui.document import Document
from planner.ui.preview import describe, preview_move

__all__ = ["StatusController"]

MESSAGE_MS = 8000


class StatusController(QObject):
    """Keeps ``bar`` in step with ``document``; :meth:`preview` shows what a drag would do."""

    def __init__(self, bar: QStatusBar, document: Document) -> None:
        super().__init__(bar)
        self.bar = bar
        self.document = document
        self.selection_label = QLabel(bar)
        self.selection_label.setObjectName("selectionSummary")
        self.problems_label = QLabel(bar)
        self.problems_label.setObjectName("problemsSummary")
        bar.addPermanentWidget(self.selection_label)
        bar.addPermanentWidget(self.problems_label)
        document.status_message.connect(self.message)
        document.selection_changed.connect(self._show_selection)
        document.plan_changed.connect(self.refresh)
        document.plan_replaced.connect(self.refresh)
        self.refresh()

    def message(self, text: str, timeout: int = MESSAGE_MS) -> None:
        self.bar.showMessage(text, timeout)

    # -- drag preview ---------------------------------------------------------------------------
    def preview(self, ids, to_key: int) -> None:
        """Show the figures the drag of ``ids`` onto ``to_key`` would produce (-1: off target)."""
        ids = [str(i) for i in ids]
        if not ids or to_key is None or to_key == UNASSIGNED:
            if ids:
                n = len(ids)
                self.bar.showMessage(
                    f"Moving {n} centre{'s' if n != 1 else ''}: drop on a federation "
                    "(map or panel); Esc cancels"
                )
            else:
                self.bar.clearMessage()
            return
        plan = self.document.plan
        if to_key not in plan.federations:
            return
        result = preview_move(plan, self.document.stats, ids, to_key, self.document.reach_stats)
        weighted = self.document.stats.weights is not None
        self.bar.showMessage(describe(plan, result, weighted))

    # -- summaries ---------------------------------------------------------------------------
    def _show_selection(self, ids) -> None:
        plan = self.document.plan
        ids = [i for i in ids if i in plan.centres]
        if not ids:
            self.selection_label.setText(f"{len(plan.centres)} centres")
            return
        counts = Counter(plan.federation_of(i) for i in ids)
        names = [
            (plan.federations[k].name if k != UNASSIGNED else "no federation", c)
            for k, c in counts.most_common()
        ]
        where = ", ".join(f"{c} in {n}" for n, c in names[:3])
        if len(names) > 3:
            where += f", \u2026 ({len(names)} federations)"
        locked = sum(1 for i in ids if plan.is_locked(i))
        text = f"{len(ids)} selected: {where}"
        if locked:
            text += f"; {locked} locked"
        self.selection_label.setText(text)

    def _show_problems(self) -> None:
        problems = self.document.violations()
        if not problems:
            self.problems_label.setText("All rules kept")
            self.problems_label.setToolTip("")
        else:
            n = len(problems)
            self.problems_label.setText(f"\u26a0 {n} problem{'s' if n != 1 else ''}")
            self.problems_label.setToolTip("\n".join(str(p) for p in problems[:30]))

    def refresh(self, _keys=None) -> None:
        """Problems and selection summary after any change (an edit or a new plan)."""
        self._show_problems()
        self._show_selection(self.document.selection)
