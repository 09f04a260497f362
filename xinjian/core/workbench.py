"""The staff workbench as a to-do list and a few charts (issue 14).

Each app says what awaits a person from its `AppConfig.ready()` (via its `panels.py`), so
`core` knows none of them (import-linter):

    from xinjian.core.workbench import todo, charts, queue_from

    @todo.register("lists.anomaly_drafts", order=10)
    def anomaly_drafts(request, user):
        if not has_perm(user, ANOMALY.transitions["list"].perm):
            return None  # not this person's work
        qs = AnomalyListing.objects.visible_to(user).filter(status=AnomalyStatus.DRAFT)
        return queue_from(qs, label=_("审批列入经营异常名录"), deadline="listing_due", ...)

A queue lists the first few items with their deadline — computed by `core.deadlines`
from start, rule and calendar, never read from the stored copy, and marked provisional
where the calendar lacks a year — and the workbench puts the overdue ones first.

A chart is an Apache ECharts option (plain JSON: no functions), drawn by
`static/js/charts.js` from a `json_script` block (no inline script: CSP).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from . import deadlines
from .workdays import today

# How many items of one queue the workbench lists (the queue's page has the rest).
SHOWN_PER_QUEUE = 15


@dataclass(frozen=True)
class Todo:
    """One thing a person has to do: what, about whom, by when, and where."""

    what: str
    subject: str
    url: str
    due: dt.date | None = None
    provisional: bool = False
    basis: str = ""  # the deadline's name ("列入期限") and how it was computed
    note: str = ""  # shown instead of a deadline when there is none ("最早可申请日…")

    def days_left(self, on: dt.date) -> int | None:
        return (self.due - on).days if self.due else None


@dataclass
class Queue:
    """One kind of work awaiting a person: how many in all and the first few."""

    label: str
    total: int
    items: list[Todo] = field(default_factory=list)
    more_url: str = ""

    def overdue(self, on: dt.date) -> int:
        return sum(1 for t in self.items if t.due and t.due < on)


QueueSource = Callable[[HttpRequest, Any], "Queue | list[Queue] | None"]
ChartSource = Callable[[HttpRequest, Any], "dict[str, Any] | None"]


class Registry:
    """Named sources in `order`; each returns its piece for this request, or None."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._sources: dict[str, tuple[int, Callable[..., Any]]] = {}

    def register(self, name: str, *, order: int) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
        def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
            if name in self._sources and self._sources[name][1] is not fn:
                raise ValueError(f"{self.what}: {name!r} is registered twice")
            self._sources[name] = (order, fn)
            return fn

        return decorate

    def collect(self, request: HttpRequest, user: Any) -> list[Any]:
        out = []
        for _name, (_order, fn) in sorted(self._sources.items(), key=lambda kv: (kv[1][0], kv[0])):
            piece = fn(request, user)
            if isinstance(piece, list):
                out.extend(piece)
            elif piece is not None:
                out.append(piece)
        return out


todo = Registry("workbench to-do")
# The enterprise user's to-do list (`/public/my/`): sources take (request, enterprise).
enterprise_todo = Registry("enterprise to-do")
charts = Registry("workbench chart")


def queue_from(
    qs: QuerySet[Any],
    *,
    label: str,
    subject: Callable[[Any], str],
    url: Callable[[Any], str],
    deadline: str | None = None,
    due: Callable[[Any], dt.date | None] | None = None,
    basis: str = "",
    more_url: str = "",
    limit: int = SHOWN_PER_QUEUE,
) -> Queue | None:
    """A queue over `qs` (already scoped to the user's jurisdiction and the awaited
    state). `deadline` names a field registered with `core.deadlines`: the items are
    read in the order of its stored copy (the clocks' index) and each deadline shown is
    recomputed from its rule. `due` gives a date for work without a statutory clock
    (the end of an inspection task). None when nothing awaits."""
    total = qs.count()
    if not total:
        return None
    if deadline:
        qs = qs.order_by(F(deadline).asc(nulls_last=True), "pk")
    items = []
    for obj in qs[:limit]:
        when, provisional, how = None, False, basis
        if deadline:
            d = deadlines.compute(obj, deadline)
            if d is not None:
                when, provisional = d.due, d.provisional
                rule_label = deadlines.rule_for(obj, deadline).label
                how = f"{_(rule_label)}：{d.explain()}" if rule_label else d.explain()
        elif due is not None:
            when = due(obj)
        items.append(Todo(label, subject(obj), url(obj), when, provisional, how))
    return Queue(label=label, total=total, items=items, more_url=more_url)


def ordered(queues: Iterable[Queue], on: dt.date | None = None) -> list[Todo]:
    """Every listed item, overdue first (most overdue on top), then by deadline, then
    the ones without a deadline."""
    on = on or today()
    items = [t for q in queues for t in q.items]

    def key(t: Todo) -> tuple[int, dt.date, str]:
        if t.due is None:
            return (2, dt.date.max, t.what)
        return (0 if t.due < on else 1, t.due, t.what)

    return sorted(items, key=key)


CHART_TTL = 600  # seconds: a chart over a province's records is read at most this often


def cached_chart(name: str, user: Any, build: Callable[[], dict[str, Any] | None]) -> dict[str, Any] | None:
    """A chart's option, built at most every CHART_TTL seconds per area and language (the
    same jurisdiction sees the same figures; the labels follow the language)."""
    from django.core.cache import cache
    from django.utils.translation import get_language

    from .jurisdiction import user_region_prefix

    key = f"workbench:chart:{name}:{user_region_prefix(user)}:{get_language()}:{today().isoformat()}"
    hit = cache.get(key)
    if hit is not None:
        return hit or None
    value = build()
    cache.set(key, value or {}, CHART_TTL)
    return value


def month_keys(on: dt.date, n: int) -> list[str]:
    """The last `n` months up to `on`'s, oldest first, as "YYYY-MM" (chart axes)."""
    y, m = on.year, on.month
    keys = []
    for _i in range(n):
        keys.append(f"{y:04d}-{m:02d}")
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return keys[::-1]
