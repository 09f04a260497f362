"""Every CSV and XLSX cell the platform writes passes `neutralise` (issue 13 item 4).

A spreadsheet program treats a cell that begins with `=`, `+`, `-` or `@` as a formula,
and a leading tab or carriage return hides such a character from a naive filter
(OWASP, "CSV Injection"). Text taken from records — an enterprise name, a penalty's
wording, a rejected row as sent — could then run `=cmd|' /C calc'!A0` or send the
sheet's contents away through `=HYPERLINK(…)` when an officer or a citizen opens the
file. OWASP's remedy: prefix such a cell with a single quote, which spreadsheet programs
read as "this is text". openpyxl would even write a string beginning with `=` as a live
formula, so XLSX writers need it as much as CSV writers do.

Numbers, dates and booleans pass unchanged (a negative amount stays a number); only text
is prefixed. `restore` undoes it for the platform's own files read back in (an officer
fixes the rejected rows in place and uploads the file again).
"""

from __future__ import annotations

from typing import Any

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def neutralise(value: Any) -> Any:
    """The value to write into a CSV or XLSX cell: text that a spreadsheet would read as
    a formula gets a leading single quote; everything else is returned as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return QUOTE + value
    return value


def neutralise_row(values: Any) -> list[Any]:
    return [neutralise(v) for v in values]


def restore(value: Any) -> Any:
    """Text read from a spreadsheet without the quote `neutralise` added (XML reads a
    carriage return back as a line feed, hence the extra character)."""
    if isinstance(value, str) and value[:1] == QUOTE and value[1:2] and value[1] in (*FORMULA_TRIGGERS, "\n"):
        return value[1:]
    return value


def is_live(value: Any) -> bool:
    """Whether a cell value as written would be taken for a formula (for tests and the
    security probe)."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)
