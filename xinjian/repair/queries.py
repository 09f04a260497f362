"""Reusable reads of credit repair: the staff queue, an enterprise's repairs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count

from xinjian.core import deadlines

from .clocks import overdue
from .models import RepairApplication, RepairStatus


def overdue_ids(on: dt.date) -> Any:
    return overdue(on).values("id")


def current_deadline(app: RepairApplication) -> Any:
    """The awaited step's time limit recomputed with its explanation (rule 4), or None."""
    field = app.awaited_field()
    return deadlines.compute(app, field) if field else None


def queue_row(app: RepairApplication, on: dt.date) -> dict[str, Any]:
    return {
        "app": app,
        "due": app.current_due(),
        "deadline": current_deadline(app),
        "overdue": app.is_overdue(on),
        "stage": app.awaited_stage(),
    }


def counts(user: Any) -> list[tuple[str, str, int]]:
    found = dict(
        RepairApplication.objects.visible_to(user)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return [(v, str(label), found.get(v, 0)) for v, label in RepairStatus.choices]


def for_enterprise(enterprise: Any) -> list[RepairApplication]:
    return list(
        RepairApplication.objects.filter(enterprise=enterprise)
        .select_related("department", "anomaly", "penalty", "serious")
        .order_by("-submitted_on", "-id")
    )


def _due(deadline: Any) -> dt.date | None:
    return deadline.due if deadline else None


def _provisional(deadline: Any) -> bool:
    return bool(deadline and deadline.provisional)


def as_dict(app: RepairApplication) -> dict[str, Any]:
    """The API's shape of one application (no materials: those stay with the department).
    Time limits as the calendar gives them today, each with `…_provisional` (v1.1)."""
    limits = {f: deadlines.compute(app, f) for f in ("accept_due", "decide_due", "publication_due")}
    return {
        "id": app.pk,
        "number": app.number,
        "uscc": app.enterprise.uscc,
        "kind": app.kind,
        "target_id": app.target_id,
        "status": app.status,
        "department": app.department.name if app.department else "",
        "strict": app.strict,
        "onsite_required": app.onsite_required,
        "submitted_on": app.submitted_on,
        "accept_due": _due(limits["accept_due"]),
        "accept_due_provisional": _provisional(limits["accept_due"]),
        "accepted_on": app.accepted_on,
        "decide_due": _due(limits["decide_due"]),
        "decide_due_provisional": _provisional(limits["decide_due"]),
        "verified_on": app.verified_on,
        "decided_on": app.decided_on,
        "decision_no": app.decision_no,
        "reasons": app.reasons,
        "publication_due": _due(limits["publication_due"]),
        "publication_due_provisional": _provisional(limits["publication_due"]),
        "publication_updated_on": app.publication_updated_on,
        "revoked_on": app.revoked_on,
    }
