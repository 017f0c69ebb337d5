"""Delimited text (``.csv``, ``.txt``, ``.tsv``) into a :class:`~planner.geo.tables.Table`.

UTF-8 with or without BOM, else Windows-1252 (Excel); separator comma, semicolon or tab, sniffed
from the header line. Values stay strings. Nothing is guessed past a broken quote: a quoted value
left open at the end of the file, or one that swallows lines that look like rows (a missing
closing quote), is refused naming the row, the column and the lines it swallowed, so a file is
never half-loaded.
"""

from __future__ import annotations

import csv
import io as _io
from pathlib import Path

from planner.geo.errors import InputError, list_some
from planner.geo.guard import MAX_INPUT_BYTES, read_bytes

__all__ = ["read_csv", "SNIFF_BYTES"]

SNIFF_BYTES = 8192
# A quoted value may hold a few line breaks (an address); more lines than this that each look like
# a row mean a closing quote is missing.
_SWALLOWED_ROWS_ALLOWED = 0


def _allow_long_values() -> None:
    """A value may be as long as a file may be (the csv module stops at 128 KB by default)."""
    if csv.field_size_limit() < MAX_INPUT_BYTES:
        csv.field_size_limit(MAX_INPUT_BYTES)


def _decode(path: Path, data: bytes) -> tuple[str, str]:
    head = data[:SNIFF_BYTES]
    if head.startswith(b"PK\x03\x04"):
        raise InputError(f"{path}: is a zip archive or Excel workbook, not a CSV text file")
    if b"\x00" in data:
        at = data.index(b"\x00")
        line = data[:at].count(b"\n") + 1
        raise InputError(f"{path}: holds a NUL byte (line {line}): a binary file, not CSV text")
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def _sniff_delimiter(first_line: str) -> str:
    counts = {}
    for delim in (",", ";", "\t"):
        try:
            counts[delim] = len(next(csv.reader([first_line], delimiter=delim)))
        except (csv.Error, StopIteration):
            counts[delim] = 0
    return max((",", ";", "\t"), key=lambda d: counts[d])


def _swallowed(record: list[str], header: list[str], delimiter: str) -> tuple[int, str] | None:
    """(lines that look like rows, column) if a value of ``record`` holds such lines."""
    need = max(1, len(header) - 1)
    for j, value in enumerate(record):
        if "\n" not in value and "\r" not in value:
            continue
        rows = sum(1 for line in value.splitlines()[1:] if line.count(delimiter) >= need)
        if rows > _SWALLOWED_ROWS_ALLOWED:
            return rows, header[j] if j < len(header) else f"column {j + 1}"
    return None


def read_csv(path: Path):
    """The :class:`Table` of a delimited text file (see the module notes)."""
    from planner.geo.tables import Table

    data = read_bytes(path)
    if not data.strip():
        raise InputError(f"{path}: the file is empty")
    text, encoding = _decode(path, data)
    if not text.strip():
        raise InputError(f"{path}: the file is empty")
    first = next(line for line in text.splitlines() if line.strip())
    delimiter = _sniff_delimiter(first)
    header, rows, labels = _records(path, text, delimiter)
    table = Table(path, header, rows, labels, "csv", decimal_comma=delimiter == ";")
    if encoding != "utf-8":
        table.warnings.append(f"{path.name}: not UTF-8; read as {encoding} (Windows/Excel text)")
    return table


def _records(path: Path, text: str, delimiter: str):
    _allow_long_values()
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    rows: list[list] = []
    labels: list[str] = []
    long_rows: list[str] = []
    start = 1
    try:
        for record in reader:
            line, begun, start = reader.line_num, start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [c.strip() for c in record]
                _check_header(path, header)
                continue
            lost = _swallowed(record, header, delimiter)
            if lost is not None:
                raise InputError(
                    f"{path}: row {begun}, column {lost[1]!r}: a quoted value runs over lines "
                    f"{begun}-{line} and holds {lost[0]} line(s) that look like rows: is a "
                    "closing quote missing?"
                )
            if len(record) > len(header):
                if any(c.strip() for c in record[len(header):]):
                    long_rows.append(f"row {begun}")
                record = record[: len(header)]
            elif len(record) < len(header):
                record = record + [""] * (len(header) - len(record))
            rows.append(record)
            labels.append(f"row {begun}")
    except csv.Error as exc:
        raise InputError(
            f"{path}: row {start}: not readable CSV ({exc}): is a closing quote missing?"
        ) from None
    if header is None:
        raise InputError(f"{path}: has no header row: every line is blank or only separators")
    if long_rows:
        raise InputError(
            f"{path}: {len(long_rows)} row(s) have more values than the header has columns "
            f"({len(header)}): {list_some(long_rows)}"
        )
    if not rows:
        raise InputError(f"{path}: has a header ({', '.join(header)}) but no data rows")
    return header, rows, labels


def _check_header(path: Path, header: list[str]) -> None:
    blank = [str(j + 1) for j, c in enumerate(header) if not c]
    if blank and len(blank) == len(header):
        raise InputError(f"{path}: the header row is blank")
    seen: set[str] = set()
    dups = []
    for c in header:
        if c and c in seen:
            dups.append(c)
        seen.add(c)
    if dups:
        raise InputError(f"{path}: duplicate column names in the header: {list_some(dups)}")
    for j, c in enumerate(header):
        if not c:
            header[j] = f"column_{j + 1}"
