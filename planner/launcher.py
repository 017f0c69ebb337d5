"""The ``planner`` console script (and ``python -m planner``).

``planner`` or ``planner FILE`` opens the desktop application (:mod:`planner.app`, imported only
then); any sub-command or option goes to the headless :func:`planner.cli.main`. This is the one
module that may reach both: the import-linter contracts keep :mod:`planner.cli` free of Qt and of
the application.
"""

from __future__ import annotations

import sys

from planner import cli

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    """Run ``planner`` with ``argv`` (default ``sys.argv[1:]``); return the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if cli.opens_window(argv):
        from planner import app

        return int(app.run_gui(argv) or 0)
    return cli.main(argv)
