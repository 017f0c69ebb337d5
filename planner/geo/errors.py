"""The error readers raise for bad input files (re-exported as ``planner.geo.io.InputError``)."""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["InputError", "OutputError", "list_some"]


class InputError(Exception):
    """A file cannot be read as centres. The message names the file, and rows/columns if known."""


class OutputError(InputError):
    """A file cannot be written. The message names the destination (never a temporary file).

    A subclass of :class:`InputError` so that every command reports it the same way (exit 2)."""


def list_some(items: Sequence[object], limit: int = 10) -> str:
    """``"a, b, c"``, or ``"a, b, ... (and 5 more)"`` past ``limit`` items."""
    items = [str(i) for i in items]
    if len(items) <= limit:
        return ", ".join(items)
    return ", ".join(items[:limit]) + f", ... (and {len(items) - limit} more)"
