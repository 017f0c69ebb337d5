"""Small square colour swatches (federation colours in lists and combo boxes), cached by colour."""

from __future__ import annotations

from PySide6.QtGui import QColor, QIcon, QPixmap

__all__ = ["swatch_icon"]

_cache: dict[tuple[str, int], QIcon] = {}


def swatch_icon(colour: str, size: int = 12) -> QIcon:
    icon = _cache.get((colour, size))
    if icon is None:
        pix = QPixmap(size, size)
        pix.fill(QColor(colour))
        icon = _cache[(colour, size)] = QIcon(pix)
    return icon
