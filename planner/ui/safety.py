"""One guard so that no exception escapes a Qt slot unseen.

An exception raised in a Python slot called from Qt's event loop cannot reach any caller: PySide
hands it to ``sys.excepthook``. :func:`install_excepthook` (called once by ``app.run_gui``) makes
that hook log the traceback and show the planner a dialog with the message, and the window goes
on. :func:`guarded` does the same for one slot, for code that wants to say what it was doing.
Tests keep pytest-qt's own hook (the application does not install this one under pytest).
"""

from __future__ import annotations

import functools
import logging
import sys
import traceback

__all__ = ["install_excepthook", "guarded", "report"]

log = logging.getLogger("planner")


def report(exc: BaseException, title: str = "Something went wrong", parent=None) -> str:
    """Log ``exc`` with its traceback and show its message in a dialog; the message shown."""
    from PySide6.QtCore import QThread
    from PySide6.QtWidgets import QApplication, QMessageBox

    log.error("%s", title, exc_info=(type(exc), exc, exc.__traceback__))
    text = str(exc).strip() or type(exc).__name__
    app = QApplication.instance()
    if app is not None and QThread.currentThread() is app.thread():
        QMessageBox.critical(parent or app.activeWindow(), title,
                             f"{text}\n\n(Details are in the log; the plan is unchanged.)")
    return text


def install_excepthook():
    """Route uncaught exceptions (slots, virtual overrides) to :func:`report`; the old hook."""
    previous = sys.excepthook

    def hook(exc_type, exc, tb):
        if issubclass(exc_type, (KeyboardInterrupt, SystemExit)):
            previous(exc_type, exc, tb)
            return
        try:
            report(exc.with_traceback(tb))
        except Exception:  # noqa: BLE001 - the hook itself must never raise
            traceback.print_exception(exc_type, exc, tb)

    sys.excepthook = hook
    return previous


def guarded(title: str = "Something went wrong"):
    """Decorate a slot: an exception is reported (see :func:`report`) and the slot returns
    None, so the window stays whole."""

    def wrap(slot):
        @functools.wraps(slot)
        def run(*args, **kwargs):
            try:
                return slot(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - the guard's whole job
                parent = getattr(args[0], "window", None) if args else None
                report(exc, title, parent if callable(getattr(parent, "show", None)) else None)
                return None

        return run

    return wrap
