"""What the consultation pack says, worked out without Qt: the pages' text, tables and shapes.

:func:`build_content` gathers, for one option: the area's name, the whole-area shapes (district
boundaries, federation outlines), a summary row per federation with which rules hold, a page per
federation (members with name, postcode, address, district and reach figures where the file has
them; the federation's figures against the area's mean), an optional comparison with a second
plan, and the change log. The painter modules only lay this out.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from planner.domain.changelog import ChangeLog
from planner.domain.compare import REACH_COLUMNS, Comparison, compare
from planner.domain.constraints import Constraints, Violation, check
from planner.domain.plan import UNASSIGNED, Plan
from planner.domain.stats import PlanStats

__all__ = ["PackContent", "FederationPage", "build_content", "AREA_COLUMNS"]

AREA_COLUMNS = ("utla_name", "dfe_la_name", "la_name")
DISTRICT_COLUMNS = ("lad_name", "district", "lad24nm")
POSTCODE_COLUMNS = ("postcode", "post_code", "pcd")
ADDRESS_COLUMNS = ("street", "locality", "address3", "town")
REACH_LABELS = {"children_0_15_reach": "Children 0-15", "deprived_children_reach": "Deprived"}


@dataclass
class FederationPage:
    key: int
    name: str
    colour: str
    hub: str | None  # centre id
    headers: list[str]
    rows: list[list[str]]
    figures: list[tuple[str, str, str]]  # (figure, this federation, area mean)
    broken: list[str]  # the rules this federation breaks, in words


@dataclass
class PackContent:
    area: str
    option: str
    date: str
    plan: Plan
    outlines: dict
    districts: list  # shapely polygons (projected metres)
    summary_headers: list[str]
    summary_rows: list[list[str]]
    rules: list[str]  # plan-wide: what holds / what is broken, in words
    federations: list[FederationPage]
    hubs: dict = field(default_factory=dict)  # federation key -> hub centre id (set or medoid)
    comparison: Comparison | None = None
    compare_name: str = ""
    log: ChangeLog = field(default_factory=ChangeLog)


def _column(plan: Plan, names: tuple[str, ...]) -> str | None:
    attrs = {c.lower(): c for c in plan.centres.attributes}
    return next((attrs[n] for n in names if n in attrs), None)


def _text(value) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return ""
    return str(value).strip()


def area_name(plan: Plan) -> str:
    """The authorities the centres belong to (``Kent and Medway``), else the file's name."""
    col = _column(plan, AREA_COLUMNS)
    if col is not None:
        names = sorted({_text(v) for v in plan.centres.attributes[col] if _text(v)})
        if 0 < len(names) <= 3:
            return " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        if names:
            return f"{len(names)} local authorities"
    from pathlib import Path

    return Path(plan.centres.source).stem if plan.centres.source else "Plan"


def weight_columns(plan: Plan, constraints: Constraints | None) -> list[str]:
    """Columns the plan balances on (the constraints' balance rules or weight column)."""
    if constraints is None:
        return []
    return [b.column for b in constraints.balance if b.column in plan.centres.attributes]


def _numbers(plan: Plan, col: str) -> np.ndarray | None:
    try:
        return np.nan_to_num(plan.centres.numeric(col))
    except (KeyError, ValueError):
        return None


def _members(plan: Plan, rows: np.ndarray, reach: dict) -> tuple[list[str], list[list[str]]]:
    a = plan.centres.attributes
    post, dist = _column(plan, POSTCODE_COLUMNS), _column(plan, DISTRICT_COLUMNS)
    address = [c for c in ADDRESS_COLUMNS if c in a]
    headers = ["Centre"] + (["Postcode"] if post else []) + (["Address"] if address else [])
    headers += (["District"] if dist else []) + [REACH_LABELS.get(c, c) for c in reach]
    out = []
    for i in rows.tolist():
        row = [plan.centres.names[i]]
        if post:
            row.append(_text(a[post][i]))
        if address:
            row.append(", ".join(t for t in (_text(a[c][i]) for c in address) if t))
        if dist:
            row.append(_text(a[dist][i]))
        row += [f"{v[i]:,.0f}" for v in reach.values()]
        out.append(row)
    return headers, out


def _figures(stats: PlanStats, key: int, sums: dict, means: dict) -> list[tuple[str, str, str]]:
    s = stats[key]
    rows_ = stats.rows()
    mean = lambda f: float(np.mean([f(r) for r in rows_])) if rows_ else 0.0  # noqa: E731
    out = [
        ("Centres", f"{s.count}", f"{mean(lambda r: r.count):.1f}"),
        ("Mean distance to hub", f"{s.mean_to_hub / 1000:.1f} km",
         f"{mean(lambda r: r.mean_to_hub) / 1000:.1f} km"),
        ("Longest distance to hub", f"{s.max_to_hub / 1000:.1f} km",
         f"{mean(lambda r: r.max_to_hub) / 1000:.1f} km"),
        ("Area (hull of the centres)", f"{s.area / 1e6:,.0f} km\u00b2",
         f"{mean(lambda r: r.area) / 1e6:,.0f} km\u00b2"),
        ("Pieces", f"{s.components}", f"{mean(lambda r: r.components):.1f}"),
    ]
    for col, values in sums.items():
        label = REACH_LABELS.get(col, col)
        out.append((label, f"{values[key]:,.0f}", f"{means[col]:,.0f}"))
    return out


