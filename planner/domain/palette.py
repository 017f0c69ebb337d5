"""A colour-blind-safe palette for federations.

Paul Tol's "muted" qualitative scheme (9 colours, distinguishable under the common forms of colour
blindness) followed by his "light" scheme. With more federations than colours, colours repeat;
:func:`colour_for` is stable for a key, and the map layer can recolour neighbours apart.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence

__all__ = ["PALETTE", "UNASSIGNED_COLOUR", "colour_apart", "colour_for"]

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


def colour_apart(
    keys: Sequence[int],
    touching: Mapping[int, Iterable[int]],
    fixed: Mapping[int, str] | None = None,
) -> dict[int, str]:
    """Palette colours for federations so that federations that touch get different colours.

    ``touching[k]`` lists the federations next to ``k`` on the map. ``fixed`` colours (a planner's
    choice, a locked federation) are kept. Greedy colouring, most-constrained federation first
    (DSatur); with 15 colours and map-like adjacency every neighbour differs. If a federation has
    neighbours in every colour, it takes the colour its fewest neighbours use.
    """
    fixed = dict(fixed or {})
    out: dict[int, str] = {k: fixed[k] for k in keys if k in fixed}
    nbrs = {k: {int(n) for n in touching.get(k, ()) if n != k} for k in keys}
    todo = {k for k in keys if k not in out}
    used: dict[int, set[str]] = {k: {out[n] for n in nbrs[k] if n in out} for k in todo}
    # DSatur with a lazy heap: most distinct neighbour colours first, then most neighbours,
    # then the lowest key; an entry is stale once its federation's count has grown.
    waiting: dict[int, list[int]] = {}  # n -> the uncoloured federations that list n
    for k in todo:
        for n in nbrs[k]:
            waiting.setdefault(n, []).append(k)
    heap = [(-len(used[k]), -len(nbrs[k]), k) for k in todo]
    heapq.heapify(heap)
    while heap:
        sat, _, k = heapq.heappop(heap)
        if k not in todo or -sat != len(used[k]):
            continue
        counts = {c: 0 for c in PALETTE}
        for n in nbrs[k]:
            if n in out and out[n] in counts:
                counts[out[n]] += 1
        preferred = colour_for(k)
        best = min(PALETTE, key=lambda c: (counts[c], c != preferred, PALETTE.index(c)))
        out[k] = best
        todo.discard(k)
        for n in waiting.get(k, ()):
            if n in todo and best not in used[n]:
                used[n].add(best)
                heapq.heappush(heap, (-len(used[n]), -len(nbrs[n]), n))
    return out
