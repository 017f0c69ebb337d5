"""Why the desktop application cannot start here, said before Qt aborts the process.

Qt's own message for a missing display or a missing system library ends in a core dump. On Linux
:func:`display_problem` looks first: no display at all, or the X11 libraries Qt's ``xcb`` plugin
needs (``libxcb-cursor0`` and friends) not installed. It returns a sentence, or None.
No Qt is imported here.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
from collections.abc import Callable, Mapping

__all__ = ["display_problem", "XCB_LIBRARIES"]

# Libraries the xcb platform plugin of Qt 6 loads beyond a basic X11 install (Debian names).
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
}


def display_problem(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    find_library: Callable[[str], str | None] = ctypes.util.find_library,
) -> str | None:
    """A sentence saying why the window cannot open here (Linux only), or None."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None
    chosen = environ.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith("xcb"):
        return None  # offscreen, wayland, vnc...: the planner asked for it
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return (
            "no display: DISPLAY and WAYLAND_DISPLAY are not set. Start the planner from a "
            "desktop session, or use the commands that need no window: planner stats, plan, "
            "export, validate (planner --help)."
        )
    if environ.get("WAYLAND_DISPLAY") and not environ.get("DISPLAY"):
        return None  # Qt picks its Wayland plugin
    missing = [pkg for lib, pkg in XCB_LIBRARIES.items() if find_library(lib) is None]
    if missing:
        return (
            "Qt needs system libraries that are not installed: " + ", ".join(missing)
            + ". On Debian or Ubuntu: sudo apt-get install " + " ".join(missing)
            + " (the README lists them for other systems)."
        )
    return None
