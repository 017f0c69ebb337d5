"""The None reference-count guard keeps the interpreter alive through many void Qt calls."""

from __future__ import annotations

import sys

from PySide6.QtCore import QPointF

from planner.ui.map_compat import none_refcount_leaks, protect_none


def test_many_void_calls_do_not_exhaust_none():
    protect_none()
    assert protect_none() is False  # idempotent
    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(20_000):
        point.setX(1.0)
    after = sys.getrefcount(None)
    if sys.version_info < (3, 12) and none_refcount_leaks():
        assert after > 1 << 39  # the reserve is in place, far from zero
    assert after > 0 and before > 0
