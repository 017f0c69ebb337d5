"""Compare two plans of the same centres: which centres moved, and the figures side by side.

Federations are matched by their overlap, as an assignment (the Hungarian method on the matrix of
shared centres, :func:`scipy.optimize.linear_sum_assignment`), never by name: a renamed or
re-keyed federation matches itself, so only the centres that truly changed federation are moves.
A federation with no overlap with any partner stays unmatched; all its centres count as moved.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment

from planner.domain.plan import UNASSIGNED, Plan

__all__ = ["Move", "PairFigures", "Comparison", "match_federations", "compare", "REACH_COLUMNS"]

REACH_COLUMNS = ("children_0_15_reach", "deprived_children_reach")


@dataclass(frozen=True)
class Move:
    """Centre ``centre`` is in ``key_a`` (``fed_a``) in plan A and ``key_b`` (``fed_b``) in B."""

    centre: str
    name: str
    key_a: int
    key_b: int
    fed_a: str
    fed_b: str


@dataclass(frozen=True)
class PairFigures:
    """A matched pair (or a federation without partner: the other side is None)."""

    key_a: int | None
    key_b: int | None
    name_a: str
    name_b: str
    count_a: int
    count_b: int
    shared: int
    sums_a: dict
    sums_b: dict


@dataclass(frozen=True)
class Comparison:
    a: Plan
    b: Plan
    matching: dict  # federation key in A -> key in B
    moves: list[Move]
    pairs: list[PairFigures]

    @property
    def moved_ids(self) -> set[str]:
        return {m.centre for m in self.moves}


def _aligned_b(a: Plan, b: Plan) -> np.ndarray:
    """B's assignment in A's row order; ValueError when the plans hold different centres."""
    if a.centres is b.centres or a.centres.ids == b.centres.ids:
        return b.assignment
    if set(a.centres.ids) != set(b.centres.ids):
        only_a = len(set(a.centres.ids) - set(b.centres.ids))
        only_b = len(set(b.centres.ids) - set(a.centres.ids))
        raise ValueError(f"the plans hold different centres ({only_a} only in the first, "
                         f"{only_b} only in the second)")
    return b.assignment[b.centres.indices_of(a.centres.ids)]


def _overlap(a_keys: list[int], b_keys: list[int], la: np.ndarray, lb: np.ndarray) -> np.ndarray:
    ia = {k: i for i, k in enumerate(a_keys)}
    ib = {k: j for j, k in enumerate(b_keys)}
    matrix = np.zeros((len(a_keys), len(b_keys)), dtype=np.int64)
    both = (la != UNASSIGNED) & (lb != UNASSIGNED)
    for ka, kb in zip(la[both].tolist(), lb[both].tolist(), strict=True):
        matrix[ia[ka], ib[kb]] += 1
    return matrix


def match_federations(a: Plan, b: Plan) -> dict[int, int]:
    """Federation key in A -> its partner in B, maximising the centres the pairs share.

    Pairs that share no centre are not matched. Unassigned centres match unassigned ones.
    """
    lb = _aligned_b(a, b)
    a_keys, b_keys = list(a.federations), list(b.federations)
    matrix = _overlap(a_keys, b_keys, a.assignment, lb)
    matching = {UNASSIGNED: UNASSIGNED}
    if matrix.size:
        rows, cols = linear_sum_assignment(matrix, maximize=True)
        for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
            if matrix[r, c] > 0:
                matching[a_keys[r]] = b_keys[c]
    return matching


def _name(plan: Plan, key: int) -> str:
    return "" if key == UNASSIGNED else plan.federations[key].name


def _sums(plan: Plan, rows: np.ndarray, columns: dict) -> dict:
    return {col: float(values[rows].sum()) for col, values in columns.items()}


def _numeric_columns(plan: Plan, wanted: tuple[str, ...]) -> dict:
    out = {}
    for col in wanted:
        if col in plan.centres.attributes:
            try:
                out[col] = np.nan_to_num(plan.centres.numeric(col))
            except (KeyError, ValueError):
                continue
    return out


def compare(a: Plan, b: Plan, columns: tuple[str, ...] = REACH_COLUMNS) -> Comparison:
    """Moves from A to B and the figures of matched federations (sums of ``columns`` present)."""
    lb = _aligned_b(a, b)
    matching = match_federations(a, b)
    la = a.assignment
    partner = np.array([matching.get(k, -2) for k in la.tolist()], dtype=np.int64)
    moved = np.flatnonzero(partner != lb)
    ids, names = a.centres.ids, a.centres.names
    moves = [
        Move(ids[i], names[i], int(la[i]), int(lb[i]), _name(a, int(la[i])), _name(b, int(lb[i])))
        for i in moved.tolist()
    ]
    cols_a = _numeric_columns(a, columns)
    cols_b = {c: v[b.centres.indices_of(a.centres.ids)] if b.centres is not a.centres else v
              for c, v in _numeric_columns(b, columns).items()}
    pairs = []
    for ka in a.federations:
        kb = matching.get(ka)
        ra = np.flatnonzero(la == ka)
        rb = np.flatnonzero(lb == kb) if kb is not None else np.array([], dtype=np.int64)
        pairs.append(PairFigures(ka, kb, _name(a, ka), "" if kb is None else _name(b, kb),
                                 len(ra), len(rb), int(np.isin(ra, rb).sum()),
                                 _sums(a, ra, cols_a), _sums(b, rb, cols_b)))
    for kb in b.federations:
        if kb not in matching.values():
            rb = np.flatnonzero(lb == kb)
            pairs.append(PairFigures(None, kb, "", _name(b, kb), 0, len(rb), 0, {},
                                     _sums(b, rb, cols_b)))
    return Comparison(a, b, matching, moves, pairs)
