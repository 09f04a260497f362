"""Disclosure's card on the enterprise user's workbench (registered with `core.panels`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from xinjian.core.panels import enterprise_workbench
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workbench import SHOWN_PER_QUEUE, Queue, Todo, charts, enterprise_todo, todo
from xinjian.core.workdays import today

from . import queries
from .models import EnterpriseReply


@enterprise_workbench.register("records", "disclosure/_workbench.html", order=10)
def records_card(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"replies": EnterpriseReply.objects.filter(enterprise=enterprise).count()}


@enterprise_todo.register("disclosure.replies", order=10)
def records_to_answer(request: HttpRequest, enterprise: Any) -> Queue | None:
    """Published penalties and inspection results the enterprise has not yet answered:
    it may attach a statement while a record is in public view (until its last day)."""
    profile = queries.profile(enterprise, use_cache=False)
    answered = set(
        EnterpriseReply.objects.filter(enterprise=enterprise).values_list("record_kind", "record_id")
    )
    url = reverse("disclosure:my_records")
    what = gettext("对公示信息提交情况说明")
    items = []
    for kind, key, rows in (
        ("penalty", "decision_no", profile["penalties"]),
        ("inspection", "inspected_on", profile["inspections"]),
    ):
        label = gettext("行政处罚") if kind == "penalty" else gettext("抽查检查结果")
        for r in rows:
            if (kind, r["id"]) in answered:
                continue
            until = dt.date.fromisoformat(r["disclosed_until"]) if r.get("disclosed_until") else None
            items.append(
                Todo(
                    what,
                    f"{label} {r[key]}",
                    url,
                    until,
                    basis=gettext("公示期届满前均可提交") if until else "",
                    note="" if until else gettext("公示期间均可提交"),
                )
            )
    if not items:
        return None
    return Queue(label=what, total=len(items), items=items[:SHOWN_PER_QUEUE], more_url=url)


# --- the staff workbench: publications due (core.workbench) --------------------------

_BACKLOG = {
    "penalties": (gettext_lazy("公示行政处罚信息"), "decision_no"),
    "inspections": (gettext_lazy("公示抽查检查结果"), "source_id"),
    "withdrawals": (gettext_lazy("撤下已撤销的行政处罚信息"), "decision_no"),
}


def _backlog(request: HttpRequest, user: Any) -> dict[str, list[dict[str, Any]]]:
    """Read once per request: the to-do list and the chart share it."""
    cached = getattr(request, "_xj_publication_backlog", None)
    if cached is None:
        cached = queries.publication_backlog(request, user)
        request._xj_publication_backlog = cached  # type: ignore[attr-defined]
    return cached


@todo.register("disclosure.backlog", order=5)
def publications_due(request: HttpRequest, user: Any) -> list[Queue] | None:
    """Records waiting to be published (or withdrawn) within their statutory period."""
    if not has_perm(user, Perm.MANAGE_DISCLOSURE):
        return None
    queues = []
    url = reverse("disclosure:backlog")
    for key, rows in _backlog(request, user).items():
        if not rows:
            continue
        label, ref = _BACKLOG[key]
        rows = sorted(rows, key=lambda r: r["deadline"].due)
        items = [
            Todo(
                str(label),
                f"{r['record'].enterprise.name if r['record'].enterprise else ''}（{getattr(r['record'], ref, '')}）",
                url,
                r["deadline"].due,
                r["deadline"].provisional,
                r["deadline"].explain(),
            )
            for r in rows[:SHOWN_PER_QUEUE]
        ]
        queues.append(Queue(label=str(label), total=len(rows), items=items, more_url=url))
    return queues or None


@charts.register("disclosure.backlog", order=30)
def backlog_chart(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """The publication backlog: how many records wait, overdue or within their period."""
    if not has_perm(user, Perm.MANAGE_DISCLOSURE):
        return None
    data = _backlog(request, user)
    labels = [str(_BACKLOG[k][0]) for k in data]
    on = today()
    overdue = [sum(1 for r in rows if r["deadline"].due < on) for rows in data.values()]
    pending = [sum(1 for r in rows if r["deadline"].due >= on) for rows in data.values()]
    return {
        "title": gettext("待公示信息（条）"),
        "option": {
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
            "legend": {"top": 0},
            "grid": {"left": 150, "right": 16, "top": 40, "bottom": 24},
            "xAxis": {"type": "value"},
            "yAxis": {"type": "category", "data": labels},
            "series": [
                {"name": gettext("已超期"), "type": "bar", "stack": "n", "data": overdue, "color": "#b03c3c"},
                {"name": gettext("期限内"), "type": "bar", "stack": "n", "data": pending, "color": "#3c6fb0"},
            ],
        },
    }
