"""The anomaly list (domain.md §9, Anomaly Measures): list, approve a draft, note the
ground ceased, remove, revoke, remind."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.core import deadlines
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError
from xinjian.core.events import EventType, emit_many
from xinjian.core.models import AuditEntry
from xinjian.core.workdays import today
from xinjian.registry.departments import department_for
from xinjian.registry.models import Department, Enterprise

from .. import rules
from ..models import (
    CEASING_REASONS,
    AnomalyKind,
    AnomalyListing,
    ListingHistory,
    ListKind,
    RemovalReason,
    is_individual_business,
)
from ._base import A, _event, _move, list_value

# --- anomaly list (domain.md §9) ------------------------------------------------------


def kind_for(enterprise: Enterprise) -> str:
    """An individual business (USCC type 92) is marked in the abnormal business state,
    never put on the enterprise anomaly list (domain.md §10)."""
    return AnomalyKind.STATE if is_individual_business(enterprise.uscc) else AnomalyKind.LIST


@transaction.atomic
def list_anomaly(
    enterprise: Enterprise,
    *,
    actor: Any,
    ground: str,
    on: dt.date | None = None,
    decision_no: str = "",
    department: Department | None = None,
    facts: str = "",
    report_year: int | None = None,
    draft: bool = False,
    inspection: Any = None,
    list_decision: Any = None,
    proposed_on: dt.date | None = None,
) -> AnomalyListing:
    """List an enterprise (or prepare a draft to approve). Anomaly Measures art. 4: a
    listing decision carries a document number, ground, date and deciding department."""
    on = on or today()
    g = rules.ground(ground, on)
    if g is None or g.list != ListKind.ANOMALY:
        raise DomainError(
            gettext("不是经营异常名录的列入事由"),
            code="invalid_ground",
            details=[{"field": "ground", "code": "invalid_ground", "message": ground}],
        )
    if not draft and not decision_no:
        raise DomainError(
            gettext("列入决定需要决定书文号"),
            code="decision_no_required",
            details=[{"field": "decision_no", "code": "required", "message": gettext("必填")}],
        )
    # One open listing per ground (per report year for the annual-report ground).
    if AnomalyListing.objects.filter(
        enterprise=enterprise, ground=ground, report_year=report_year, status__in=[A.DRAFT, A.LISTED]
    ).exists():
        raise DomainError(gettext("该企业已因同一事由列入或待审批"), code="already_listed")
    department = department or department_for(enterprise.region_code)
    proposed_on = proposed_on or on
    listing = AnomalyListing(
        enterprise=enterprise,
        kind=kind_for(enterprise),
        ground=ground,
        report_year=report_year,
        department=department,
        decided_by=department.name if department else "",
        decision_no=decision_no,
        proposed_on=proposed_on,
        facts=facts,
        inspection=inspection,
        list_decision=list_decision,
        address_at_listing=enterprise.address if ground == "unreachable" else "",
    )
    # Anomaly Measures arts. 6–9: decided within 10 working days (lists.deadlines).
    deadlines.refresh(listing, "listing_due")
    if draft:
        _move(listing, "draft", actor=actor, on=on, reason=facts)
    else:
        listing.listed_on = on
        _move(listing, "list", actor=actor, on=on, reason=facts, document_no=decision_no)
        _event(EventType.LISTING_ADDED, listing, on, decision_no=decision_no, decided_by=listing.decided_by)
    return listing


@transaction.atomic
def list_for_missing_reports(
    enterprises: list[Enterprise],
    *,
    actor: Any,
    on: dt.date,
    report_year: int,
    deadline: dt.date,
    decision_for: Any,
) -> int:
    """The annual-report clock's bulk form of `list_anomaly` (Anomaly Measures art. 4 (1)):
    one chunk of enterprises, each listed under its department's standing batch decision
    (`decision_for(enterprise)`; None → a draft to approve), with the same history, audit
    and event rows as the single action, written in batches."""

    if not enterprises:
        return 0
    who = as_actor(actor)
    now = timezone.now()
    r = rules.instance_rules_on(deadline)
    due: dict[str, Any] = {}  # the listing deadline by region (lists.deadlines), computed once each
    ground = rules.ground("annual_report_missing", on)
    name = ground.name if ground else "annual_report_missing"
    facts = f"未在{deadline.year}年{deadline.month}月{deadline.day}日前报送{report_year}年度报告"
    depts: dict[str, Department | None] = {}
    listings = []
    for e in enterprises:
        decision = decision_for(e)
        draft = r.annual_report_listing_mode == "draft" or decision is None
        if e.region_code not in depts:
            depts[e.region_code] = department_for(e.region_code)
        dept = decision.department if decision else depts[e.region_code]
        listing = AnomalyListing(
            enterprise=e,
            kind=kind_for(e),
            ground="annual_report_missing",
            report_year=report_year,
            department=dept,
            decided_by=dept.name if dept else "",
            decision_no="" if draft else decision.decision_no,
            status=A.DRAFT if draft else A.LISTED,
            proposed_on=deadline,
            listed_on=None if draft else on,
            facts=facts,
            created_by=who.label,
            modified_by=who.label,
            created_at=now,
            modified_at=now,
        )
        if e.region_code not in due:
            due[e.region_code] = deadlines.due(listing, "listing_due")
        listing.listing_due = due[e.region_code]
        listings.append(listing)
    AnomalyListing.objects.bulk_create(listings, batch_size=1000)
    ListingHistory.objects.bulk_create(
        [
            ListingHistory(
                anomaly=a,
                from_status="",
                to_status=a.status,
                action="list" if a.status == A.LISTED else "draft",
                at=now,
                on=on,
                actor_label=who.label,
                reason=facts,
                document_no=a.decision_no,
            )
            for a in listings
        ],
        batch_size=1000,
    )
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor_user=who.user,
                actor_label=who.label,
                at=now,
                action=f"lists.anomaly.{'list' if a.status == A.LISTED else 'draft'}",
                object_type="lists.anomalylisting",
                object_id=str(a.pk),
                uscc=a.enterprise.uscc,
                after={
                    "status": a.status,
                    "ground": a.ground,
                    "report_year": report_year,
                    "decision_no": a.decision_no,
                },
                reason=facts,
            )
            for a in listings
        ],
        batch_size=1000,
    )
    # Listed: `listing.added`; a draft to approve: `listing.drafted` (as the single action).
    emit_many(
        (
            EventType.LISTING_ADDED if a.status == A.LISTED else EventType.LISTING_DRAFTED,
            a.enterprise.uscc,
            a.enterprise.region_code,
            {
                "list": list_value(a),
                "listing_id": a.pk,
                "ground": a.ground,
                "ground_name": name,
                "on": on.isoformat(),
                "decision_no": a.decision_no,
                "decided_by": a.decided_by,
                "report_year": report_year,
            },
        )
        for a in listings
    )
    return len(listings)


@transaction.atomic
def approve_anomaly_draft(
    listing: AnomalyListing, *, actor: Any, decision_no: str, on: dt.date | None = None
) -> AnomalyListing:
    on = on or today()
    if not decision_no:
        raise DomainError(
            gettext("列入决定需要决定书文号"),
            code="decision_no_required",
            details=[{"field": "decision_no", "code": "required", "message": gettext("必填")}],
        )
    listing.decision_no, listing.listed_on = decision_no, on
    _move(listing, "list", actor=actor, on=on, document_no=decision_no)
    _event(EventType.LISTING_ADDED, listing, on, decision_no=decision_no, decided_by=listing.decided_by)
    return listing


@transaction.atomic
def drop_anomaly_draft(
    listing: AnomalyListing, *, actor: Any, reason: str, on: dt.date | None = None
) -> None:
    _move(listing, "drop", actor=actor, on=on or today(), reason=reason)


@transaction.atomic
def note_ground_ceased(
    listing: AnomalyListing, *, actor: Any, reason: str, on: dt.date | None = None
) -> AnomalyListing:
    """The ground ceased (information published, address changed…): removal must be
    decided within 5 working days (Anomaly Measures arts. 11–13)."""
    on = on or today()
    if reason not in CEASING_REASONS.get(listing.ground, []) and reason != RemovalReason.OTHER:
        raise DomainError(gettext("该情形不能消除此列入事由"), code="invalid_reason")
    if listing.ground_ceased_on:
        return listing
    listing.ground_ceased_on, listing.ceased_reason = on, reason
    deadlines.refresh(listing, "removal_due")
    _move(listing, "note_ground_ceased", actor=actor, on=on, reason=str(RemovalReason(reason).label))
    return listing


@transaction.atomic
def remove_anomaly(
    listing: AnomalyListing, *, actor: Any, reason: str, on: dt.date | None = None, decision_no: str = ""
) -> AnomalyListing:
    on = on or today()
    if reason not in RemovalReason.values:
        raise DomainError(
            gettext("移出原因无效"),
            code="invalid_reason",
            details=[{"field": "reason", "code": "invalid", "message": reason}],
        )
    listing.removed_on, listing.removal_reason = on, reason
    listing.removal_decision_no = decision_no or (f"{listing.decision_no}-移" if listing.decision_no else "")
    _move(
        listing,
        "remove",
        actor=actor,
        on=on,
        reason=str(RemovalReason(reason).label),
        document_no=listing.removal_decision_no,
    )
    _event(EventType.LISTING_REMOVED, listing, on, reason=reason, decision_no=listing.removal_decision_no)
    return listing


@transaction.atomic
def revoke_anomaly(
    listing: AnomalyListing, *, actor: Any, reason: str, on: dt.date | None = None, decision_no: str = ""
) -> AnomalyListing:
    """A listing made in error is revoked: it disappears from the public record."""
    on = on or today()
    was_listed = listing.status == A.LISTED
    listing.removed_on = listing.removed_on or on
    _move(listing, "revoke", actor=actor, on=on, reason=reason, document_no=decision_no)
    if was_listed:
        _event(EventType.LISTING_REMOVED, listing, on, reason="revoked", decision_no=decision_no)
    return listing


@transaction.atomic
def publish_reminder(listing: AnomalyListing, *, actor: Any, on: dt.date) -> None:
    """Anomaly Measures art. 17 / domain.md §9: public reminder in the last 60 days."""
    listing.reminder_published_on = on
    _move(listing, "publish_reminder", actor=actor, on=on, reason="届满3年前公告提醒")
