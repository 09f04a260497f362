"""Reusable reads: what is public on a date, constraints, exposure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from xinjian.commitments.queries import unrepaired_untrue
from xinjian.core.events import EventType
from xinjian.core.models import Event
from xinjian.disclosure import policy
from xinjian.sharing.models import Feedback

from . import rules
from .models import (
    AnomalyKind,
    AnomalyListing,
    AnomalyStatus,
    ListKind,
    RemovalReason,
    SeriousListing,
    SeriousStatus,
)


def public_anomaly(on: dt.date) -> QuerySet[AnomalyListing]:
    """Anomaly listings the public sees on `on` (the disclosure policy decides: listed by
    then and not revoked by then; removals stay visible with the removal)."""
    return policy.visible_anomaly_listings(AnomalyListing.objects.all(), on)


def public_serious(on: dt.date) -> QuerySet[SeriousListing]:
    """Serious listings public on `on` (the disclosure policy decides: published by then,
    not removed, revoked or expired by then)."""
    return policy.visible_serious_listings(SeriousListing.objects.all(), on)


def anomaly_dict(a: AnomalyListing, on: dt.date) -> dict[str, Any]:
    removed = a.removed_on is not None and a.removed_on <= on and a.status == AnomalyStatus.REMOVED
    return {
        # "list": the enterprise anomaly list; "state": an individual business's abnormal
        # business state (经营异常状态, domain.md §10), a distinct public mark.
        "kind": a.kind,
        "kind_name": str(a.get_kind_display()),
        "ground": a.ground,
        "ground_name": a.ground_name(),
        "listed_on": a.listed_on,
        "decision_no": a.decision_no,
        "decided_by": a.decided_by,
        "removed_on": a.removed_on if removed else None,
        "removal_reason": a.removal_reason if removed else None,
        "removal_reason_name": a.get_removal_reason_display() if removed else None,
        "removal_decision_no": a.removal_decision_no if removed else None,
        "escalation_reminder": bool(
            a.reminder_published_on and a.reminder_published_on <= on and not removed
        ),
    }


def serious_dict(s: SeriousListing) -> dict[str, Any]:
    return {
        "ground": s.ground,
        "ground_name": s.ground_name(),
        "decided_on": s.decided_on,
        "decision_no": s.decision_no,
        "decided_by": s.decided_by,
        "published_on": s.published_on,
        "expires_on": s.expires_on,
        "basis_decision_no": s.basis_decision_no,
        "measures": [
            m.code for m in rules.measures(ListKind.SERIOUS, s.published_on or s.decided_on or s.proposed_on)
        ],
    }


def on_anomaly_list(enterprise: Any, on: dt.date) -> bool:
    return AnomalyListing.objects.filter(
        enterprise=enterprise, kind=AnomalyKind.LIST, status=AnomalyStatus.LISTED, listed_on__lte=on
    ).exists()


def in_abnormal_state(enterprise: Any, on: dt.date) -> bool:
    """An individual business marked in the abnormal business state (domain.md §10)."""
    return AnomalyListing.objects.filter(
        enterprise=enterprise, kind=AnomalyKind.STATE, status=AnomalyStatus.LISTED, listed_on__lte=on
    ).exists()


def on_serious_list(enterprise: Any, on: dt.date) -> bool:
    return SeriousListing.objects.filter(
        enterprise=enterprise, status=SeriousStatus.PUBLISHED, published_on__lte=on
    ).exists()


def untrue_commitment_unrepaired(enterprise: Any) -> bool:
    """domain.md §6: an untrue commitment not yet repaired bars notification-and-
    commitment. Findings made here live in `commitments.Verification` (repaired ones carry
    `repaired_on`, ADR 0064); findings reported before that, on the event log only
    (`commitment.untrue` without a `verification_id`), count until a later
    `repair.approved` event (ADR 0063)."""

    if unrepaired_untrue(enterprise):
        return True
    last_untrue = (
        Event.objects.filter(uscc=enterprise.uscc, type=EventType.COMMITMENT_UNTRUE)
        .exclude(data__has_key="verification_id")
        .order_by("-id")
        .first()
    )
    if last_untrue is None:
        return False
    repaired = Event.objects.filter(
        uscc=enterprise.uscc, type=EventType.REPAIR_APPROVED, id__gt=last_untrue.id
    )
    return not any(
        (ev.data or {}).get("kind") in (None, "commitment", "untrue_commitment") for ev in repaired
    )


def constraints(enterprise: Any, on: dt.date) -> dict[str, Any]:
    """What approval and supervision systems must apply now (domain.md §11)."""
    anomaly = on_anomaly_list(enterprise, on)
    serious = on_serious_list(enterprise, on)
    in_force = []
    if serious:
        in_force += rules.measures(ListKind.SERIOUS, on)
    if anomaly:
        in_force += rules.measures(ListKind.ANOMALY, on)
    codes = sorted({m.code for m in in_force})
    blocked = any(m.blocks_commitment for m in in_force) or untrue_commitment_unrepaired(enterprise)
    return {
        "uscc": enterprise.uscc,
        "on_anomaly_list": anomaly,
        "on_serious_list": serious,
        "in_abnormal_state": in_abnormal_state(enterprise, on),
        "commitment_allowed": not blocked,
        "measures": codes,
        "measure_names": {m.code: m.name for m in in_force},
    }


def repeat_offenders(on: dt.date, region_prefix: str = "", key_area: str = "") -> list[dict[str, Any]]:
    """Domain §11: 3 or more penalties in key areas within 2 years (rule data), counting
    only penalties the disclosure policy still shows on `on`."""
    return policy.exposure(on, region_prefix, key_area)


def reminders(on: dt.date) -> QuerySet[AnomalyListing]:
    """Public reminders: listed for almost 3 years, move to the serious list ahead."""
    return policy.visible_escalation_reminders(AnomalyListing.objects.all(), on).select_related("enterprise")


__all__ = ["RemovalReason", "public_anomaly", "public_serious", "constraints", "repeat_offenders"]


def enterprise_panel(enterprise: Any, on: dt.date) -> dict[str, Any]:
    """The lists' part of the staff enterprise page: listings, constraints, feedback."""

    return {
        "anomaly": list(enterprise.anomaly_listings.order_by("-proposed_on", "-id")),
        "serious": list(enterprise.serious_listings.order_by("-proposed_on", "-id")),
        "constraints": constraints(enterprise, on),
        "feedback": list(Feedback.objects.filter(uscc=enterprise.uscc)[:50]),
    }
