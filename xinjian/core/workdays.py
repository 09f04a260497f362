"""Working days on China's official calendar (domain.md §14).

The calendar is data: `CalendarDay` holds the days that differ from Monday–Friday
(holidays on weekdays, weekend days made working by 调休) and `CalendarYear` the years
whose arrangement has been entered. It is seeded from the `chinese-calendar` package
(`seed_calendar`, run by the data migration) and an administrator adds each new year when
the State Council announces it. A deadline that runs through a year without data is
counted Monday–Friday and marked provisional; it is recomputed when the year is entered,
because every deadline is computed, never stored alone.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.translation import gettext

from xinjian.core.templatetags.xinjian import cn_date as local_date  # follows the UI language

from .models import CalendarDay, CalendarYear

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> dt.date:
    """Legal clocks use dates in Asia/Shanghai (architecture rule 4)."""
    return timezone.now().astimezone(SHANGHAI).date()


def local_day(moment: dt.datetime) -> dt.date:
    """The Beijing calendar day of a moment: the one way a timestamp becomes a date that
    is shown, stored or compared with `today()` (a reply at 01:54 Beijing time, 17:54 UTC
    the day before, is dated the Beijing day). A naive moment is taken as UTC, as Django
    stores them."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(SHANGHAI).date()


def local_time(moment: dt.datetime) -> dt.datetime:
    """A moment on Beijing's clock (for timestamps written out as text)."""
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(SHANGHAI)


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass(frozen=True)
class Deadline:
    start: dt.date
    working_days: int
    due: dt.date
    provisional: bool
    provisional_years: tuple[int, ...] = field(default=())
    # "working_days" (then `working_days` counts them); "days" or "months": a period in
    # calendar days or months whose last day moves to the next working day when it falls
    # on a holiday or rest day (Civil Code art. 203; Civil Procedure Law art. 85).
    unit: str = "working_days"

    def explain(self) -> str:
        """How the date was computed, for every place a person sees it (rule 4)."""

        values = {"start": local_date(self.start), "days": self.working_days, "due": local_date(self.due)}
        if self.unit == "days":
            text = (
                gettext(
                    "自%(start)s起算%(days)s日（最后一日为法定休假日的，顺延至其后第一个工作日），截止%(due)s（含当日）"
                )
                % values
            )
        elif self.unit == "months":
            text = (
                gettext(
                    "自%(start)s起算%(days)s个月（最后一日为法定休假日的，顺延至其后第一个工作日），截止%(due)s（含当日）"
                )
                % values
            )
        else:
            text = (
                gettext(
                    "自%(start)s起算%(days)s个工作日（按国务院公布的节假日安排，含调休上班日），截止%(due)s（含当日）"
                )
                % values
            )
        if self.provisional:
            years = gettext("、").join(str(y) for y in self.provisional_years)
            text += gettext(
                "。%(years)s年节假日安排尚未录入，暂按周一至周五计算，属临时期限，录入后将重新计算"
            ) % {"years": years}
        return text

    def explain_en(self) -> str:
        text = f"{self.working_days} working days from {self.start.isoformat()} on the official calendar: {self.due.isoformat()} (that day included)"
        if self.provisional:
            text += (
                " (provisional: holiday data missing for " + ", ".join(map(str, self.provisional_years)) + ")"
            )
        return text


class Calendar:
    """A read of the calendar table over a span of years, for many questions at once."""

    def __init__(self, first_year: int, last_year: int):

        self.known_years = set(
            CalendarYear.objects.filter(year__gte=first_year, year__lte=last_year).values_list(
                "year", flat=True
            )
        )
        self.exceptions = dict(
            CalendarDay.objects.filter(
                day__gte=dt.date(first_year, 1, 1), day__lte=dt.date(last_year, 12, 31)
            ).values_list("day", "is_working")
        )

    def is_working_day(self, d: dt.date) -> bool:
        if d in self.exceptions:
            return self.exceptions[d]
        return d.weekday() < 5

    def is_known(self, d: dt.date) -> bool:
        return d.year in self.known_years


