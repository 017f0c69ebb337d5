"""The pack's pages: the cover, one page per federation, the comparison and the change log.

Each ``draw_*`` function starts its own page(s) through ``new_page`` and continues a long table
on further pages, headed "(continued)".
"""

from __future__ import annotations

from collections.abc import Callable

from planner.geo.export import ATTRIBUTION
from planner.ui.report.layout import MARGIN, Page
from planner.ui.report.maps import draw_map

__all__ = ["draw_cover", "draw_federation", "draw_comparison", "draw_log", "member_widths"]

TITLE = "Children's centre federations: consultation pack"
LEGEND_MAX = 30  # more federations than this: the summary table's swatches are the legend


def _continued_table(page: Page, new_page: Callable[[], None], y: float, title: str,
                     headers, rows, widths, colours=None) -> float:
    """Draw a table from ``y``, continuing on new pages (headed ``title (continued)``)."""
    while True:
        y, drawn = page.table(y, headers, rows, widths, colours=colours)
        rows = rows[drawn:]
        colours = colours[drawn:] if colours is not None else None
        if not rows:
            return y
        new_page()
        y = page.heading(MARGIN, f"{title} (continued)", 12)


def _widths(headers: list[str], fixed: dict[str, float], first: float, total: float) -> list:
    widths = [fixed.get(h, 20.0) for h in headers]
    widths[0] = first
    flexible = [i for i, h in enumerate(headers) if h in ("Address", "Hub", "Reason", "Rules")]
    spare = total - sum(widths)
    for i in flexible:
        widths[i] += spare / len(flexible)
    if not flexible:
        widths[0] += spare
    return widths


def member_widths(headers: list[str], total: float) -> list[float]:
    fixed = {"Postcode": 19.0, "District": 27.0, "Address": 30.0}
    return _widths(headers, fixed, 60.0, total)


def draw_cover(page: Page, new_page: Callable[[], None], content) -> None:
    new_page()
    y = page.heading(MARGIN, TITLE, 16)
    y = page.text(MARGIN, y, content.area, 13, bold=True) + 1
    y = page.text(MARGIN, y, f"Option: {content.option}    Date: {content.date}    "
                  f"{len(content.plan.centres)} centres in {len(content.plan.federations)} "
                  "federations", 9) + 2
    draw_map(page.painter, page.rect(MARGIN, y, page.width, 112), content, None, page.px)
    y += 113
    y = page.text(MARGIN, y, "Map: federation outlines (coloured), centres (dots), hubs "
                  "(squares with a cross), district boundaries (grey lines). " + ATTRIBUTION,
                  5.5, colour="#555555") + 2
    y = _legend(page, y, content)
    y = page.heading(y + 1, "Summary", 12)
    headers, rows = content.summary_headers, content.summary_rows
    fixed = {"Centres": 14.0, "Longest to hub": 27.0, "Rules": 26.0, "Hub": 30.0}
    widths = _widths(headers, fixed, 44.0, page.width)
    colours = [p.colour for p in content.federations]
    y = _continued_table(page, new_page, y, "Summary", headers, rows, widths, colours)
    y = page.heading(y + 1, "Rules", 12)
    for line in content.rules:
        if y > page.bottom - 6:
            new_page()
            y = page.heading(MARGIN, "Rules (continued)", 12)
        y = page.text(MARGIN, y, line, 8)


