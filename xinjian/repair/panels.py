"""Repair's parts of the pages (registered with `core.panels`): the staff enterprise
page's applications and the enterprise user's workbench card."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from xinjian.core.panels import enterprise_panels, enterprise_workbench
from xinjian.core.workbench import SHOWN_PER_QUEUE, Queue, Todo, enterprise_todo, queue_from, todo
from xinjian.core.workdays import today

from . import eligibility
from .actions import REPAIR
from .models import OPEN_STATUSES, RepairApplication, RepairKind, RepairStatus, target_label
from .queries import for_enterprise


@enterprise_panels.register("repair", "repair/_enterprise_panel.html", order=50)
def repair_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"repairs": for_enterprise(enterprise)}


@enterprise_workbench.register("repair", "repair/_workbench.html", order=30)
def repair_card(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    open_count = RepairApplication.objects.filter(enterprise=enterprise, status__in=OPEN_STATUSES).count()
    return {"repairs_open": open_count}


@enterprise_todo.register("repair.candidates", order=30)
def repairs_to_apply_for(request: HttpRequest, enterprise: Any) -> Queue | None:
    """The enterprise's records credit repair could concern and not already applied for,
    each with the earliest day it may apply — or, for a record that leaves public view
    by itself, that early stop does not apply and when it leaves."""
    on = today()
    busy = {
        (a.kind, a.target_id)
        for a in RepairApplication.objects.filter(enterprise=enterprise).exclude(
            status__in=[RepairStatus.REJECTED, RepairStatus.REFUSED, RepairStatus.REVOKED]
        )
    }
    url = reverse("repair_public:my_index")
    what = gettext("申请信用修复")
    items = []
    for kind, target, check in eligibility.candidates(enterprise, on):
        if (kind, target.pk) in busy:
            continue
        if check.not_applicable:
            note = gettext("不适用提前停止公示")
            if check.leaves_on:
                note += gettext("，%(day)s后不再公示") % {"day": check.leaves_on.isoformat()}
        elif check.earliest and check.earliest > on:
            note = gettext("最早可申请日 %(day)s") % {"day": check.earliest.isoformat()}
        elif check.eligible:
            note = gettext("现在可以申请")
        else:
            note = gettext("尚不符合申请条件")
        items.append(Todo(what, f"{RepairKind(kind).label} {target_label(kind, target)}", url, note=note))
    if not items:
        return None
    return Queue(label=what, total=len(items), items=items[:SHOWN_PER_QUEUE], more_url=url)


# --- the staff workbench: applications awaiting this person (core.workbench) ---------


def _repair_queue(user: Any, action: str, statuses: list[str], label: str, deadline: str) -> Queue | None:
    if not REPAIR.may(user, action):
        return None
    qs = RepairApplication.objects.visible_to(user).filter(status__in=statuses).select_related("enterprise")
    if not user.is_superuser:
        # Only applications this person's department decides (§12): those it can complete.
        mine = getattr(getattr(user, "staff_profile", None), "department", None)
        qs = qs.filter(Q(department__isnull=True) | Q(department_id=getattr(mine, "pk", None)))
    return queue_from(
        qs,
        label=label,
        subject=lambda a: f"{a.enterprise.name}（{a.number}）",
        url=lambda a: reverse("repair:detail", args=[a.pk]),
        deadline=deadline,
        more_url=reverse("repair:index"),
    )


@todo.register("repair.accept", order=30)
def repair_accept(request: HttpRequest, user: Any) -> Queue | None:
    return _repair_queue(user, "accept", [RepairStatus.SUBMITTED], gettext("受理信用修复申请"), "accept_due")


@todo.register("repair.decide", order=31)
def repair_decide(request: HttpRequest, user: Any) -> Queue | None:
    return _repair_queue(
        user,
        "approve",
        [RepairStatus.ACCEPTED, RepairStatus.VERIFIED],
        gettext("决定是否准予信用修复"),
        "decide_due",
    )


@todo.register("repair.publication", order=32)
def repair_publication(request: HttpRequest, user: Any) -> Queue | None:
    return _repair_queue(
        user,
        "update_publication",
        [RepairStatus.APPROVED],
        gettext("信用修复后更新公示"),
        "publication_due",
    )
