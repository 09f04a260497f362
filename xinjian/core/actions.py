"""Core state changes: the working-day calendar (domain.md §14).

`load_calendar` is the one way a year's holiday arrangement enters the platform
(`manage.py load_calendar FILE`, interfaces.md v1.1, and the admin's import form): it
validates the whole file first (nothing is stored when a line is wrong), replaces the
arrangement of each year in the file, and recomputes every deadline that depended on
those years, auditing each one that moved.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from . import audit, deadlines
from .errors import DomainError
from .models import CalendarDay, CalendarYear

CALENDAR_KINDS = {"holiday": False, "workday": True}  # kind → is_working


@dataclass(frozen=True)
class CalendarLoad:
    years: list[int]
    days: int
    moved: list[deadlines.Moved]


def parse_calendar(text: str) -> dict[dt.date, bool]:
    """CSV `date,kind` (a header line `date,kind` is allowed): every error is reported
    with its line, none is skipped."""
    days: dict[dt.date, bool] = {}
    errors: list[dict[str, Any]] = []

    def bad(line: int, code: str, message: str) -> None:
        errors.append({"field": f"line {line}", "code": code, "message": message})

    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff").replace("\0", ""))))
    except csv.Error as exc:  # an oversized field: not a calendar file
        raise DomainError(
            gettext("节假日安排文件有误，未作任何更改"),
            code="invalid_calendar",
            details=[{"field": "file", "code": "invalid_csv", "message": str(exc)}],
        )
    for n, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or (n == 1 and [c.lower() for c in cells] == ["date", "kind"]):
            continue
        if len(cells) != 2:
            bad(n, "invalid_row", gettext("每行应为“日期,类型”两列"))
            continue
        raw_date, kind = cells
        try:
            day = dt.date.fromisoformat(raw_date)
        except ValueError:
            bad(n, "invalid_date", gettext("日期格式应为YYYY-MM-DD：%(value)s") % {"value": raw_date})
            continue
        if kind not in CALENDAR_KINDS:
            bad(n, "invalid_kind", gettext("类型应为holiday或workday：%(value)s") % {"value": kind})
            continue
        if day in days and days[day] != CALENDAR_KINDS[kind]:
            bad(n, "conflict", gettext("同一日期既是假日又是工作日：%(value)s") % {"value": raw_date})
            continue
        days[day] = CALENDAR_KINDS[kind]
    if errors:
        raise DomainError(
            gettext("节假日安排文件有误，未作任何更改"), code="invalid_calendar", details=errors
        )
    if not days:
        raise DomainError(gettext("节假日安排文件没有任何日期"), code="empty_calendar")
    return days


@transaction.atomic
def load_calendar(text: str, *, actor: Any, source: str) -> CalendarLoad:
    """Enter the official arrangement of every year in `text` (replacing what the table
    held for those years) and recompute the deadlines that run into them."""
    days = parse_calendar(text)
    years = sorted({d.year for d in days})
    for year in years:
        before = {
            d.isoformat(): w
            for d, w in CalendarDay.objects.filter(day__year=year).values_list("day", "is_working")
        }
        CalendarDay.objects.filter(day__year=year).delete()
        CalendarDay.objects.bulk_create(
            [
                CalendarDay(day=d, is_working=w, name=gettext("调休上班") if w else gettext("法定节假日"))
                for d, w in sorted(days.items())
                if d.year == year
            ]
        )
        row, _ = CalendarYear.objects.update_or_create(
            year=year, defaults={"source": source[:200], "entered_at": timezone.now()}
        )
        after = {d.isoformat(): w for d, w in days.items() if d.year == year}
        audit.record(
            "core.calendar_loaded",
            row,
            actor=actor,
            before={"days": before},
            after={"days": after, "source": source[:200]},
        )
    moved = deadlines.recompute(
        years,
        actor=actor,
        reason=gettext("录入%(years)s年节假日安排") % {"years": gettext("、").join(map(str, years))},
    )
    return CalendarLoad(years=years, days=len(days), moved=moved)
