"""Independent oracles for the engine, written from scratch for the tests.

Nothing here imports the engine or ``planner.domain.constraints``: the rule checker, the
contiguity test (breadth-first search), the balance sums, the cost and the exhaustive search are
all computed here from the centres' coordinates, the graph's edges and the request's figures.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import numpy as np

from planner.domain.centres import Centres


@dataclass(frozen=True)
class Rules:
    """The request, restated for the oracle: explicit sizes, no defaults."""

    k: int
    lo: int
    hi: int
    balance: tuple[tuple[str, float], ...] = ()  # (column, tolerance)
    cannot: tuple[tuple[int, int], ...] = ()  # row pairs
    must: tuple[tuple[int, ...], ...] = ()  # row groups
    radius: float | None = None
    contiguous: bool = True
    locked: dict = field(default_factory=dict)  # federation key -> frozenset of rows (kept)
    authority: dict = field(default_factory=dict)  # row -> label (exceptions left out)


def make_centres(xy: np.ndarray, columns: dict[str, list[float]] | None = None) -> Centres:
    n = len(xy)
    ids = [f"c{i}" for i in range(n)]
    lonlat = np.column_stack([xy[:, 0] / 1e5, 51 + xy[:, 1] / 1e5])
    return Centres(ids, [f"Centre {i}" for i in range(n)], np.asarray(xy, float), lonlat,
                   attributes=dict(columns or {}))


def edges_of(graph) -> list[set[int]]:
    adj = [set() for _ in range(graph.number_of_nodes())]
    for a, b in graph.edges():
        adj[a].add(b)
        adj[b].add(a)
    return adj


def connected(rows: list[int], adj: list[set[int]]) -> bool:
    """Breadth-first search inside ``rows``."""
    members = set(rows)
    if len(members) <= 1:
        return True
    start = next(iter(members))
    seen, todo = {start}, deque([start])
    while todo:
        u = todo.popleft()
        for v in adj[u]:
            if v in members and v not in seen:
                seen.add(v)
                todo.append(v)
    return len(seen) == len(members)


def dist(xy: np.ndarray, a: int, b: int) -> float:
    return float(np.hypot(*(xy[a] - xy[b])))


def block_cost(xy: np.ndarray, rows: list[int], hub: int) -> float:
    return sum(dist(xy, r, hub) for r in rows)


def best_hub(xy: np.ndarray, rows: list[int], radius: float | None) -> tuple[float, int] | None:
    """(cost, hub) of the cheapest member hub that reaches every member within ``radius``."""
    best = None
    for h in rows:
        if radius is not None and max(dist(xy, r, h) for r in rows) > radius + 1e-6:
            continue
        c = block_cost(xy, rows, h)
        if best is None or c < best[0]:
            best = (c, h)
    return best


def block_ok(centres: Centres, rows: list[int], rules: Rules, adj, columns) -> bool:
    if not rules.lo <= len(rows) <= rules.hi:
        return False
    if rules.contiguous and not connected(rows, adj):
        return False
    members = set(rows)
    for a, b in rules.cannot:
        if a in members and b in members:
            return False
    for group in rules.must:
        if len(members & set(group)) not in (0, len(group)):
            return False
    for (_column, tol), (values, mean) in zip(rules.balance, columns, strict=True):
        total = sum(values[r] for r in rows)
        if abs(total / mean - 1.0) > tol + 1e-9:
            return False
    return rules.radius is None or best_hub(centres.xy, rows, rules.radius) is not None


def _columns(centres: Centres, rules: Rules):
    out = []
    for column, _ in rules.balance:
        values = [float(v) for v in centres.attributes[column]]
        out.append((values, sum(values) / rules.k))
    return out


def partitions(n: int, k: int):
    """Every partition of range(n) into exactly k non-empty blocks (restricted growth)."""
    labels = [0] * n

    def rec(i: int, used: int):
        if n - i < k - used:
            return
        if i == n:
            if used == k:
                yield [[r for r in range(n) if labels[r] == b] for b in range(k)]
            return
        for b in range(min(used + 1, k)):
            labels[i] = b
            yield from rec(i + 1, max(used, b + 1))

    yield from rec(0, 0)


def exhaustive(centres: Centres, graph, rules: Rules) -> float | None:
    """The least cost of any valid partition (None: no partition keeps every rule)."""
    adj = edges_of(graph)
    columns = _columns(centres, rules)
    best = None
    ok_cache: dict[tuple[int, ...], float | None] = {}
    for blocks in partitions(len(centres), rules.k):
        total = 0.0
        for rows in blocks:
            key = tuple(rows)
            if key not in ok_cache:
                good = block_ok(centres, rows, rules, adj, columns)
                ok_cache[key] = best_hub(centres.xy, rows, rules.radius)[0] if good else None
            if ok_cache[key] is None:
                break
            total += ok_cache[key]
        else:
            best = total if best is None else min(best, total)
    return best


def rules_broken(plan, graph, rules: Rules) -> list[str]:
    """Every rule the returned plan breaks, checked from scratch."""
    centres = plan.centres
    n = len(centres)
    adj = edges_of(graph)
    labels = [int(a) for a in plan.assignment]
    out = []
    if any(a < 0 for a in labels):
        out.append("a centre is in no federation")
    keys = sorted(set(labels) - {-1})
    if len(keys) != rules.k or set(keys) != set(plan.federations):
        out.append(f"{len(keys)} federations, not {rules.k}")
    columns = _columns(centres, rules)
    for key in keys:
        rows = [r for r in range(n) if labels[r] == key]
        if not rules.lo <= len(rows) <= rules.hi:
            out.append(f"federation {key}: {len(rows)} centres")
        if rules.contiguous and not connected(rows, adj):
            out.append(f"federation {key}: in pieces")
        for (column, tol), (values, mean) in zip(rules.balance, columns, strict=True):
            total = sum(values[r] for r in rows)
            if abs(total / mean - 1.0) > tol + 1e-9:
                out.append(f"federation {key}: {column} {total:.0f} vs mean {mean:.0f}")
        hub = plan.federations[key].hub
        if hub is None or centres.index_of(hub) not in rows:
            out.append(f"federation {key}: hub {hub} not a member")
        elif rules.radius is not None:
            h = centres.index_of(hub)
            if max(dist(centres.xy, r, h) for r in rows) > rules.radius + 1e-6:
                out.append(f"federation {key}: a member beyond the radius")
    for a, b in rules.cannot:
        if labels[a] == labels[b]:
            out.append(f"centres {a} and {b} together")
    for key in keys:
        labs = {rules.authority[r] for r in range(n) if labels[r] == key and r in rules.authority}
        if len(labs) > 1:
            out.append(f"federation {key} spans authorities {sorted(labs)}")
    for group in rules.must:
        if len({labels[r] for r in group}) > 1:
            out.append(f"linked group {group} split")
    for key, rows in rules.locked.items():
        if {r for r in range(n) if labels[r] == key} != set(rows):
            out.append(f"locked federation {key} changed")
    return out


def plan_cost(plan) -> float:
    """Sum over centres of the straight-line distance to their federation's hub."""
    xy = plan.centres.xy
    total = 0.0
    for key, fed in plan.federations.items():
        h = plan.centres.index_of(fed.hub)
        total += sum(dist(xy, int(r), h) for r in np.flatnonzero(plan.assignment == key))
    return total


