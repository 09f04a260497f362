"""The lists' part of the staff enterprise page (registered with `core.panels`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from xinjian.core.panels import enterprise_panels
from xinjian.core.workbench import Queue, charts, month_keys, queue_from, todo
from xinjian.core.workdays import today

from .actions._base import ANOMALY, SERIOUS
from .actions.typical_cases import CASES
from .models import AnomalyListing, AnomalyStatus, CaseStatus, SeriousListing, SeriousStatus, TypicalCase
from .queries import enterprise_panel


@enterprise_panels.register("lists", "lists/_enterprise_panel.html", order=40)
def lists_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"lists_panel": enterprise_panel(enterprise, today())}


# --- the staff workbench: what awaits this person in the lists (core.workbench) ------


def _listing_queue(
    user: Any,
    workflow: Any,
    model: Any,
    action: str,
    status: str,
    label: str,
    deadline: str | None,
    detail: str,
    more: str,
) -> Queue | None:
    """Listings in `status` awaiting `action`, for whoever may take that step (the
    workflow's table says who)."""
    if not workflow.may(user, action):
        return None
    qs = model.objects.visible_to(user).filter(status=status).select_related("enterprise")
    return queue_from(
        qs,
        label=label,
        subject=lambda x: x.enterprise.name,
        url=lambda x: reverse(detail, args=[x.pk]),
        deadline=deadline,
        more_url=f"{reverse(more)}?status={status}",
    )


def _serious_queue(user: Any, action: str, status: str, label: str, deadline: str | None) -> Queue | None:
    """A serious-list step's queue: listings in `status` awaiting `action`."""
    return _listing_queue(
        user,
        SERIOUS,
        SeriousListing,
        action,
        status,
        label,
        deadline,
        "lists:serious_detail",
        "lists:serious_list",
    )


@todo.register("lists.anomaly_drafts", order=10)
def anomaly_drafts(request: HttpRequest, user: Any) -> Queue | None:
    return _listing_queue(
        user,
        ANOMALY,
        AnomalyListing,
        "list",
        AnomalyStatus.DRAFT,
        gettext("审批列入经营异常名录"),
        "listing_due",
        "lists:anomaly_detail",
        "lists:anomaly_list",
    )


@todo.register("lists.serious_proposed", order=20)
def serious_proposed(request: HttpRequest, user: Any) -> Queue | None:
    return _serious_queue(
        user, "notify", SeriousStatus.PROPOSED, gettext("送达严重违法失信名单列入告知书"), None
    )


@todo.register("lists.serious_statement", order=21)
def serious_statement(request: HttpRequest, user: Any) -> Queue | None:
    return _serious_queue(
        user, "submit", SeriousStatus.NOTIFIED, gettext("陈述申辩期满后报请审批"), "statement_due"
    )


@todo.register("lists.serious_hearing_to_schedule", order=25)
def serious_hearing_to_schedule(request: HttpRequest, user: Any) -> Queue | None:
    """A hearing asked for: the procedure waits until it is scheduled, held and entered."""
    return _serious_queue(
        user, "schedule_hearing", SeriousStatus.HEARING_REQUESTED, gettext("安排听证并通知当事人"), None
    )


@todo.register("lists.serious_hearing_to_conclude", order=26)
def serious_hearing_to_conclude(request: HttpRequest, user: Any) -> Queue | None:
    return _serious_queue(
        user, "conclude_hearing", SeriousStatus.HEARING_SCHEDULED, gettext("听证后登记听证笔录和结论"), None
    )


@todo.register("lists.serious_hearing_concluded", order=27)
def serious_hearing_concluded(request: HttpRequest, user: Any) -> Queue | None:
    return _serious_queue(
        user, "submit", SeriousStatus.HEARING_CONCLUDED, gettext("听证结束后报请审批或不予列入"), None
    )


@todo.register("lists.serious_approval", order=22)
def serious_approval(request: HttpRequest, user: Any) -> Queue | None:
    return _serious_queue(
        user, "approve", SeriousStatus.PENDING_APPROVAL, gettext("审批列入严重违法失信名单"), None
    )


@todo.register("lists.serious_decide", order=23)
def serious_decide(request: HttpRequest, user: Any) -> Queue | None:
    return _serious_queue(
        user, "decide", SeriousStatus.APPROVED, gettext("作出严重违法失信名单列入决定"), None
    )


@todo.register("lists.serious_publish", order=24)
def serious_publish(request: HttpRequest, user: Any) -> Queue | None:
    return _serious_queue(
        user, "publish", SeriousStatus.DECIDED, gettext("公示严重违法失信名单列入决定"), "publication_due"
    )


@todo.register("lists.cases", order=60)
def typical_cases(request: HttpRequest, user: Any) -> Queue | None:
    if not CASES.may(user, "review"):
        return None
    qs = TypicalCase.objects.visible_to(user).filter(status__in=[CaseStatus.DRAFT, CaseStatus.REVIEWED])
    return queue_from(
        qs.order_by("pk"),
        label=gettext("审核、发布典型案例"),
        subject=lambda c: c.title,
        url=lambda c: reverse("lists:case_edit", args=[c.pk]),
        more_url=reverse("lists:cases"),
    )


@charts.register("lists.flow", order=40)
def list_flow_chart(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """List inflow and outflow by month over the last year: entries listed and removed
    (anomaly list) and published and removed (serious list), in the user's area."""
    on = today()
    months = month_keys(on, 12)
    since = dt.date.fromisoformat(months[0] + "-01")

    def by_month(qs: Any, field: str) -> list[int]:
        rows = (
            qs.filter(**{f"{field}__gte": since})
            .annotate(m=TruncMonth(field))
            .values("m")
            .annotate(n=Count("pk"))
            .values_list("m", "n")
        )
        counts = {m.strftime("%Y-%m"): n for m, n in rows if m is not None}
        return [counts.get(k, 0) for k in months]

    anomaly = AnomalyListing.objects.visible_to(user)
    serious = SeriousListing.objects.visible_to(user)
    series = [
        (gettext("列入经营异常名录"), by_month(anomaly, "listed_on"), False),
        (gettext("移出经营异常名录"), [-n for n in by_month(anomaly, "removed_on")], False),
        (gettext("公示严重违法失信名单"), by_month(serious, "published_on"), True),
        (gettext("移出严重违法失信名单"), [-n for n in by_month(serious, "removed_on")], True),
    ]
    return {
        "title": gettext("名单流入与流出（近12个月，户）"),
        "option": {
            "tooltip": {"trigger": "axis"},
            "legend": {"top": 0},
            "grid": {"left": 40, "right": 16, "top": 48, "bottom": 28},
            "xAxis": {"type": "category", "data": months},
            "yAxis": {"type": "value"},
            "series": [
                {"name": name, "type": "bar", "stack": "serious" if s else "anomaly", "data": data}
                for name, data, s in series
            ],
        },
    }
