"""A Qt GUI application for drawing without a window (``planner report`` on a server)."""

from __future__ import annotations

import os

__all__ = ["ensure_gui"]


def ensure_gui():
    """The running QGuiApplication, or a new offscreen one (fonts and painting need it)."""
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(["planner-report"])
    return app
