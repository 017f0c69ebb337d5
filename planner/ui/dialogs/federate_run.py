"""The auto-federate dialog's run: a worker thread, progress, Cancel, and what comes back.

:class:`RunMixin` is mixed into :class:`~planner.ui.dialogs.federate_dialog.FederateDialog`,
which provides ``_factory()`` (the run's generator), the widgets and ``_show_problems``. Exactly
one of finished / failed / cancelled ends a run; closing the dialog stops a run first.
"""

from __future__ import annotations

from planner.domain.plan import Plan
from planner.ui.dialogs.federate_fields import sentence
from planner.ui.workers import GeneratorWorker

__all__ = ["RunMixin", "authority_land"]


def authority_land(layer):
    """An authority's centres -> the link arrays of their cells on the land of ``layer`` (the
    document's boundary layer; None: the points' hull), for "each authority separately". It is
    called in the run's thread, so the window stays responsive."""
    from planner.geo.land import land_for

    def links(authority_centres):
        return land_for(authority_centres, layer).links()

    return links


class RunMixin:
    """Run, cancel and collect the result (on a QDialog with the federate form)."""

    def _init_run_state(self) -> None:
        # Not ``self.result``: that would hide QDialog.result().
        self.federate_result = None
        self.result_plan: Plan | None = None
        self.approximations: list[str] = []
        self._worker: GeneratorWorker | None = None
        self._running = False

    def is_running(self) -> bool:
        return self._running

    @property
    def worker(self) -> GeneratorWorker | None:
        """The worker of the run in progress (None when idle)."""
        return self._worker

    def run(self) -> bool:
        """Start the run in a worker thread. False (and nothing runs) if the request is refused.
        """
        if self._running:
            return False
        # Re-check only if a change is still waiting for its check (the dialog is modal: nothing
        # else changes the request); the diagnosis prepares the whole problem.
        pending = self._check_timer.isActive()
        if self.refresh_problems() if pending else self.problems():
            return False
        factory = self._factory()
        self.federate_result = self.result_plan = None
        self.approximations = []
        self._worker = worker = GeneratorWorker(factory, self)
        worker.progress.connect(self._on_progress)
        worker.finished.connect(self._on_finished)
        worker.infeasible.connect(self._on_infeasible)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        self._set_running(True)
        self.status_label.setText("Starting\u2026")
        worker.start()
        return True

    def cancel_run(self) -> None:
        """Stop the run at its next step; the dialog stays open and says "Cancelled"."""
        if self._worker is not None and self._running:
            self._worker.cancel()
            self.cancel_button.setEnabled(False)
            self.status_label.setText("Cancelling\u2026")

    def _set_running(self, running: bool) -> None:
        self._running = running
        for group in self._inputs:
            group.setEnabled(not running)
        self.run_button.setEnabled(not running and not self._problems)
        self.cancel_button.setEnabled(running)
        self.progress_bar.setVisible(running)
        if running:
            self.progress_bar.setValue(0)
            self._show_problems([])
        else:
            self._update_enabled()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress_bar.setValue(int(round(max(0.0, min(1.0, fraction)) * 1000)))
        if message:
            self.status_label.setText(message)

    def _release_worker(self) -> None:
        if self._worker is not None:
            self._worker.deleteLater()
            self._worker = None

    def _on_finished(self, result: object) -> None:
        self._set_running(False)
        self._release_worker()
        plan = getattr(result, "plan", result)
        if not isinstance(plan, Plan):
            self._show_problems([f"The engine returned no plan ({type(result).__name__})."])
            self.status_label.setText("")
            return
        self.federate_result = result
        self.result_plan = plan
        self.approximations = [str(a) for a in (getattr(result, "approximations", None) or [])]
        self.status_label.setText(self.summary())
        self.result_ready.emit(result)
        self.accept()

    def _on_infeasible(self, reasons: list) -> None:
        self._show_problems([sentence(r) for r in reasons],
                            "The engine cannot meet this request:")

    def _on_failed(self, message: str) -> None:
        self._set_running(False)
        self._release_worker()
        self.status_label.setText("")
        if self.problem_label.isHidden():  # not already explained by _on_infeasible
            self._show_problems([message], "The run failed:")
        self.worker_failed.emit(message)

    def _on_cancelled(self) -> None:
        self._set_running(False)
        self._release_worker()
        self.status_label.setText("Cancelled")

    def summary(self) -> str:
        """One line for the status bar: what the run made and anything met only approximately
        (each authority separately: how many authorities, as one federation, not planned)."""
        if self.result_plan is None:
            return ""
        k = len(self.result_plan.federations)
        text = f"{self.windowTitle()}: {k} federation{'s' if k != 1 else ''}"
        authorities = getattr(self.federate_result, "authorities", None)
        if authorities is not None:
            single = sum(1 for a in authorities if a.status == "one federation")
            refused = [a.authority for a in authorities if a.status == "refused"]
            text += f" in {len(authorities) - len(refused)} authorities ({single} as one)"
            if refused:
                text += "; not planned: " + ", ".join(refused)
            return text
        if self.approximations:
            text += "; met only approximately: " + "; ".join(self.approximations)
        return text

    def done(self, code: int) -> None:
        """Closing (Close, Esc, the window's X) stops a run first: no thread outlives the dialog."""
        if self._worker is not None:
            self._worker.shutdown()
            self._release_worker()
            self._set_running(False)
        self._check_timer.stop()
        super().done(code)
