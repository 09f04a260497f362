"""What awaits a person in the double-random inspections, on the staff workbench
(registered with `core.workbench`): the inspector's targets without results, the tasks to
take a step further, and the problem-discovery rate by risk class (staff only: risk
classes are internal)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from xinjian.collection.models import Inspection, InspectionResult
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workbench import Queue, cached_chart, charts, queue_from, todo
from xinjian.core.workdays import today
from xinjian.risk.queries import current_class_map

from .actions._workflow import TASKS
from .models import Target, Task, TaskState


@todo.register("inspections.results", order=50)
def results_to_enter(request: HttpRequest, user: Any) -> Queue | None:
    """The targets this inspector is assigned to, in tasks under way, that still lack a
    result for an item; due by the task's end."""
    if not has_perm(user, Perm.ENTER_RESULTS):
        return None
    qs = (
        Target.objects.visible_to(user)
        .filter(
            assignments__inspector__user=user,
            draw__superseded_at__isnull=True,
            draw__task__state=TaskState.IN_PROGRESS,
        )
        .annotate(
            n_results=Count("results", distinct=True),
            n_items=Count("draw__task__items", distinct=True),
        )
        .filter(n_results__lt=F("n_items"))
        .select_related("enterprise", "draw__task")
        .order_by("draw__task__ends_on", "pk")
    )
    return queue_from(
        qs,
        label=gettext("录入抽查检查结果"),
        subject=lambda t: f"{t.enterprise.name}（{t.draw.task.code}）",
        url=lambda t: reverse("inspections:target_results", args=[t.pk]),
        due=lambda t: t.draw.task.ends_on,
        basis=gettext("抽查任务结束日期"),
        more_url=reverse("inspections:tasks"),
    )


_NEXT_STEP = {
    TaskState.DRAFT: "publish",
    TaskState.PUBLISHED: "draw",
    TaskState.DRAWN: "start",
    TaskState.IN_PROGRESS: "complete",
    TaskState.RESULTS: "close",
}


@todo.register("inspections.tasks", order=51)
def tasks_to_advance(request: HttpRequest, user: Any) -> Queue | None:
    if not has_perm(user, Perm.MANAGE_INSPECTIONS):
        return None
    qs = Task.objects.visible_to(user).filter(state__in=list(_NEXT_STEP)).order_by("ends_on", "pk")
    return queue_from(
        qs,
        label=gettext("推进抽查任务"),
        subject=lambda t: f"{t.title}（{TASKS.action_label(_NEXT_STEP[TaskState(t.state)])}）",
        url=lambda t: reverse("inspections:task", args=[t.pk]),
        due=lambda t: t.ends_on,
        basis=gettext("抽查任务结束日期"),
        more_url=reverse("inspections:tasks"),
    )


_PROBLEM = [r for r in InspectionResult.values if r != InspectionResult.NO_PROBLEM]


def _quarter(d: dt.date) -> str:
    return f"{d.year}Q{(d.month - 1) // 3 + 1}"


@charts.register("inspections.discovery_rate", order=20)
def discovery_rate_chart(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Share of inspections finding a problem, by the enterprise's current risk class and
    quarter (the last eight quarters): the classes should stay apart, D highest."""
    if not has_perm(user, Perm.VIEW_RISK):
        return None
    return cached_chart("inspections.discovery_rate", user, lambda: _discovery_rate_chart_build(user))


def _discovery_rate_chart_build(user: Any) -> dict[str, Any] | None:
    on = today()
    since = dt.date(on.year - 2, on.month, 1)
    rows = list(
        Inspection.objects.visible_to(user)
        .filter(
            inspected_on__gte=since, inspected_on__lte=on, enterprise__isnull=False, archived_at__isnull=True
        )
        .values_list("enterprise_id", "inspected_on", "result")
    )
    if not rows:
        return None
    ids = {r[0] for r in rows}
    classes = current_class_map(ids if len(ids) < 20000 else None)
    quarters = sorted({_quarter(d) for _e, d, _r in rows})
    tally: dict[tuple[str, str], list[int]] = {}
    for eid, day, result in rows:
        klass = classes.get(eid)
        if klass is None:
            continue
        cell = tally.setdefault((klass, _quarter(day)), [0, 0])
        cell[0] += 1
        cell[1] += result in _PROBLEM
    series = []
    for klass in "ABCD":
        data = []
        for q in quarters:
            n, bad = tally.get((klass, q), [0, 0])
            data.append(round(100 * bad / n, 1) if n else None)
        series.append(
            {"name": gettext("%(c)s类") % {"c": klass}, "type": "line", "connectNulls": True, "data": data}
        )
    return {
        "title": gettext("检查发现问题率（按当前风险分类、季度，%）"),
        "option": {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 40, "right": 16, "top": 40, "bottom": 28},
            "xAxis": {"type": "category", "data": quarters},
            "yAxis": {"type": "value", "min": 0},
            "series": series,
        },
    }