def _legend(page: Page, y: float, content) -> float:
    feds = content.federations
    if len(feds) > LEGEND_MAX:
        return page.text(MARGIN, y, "Legend: each federation's colour is shown beside its name "
                         "in the summary table.", 7.5)
    col_w = page.width / 3
    for i, fed in enumerate(feds):
        x = MARGIN + (i % 3) * col_w
        row_y = y + (i // 3) * 4.6
        page.swatch(x, row_y + 0.5, fed.colour)
        page.text(x + 4.5, row_y, fed.name, 8, width=col_w - 5)
    return y + ((len(feds) + 2) // 3) * 4.6 + 1


def draw_federation(page: Page, new_page: Callable[[], None], content, fed) -> None:
    new_page()
    page.swatch(MARGIN, MARGIN + 1.2, fed.colour, 5.0)
    page.text(MARGIN + 7, MARGIN, fed.name, 15, bold=True)
    y = MARGIN + 9
    hub = ""
    if fed.hub is not None:
        hub = f"    Hub: {content.plan.centres.names[content.plan.centres.index_of(fed.hub)]}"
    y = page.text(MARGIN, y, f"{content.area}    Option: {content.option}    "
                  f"{len(fed.rows)} centres{hub}", 8.5) + 1.5
    draw_map(page.painter, page.rect(MARGIN, y, page.width, 92), content, fed.key, page.px)
    y += 93
    y = page.text(MARGIN, y, "Neighbouring federations in grey; the hub is the square with a "
                  "cross.", 6.5, colour="#555555") + 1.5
    y, _ = page.table(y, ["Figure", "This federation", "Area mean"],
                      [list(f) for f in fed.figures], [70.0, 45.0, 45.0])
    if fed.broken:
        y = page.text(MARGIN, y, "Rules broken: " + ", ".join(dict.fromkeys(fed.broken)), 8,
                      colour="#a01010") + 1
    y = page.heading(y + 1, "Members", 11)
    widths = member_widths(fed.headers, page.width)
    _continued_table(page, new_page, y, f"{fed.name}: members", fed.headers, fed.rows, widths)


def draw_comparison(page: Page, new_page: Callable[[], None], content) -> None:
    cmp, other = content.comparison, content.compare_name or "the other option"
    new_page()
    y = page.heading(MARGIN, f"Comparison: {content.option} and {other}", 15)
    y = page.text(MARGIN, y, f"{len(cmp.moves)} of {len(content.plan.centres)} centres are in a "
                  "different federation. Federations are paired by the centres they share, "
                  "not by name.", 8.5) + 2
    cols = sorted({c for p in cmp.pairs for c in (*p.sums_a, *p.sums_b)})
    headers = [f"In {content.option}", "Centres", f"In {other}", "Centres", "Shared"]
    headers += [f"{c} ({side})" for c in cols for side in ("A", "B")]
    rows = [[p.name_a or "(none)", f"{p.count_a}", p.name_b or "(none)", f"{p.count_b}",
             f"{p.shared}"] + [f"{s.get(c, 0):,.0f}" for c in cols for s in (p.sums_a, p.sums_b)]
            for p in cmp.pairs]
    widths = _widths(headers, {"Centres": 15.0, "Shared": 15.0}, 50.0, page.width)
    widths[2] = widths[0]
    widths[0] = widths[2] = (page.width - sum(widths[1:2] + widths[3:])) / 2
    y = _continued_table(page, new_page, y, "Comparison", headers, rows, widths)
    y = page.heading(y + 1, "Centres in a different federation", 11)
    moves = [[m.name, m.fed_a or "(none)", m.fed_b or "(none)"] for m in cmp.moves]
    _continued_table(page, new_page, y, "Moves", ["Centre", f"In {content.option}",
                                                   f"In {other}"], moves, [80.0, 50.0, 50.0])


def draw_log(page: Page, new_page: Callable[[], None], content) -> None:
    new_page()
    y = page.heading(MARGIN, "Appendix: change log", 15)
    if not len(content.log):
        page.text(MARGIN, y, "No changes have been recorded for this option.", 9)
        return
    names = dict(zip(content.plan.centres.ids, content.plan.centres.names, strict=True))
    for entry in content.log:
        what = entry.what
        if entry.centres:
            moved = ", ".join(names.get(c, c) for c in entry.centres[:6])
            more = f" and {len(entry.centres) - 6} more" if len(entry.centres) > 6 else ""
            row = entry.csv_row()
            what += f": {moved}{more}, from {row['from']} to {row['to']}"
        reason = f"Reason: {entry.reason}" if entry.reason else "Reason: (none given)"
        need = 4.0 + 3.6 * (1 + len(what) // 120 + len(reason) // 120)
        if y + need > page.bottom:
            new_page()
            y = page.heading(MARGIN, "Appendix: change log (continued)", 12)
        y = page.text(MARGIN, y, f"{entry.when.replace('T', ' ')[:16]}  \u00b7  {entry.who}",
                      7.5, bold=True)
        y = page.text(MARGIN + 3, y, what, 7.5)
        y = page.text(MARGIN + 3, y, reason, 7.5, colour="#333366") + 1.5
