"""Hostile plan files: every key of the "planner" member wrong in type, range or reference."""

from __future__ import annotations

import json

from hostile_base import SAMPLE_ROWS, _json, _Maker


# -- plan files --------------------------------------------------------------------------------
def _plan_cases(m: _Maker) -> None:
    def plan(name, change=None, expect="load", words=(), count=SAMPLE_ROWS):
        d = m.plan_doc()
        if change is not None:
            change(d)
        path = _json(m.p(name), d)
        if expect == "load":
            m.ok(name, path, count=count)
        else:
            m.bad(name, path, *words)

    def member(key, value):
        return lambda d: d["planner"].__setitem__(key, value)

    def fed(n, key, value):
        return lambda d: d["planner"]["federations"][n].__setitem__(key, value)

    def rule(key, value):
        return lambda d: d["planner"]["constraints"].__setitem__(key, value)

    def weight(n, value):
        return lambda d: d["features"][n]["properties"].__setitem__("children_0_15", value)

    plan("plan.geojson")
    plan("plan_v99.geojson", member("version", 99), "refuse", ("versions 1 and 2",))
    plan("plan_v0.geojson", member("version", 0), "refuse", ("versions 1 and 2",))
    plan("plan_version_text.geojson", member("version", "1"), "refuse", ("version",))

    def v2(d, current=0, options=None):
        one = dict(d["planner"], name="Option A", log=[])
        d["planner"] = {"version": 2, "options": options if options is not None else [one],
                        "current": current}

    plan("plan_v2.geojson", v2)
    plan("plan_v2_current_out_of_range.geojson", lambda d: v2(d, current=3), "refuse",
         ("current",))
    plan("plan_v2_options_object.geojson", lambda d: v2(d, options={}), "refuse", ("options",))
    plan("plan_v2_no_options.geojson", lambda d: v2(d, options=[]), "refuse", ("options",))
    plan("plan_member_list.geojson", lambda d: d.__setitem__("planner", []), "refuse",
         ("planner",))
    plan("plan_member_null.geojson", lambda d: d.__setitem__("planner", None), "refuse",
         ("planner",))
    plan("plan_federations_object.geojson", member("federations", {}), "refuse", ("federations",))
    for name, value in (("minus_one", -1), ("huge", 10**30), ("text", "0"), ("float", 1.5),
                        ("bool", True), ("null", None)):
        plan(f"plan_key_{name}.geojson", fed(0, "key", value), "refuse", ("key",))
    plan("plan_duplicate_keys.geojson", fed(1, "key", 0), "refuse", ("key",))
    plan("plan_key_missing.geojson", lambda d: d["planner"]["federations"][0].pop("key"),
         "refuse", ("key",))
    plan("plan_colour_word.geojson", fed(0, "colour", "red"), "refuse", ("colour",))
    plan("plan_colour_number.geojson", fed(0, "colour", 5), "refuse", ("colour",))
    plan("plan_name_number.geojson", fed(0, "name", 5), "refuse", ("name",))
    plan("plan_locked_text.geojson", fed(0, "locked", "yes"), "refuse", ("locked",))
    plan("plan_hub_list.geojson", fed(0, "hub", ["20070"]), "refuse", ("hub",))
    plan("plan_hub_not_member.geojson", fed(0, "hub", "20070"))
    plan("plan_assignment_list.geojson", member("assignment", [1, 2, 3]), "refuse",
         ("assignment",))
    plan("plan_assignment_unknown_key.geojson",
         lambda d: d["planner"]["assignment"].__setitem__("20070", 99), "refuse", ("20070",))
    plan("plan_assignment_text_key.geojson",
         lambda d: d["planner"]["assignment"].__setitem__("20070", "1"), "refuse", ("20070",))
    plan("plan_assignment_null.geojson",
         lambda d: d["planner"]["assignment"].__setitem__("20070", None), "refuse", ("20070",))
    plan("plan_assignment_stray_centre.geojson",
         lambda d: d["planner"]["assignment"].__setitem__("99999999", 1))
    plan("plan_locked_centres_text.geojson", member("locked_centres", "20070"), "refuse",
         ("locked_centres",))
    plan("plan_locked_centres_unknown.geojson", member("locked_centres", ["nope", "20070"]))
    plan("plan_params_list.geojson", member("params", [1]), "refuse", ("params",))
    plan("plan_constraints_list.geojson", member("constraints", [1]), "refuse",
         ("constraints",))
    for name, key, value in (
        ("federations_text", "federations", "5"), ("federations_zero", "federations", 0),
        ("min_negative", "min_size", -1), ("tolerance_text", "weight_tolerance", "10%"),
        ("tolerance_negative", "weight_tolerance", -0.1), ("max_link_negative", "max_link_m", -5),
        ("max_radius_zero", "max_radius_m", 0), ("contiguous_text", "contiguous", "true"),
        ("must_link_object", "must_link", {"a": 1}), ("cannot_link_triple", "cannot_link",
                                                      [["20070", "20155", "20222"]]),
        ("weight_column_number", "weight_column", 7), ("boundary_of_numbers", "boundary_of",
                                                       {"20070": 5}),
        ("fixed_hubs_text", "fixed_hubs", "20070"), ("balance_object", "balance", {"a": 1}),
        ("balance_tolerance_text", "balance", [{"column": "children_0_15",
                                                "tolerance": "ten"}]),
    ):
        plan(f"plan_rule_{name}.geojson", rule(key, value), "refuse", (key,))
    plan("plan_min_over_max.geojson", lambda d: (rule("min_size", 30)(d),
                                                 rule("max_size", 10)(d)), "refuse", ("min_size",))
    plan("plan_rule_unknown_key.geojson", rule("sparkle", True))
    plan("plan_rule_missing_balance_column.geojson",
         rule("balance", [{"column": "nope", "tolerance": 0.1}]), "refuse", ("nope",))
    plan("plan_rule_missing_old_weight_column.geojson", lambda d: (
        d["planner"]["constraints"].pop("balance"), rule("weight_column", "nope")(d),
        rule("weight_tolerance", 0.1)(d)), "refuse", ("nope",))
    for name, value in (("blank", None), ("negative", -3), ("text", "12a"), ("huge", 1e308),
                        ("empty_text", "")):
        plan(f"plan_weight_{name}.geojson", weight(2, value), "refuse",
             ("feature 3", "children_0_15"))
    for name, token in (("nan", "NaN"), ("infinity", "Infinity")):
        d = m.plan_doc()
        d["features"][2]["properties"]["children_0_15"] = 123456789
        text = json.dumps(d).replace("123456789", token)
        m.p(f"plan_weight_{name}.geojson").write_text(text)
        m.bad(f"plan_weight_{name}.geojson", m.p(f"plan_weight_{name}.geojson"), "feature 3")
