"""Connected pieces of a set of centres in a neighbourhood graph given as adjacency lists.

One implementation for the statistics (is a federation one piece?), the engine (repairs, regions)
and the benchmark. ``neighbours[i]`` lists the rows (or units) adjacent to ``i``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["pieces"]


def pieces(members: Iterable[int], neighbours: Sequence[Sequence[int]]) -> list[set[int]]:
    """The connected pieces of ``members``, each a set, in the order ``members`` is iterated.

    Only links between two members count. Deterministic for a given iteration order of
    ``members`` (pass a sorted sequence or ``range`` where the order matters).
    """
    inside = members if isinstance(members, (set, frozenset)) else set(members)
    seen: set[int] = set()
    out: list[set[int]] = []
    for start in members:
        if start in seen:
            continue
        piece = {start}
        stack = [start]
        while stack:
            x = stack.pop()
            for y in neighbours[x]:
                if y in inside and y not in piece:
                    piece.add(y)
                    stack.append(y)
        seen |= piece
        out.append(piece)
    return out
