"""Work around a PySide6 reference-count bug that crashes Python 3.11 after many Qt calls.

PySide6 6.12 returns ``None`` from void C++ methods (``QPainter.setPen``, ``QGraphicsItem.setPos``,
...) without taking a reference to it. From Python 3.12 ``None`` is immortal and nothing happens;
on Python 3.11 every such call drops ``None``'s reference count by one, and after some thousands of
calls (a few dozen map repaints) the interpreter aborts with "Fatal Python error: none_dealloc".

:func:`protect_none` probes for the leak and, only where it is found on a CPython without immortal
objects, gives ``None`` a reference count that no session can exhaust (what Python 3.12 does by
design). Importing :mod:`planner.ui.map_scene` calls it; the application start-up may call it too.
"""

from __future__ import annotations

import ctypes
import platform
import sys

__all__ = ["none_refcount_leaks", "protect_none"]

_RESERVE = 1 << 40
_done = False


def none_refcount_leaks() -> bool:
    """True if calling a void PySide6 method drops a reference to ``None``."""
    from PySide6.QtCore import QPointF

    probe = QPointF()
    before = sys.getrefcount(None)
    for _ in range(64):
        probe.setX(1.0)
    return sys.getrefcount(None) < before - 32


def protect_none() -> bool:
    """Make ``None`` immortal in practice if PySide6 leaks it here. Returns whether it did."""
    global _done
    if _done or sys.version_info >= (3, 12) or platform.python_implementation() != "CPython":
        return False
    if not none_refcount_leaks():
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += _RESERVE
    _done = True
    return True
