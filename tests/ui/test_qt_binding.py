"""The Qt binding must not leak references to None/True (PySide6 6.12.0 did, and aborted).

A planner's session makes millions of void calls and signal emits (every mouse move during a drag);
a binding that drops a reference to ``None`` or ``True`` on each one ends the process with
"Fatal Python error: bool_dealloc". pyproject.toml excludes such releases; this test keeps it so.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


class _Emitter(QObject):
    fired = Signal(object)


def test_void_calls_and_emits_keep_singleton_refcounts(qtbot):
    emitter = _Emitter()
    widget = QWidget()
    qtbot.addWidget(widget)
    seen = []
    emitter.fired.connect(seen.append)
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(2000):
        emitter.fired.emit(1)
        widget.setEnabled(True)
    assert len(seen) == 2000
    assert abs(sys.getrefcount(None) - none_before) < 50
    assert abs(sys.getrefcount(True) - true_before) < 50
