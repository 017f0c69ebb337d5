"""Reference algorithms and lower bounds, each returning one label per centre (row order).

- :func:`kmeans_constrained`: k-means-constrained with size_min/size_max (no contiguity).
- :func:`skater`: PySAL spopt SKATER (contiguous; only a minimum size, ``floor``).
- :func:`region_kmeans`: PySAL spopt Region-KMeans (contiguous; no size bounds).
- :func:`fluid`: networkx ``asyn_fluidc`` on our neighbourhood graph (no size bounds).
- :func:`pmedian_mip`: the capacitated p-median as a MIP with HiGHS (no contiguity), whose dual
  bound is a valid lower bound for every contiguous plan with the same size bounds.
- :func:`pmedian_lagrangian_bound`: a Lagrangian lower bound for the same model (relaxing
  "each centre assigned once"), usable where the MIP (N^2 binaries) does not fit.

The heavy imports live inside the functions so a worker only loads what it runs.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

import numpy as np

__all__ = [
    "distance_matrix",
    "fluid",
    "kmeans_constrained",
    "pmedian_lagrangian_bound",
    "pmedian_mip",
    "region_kmeans",
    "skater",
]


def distance_matrix(xy: np.ndarray, dtype=np.float64) -> np.ndarray:
    """Euclidean distances (metres) between all rows of ``xy``."""
    xy = np.asarray(xy, dtype=np.float64)
    sq = (xy * xy).sum(1)
    d2 = sq[:, None] + sq[None, :] - 2.0 * (xy @ xy.T)
    np.maximum(d2, 0.0, out=d2)
    out = np.sqrt(d2).astype(dtype, copy=False)
    np.fill_diagonal(out, 0.0)
    return out


def kmeans_constrained(
    xy: np.ndarray, k: int, size_min: int, size_max: int, seed: int = 0, n_init: int = 10
) -> np.ndarray:
    from k_means_constrained import KMeansConstrained

    model = KMeansConstrained(
        n_clusters=k, size_min=size_min, size_max=size_max, random_state=seed, n_init=n_init
    )
    # Centre the coordinates: large eastings/northings cost float precision for nothing.
    return np.asarray(model.fit_predict(xy - xy.mean(0)), dtype=int)


def _weights(adjacency: Mapping[int, Sequence[int]]):
    from libpysal.weights import W

    neighbours = {int(i): sorted(int(j) for j in adj) for i, adj in adjacency.items()}
    return W(neighbours, silence_warnings=True)


def skater(
    xy: np.ndarray, adjacency: Mapping[int, Sequence[int]], k: int, floor: int
) -> np.ndarray:
    import geopandas as gpd
    import pandas as pd
    from sklearn.metrics.pairwise import euclidean_distances
    from spopt.region import Skater

    rel = xy - xy.mean(0)
    frame = gpd.GeoDataFrame(
        pd.DataFrame({"x": rel[:, 0], "y": rel[:, 1]}),
        geometry=gpd.points_from_xy(xy[:, 0], xy[:, 1]),
        crs="EPSG:27700",
    )
    model = Skater(
        frame,
        _weights(adjacency),
        ["x", "y"],
        n_clusters=k,
        floor=floor,
        islands="increase",
        spanning_forest_kwds={"dissimilarity": euclidean_distances},
    )
    model.solve()
    return np.asarray(model.labels_, dtype=int)


def region_kmeans(
    xy: np.ndarray, adjacency: Mapping[int, Sequence[int]], k: int, seed: int = 0
) -> np.ndarray:
    from spopt.region import RegionKMeansHeuristic

    model = RegionKMeansHeuristic(xy - xy.mean(0), k, _weights(adjacency), seed=seed)
    model.solve()
    return np.asarray(model.labels_, dtype=int)


def fluid(graph, k: int, seed: int = 0) -> np.ndarray:
    import networkx as nx

    labels = np.full(graph.number_of_nodes(), -1, dtype=int)
    for label, community in enumerate(nx.community.asyn_fluidc(graph, k, seed=seed)):
        labels[list(community)] = label
    return labels


def pmedian_mip(
    dist: np.ndarray,
    k: int,
    size_min: int,
    size_max: int,
    time_limit: float = 120.0,
    threads: int | None = None,
    hub_serves_itself: bool = True,
) -> dict:
    """Capacitated p-median: binary x_ij (i served by hub j), y_j (j is a hub).

    sum_j y_j = K; sum_j x_ij = 1; x_ij <= y_j; size_min y_j <= sum_i x_ij <= size_max y_j;
    minimise sum d_ij x_ij. No contiguity, so its optimum (and its dual bound, always) is a lower
    bound for any plan with the same K and size bounds. With ``hub_serves_itself`` also
    x_jj = y_j: a hub belongs to its own federation, as in the planner (a federation's hub is one
    of its members), so the bound stays valid for our objective and is tighter.
    """
    import highspy
    from scipy import sparse

    n = len(dist)
    nx_ = n * n
    ncol = nx_ + n
    # Rows: [0, n) assignment; [n, n + n^2) link x_ij - y_j <= 0; then n lower-size rows,
    # n upper-size rows, one cardinality row.
    xi = np.arange(nx_)
    i_of, j_of = np.divmod(xi, n)
    r_link = n + xi
    r_lo = n + nx_ + np.arange(n)
    r_hi = r_lo + n
    r_card = n + nx_ + 2 * n
    nrow = r_card + 1
    rows = np.concatenate([i_of, r_link, n + nx_ + j_of, n + nx_ + n + j_of,
                           r_link, r_lo, r_hi, np.full(n, r_card)])
    cols = np.concatenate([xi, xi, xi, xi, nx_ + j_of, nx_ + np.arange(n),
                           nx_ + np.arange(n), nx_ + np.arange(n)])
    vals = np.concatenate([np.ones(nx_), np.ones(nx_), np.ones(nx_), np.ones(nx_),
                           -np.ones(nx_), np.full(n, -float(size_min)),
                           np.full(n, -float(size_max)), np.ones(n)])
    a = sparse.csc_matrix((vals, (rows, cols)), shape=(nrow, ncol))
    a.sort_indices()
    inf = highspy.kHighsInf
    row_lower = np.concatenate([np.ones(n), np.full(nx_, -inf), np.zeros(n), np.full(n, -inf),
                                [float(k)]])
    row_upper = np.concatenate([np.ones(n), np.zeros(nx_), np.full(n, inf), np.zeros(n),
                                [float(k)]])

    lp = highspy.HighsLp()
    lp.num_col_ = ncol
    lp.num_row_ = nrow
    lp.col_cost_ = np.concatenate([np.asarray(dist, dtype=float).ravel(), np.zeros(n)])
    lower = np.zeros(ncol)
    if hub_serves_itself:
        # x_jj - y_j <= 0 is already a row; x_jj >= y_j makes it an equality.
        diag = np.arange(n) * (n + 1)
        row_lower[n + diag] = 0.0
    lp.col_lower_ = lower
    lp.col_upper_ = np.ones(ncol)
    lp.row_lower_ = row_lower
    lp.row_upper_ = row_upper
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_col_ = ncol
    lp.a_matrix_.num_row_ = nrow
    lp.a_matrix_.start_ = a.indptr
    lp.a_matrix_.index_ = a.indices
    lp.a_matrix_.value_ = a.data
    lp.integrality_ = [highspy.HighsVarType.kInteger] * ncol

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", 1e-6)
    h.setOptionValue("random_seed", 0)
    if threads:
        h.setOptionValue("threads", int(threads))
    h.passModel(lp)
    t0 = time.perf_counter()
    h.run()
    elapsed = time.perf_counter() - t0
    info = h.getInfo()
    status = h.modelStatusToString(h.getModelStatus())
    labels = None
    primal = None
    if info.primal_solution_status >= 2:  # a feasible point exists
        x = np.asarray(h.getSolution().col_value[:nx_]).reshape(n, n)
        labels = np.argmax(x, axis=1).astype(int)
        primal = float(info.objective_function_value)
    return {
        "status": status,
        "primal": primal,
        "dual_bound": float(info.mip_dual_bound),
        "gap": float(info.mip_gap) if primal is not None else None,
        "nodes": int(info.mip_node_count),
        "solve_seconds": elapsed,
        "time_limit": float(time_limit),
        "labels": labels,
    }


def _best_groups(vals: np.ndarray, idx: np.ndarray, take: int):
    """Per column: the ``take`` smallest of ``vals`` in ascending order, with their ``idx``."""
    if take <= 0:
        return np.zeros((0, vals.shape[1])), np.zeros((0, vals.shape[1]), dtype=int)
    if take < len(vals):
        part = np.argpartition(vals, take - 1, axis=0)[:take]
    else:
        part = np.broadcast_to(np.arange(len(vals))[:, None], vals.shape)
    v = np.take_along_axis(vals, part, axis=0)
    order = np.argsort(v, axis=0, kind="stable")
    v = np.take_along_axis(v, order, axis=0)
    chosen = np.take_along_axis(np.take_along_axis(idx, part, axis=0), order, axis=0)
    return v, chosen


def pmedian_lagrangian_bound(
    xy: np.ndarray,
    k: int,
    size_min: int,
    size_max: int,
    upper: float | None = None,
    iterations: int = 3000,
    time_limit: float = 300.0,
    candidates: int = 300,
) -> dict:
    """Lagrangian lower bound for the capacitated p-median of :func:`pmedian_mip`.

    Relax "each centre assigned once" with multipliers lambda_i. For fixed lambda the rest splits
    by hub: hub j, if opened, serves itself and the s - 1 (size_min <= s <= size_max) other
    centres with the smallest d_ij - lambda_i; exactly K hubs open. L(lambda) = sum(lambda) +
    the K smallest hub values is a lower bound for every lambda (weak duality); its maximum is at
    least the LP relaxation's. Subgradient ascent with Polyak steps towards ``upper`` (a known
    feasible cost; it only sets step lengths, never validity).

    Each hub looks only at its ``candidates`` nearest centres; a hub whose choice could include a
    centre beyond them (its last pick is not below d_(candidates) - max(lambda)) is recomputed
    over every centre, so the bound is exact for the model.
    """
    from scipy.spatial import cKDTree

    xy = np.asarray(xy, dtype=np.float64)
    n = len(xy)
    take = min(size_max, n) - 1  # others besides the hub itself
    lo_o = max(0, size_min - 1)
    m = min(n, max(candidates, 2 * size_max + 1))
    dn, nn = cKDTree(xy).query(xy, k=m)  # (n, m): row j = hub j's nearest centres
    dn, nn = np.atleast_2d(dn), np.atleast_2d(nn)
    # Put the hub itself first (coincident points can come before it), drop it from the others.
    rows = np.arange(n)
    self_pos = np.argmax(nn == rows[:, None], axis=1)
    has_self = nn[rows, self_pos] == rows
    keep = np.ones_like(nn, dtype=bool)
    keep[rows[has_self], self_pos[has_self]] = False
    keep[~has_self, -1] = False  # the hub was not among its nearest (many coincident points)
    others = nn[keep].reshape(n, m - 1).T.copy()  # (m-1, n) column j = candidates of hub j
    d_others = dn[keep].reshape(n, m - 1).T.copy()
    reach = d_others[-1] if m < n else np.full(n, np.inf)  # distance to the last candidate
    dfull = distance_matrix(xy) if m < n and n <= 8000 else None

    # a rough first "cost to be served": the distance to the (size_min / 2)-th nearest centre
    lam = dn[:, min(m - 1, max(1, size_min // 2))].copy()
    best, best_iter, theta, stall = -np.inf, 0, 2.0, 0
    t0 = time.perf_counter()
    it = 0
    s_range = np.arange(lo_o, take + 1)
    exact_cols = 0
    for it in range(1, iterations + 1):
        vals = d_others - lam[others]
        v, chosen = _best_groups(vals, others, take)
        if m < n and take > 0:
            # A centre i beyond hub j's candidates (d_ij >= reach_j) could only be picked if
            # d_ij - lambda_i < v_last_j, so lambda_i > reach_j + v_last_j: check those
            # high-multiplier centres directly; recompute a hub over all centres if one qualifies.
            limit = reach + v[-1]
            order = np.argsort(-lam)
            top = order[: min(n, 256)]
            count = np.searchsorted(-lam[order], -limit, side="left")  # lambda_i > limit_j
            loose = count > len(top)
            if dfull is not None:
                d_top = dfull[top]
            else:
                d_top = np.sqrt(((xy[top][:, None, :] - xy[None, :, :]) ** 2).sum(-1))
            beyond = (d_top >= reach[None, :]) & (d_top - lam[top][:, None] < v[-1][None, :])
            beyond[np.arange(len(top)), top] = False  # hub j itself is not an "other"
            loose |= beyond.any(axis=0)
            cols = np.flatnonzero(loose)
            if len(cols):
                exact_cols += len(cols)
                if dfull is not None:
                    full = dfull[:, cols] - lam[:, None]
                else:
                    full = np.sqrt(((xy[:, None, :] - xy[None, cols, :]) ** 2).sum(-1))
                    full = full - lam[:, None]
                full[cols, np.arange(len(cols))] = np.inf  # not the hub itself
                idx = np.broadcast_to(rows[:, None], full.shape)
                v2, c2 = _best_groups(full, idx, take)
                v[:, cols], chosen[:, cols] = v2, c2
        csum = np.vstack([np.zeros((1, n)), np.cumsum(v, axis=0)])  # csum[s'] = s' others
        cand = csum[s_range]
        pick = np.argmin(cand, axis=0)
        hub_value = cand[pick, rows] - lam
        n_others = s_range[pick]
        open_hubs = np.argpartition(hub_value, k - 1)[:k] if k < n else rows
        value = float(lam.sum() + hub_value[open_hubs].sum())
        if best == -np.inf or value > best + 1e-9 * abs(best):
            best, best_iter, stall = value, it, 0
        else:
            stall += 1
            if stall >= 20:
                theta *= 0.5
                stall = 0
        served = np.zeros(n)
        served[open_hubs] += 1.0
        for j in open_hubs:
            served[chosen[: n_others[j], j]] += 1.0
        g = 1.0 - served
        norm = float(g @ g)
        if norm == 0.0:  # the relaxed solution is feasible, hence optimal
            break
        target = upper if upper is not None and upper > best else best + 0.05 * abs(best) + 1.0
        lam += theta * (target - value) / norm * g
        if theta < 1e-4 or time.perf_counter() - t0 > time_limit:
            break
    return {
        "bound": best,
        "iterations": it,
        "best_iteration": best_iter,
        "seconds": time.perf_counter() - t0,
        "upper_used": upper,
        "candidates": m,
        "exact_columns": exact_cols,
    }
