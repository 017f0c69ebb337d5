"""GeneratorWorker: runs a generator in a QThread, reports progress, finishes, fails, cancels."""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass

import pytest

from planner.ui import workers
from planner.ui.workers import GeneratorWorker, progress_of

TIMEOUT = 10_000


@pytest.fixture(autouse=True)
def no_dangling_threads(qtbot):
    """Fail a test that leaves a worker thread running; stop it first so the next test is safe."""
    yield
    left = workers.running_threads()
    if left:
        workers.stop_all(TIMEOUT)
    assert not left, f"{len(left)} worker thread(s) still running after the test"


@dataclass
class Step:
    fraction: float
    message: str


def counting(n: int, log: list, *, fail_at: int | None = None, result="done"):
    """Yields n steps; records the thread it ran in and whether its finally ran."""
    log.append(("thread", threading.get_ident()))
    try:
        for i in range(n):
            if i == fail_at:
                raise ValueError(f"step {i} went wrong")
            yield Step((i + 1) / n, f"step {i + 1} of {n}")
        return result
    finally:
        log.append("finally")


def endless(log: list, started: threading.Event):
    """Yields forever until closed (a long engine run)."""
    try:
        i = 0
        while True:
            i += 1
            started.set()
            yield Step(min(0.99, i / 1e6), f"step {i}")
    finally:
        log.append("finally")


def test_progress_and_finished_value(qtbot):
    log: list = []
    worker = GeneratorWorker(lambda: counting(5, log, result={"plan": 42}))
    seen: list[tuple[float, str]] = []
    worker.progress.connect(lambda f, m: seen.append((f, m)))
    with qtbot.waitSignal(worker.finished, timeout=TIMEOUT) as blocker:
        worker.start()
        assert worker.is_running()
    assert blocker.args == [{"plan": 42}]
    assert not worker.is_running()
    assert worker.outcome == "finished"
    # Every step moves the fraction by 20% (more than the 1% throttle step): all are reported.
    assert seen == [((i + 1) / 5, f"step {i + 1} of 5") for i in range(5)]
    # The generator ran in another thread and was closed.
    assert log[0][1] != threading.get_ident()
    assert log[-1] == "finally"


def test_progress_is_throttled(qtbot):
    n = 20_000  # tiny fraction steps, yielded as fast as possible
    worker = GeneratorWorker(lambda: ((i / n, "") for i in range(n)))
    seen: list[float] = []
    worker.progress.connect(lambda f, m: seen.append(f))
    with qtbot.waitSignal(worker.finished, timeout=TIMEOUT):
        worker.start()
    # One per 1% step plus one per 50 ms of running: a few hundred at most, never 20,000.
    assert 1 <= len(seen) <= 300
    assert seen == sorted(seen)


def test_failure_message(qtbot):
    log: list = []
    worker = GeneratorWorker(lambda: counting(10, log, fail_at=3))
    finished: list = []
    worker.finished.connect(finished.append)
    with qtbot.waitSignal(worker.failed, timeout=TIMEOUT) as blocker:
        worker.start()
    assert blocker.args == ["step 3 went wrong"]
    assert finished == []
    assert log[-1] == "finally"
    assert not worker.is_running()


def test_factory_failure_is_reported(qtbot):
    def factory():
        raise KeyError("no column 'pupils'")

    worker = GeneratorWorker(factory)
    with qtbot.waitSignal(worker.failed, timeout=TIMEOUT) as blocker:
        worker.start()
    assert "pupils" in blocker.args[0]


class Infeasible(Exception):
    """Stands in for planner.clustering.explain.Infeasible (matched by name and ``reasons``)."""

    def __init__(self, reasons):
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


def test_infeasible_reports_reasons(qtbot):
    reasons = ["73 centres cannot make 5 federations of 18-22", "weight column is empty"]

    def gen():
        raise Infeasible(reasons)
        yield  # pragma: no cover - makes this a generator

    worker = GeneratorWorker(gen)
    got: list = []
    worker.infeasible.connect(got.append)
    with qtbot.waitSignal(worker.failed, timeout=TIMEOUT) as blocker:
        worker.start()
    assert got == [reasons]
    assert blocker.args == ["\n".join(reasons)]
    assert worker.outcome == "infeasible"


