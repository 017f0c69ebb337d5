"""The ``planner`` command (skeleton; the foundation issue fills in the sub-commands)."""

from __future__ import annotations

import argparse
import sys

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="planner")
    parser.add_subparsers(dest="command")
    args = parser.parse_args(argv)
    if args.command is None:
        from planner.app import run_gui

        return run_gui([])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
