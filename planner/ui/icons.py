"""Icons shipped in ``planner/resources/icons`` (SVG), with a standard Qt icon as the fallback."""

from __future__ import annotations

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QStyle

from planner.resources import where

__all__ = ["icon", "ICON_DIR"]

ICON_DIR = where("icons")


def icon(name: str, fallback: QStyle.StandardPixmap | None = None) -> QIcon:
    path = ICON_DIR / f"{name}.svg"
    if path.is_file():
        return QIcon(str(path))
    if fallback is not None:
        return QApplication.style().standardIcon(fallback)
    return QIcon()
