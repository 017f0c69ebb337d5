"""Reach figures for ``planner stats``: per federation (and per centre in ``--json``).

The land is the one the window uses for a file opened without a boundary layer of its own:
England's districts near the centres (:func:`planner.geo.context.boundaries_for`), narrowed to
those that hold a centre (:func:`planner.geo.land.study_area`).
"""

from __future__ import annotations

from planner.domain.plan import Plan
from planner.domain.reach import REACH_COLUMNS, Reach
from planner.domain.reach_stats import ReachStats
from planner.domain.stats import PlanStats
from planner.geo.small_areas import (
    ATTRIBUTION,
    add_reach_columns,
    reach_for,
    with_reach_columns,
)

__all__ = ["REACH_COLUMNS", "with_reach", "loaded_with_reach", "reach_report", "print_reach"]


def with_reach(centres, plan: Plan | None, land=None):
    """(centres with the reach columns, the plan on them or None, their :class:`Reach`).

    ``land``: the study area when the caller has it (``planner stats`` does), else worked out
    from England's districts near the centres, as the window does."""
    boundaries = None
    if land is None:
        from planner.geo.context import boundaries_for

        boundaries, _ = boundaries_for(centres)
    reach = reach_for(centres, boundaries, land)
    if plan is not None:
        plan = with_reach_columns(plan, reach)
        return plan.centres, plan, reach
    return add_reach_columns(centres, reach), None, reach


def loaded_with_reach(loaded):
    """A :class:`~planner.geo.io.LoadResult` whose centres (and plan) carry the reach columns."""
    from dataclasses import replace

    centres, plan, _ = with_reach(loaded.centres, loaded.plan)
    return replace(loaded, centres=centres, plan=plan)


def _federation(row, name: str) -> dict:
    return {
        "name": name,
        "children_0_15": row.children,
        "deprived_children": row.deprived,
        "deprived_share": row.deprived_share,
        "population": row.population,
        "small_areas": row.area_count,
        "mean_area_to_centre_m": row.mean_distance,
        "max_area_to_centre_m": row.max_distance,
        "mean_area_to_hub_m": row.mean_to_hub,
        "max_area_to_hub_m": row.max_to_hub,
    }


def reach_report(reach: Reach, ids, plan: Plan | None) -> dict:
    """The ``reach`` member of ``planner stats --json``."""
    centres = []
    for i, share in enumerate(reach.deprived_share.tolist()):
        centres.append({
            "id": ids[i],
            "children_0_15": float(reach.children[i]),
            "deprived_children": float(reach.deprived[i]),
            "deprived_share": share,
            "population": float(reach.population[i]),
            "small_areas": float(reach.area_count[i]),
            "mean_area_distance_m": float(reach.mean_distance[i]),
            "max_area_distance_m": float(reach.distance_max[i]),
        })
    report = {
        "attribution": ATTRIBUTION,
        "small_areas_served": int((reach.owner >= 0).sum()),
        "children_0_15": float(reach.children.sum()),
        "deprived_children": float(reach.deprived.sum()),
        "centres": centres,
        "federations": [],
        "deprived_share_spread": None,
    }
    if plan is not None:
        stats = PlanStats(plan)  # for the hubs (set, else the medoid), as the window has them
        rs = ReachStats(plan, reach, lambda k: stats[k].hub if k in stats else None)
        report["federations"] = [_federation(r, plan.federations[r.key].name)
                                 for r in rs.rows()]
        report["deprived_share_spread"] = rs.deprived_share_spread()
    return report


def print_reach(report: dict) -> None:
    total, deprived = report["children_0_15"], report["deprived_children"]
    share = deprived / total if total else 0.0
    print(f"Reach: {report['small_areas_served']:,} small areas, {total:,.0f} children 0-15, "
          f"{deprived:,.0f} in the 30% most deprived areas ({share:.0%})")
    feds = report["federations"]
    if not feds:
        for c in report["centres"]:
            print(f"  {c['id']:<12} {c['children_0_15']:>9,.0f} children  "
                  f"{c['deprived_children']:>8,.0f} deprived ({c['deprived_share']:.0%})")
        print(f"  ({ATTRIBUTION})")
        return
    print(f"{'federation':<28} {'children':>9} {'deprived':>9} {'share':>6} "
          f"{'areas to hub':>12} {'furthest':>9}")
    for f in feds:
        print(f"{f['name'][:28]:<28} {f['children_0_15']:>9,.0f} {f['deprived_children']:>9,.0f} "
              f"{f['deprived_share']:>6.0%} {f['mean_area_to_hub_m'] / 1000:>9.1f} km "
              f"{f['max_area_to_hub_m'] / 1000:>6.1f} km")
    lo, hi = report["deprived_share_spread"] or (0.0, 0.0)
    print(f"deprived share {lo:.0%}\u2013{hi:.0%} across federations")
    print(f"({ATTRIBUTION})")
