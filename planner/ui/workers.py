"""Run a clustering generator off the GUI thread: progress, cancel, errors.

The engine is a plain generator (``for progress in federate(...)``). :class:`GeneratorWorker` runs
one in a :class:`QThread` with the worker-object pattern: a private runner object is moved to the
thread and pulls the generator there; everything it reports crosses back to the GUI thread as
queued signals, which the worker re-emits. So every public signal is emitted in the thread that
owns the :class:`GeneratorWorker` (the GUI thread), and nothing here touches a widget.

Usage::

    worker = GeneratorWorker(lambda: federate(centres, constraints, seed=seed), parent=dialog)
    worker.progress.connect(on_progress)      # (fraction 0..1, message); throttled
    worker.finished.connect(on_finished)      # the generator's return value
    worker.infeasible.connect(on_infeasible)  # list[str]: explain.Infeasible's reasons
    worker.failed.connect(on_failed)          # str: a message (also after ``infeasible``)
    worker.cancelled.connect(on_cancelled)
    worker.start()
    ...
    worker.cancel()                           # checked between yields; the generator is closed

Exactly one of ``finished``, ``failed`` or ``cancelled`` ends every run, emitted only after
the thread has stopped, so ``is_running()`` is already False in its slots. Call
:meth:`GeneratorWorker.shutdown` before the owner goes away if a run may still be going (dialogs do
it in ``done()``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

__all__ = ["GeneratorWorker", "progress_of", "running_threads", "stop_all"]

log = logging.getLogger(__name__)


#: Progress is re-emitted at most this often (seconds) ...
THROTTLE_S = 0.05
#: ... unless the fraction moved at least this much since the last report.
THROTTLE_STEP = 0.01

# Every run's thread, cancel flag and runner, kept alive here until the thread has stopped, even if
# the worker that started it is deleted first (a QThread destroyed while running aborts Qt).
_ACTIVE: dict[QThread, tuple[threading.Event, QObject]] = {}


def _purge() -> None:
    for thread in [t for t in _ACTIVE if not t.isRunning()]:
        del _ACTIVE[thread]


def running_threads() -> list[QThread]:
    """Threads started by any :class:`GeneratorWorker` that are still running (for tests)."""
    _purge()
    return list(_ACTIVE)


def stop_all(timeout_ms: int = 10_000) -> bool:
    """Cancel every run and wait for the threads (application exit, test clean-up).

    True if none is left running. The runs' ending signals may still arrive later.
    """
    for event, _runner in _ACTIVE.values():
        event.set()
    ok = all(thread.wait(timeout_ms) for thread in list(_ACTIVE))
    _purge()
    return ok


def progress_of(item: Any) -> tuple[float, str]:
    """``(fraction, message)`` from what a generator yields.

    Accepts the engine's ``Progress(fraction, message)`` (anything with those attributes), a
    ``(fraction, message)`` pair, or a bare number.
    """
    if hasattr(item, "fraction"):
        return float(item.fraction), str(getattr(item, "message", "") or "")
    if isinstance(item, tuple) and len(item) == 2:
        return float(item[0]), str(item[1])
    if isinstance(item, (int, float)):
        return float(item), ""
    return 0.0, str(item)


def _message(exc: BaseException) -> str:
    text = str(exc).strip()
    return text or type(exc).__name__


def _reasons(exc: BaseException) -> list[str] | None:
    """The reasons of an ``explain.Infeasible`` (matched by name: the engine may not be loaded)."""
    if type(exc).__name__ != "Infeasible":
        return None
    reasons = getattr(exc, "reasons", None)
    if reasons is None:
        reasons = list(exc.args[0]) if exc.args and isinstance(exc.args[0], (list, tuple)) else [
            _message(exc)
        ]
    return [str(r) for r in reasons]


class _Runner(QObject):
    """Lives in the worker thread while it runs; pulls the generator there."""

    progressed = Signal(int, float, str)  # run id, fraction, message
    ended = Signal(int, str, object)  # run id, finished | failed | infeasible | cancelled, payload

    def __init__(
        self,
        run_id: int,
        factory: Callable[[], Iterator],
        cancel_event: threading.Event,
        home: QThread,
    ) -> None:
        super().__init__()
        self._run_id = run_id
        self._factory = factory
        self._cancel = cancel_event
        self._home = home

    @Slot()
    def run(self) -> None:
        kind, payload = self._pull()
        # Hand the object back to its owner's thread (it is deleted there), report, and end this
        # thread: it has nothing else to do.
        self.moveToThread(self._home)
        self.ended.emit(self._run_id, kind, payload)
        QThread.currentThread().quit()

    def _pull(self) -> tuple[str, object]:
        gen: Generator | Iterator | None = None
        try:
            if self._cancel.is_set():
                return "cancelled", None
            gen = self._factory()
            last_t = -1.0
            last_f = -1.0
            while True:
                if self._cancel.is_set():
                    return "cancelled", None
                try:
                    item = next(gen)
                except StopIteration as stop:
                    return "finished", stop.value
                if self._cancel.is_set():
                    return "cancelled", None
                fraction, message = progress_of(item)
                now = time.monotonic()
                if (now - last_t >= THROTTLE_S or abs(fraction - last_f) >= THROTTLE_STEP
                        or last_t < 0):
                    last_t, last_f = now, fraction
                    self.progressed.emit(self._run_id, fraction, message)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message for the planner
            reasons = _reasons(exc)
            if reasons is not None:
                return "infeasible", reasons
            log.exception("background run failed")
            return "failed", _message(exc)
        finally:
            close = getattr(gen, "close", None)
            if close is not None:
                try:
                    close()  # runs the generator's finally blocks (after a cancel, too)
                except Exception:  # noqa: BLE001
                    log.exception("closing the generator failed")


class GeneratorWorker(QObject):
    """Runs ``factory()`` (a callable returning a generator) in a QThread.

    Signals (all emitted in the owner's thread):

    ``progress(float, str)``
        A yielded ``Progress(fraction, message)``; at most every 50 ms unless the fraction moved
        by 1% or more.
    ``finished(object)``
        The generator's return value (``StopIteration.value``).
    ``infeasible(list)``
        The reasons of an ``explain.Infeasible`` raised by the generator; ``failed`` follows with
        the reasons joined by newlines.
    ``failed(str)``
        Any other exception's message.
    ``cancelled()``
        :meth:`cancel` was honoured: the generator was closed (its ``finally`` ran).
    """

    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str)
    infeasible = Signal(list)
    cancelled = Signal()

    def __init__(self, factory: Callable[[], Iterator], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._factory = factory
        self._cancel = threading.Event()
        self._thread: QThread | None = None
        self._runner: _Runner | None = None
        self._run_id = 0
        #: "finished", "failed", "infeasible" or "cancelled" once a run has ended, else None.
        self.outcome: str | None = None
        #: The last run's return value (finished) or message/reasons (failed/infeasible).
        self.result: object = None

    # -- control --------------------------------------------------------------------------------
    def start(self) -> None:
        """Start a run. ``RuntimeError`` if one is already running."""
        if self.is_running():
            raise RuntimeError("a run is already in progress")
        self._cancel.clear()
        self.outcome = None
        self.result = None
        self._run_id += 1
        thread = QThread()
        thread.setObjectName("planner-generator-worker")
        runner = _Runner(self._run_id, self._factory, self._cancel, self.thread())
        runner.moveToThread(thread)
        runner.progressed.connect(self._on_progress)
        runner.ended.connect(self._on_ended)
        thread.started.connect(runner.run)
        self._thread, self._runner = thread, runner
        _purge()
        _ACTIVE[thread] = (self._cancel, runner)
        thread.start()

    def cancel(self) -> None:
        """Ask the run to stop at its next yield. ``cancelled`` follows (unless it just ended)."""
        self._cancel.set()

    def is_cancelling(self) -> bool:
        return self._cancel.is_set() and self.is_running()

    def is_running(self) -> bool:
        """True from :meth:`start` until the run's ending signal (or a completed shutdown)."""
        return self._thread is not None

    def wait(self, timeout_ms: int = -1) -> bool:
        """Block until the thread stops (True) or ``timeout_ms`` passes (False). No signals."""
        if self._thread is None:
            return True
        if timeout_ms < 0:
            return self._thread.wait()
        return self._thread.wait(timeout_ms)

    def shutdown(self, timeout_ms: int = 30_000) -> bool:
        """Cancel any run and wait for its thread to stop. True if no thread is left running.

        The outcome signal of a run stopped this way is not emitted (the owner is going away).
        """
        if self._thread is None:
            return True
        self._cancel.set()
        thread = self._thread
        stopped = thread.wait(timeout_ms) if thread.isRunning() else True
        if stopped:
            self._discard()
        return stopped

    # -- from the runner (queued into this thread) ----------------------------------------------
    @Slot(int, float, str)
    def _on_progress(self, run_id: int, fraction: float, message: str) -> None:
        if run_id == self._run_id and self._thread is not None and not self._cancel.is_set():
            self.progress.emit(fraction, message)

    @Slot(int, str, object)
    def _on_ended(self, run_id: int, kind: str, payload: object) -> None:
        if run_id != self._run_id or self._thread is None:
            return  # a run stopped by shutdown(): its owner no longer listens
        self._thread.wait()  # the runner has quit it; this returns at once
        self._discard()
        self.outcome, self.result = kind, payload
        if kind == "finished":
            self.finished.emit(payload)
        elif kind == "cancelled":
            self.cancelled.emit()
        elif kind == "infeasible":
            reasons = list(payload)  # type: ignore[arg-type]
            self.infeasible.emit(reasons)
            self.failed.emit("\n".join(reasons))
        else:
            self.failed.emit(str(payload))

    def _discard(self) -> None:
        if self._thread is not None:
            _ACTIVE.pop(self._thread, None)
        # Both C++ objects are owned by Python: dropping the last references deletes them, here
        # in the owner's thread, after the worker thread has stopped.
        self._runner = self._thread = None
