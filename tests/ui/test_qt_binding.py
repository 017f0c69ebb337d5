"""The Qt binding must not leak references (PySide6 6.12.0 did, and aborted).

A planner's session makes millions of void calls and signal emits (every mouse move during a drag);
a binding that drops a reference to ``None`` or ``True`` on each one ends the process with
"Fatal Python error: bool_dealloc" under Python 3.11. pyproject.toml excludes such releases; these
tests keep it so. From Python 3.12 ``None`` and ``True`` are immortal (their counts never move, so
the leak is harmless there and cannot be seen through them); a mortal object passed through the
same calls is checked on every Python.
"""

from __future__ import annotations

import sys
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget


class _Emitter(QObject):
    fired = Signal(object)


def test_void_calls_and_emits_keep_reference_counts(qtbot):
    emitter = _Emitter()
    widget = QWidget()
    qtbot.addWidget(widget)
    seen = []
    emitter.fired.connect(seen.append)
    token = object()  # mortal on every Python
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    token_before = sys.getrefcount(token)
    for _ in range(2000):
        emitter.fired.emit(token)
        widget.setEnabled(True)
        widget.setObjectName("map")
    assert len(seen) == 2000
    seen.clear()
    assert sys.getrefcount(token) == token_before
    if sys.version_info < (3, 12):  # mortal singletons: a leak of one per call shows here
        assert abs(sys.getrefcount(None) - none_before) < 50
        assert abs(sys.getrefcount(True) - true_before) < 50


def test_the_installed_binding_is_one_the_project_allows():
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    pins = [Requirement(r) for r in project["dependencies"]]
    (pyside,) = [r for r in pins if r.name.lower() == "pyside6-essentials"]
    installed = version("PySide6-Essentials")
    assert pyside.specifier.contains(installed), (installed, str(pyside.specifier))
    assert not pyside.specifier.contains("6.12.0")  # the release that leaked
