"""Shared fixtures and the no-silent-skip rule. Qt runs offscreen.

Data comes from the sample shipped in the package (``sample_dir``) and from the small cuts in
``tests/data`` (``data_dir``); no test reads anything outside the repository.

A test may skip only when an optional tool is missing, with a reason that starts with
``optional tool missing:`` and names the tool. Any other skip fails the run: a silent skip can
never pass CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from planner.resources import where

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DATA = Path(__file__).resolve().parent / "data"
SAMPLE = where("sample")
ALLOWED_SKIP = "optional tool missing:"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """The Kent and Medway sample shipped in the package (centres CSV, districts, plan)."""
    return SAMPLE


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """``tests/data``: small cuts of the national files (see its README)."""
    return DATA


# -- no silent skips -----------------------------------------------------------------------------
_BAD_SKIPS: list[str] = []


def _skip_reason(report) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:  # (path, line, "Skipped: reason")
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(getattr(longrepr, "reprcrash", longrepr) or "")


def pytest_runtest_logreport(report):
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = _skip_reason(report)
        if not reason.startswith(ALLOWED_SKIP):
            _BAD_SKIPS.append(f"{report.nodeid}: {reason}")


def pytest_collectreport(report):
    if report.skipped:  # a whole module skipped at import (importorskip, module-level skip)
        reason = _skip_reason(report)
        if not reason.startswith(ALLOWED_SKIP):
            _BAD_SKIPS.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session, exitstatus):
    if _BAD_SKIPS and exitstatus in (pytest.ExitCode.OK, pytest.ExitCode.NO_TESTS_COLLECTED):
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if _BAD_SKIPS:
        terminalreporter.section("skips that are not allowed", sep="=", red=True, bold=True)
        terminalreporter.write_line(
            f"Only a missing optional tool may skip a test (reason starting {ALLOWED_SKIP!r})."
        )
        for line in _BAD_SKIPS:
            terminalreporter.write_line(f"  {line}")