def test_the_engine_s_infeasible_error_is_reported_as_infeasible(qtbot):
    from planner.clustering import explain

    def gen():
        raise explain.Infeasible(["too few centres"])
        yield  # pragma: no cover

    worker = GeneratorWorker(gen)
    with qtbot.waitSignal(worker.infeasible, timeout=TIMEOUT) as blocker:
        worker.start()
    assert blocker.args == [["too few centres"]]
    qtbot.waitUntil(lambda: not worker.is_running(), timeout=TIMEOUT)


def test_cancel_mid_run_closes_the_generator(qtbot):
    log: list = []
    started = threading.Event()
    worker = GeneratorWorker(lambda: endless(log, started))
    finished: list = []
    worker.finished.connect(finished.append)
    worker.failed.connect(finished.append)
    with qtbot.waitSignal(worker.progress, timeout=TIMEOUT):
        worker.start()
    with qtbot.waitSignal(worker.cancelled, timeout=TIMEOUT):
        worker.cancel()
    assert log == ["finally"]
    assert finished == []
    assert worker.outcome == "cancelled"
    assert not worker.is_running()
    assert workers.running_threads() == []


def test_no_progress_after_cancel(qtbot):
    started = threading.Event()
    worker = GeneratorWorker(lambda: endless([], started))
    with qtbot.waitSignal(worker.progress, timeout=TIMEOUT):
        worker.start()
    after: list = []
    worker.cancel()
    worker.progress.connect(after.append)
    qtbot.waitSignal(worker.cancelled, timeout=TIMEOUT).wait()
    assert after == []


def test_cancel_before_the_first_step_runs_no_step(qtbot):
    gate = threading.Event()
    steps: list = []

    def body():
        steps.append("ran")
        yield (0.5, "half")

    def factory():
        gate.wait(TIMEOUT / 1000)  # the run cannot reach its first step before cancel()
        return body()

    worker = GeneratorWorker(factory)
    with qtbot.waitSignal(worker.cancelled, timeout=TIMEOUT):
        worker.start()
        worker.cancel()
        gate.set()
    assert steps == []
    assert worker.outcome == "cancelled"
    assert not worker.is_running()


def test_start_twice_is_refused_and_restart_after_end_works(qtbot):
    started = threading.Event()
    worker = GeneratorWorker(lambda: endless([], started))
    with qtbot.waitSignal(worker.progress, timeout=TIMEOUT):
        worker.start()
    with pytest.raises(RuntimeError, match="already"):
        worker.start()
    with qtbot.waitSignal(worker.cancelled, timeout=TIMEOUT):
        worker.cancel()
    with qtbot.waitSignal(worker.progress, timeout=TIMEOUT):
        worker.start()  # a fresh thread; the cancel flag was reset
    assert worker.is_running()
    with qtbot.waitSignal(worker.cancelled, timeout=TIMEOUT):
        worker.cancel()


def test_shutdown_stops_the_thread_without_signals(qtbot, qapp):
    log: list = []
    started = threading.Event()
    worker = GeneratorWorker(lambda: endless(log, started))
    ended: list = []
    worker.cancelled.connect(lambda: ended.append("cancelled"))
    with qtbot.waitSignal(worker.progress, timeout=TIMEOUT):
        worker.start()
    assert worker.shutdown(TIMEOUT)
    assert not worker.is_running()
    assert workers.running_threads() == []
    assert log == ["finally"]
    qapp.processEvents()  # deliver the run's queued ending: it must be ignored
    assert ended == []


def test_worker_deleted_while_running_leaves_no_crash(qtbot):
    started = threading.Event()
    log: list = []
    worker = GeneratorWorker(lambda: endless(log, started))
    worker.start()
    assert started.wait(TIMEOUT / 1000)
    thread = workers.running_threads()[0]
    del worker  # the registry keeps the thread alive; stop_all ends it
    gc.collect()
    assert thread.isRunning() and workers.running_threads() == [thread]
    assert log == []  # the run goes on: deleting the worker neither cancels nor destroys it
    assert workers.stop_all(TIMEOUT)
    assert thread.isFinished()
    assert workers.running_threads() == []
    assert log == ["finally"]


@pytest.mark.parametrize(
    "item, expected",
    [
        (Step(0.25, "a quarter"), (0.25, "a quarter")),
        ((0.5, "half"), (0.5, "half")),
        (1, (1.0, "")),
    ],
)
def test_progress_of(item, expected):
    assert progress_of(item) == expected
