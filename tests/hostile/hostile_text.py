"""Hostile delimited text: encodings, delimiters, quotes, NUL bytes, coordinates, special files."""

from __future__ import annotations

import os
import shutil

from hostile_base import PROBE_ID, PROBE_LONLAT, _csv, _Maker


# -- delimited text ----------------------------------------------------------------------------
def _text_cases(m: _Maker) -> None:
    h, rows = m.header, m.rows
    m.ok("sample.csv", _csv(m.p("sample.csv"), h, rows))
    m.ok("bom.csv", _csv(m.p("bom.csv"), h, rows, bom=True))
    m.ok("crlf.csv", _csv(m.p("crlf.csv"), h, rows, newline="\r\n"))
    m.ok("tabs.tsv", _csv(m.p("tabs.tsv"), h, rows, sep="\t"))
    m.ok("tabs.txt", _csv(m.p("tabs.txt"), h, rows, sep="\t"))
    comma = [[c.replace(".", ",") if j in (m.col("lat"), m.col("lon")) else c
              for j, c in enumerate(r)] for r in rows]
    m.ok("semicolon_decimal_comma.csv", _csv(m.p("semicolon_decimal_comma.csv"), h, comma,
                                             sep=";"))
    named = m.with_cell(0, "name", "Caf\u00e9 B\u00e9b\u00e9 \u2013 Chatham")
    m.ok("cp1252.csv", _csv(m.p("cp1252.csv"), h, named, encoding="cp1252"))
    m.ok("unicode_names.csv", _csv(m.p("unicode_names.csv"), h,
                                   m.with_cell(3, "name", "\u0645\u0631\u0643\u0632 \U0001F600")))
    m.bad("utf16.csv", _csv(m.p("utf16.csv"), h, rows, encoding="utf-16"), "NUL")
    data = _csv(m.p("nul.csv"), h, rows).read_bytes().replace(b"Chatham", b"Chat\x00ham", 1)
    m.p("nul.csv").write_bytes(data)
    m.bad("nul.csv", m.p("nul.csv"), "NUL")
    m.ok("quoted_newline.csv", _csv(m.p("quoted_newline.csv"), h,
                                    m.with_cell(2, "street", "Unit 4\nThe Parade")))
    lines = _csv(m.p("x.csv"), h, rows).read_text().splitlines()
    lines[16] = lines[16].replace(",", ',"', 1)  # row 17 opens a quote that never closes
    m.p("unclosed_quote_eof.csv").write_text("\n".join(lines) + "\n")
    m.bad("unclosed_quote_eof.csv", m.p("unclosed_quote_eof.csv"), "row 17", "quote")
    lines = _csv(m.p("x.csv"), h, rows).read_text().splitlines()
    lines[9] = lines[9].replace(",", ',"', 1)
    lines[13] = lines[13] + '"'
    m.p("quote_swallows_rows.csv").write_text("\n".join(lines) + "\n")
    m.bad("quote_swallows_rows.csv", m.p("quote_swallows_rows.csv"), "row 10", "quote")
    m.p("commas_only.csv").write_text(",,,,\n,,,,\n,,,,\n")
    m.bad("commas_only.csv", m.p("commas_only.csv"), "header")
    m.p("empty.csv").write_bytes(b"")
    m.bad("empty.csv", m.p("empty.csv"), "empty")
    m.p("blank_lines.csv").write_text("\n \n\t\n")
    m.bad("blank_lines.csv", m.p("blank_lines.csv"), "empty")
    m.bad("header_only.csv", _csv(m.p("header_only.csv"), h, []), "no data rows")
    m.bad("duplicate_columns.csv", _csv(m.p("duplicate_columns.csv"),
                                        h[:-1] + ["lat"], rows), "duplicate column")
    long_rows = [list(r) for r in rows]
    long_rows[3] = long_rows[3] + ["extra"]
    m.bad("long_row.csv", _csv(m.p("long_row.csv"), h, long_rows), "row 5")
    short = [r[:-1] for r in rows]
    m.ok("short_rows.csv", _csv(m.p("short_rows.csv"), h, short))
    m.bad("one_blank_lat.csv", _csv(m.p("one_blank_lat.csv"), h, m.with_cell(4, "lat", "")),
          "row 6", "lat")
    both = m.with_cell(4, "lat", "")
    both[4][m.col("lon")] = ""
    m.ok("one_unlocated.csv", _csv(m.p("one_unlocated.csv"), h, both), count=102)
    three = [list(r) for r in rows]
    for i in (5, 6, 7):
        three[i][m.col("lat")] = three[i][m.col("lon")] = ""
    m.ok("three_unlocated.csv", _csv(m.p("three_unlocated.csv"), h, three), count=100)
    ten = [list(r) for r in rows]
    for i in range(10, 20):
        ten[i][m.col("lat")] = ten[i][m.col("lon")] = ""
    m.bad("ten_unlocated.csv", _csv(m.p("ten_unlocated.csv"), h, ten), "10 of 103")
    for name, value in (("text", "51,3x"), ("nan", "NaN"), ("inf", "inf"), ("minus_inf", "-inf"),
                        ("hex", "0x33"), ("words", "fifty-one")):
        m.bad(f"lat_{name}.csv", _csv(m.p(f"lat_{name}.csv"), h,
                                      m.with_cell(16, "lat", value)), "row 18", "lat")
    m.bad("lat_1e308.csv", _csv(m.p("lat_1e308.csv"), h, m.with_cell(16, "lat", "1e308")),
          "row 18")
    m.bad("lon_200.csv", _csv(m.p("lon_200.csv"), h, m.with_cell(2, "lon", "200")), "row 4")
    swapped_h = [{"lat": "lon", "lon": "lat"}.get(c, c) for c in h]
    m.bad("swapped_header.csv", _csv(m.p("swapped_header.csv"), swapped_h, rows), "swapped")
    one = m.with_cell(4, "lat", rows[4][m.col("lon")])
    one[4][m.col("lon")] = rows[4][m.col("lat")]
    m.bad("one_row_swapped.csv", _csv(m.p("one_row_swapped.csv"), h, one), "swapped", "row 6")
    scot = m.with_cell(7, "lat", "57.48")
    scot[7][m.col("lon")] = "-4.22"
    m.bad("one_in_scotland.csv", _csv(m.p("one_in_scotland.csv"), h, scot), "outside England")
    m.ok("one_in_scotland_allowed.csv", _csv(m.p("one_in_scotland_allowed.csv"), h, scot),
         options=("--allow-outside-england",))
    paris = [list(r) for r in rows[:30]]
    for n, r in enumerate(paris):
        r[m.col("lat")], r[m.col("lon")] = f"{48.80 + n * 0.003:.4f}", f"{2.30 + n * 0.002:.4f}"
    m.bad("paris.csv", _csv(m.p("paris.csv"), h, paris), "outside England")
    m.ok("paris_allowed.csv", _csv(m.p("paris_allowed.csv"), h, paris), count=30, probe=False,
         options=("--allow-outside-england",))
    metres = [list(r) for r in rows]
    for r in metres:
        r[m.col("lat")], r[m.col("lon")] = r[m.col("northing")], r[m.col("easting")]
    m.bad("bng_in_latlon.csv", _csv(m.p("bng_in_latlon.csv"), h, metres),
          "British National Grid")
    keep = [j for j, c in enumerate(h) if c not in ("lat", "lon")]
    bng_h = [h[j] for j in keep]
    bng_rows = [[r[j] for j in keep] for r in rows]
    m.ok("bng_only.csv", _csv(m.p("bng_only.csv"), bng_h, bng_rows))
    deg = [list(r) for r in rows]
    for r in deg:
        r[m.col("easting")], r[m.col("northing")] = r[m.col("lon")], r[m.col("lat")]
    m.bad("latlon_in_bng.csv", _csv(m.p("latlon_in_bng.csv"), bng_h,
                                    [[r[j] for j in keep] for r in deg]), "longitude/latitude")
    en_h = [{"easting": "northing", "northing": "easting"}.get(c, c) for c in bng_h]
    m.bad("bng_swapped.csv", _csv(m.p("bng_swapped.csv"), en_h, bng_rows), "swapped")
    far = m.with_cell(3, "easting", "-5000000")
    m.bad("bng_far.csv", _csv(m.p("bng_far.csv"), bng_h, [[r[j] for j in keep] for r in far]),
          "row 5")
    dup = m.with_cell(5, "urn", rows[2][0])
    m.bad("duplicate_ids.csv", _csv(m.p("duplicate_ids.csv"), h, dup), "duplicate ids")
    m.bad("blank_id.csv", _csv(m.p("blank_id.csv"), h, m.with_cell(8, "urn", "")), "row 10")
    m.ok("float_ids.csv", _csv(m.p("float_ids.csv"), h, [[f"{r[0]}.0"] + r[1:] for r in rows]),
         probe=False, coords=(f"{PROBE_ID}.0", *PROBE_LONLAT))
    m.ok("huge_field.csv", _csv(m.p("huge_field.csv"), h, m.with_cell(9, "name", "x" * 1_000_000)))
    fed_h = h + ["federation"]
    m.ok("federation_column.csv", _csv(m.p("federation_column.csv"), fed_h,
                                       [r + [f"F{i % 4}"] for i, r in enumerate(rows)]))
    m.ok("federation_blank.csv", _csv(m.p("federation_blank.csv"), fed_h, [r + [""] for r in rows]))
    m.ok("padded_header.csv", _csv(m.p("padded_header.csv"), [f"  {c} " for c in h], rows))
    m.ok("upper_header.csv", _csv(m.p("upper_header.csv"), [c.upper() for c in h], rows))
    m.ok("one_row.csv", _csv(m.p("one_row.csv"), h, rows[:1]), count=1)
    twin = [list(r) for r in rows[:40]] + [[rows[0][0] + "b"] + rows[0][1:]]
    m.ok("coincident_pair.csv", _csv(m.p("coincident_pair.csv"), h, twin), count=41)
    fifty = [list(r) for r in rows[:40]] + [[f"{rows[0][0]}c{i}"] + rows[0][1:] for i in range(49)]
    m.ok("fifty_at_one_location.csv", _csv(m.p("fifty_at_one_location.csv"), h, fifty), count=89)
    crowd = [list(r) for r in rows[:40]] + [[f"{rows[0][0]}c{i}"] + rows[0][1:]
                                           for i in range(5_000)]
    m.bad("crowd_at_one_location.csv", _csv(m.p("crowd_at_one_location.csv"), h, crowd),
          "share one location")
    m.p("excel.csv").write_bytes(b"PK\x03\x04" + os.urandom(200))
    m.bad("excel.csv", m.p("excel.csv"), "zip")
    m.p("sheet.xlsx").write_bytes(b"PK\x03\x04")
    m.bad("sheet.xlsx", m.p("sheet.xlsx"), "spreadsheet")
    shutil.copy(m.p("sample.csv"), m.p("centres.dat"))
    m.bad("centres.dat", m.p("centres.dat"), "unknown file type")
    shutil.copy(m.p("sample.csv"), m.p("centres"))
    m.bad("no_extension", m.p("centres"), "unknown file type")
    m.p("folder.csv").mkdir()
    m.bad("folder.csv", m.p("folder.csv"), "folder")
    os.mkfifo(m.p("fifo.csv"))
    m.bad("fifo.csv", m.p("fifo.csv"), "pipe")
    os.symlink("/dev/zero", m.p("zero.csv"))
    m.bad("dev_zero.csv", m.p("zero.csv"), "device")
    os.symlink("/dev/null", m.p("null.geojson"))
    m.bad("dev_null.geojson", m.p("null.geojson"), "device")
    os.symlink(m.p("sample.csv"), m.p("link.csv"))
    m.ok("symlink.csv", m.p("link.csv"))
    os.symlink(m.p("gone.csv"), m.p("dangling.csv"))
    m.bad("dangling_symlink.csv", m.p("dangling.csv"), "not found")
    m.bad("missing.csv", m.p("missing.csv"), "not found")
    with open(m.p("huge.csv"), "wb") as handle:  # sparse: takes no disk
        handle.write(",".join(h).encode() + b"\n")
        handle.truncate(600 * 1024 * 1024)
    m.bad("over_size_limit.csv", m.p("huge.csv"), "MB")