def rules_checked(plan: Plan, constraints: Constraints) -> str:
    """The rules this option is held to, in words (what "every rule holds" means)."""
    from planner.domain.constraints import size_bounds

    lo, hi = size_bounds(len(plan.centres), max(1, len(plan.federations)), constraints)
    words = [f"{lo}\u2013{hi} centres each"]
    if constraints.contiguous:
        words.append("each federation in one piece")
    for b in constraints.balance:
        words.append(f"{b.column} within \u00b1{b.tolerance:.0%} of the mean"
                     + (" (a target)" if b.soft else ""))
    if constraints.max_radius_m is not None:
        words.append(f"every centre within {constraints.max_radius_m / 1000:g} km of its hub")
    if constraints.within_boundaries:
        words.append("no federation crosses a local authority boundary")
    if constraints.must_link or constraints.cannot_link:
        words.append("linked centres kept together, separated ones apart")
    return "Rules checked: " + "; ".join(words) + "."


def _rules(plan: Plan, violations: list[Violation]) -> tuple[list[str], dict]:
    """Plan-wide words, and federation key -> the rules it breaks (soft targets are not rules:
    they are listed as approximated)."""
    broken = [v for v in violations if not v.soft]
    approximated = [v for v in violations if v.soft]
    by_fed: dict[int, list[str]] = {}
    for v in broken:
        if v.federation is not None:
            by_fed.setdefault(v.federation, []).append(v.rule)
    words = ["Every rule set for this option holds."] if not broken else (
        [f"{len(broken)} rule(s) broken:"] + [f"\u2022 {v.message}" for v in broken[:12]])
    if len(broken) > 12:
        words.append(f"\u2022 ... and {len(broken) - 12} more")
    if approximated:
        words.append(f"{len(approximated)} balance target(s) approximated:")
        words += [f"\u2022 {v.message}" for v in approximated[:12]]
    return words, by_fed


def _geometry(plan: Plan, boundaries) -> tuple[dict, list]:
    from planner.geo.land import study_area
    from planner.geo.outlines import OutlineBuilder

    districts = []
    if boundaries is not None and len(boundaries):
        import shapely

        geoms = shapely.make_valid(np.asarray(boundaries.geometry.values, dtype=object))
        districts = [g for g in geoms if not g.is_empty]
    land = study_area(plan.centres, boundaries)
    return OutlineBuilder(plan.centres, land).outlines(plan), districts


def build_content(
    plan: Plan,
    *,
    option: str,
    constraints: Constraints | None = None,
    log: ChangeLog | None = None,
    boundaries=None,
    other: Plan | None = None,
    other_name: str = "",
    area: str | None = None,
    today: str | None = None,
) -> PackContent:
    """Everything the pack shows for ``plan`` (and, with ``other``, the comparison with it)."""
    from planner.clustering.graph import adjacency, neighbourhood_graph

    constraints = constraints or Constraints()
    neighbours = adjacency(neighbourhood_graph(plan.centres), len(plan.centres))
    weights = weight_columns(plan, constraints)
    stats = PlanStats(plan, _numbers(plan, weights[0]) if weights else None, neighbours)
    violations = check(plan, constraints, neighbours, stats)
    rules, broken = _rules(plan, violations)
    rules.insert(0, rules_checked(plan, constraints))
    reach = {c: v for c in (*weights, *REACH_COLUMNS)
             if c in plan.centres.attributes and (v := _numbers(plan, c)) is not None}
    sums = {c: {k: float(v[plan.assignment == k].sum()) for k in plan.federations}
            for c, v in reach.items()}
    means = {c: float(np.mean(list(s.values()))) if s else 0.0 for c, s in sums.items()}
    headers = ["Federation", "Centres", "Hub"] + [REACH_LABELS.get(c, c) for c in reach]
    headers += ["Longest to hub", "Rules"]
    summary, pages = [], []
    for key, fed in plan.federations.items():
        s = stats[key]
        hub = plan.centres.ids[s.hub] if s.hub is not None else None
        hub_name = plan.centres.names[s.hub] if s.hub is not None else ""
        summary.append([fed.name, f"{s.count}", hub_name]
                       + [f"{sums[c][key]:,.0f}" for c in reach]
                       + [f"{s.max_to_hub / 1000:.1f} km",
                          "hold" if key not in broken else "broken: " + ", ".join(
                              dict.fromkeys(broken[key]))])
        rows = plan.members(key)
        m_headers, m_rows = _members(plan, rows, {c: reach[c] for c in reach})
        pages.append(FederationPage(key, fed.name, fed.colour, hub, m_headers, m_rows,
                                    _figures(stats, key, sums, means), broken.get(key, [])))
    outlines, districts = _geometry(plan, boundaries)
    unassigned = int((plan.assignment == UNASSIGNED).sum())
    if unassigned:
        rules.append(f"{unassigned} centre(s) are in no federation.")
    return PackContent(
        area=area or area_name(plan), option=option, date=today or date.today().isoformat(),
        plan=plan, outlines=outlines, districts=districts, summary_headers=headers,
        summary_rows=summary, rules=rules, federations=pages,
        comparison=compare(plan, other) if other is not None else None,
        compare_name=other_name, log=log or ChangeLog(),
        hubs={p.key: p.hub for p in pages if p.hub is not None},
    )
