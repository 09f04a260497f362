"""Reusable reads: findings of an enterprise (staff, API, public), the constraint of
domain.md §6, work queues."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet

from xinjian.collection.models import CommitmentRecord

from .models import Consequence, ConsequenceKind, Verification, VerificationStatus


def unrepaired_untrue(enterprise: Any) -> bool:
    """domain.md §6: an untrue commitment whose credit has not been repaired bars
    notification-and-commitment."""
    return Verification.objects.filter(
        enterprise=enterprise, status=VerificationStatus.UNTRUE, repaired_on__isnull=True
    ).exists()


def with_details(qs: QuerySet[Verification]) -> QuerySet[Verification]:
    return qs.select_related("commitment", "enterprise", "department", "assignee").prefetch_related(
        Prefetch("consequences", queryset=Consequence.objects.order_by("id"))
    )


def consequence_dict(c: Consequence, *, with_explanation: bool = True) -> dict[str, Any]:
    dl = c.deadline()  # computed from start + days + today's calendar, never the stored copy
    return {
        "kind": c.kind,
        "kind_name": c.get_kind_display(),
        "decision_no": c.decision_no,
        "working_days": c.working_days,
        "due_on": dl.due if dl else None,
        "due_on_provisional": bool(dl and dl.provisional),
        "deadline_explain": dl.explain() if dl and with_explanation else "",
        "rectified_on": c.rectified_on,
        "overdue": c.overdue_on is not None and c.rectified_on is None,
    }


def finding_dict(v: Verification) -> dict[str, Any]:
    """A concluded verification as the staff and systems read it."""
    c = v.commitment
    return {
        "verification_id": v.pk,
        "status": v.status,
        "status_name": v.get_status_display(),
        "commitment_id": c.pk,
        "commitment_kind": c.kind,
        "matter": c.matter,
        "committed_on": c.committed_on,
        "application_no": c.application_no,
        "selected_on": v.selected_on,
        "concluded_on": v.concluded_on,
        "facts": v.facts,
        "finding_no": v.finding_no,
        "decided_by": v.department.name if v.department else "",
        "published_on": v.published_on,
        "repaired": v.repaired_on is not None,
        "repaired_on": v.repaired_on,
        "consequences": [consequence_dict(x) for x in v.consequences.all()],
    }


def enterprise_panel(enterprise: Any) -> dict[str, Any]:
    """The commitments' part of the staff enterprise page (the credit record)."""

    return {
        "commitments": list(
            CommitmentRecord.objects.filter(enterprise=enterprise).order_by("-committed_on", "-id")[:100]
        ),
        "verifications": list(
            with_details(Verification.objects.filter(enterprise=enterprise)).order_by("-selected_on", "-id")
        ),
        "blocked": unrepaired_untrue(enterprise),
    }


def overdue_rectifications(user: Any, on: dt.date) -> QuerySet[Consequence]:
    """Rectifications past their deadline and not done, in the user's jurisdiction."""
    visible = Verification.objects.visible_to(user).values("id")
    return (
        Consequence.objects.filter(
            verification_id__in=visible,
            kind=ConsequenceKind.RECTIFY,
            rectified_on__isnull=True,
            due_on__lt=on,
        )
        .select_related("verification__enterprise")
        .order_by("due_on", "id")
    )