def add_working_days(start: dt.date, n: int) -> Deadline:
    """The date `n` working days after `start` (the start day itself is not counted,
    as for legal time limits that run from the day after the event)."""
    if n < 0:
        raise ValueError("n must be non-negative")
    # n working days never span more than ~n*2 + 30 calendar days (Spring Festival).
    cal = Calendar(start.year, (start + dt.timedelta(days=n * 2 + 40)).year)
    d = start
    counted = 0
    unknown: set[int] = set()
    while counted < n:
        d += dt.timedelta(days=1)
        if not cal.is_known(d):
            unknown.add(d.year)
        if cal.is_working_day(d):
            counted += 1
    return Deadline(start, n, d, bool(unknown), tuple(sorted(unknown)))


def add_calendar_period(start: dt.date, n: int, unit: str = "days") -> Deadline:
    """The last day of a period of `n` calendar days or months from `start` (the start
    day not counted; a month period ends on the corresponding day, or the month's last
    day: Civil Code arts. 201–202), moved to the next working day when it falls on a
    holiday or rest day (art. 203). Provisional when a day it looked at lies in a year the
    calendar lacks."""
    if n < 0:
        raise ValueError("n must be non-negative")
    if unit == "months":
        y, m = divmod(start.month - 1 + n, 12)
        year, month = start.year + y, m + 1
        d = dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))
    elif unit == "days":
        d = start + dt.timedelta(days=n)
    else:
        raise ValueError(f"unknown unit {unit!r}")
    cal = Calendar(d.year, d.year + 1)
    unknown: set[int] = set()
    while True:
        if not cal.is_known(d):
            unknown.add(d.year)
        if cal.is_working_day(d):
            break
        d += dt.timedelta(days=1)
    return Deadline(start, n, d, bool(unknown), tuple(sorted(unknown)), unit=unit)


def is_working_day(d: dt.date) -> bool:
    return Calendar(d.year, d.year).is_working_day(d)


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many have run since `start` by `end`."""
    if end <= start:
        return 0
    cal = Calendar(start.year, end.year)
    n, d = 0, start
    while d < end:
        d += dt.timedelta(days=1)
        n += cal.is_working_day(d)
    return n


_FESTIVALS_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _festival(name: object) -> str:
    text = str(name or "")
    return _FESTIVALS_ZH.get(text, text)


def calendar_rows() -> dict[int, list[tuple[dt.date, bool, str]]]:
    """What the `chinese-calendar` package knows, per year: the days that differ from
    Monday–Friday as (day, is_working, name)."""
    import chinese_calendar

    years: dict[int, list[tuple[dt.date, bool, str]]] = {
        y: [] for y in {d.year for d in chinese_calendar.holidays}
    }
    for d, name in chinese_calendar.holidays.items():
        if d.weekday() < 5:
            years[d.year].append((d, False, _festival(name)))
    for d, name in chinese_calendar.workdays.items():
        if d.weekday() >= 5 and d.year in years:
            years[d.year].append((d, True, f"{_festival(name)}调休上班"))
    return years


def seed_from_chinese_calendar() -> list[int]:
    """Load the years the package knows that the table lacks (idempotent; a year entered
    by hand is left alone). The data migration does the same on a fresh database."""
    import chinese_calendar

    done = set(CalendarYear.objects.values_list("year", flat=True))
    added = []
    for year, rows in sorted(calendar_rows().items()):
        if year in done:
            continue
        CalendarDay.objects.bulk_create(
            [CalendarDay(day=d, is_working=w, name=n) for d, w, n in rows], ignore_conflicts=True
        )
        CalendarYear.objects.create(year=year, source=f"chinese-calendar {chinese_calendar.__version__}")
        added.append(year)
    if added:  # deadlines that ran into these years were provisional: recompute them
        from .actors import SYSTEM
        from .deadlines import recompute

        recompute(added, actor=SYSTEM, reason=f"chinese-calendar {chinese_calendar.__version__}")
    return added
