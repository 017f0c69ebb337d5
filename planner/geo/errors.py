"""The error readers raise for bad input files (re-exported as ``planner.geo.io.InputError``)."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["InputError", "list_some"]


class InputError(Exception):
    """A file cannot be read as centres. The message names the file, and rows/columns if known."""


def list_some(items: Sequence[object], limit: int = 10) -> str:
    """``"a, b, c"``, or ``"a, b, ... (and 5 more)"`` past ``limit`` items."""
    items = [str(i) for i in items]
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", ... (and {len(items) - limit} more)"
