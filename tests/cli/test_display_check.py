"""The planner says why the window cannot open instead of letting Qt abort."""

from __future__ import annotations

import os
import subprocess
import sys

from planner.display_check import XCB_LIBRARIES, display_problem


def everything(name: str) -> str:
    return f"/usr/lib/lib{name}.so"


def test_no_display_is_named_with_the_headless_commands():
    problem = display_problem({}, "linux", everything)
    assert problem is not None
    assert "DISPLAY" in problem and "planner stats" in problem


def test_missing_xcb_libraries_are_named_with_the_install_line():
    def without_cursor(name: str) -> str | None:
        return None if name == "xcb-cursor" else everything(name)

    problem = display_problem({"DISPLAY": ":0"}, "linux", without_cursor)
    assert problem is not None
    assert "libxcb-cursor0" in problem and "apt-get install libxcb-cursor0" in problem
    assert "libxcb-icccm4" not in problem


def test_a_complete_desktop_has_no_problem():
    assert display_problem({"DISPLAY": ":0"}, "linux", everything) is None
    assert set(XCB_LIBRARIES.values()) >= {"libxcb-cursor0"}


def test_other_platforms_and_chosen_plugins_are_left_to_qt():
    nothing = lambda name: None  # noqa: E731
    assert display_problem({}, "win32", nothing) is None
    assert display_problem({}, "darwin", nothing) is None
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", nothing) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", nothing) is None


def test_planner_without_a_display_exits_2_with_the_reason_and_no_core_dump():
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "planner"], env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    assert "cannot open the window: no display" in result.stderr
    assert "Traceback" not in result.stderr
