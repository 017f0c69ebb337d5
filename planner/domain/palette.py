"""A colour-blind-safe palette for federations.

Paul Tol's "muted" qualitative scheme (9 colours, distinguishable under the common forms of colour
blindness) followed by his "light" scheme. With more federations than colours, colours repeat;
:func:`colour_for` is stable for a key, and the map layer can recolour neighbours apart.
"""

from __future__ import annotations

__all__ = ["PALETTE", "UNASSIGNED_COLOUR", "colour_for"]

PALETTE: tuple[str, ...] = (
    "#CC6677",  # rose
    "#332288",  # indigo
    "#DDCC77",  # sand
    "#117733",  # green
    "#88CCEE",  # cyan
    "#882255",  # wine
    "#44AA99",  # teal
    "#999933",  # olive
    "#AA4499",  # purple
    "#77AADD",  # light blue
    "#EE8866",  # orange
    "#EEDD88",  # light yellow
    "#FFAABB",  # pink
    "#99DDFF",  # pale cyan
    "#BBCC33",  # pear
)

UNASSIGNED_COLOUR = "#BBBBBB"


def colour_for(key: int) -> str:
    """The palette colour for federation ``key`` (cycling past the end)."""
    if key < 0:
        return UNASSIGNED_COLOUR
    return PALETTE[key % len(PALETTE)]