def p_median_mip(xy: np.ndarray, k: int, lo: int, hi: int) -> float:
    """Capacitated p-median optimum (hubs are members; sizes lo..hi) by HiGHS (scipy.milp)."""
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    n = len(xy)
    d = np.hypot(xy[:, 0][:, None] - xy[:, 0][None, :], xy[:, 1][:, None] - xy[:, 1][None, :])
    nv = n * n + n  # x[i, j] (i served by hub j), then y[j]
    cost = np.concatenate([d.ravel(), np.zeros(n)])
    a = lil_matrix((n + 1 + 3 * n + n * n, nv))
    lo_b, hi_b = [], []
    row = 0
    for i in range(n):  # each centre once
        a[row, i * n:(i + 1) * n] = 1
        lo_b.append(1)
        hi_b.append(1)
        row += 1
    a[row, n * n:] = 1  # k hubs
    lo_b.append(k)
    hi_b.append(k)
    row += 1
    for j in range(n):  # sizes: lo*y_j <= sum_i x_ij <= hi*y_j
        for i in range(n):
            a[row, i * n + j] = 1
            a[row + 1, i * n + j] = 1
        a[row, n * n + j] = -lo
        a[row + 1, n * n + j] = -hi
        lo_b += [0, -np.inf]
        hi_b += [np.inf, 0]
        row += 2
    for j in range(n):  # a hub serves itself
        a[row, j * n + j] = 1
        a[row, n * n + j] = -1
        lo_b.append(0)
        hi_b.append(np.inf)
        row += 1
    for i in range(n):  # x_ij <= y_j
        for j in range(n):
            a[row, i * n + j] = 1
            a[row, n * n + j] = -1
            lo_b.append(-np.inf)
            hi_b.append(0)
            row += 1
    res = milp(cost, constraints=LinearConstraint(a.tocsr(), lo_b, hi_b),
               integrality=np.ones(nv), bounds=Bounds(0, 1))
    assert res.status == 0, res.message
    return float(res.fun)
