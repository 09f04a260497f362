"""What every list action shares: the transition tables, the move and the event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinjian.core import audit, workflow
from xinjian.core.events import emit
from xinjian.registry.departments import department_for as department_for

from ..models import (
    AnomalyListing,
    AnomalyStatus,
    ListingHistory,
    ListKind,
    SeriousListing,
    SeriousStatus,
)

A, S = AnomalyStatus, SeriousStatus

# action → (states it may start from, state it leads to)
ANOMALY_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "draft": ({""}, A.DRAFT),
    "list": ({"", A.DRAFT}, A.LISTED),
    "drop": ({A.DRAFT}, A.DROPPED),
    "note_ground_ceased": ({A.LISTED}, A.LISTED),
    "publish_reminder": ({A.LISTED}, A.LISTED),
    "escalate": ({A.LISTED}, A.LISTED),
    "remove": ({A.LISTED}, A.REMOVED),
    "revoke": ({A.DRAFT, A.LISTED, A.REMOVED}, A.REVOKED),
}

SERIOUS_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "propose": ({""}, S.PROPOSED),
    "notify": ({S.PROPOSED}, S.NOTIFIED),
    "record_statement": ({S.NOTIFIED}, S.NOTIFIED),
    "submit": ({S.NOTIFIED}, S.PENDING_APPROVAL),
    "approve": ({S.PENDING_APPROVAL}, S.APPROVED),
    "return": ({S.PENDING_APPROVAL}, S.NOTIFIED),
    "drop": ({S.PROPOSED, S.NOTIFIED, S.PENDING_APPROVAL, S.APPROVED}, S.DROPPED),
    "decide": ({S.APPROVED}, S.DECIDED),
    "import_decision": ({""}, S.DECIDED),
    "publish": ({S.DECIDED}, S.PUBLISHED),
    "expire": ({S.PUBLISHED}, S.REMOVED),
    "remove_early": ({S.PUBLISHED}, S.REMOVED),
    "revoke": (
        {S.PROPOSED, S.NOTIFIED, S.PENDING_APPROVAL, S.APPROVED, S.DECIDED, S.PUBLISHED, S.REMOVED},
        S.REVOKED,
    ),
}


def _move(
    listing: AnomalyListing | SeriousListing,
    action: str,
    *,
    actor: Any,
    on: dt.date,
    reason: str = "",
    document_no: str = "",
) -> None:
    anomaly = isinstance(listing, AnomalyListing)
    kind = "anomaly" if anomaly else "serious"
    workflow.move(
        listing,
        action,
        ANOMALY_TRANSITIONS if anomaly else SERIOUS_TRANSITIONS,
        actor=actor,
        on=on,
        history=ListingHistory,
        link=kind,
        audit_action=f"lists.{kind}.{action}",
        reason=reason,
        document_no=document_no,
    )


def _event(type: str, listing: AnomalyListing | SeriousListing, on: dt.date, **data: Any) -> None:
    e = listing.enterprise
    kind = ListKind.ANOMALY if isinstance(listing, AnomalyListing) else ListKind.SERIOUS
    payload = {
        "list": str(kind),
        "listing_id": listing.pk,
        "ground": listing.ground,
        "ground_name": listing.ground_name(),
        "on": on.isoformat(),
        **data,
    }
    emit(type, uscc=e.uscc, region_code=e.region_code, data=audit.jsonable(payload))
