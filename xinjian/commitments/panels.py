"""Commitments' parts of the pages (registered with `core.panels`): the staff enterprise
page's credit record and the enterprise user's workbench card."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from xinjian.collection.models import CommitmentRecord
from xinjian.core.panels import enterprise_panels, enterprise_workbench
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workbench import Queue, enterprise_todo, queue_from, todo

from .models import OPEN_STATUSES, Consequence, ConsequenceKind, Verification, VerificationStatus
from .queries import enterprise_panel


@enterprise_panels.register("commitments", "commitments/_enterprise_panel.html", order=60)
def commitments_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {
        "commitments_panel": enterprise_panel(enterprise),
        "can_manage_commitments": has_perm(request.user, Perm.MANAGE_COMMITMENTS),
    }


@enterprise_workbench.register("commitments", "commitments/_workbench.html", order=20)
def commitments_card(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {
        "commitments": CommitmentRecord.objects.filter(
            enterprise=enterprise, archived_at__isnull=True
        ).count(),
        "untrue": Verification.objects.filter(
            enterprise=enterprise, status=VerificationStatus.UNTRUE, repaired_on__isnull=True
        ).count(),
    }


@enterprise_todo.register("commitments.rectify", order=20)
def rectifications_due(request: HttpRequest, enterprise: Any) -> Queue | None:
    """Rectifications ordered for an untrue commitment and not yet done, by deadline."""
    qs = Consequence.objects.filter(
        verification__enterprise=enterprise,
        kind=ConsequenceKind.RECTIFY,
        rectified_on__isnull=True,
        start_on__isnull=False,
    ).select_related("verification__commitment")
    return queue_from(
        qs,
        label=gettext("承诺不实限期整改"),
        subject=lambda c: c.verification.commitment.matter,
        url=lambda c: reverse("my_commitments:index"),
        deadline="due_on",
        more_url=reverse("my_commitments:index"),
    )


# --- the staff workbench: verifications and rectifications (core.workbench) ----------


@todo.register("commitments.verifications", order=40)
def open_verifications(request: HttpRequest, user: Any) -> Queue | None:
    if not has_perm(user, Perm.MANAGE_COMMITMENTS):
        return None
    qs = (
        Verification.objects.visible_to(user)
        .filter(status__in=OPEN_STATUSES)
        .select_related("enterprise")
        .order_by("selected_on", "pk")
    )
    return queue_from(
        qs,
        label=gettext("核查信用承诺并作出结论"),
        subject=lambda v: v.enterprise.name,
        url=lambda v: reverse("commitments:verification", args=[v.pk]),
        more_url=reverse("commitments:index"),
    )


@todo.register("commitments.rectifications", order=41)
def rectifications(request: HttpRequest, user: Any) -> Queue | None:
    """Untrue commitments ordered to rectify within a time limit, not yet rectified:
    check and record the rectification by its deadline."""
    if not has_perm(user, Perm.MANAGE_COMMITMENTS):
        return None
    visible = Verification.objects.visible_to(user).values("id")
    qs = Consequence.objects.filter(
        verification_id__in=visible,
        kind=ConsequenceKind.RECTIFY,
        rectified_on__isnull=True,
        start_on__isnull=False,
    ).select_related("verification__enterprise")
    return queue_from(
        qs,
        label=gettext("督促承诺不实企业限期整改"),
        subject=lambda c: c.verification.enterprise.name,
        url=lambda c: reverse("commitments:verification", args=[c.verification_id]),
        deadline="due_on",
        more_url=reverse("commitments:index"),
    )
