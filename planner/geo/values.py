"""Cell values as the readers interpret them: numbers (decimal commas too), blanks, ids.

A number is finite: ``NaN``, ``inf`` and text that is not a number are not numbers. Pure Python.
"""

from __future__ import annotations

import math
import re

__all__ = ["all_numeric", "decimal_commas_read", "number", "blank", "id_text", "MAX_WEIGHT"]

_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")
# No centre serves more than this (a weight is children, people or money): larger values, like
# 1e308, would overflow every total.
MAX_WEIGHT = 1e12


def all_numeric(values: list) -> bool:
    seen = False
    for v in values:
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if number(v, decimal_comma=True) is None:
            return False
        seen = True
    return seen


def decimal_commas_read(values: list) -> list:
    """A column written with decimal commas ("1,5") as numbers, so every later reader (weights,
    statistics, exports) sees 1.5; other columns, and blanks, stay as they are."""
    texts = [v for v in values if isinstance(v, str) and v.strip()]
    if not any(_DECIMAL_COMMA.match(t.strip()) and "," in t for t in texts):
        return values
    numbers = [None if blank(v) else number(v, decimal_comma=True) for v in values]
    if any(n is None and not blank(v) for n, v in zip(numbers, values, strict=True)):
        return values
    return [v if n is None else n for n, v in zip(numbers, values, strict=True)]


def number(value, decimal_comma: bool = False) -> float | None:
    """A finite float, or None if ``value`` is not a number."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            out = float(value)
        else:
            text = str(value).strip()
            if decimal_comma and _DECIMAL_COMMA.match(text):
                text = text.replace(",", ".")
            out = float(text)
    except (ValueError, OverflowError):
        return None
    return out if math.isfinite(out) else None


def blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        isinstance(value, str) and not value.strip()
    )


def id_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


