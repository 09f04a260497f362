"""Every state change of the lists (architecture rule 1): atomic, audited, evented, with
a history row per transition. Transitions are tables; an illegal move raises."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.core import audit, workflow
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, InvalidTransition, NotAllowed
from xinjian.core.events import EventType, emit
from xinjian.core.workdays import add_working_days, today
from xinjian.registry.models import Department, Enterprise

from . import rules
from .models import (
    CEASING_REASONS,
    AnomalyListing,
    AnomalyStatus,
    CaseStatus,
    ListingHistory,
    ListKind,
    ProposalSource,
    RemovalReason,
    SeriousListing,
    SeriousStatus,
    TypicalCase,
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


def department_for(region_code: str) -> Department | None:
    """The department whose jurisdiction is the enterprise's division (or the nearest above)."""
    for code in (region_code, region_code[:4] + "00", region_code[:2] + "0000"):
        dept = Department.objects.filter(division_id=code).first()
        if dept:
            return dept
    return None


def _actor_department(actor: Any) -> Department | None:
    profile = (
        getattr(getattr(actor, "staff_profile", None), "department", None)
        if not isinstance(actor, str)
        else None
    )
    return profile


# --- anomaly list (domain.md §9) ------------------------------------------------------


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
    r = rules.rules_on(proposed_on, enterprise.region_code)
    listing = AnomalyListing(
        enterprise=enterprise,
        ground=ground,
        report_year=report_year,
        department=department,
        decided_by=department.name if department else "",
        decision_no=decision_no,
        proposed_on=proposed_on,
        # Anomaly Measures art. 6–9: decided within 10 working days of discovery.
        listing_due=add_working_days(proposed_on, r.anomaly_listing_working_days).due,
        facts=facts,
        inspection=inspection,
        list_decision=list_decision,
        address_at_listing=enterprise.address if ground == "unreachable" else "",
    )
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
    from xinjian.core.events import emit_many
    from xinjian.core.models import AuditEntry

    if not enterprises:
        return 0
    who = as_actor(actor)
    now = timezone.now()
    r = rules.rules_on(deadline)
    due = add_working_days(deadline, r.anomaly_listing_working_days).due
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
        listings.append(
            AnomalyListing(
                enterprise=e,
                ground="annual_report_missing",
                report_year=report_year,
                department=dept,
                decided_by=dept.name if dept else "",
                decision_no="" if draft else decision.decision_no,
                status=A.DRAFT if draft else A.LISTED,
                proposed_on=deadline,
                listing_due=due,
                listed_on=None if draft else on,
                facts=facts,
                created_by=who.label,
                modified_by=who.label,
                created_at=now,
                modified_at=now,
            )
        )
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
    emit_many(
        (
            EventType.LISTING_ADDED,
            a.enterprise.uscc,
            a.enterprise.region_code,
            {
                "list": "anomaly",
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
        if a.status == A.LISTED
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
    r = rules.rules_on(on, listing.enterprise.region_code)
    listing.ground_ceased_on, listing.ceased_reason = on, reason
    listing.removal_due = add_working_days(on, r.anomaly_removal_working_days).due
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


@transaction.atomic
def escalate_anomaly(listing: AnomalyListing, *, actor: Any, on: dt.date) -> SeriousListing:
    """Three full years on the anomaly list: proposed for the serious list (Order 44
    art. 13). The anomaly listing ends, for that reason, when the serious listing is
    published (`publish_serious`), so the enterprise is never on neither list."""
    serious = propose_serious(
        listing.enterprise,
        actor=actor,
        ground="anomaly_three_years",
        on=on,
        source=ProposalSource.ANOMALY,
        anomaly=listing,
        department=listing.department,
        facts=f"{listing.listed_on}因“{listing.ground_name()}”被列入经营异常名录（{listing.decision_no}），届满3年仍未履行相关义务。",
    )
    listing.escalated_to = serious
    _move(listing, "escalate", actor=actor, on=on, reason="届满3年，提出列入严重违法失信名单")
    return serious


# --- serious-violation list (domain.md §10, Order 44) ----------------------------------


@transaction.atomic
def propose_serious(
    enterprise: Enterprise,
    *,
    actor: Any,
    ground: str,
    on: dt.date | None = None,
    source: str = ProposalSource.STAFF,
    penalty: Any = None,
    anomaly: AnomalyListing | None = None,
    department: Department | None = None,
    facts: str = "",
    legal_basis: str = "",
) -> SeriousListing:
    on = on or today()
    g = rules.ground(ground, on)
    if g is None or g.list != ListKind.SERIOUS:
        raise DomainError(
            gettext("不是严重违法失信名单的列入事由"),
            code="invalid_ground",
            details=[{"field": "ground", "code": "invalid_ground", "message": ground}],
        )
    if (
        penalty is not None
        and SeriousListing.objects.filter(
            penalty=penalty,
            status__in=[S.PROPOSED, S.NOTIFIED, S.PENDING_APPROVAL, S.APPROVED, S.DECIDED, S.PUBLISHED],
        ).exists()
    ):
        raise DomainError(gettext("该处罚已有列入程序"), code="already_proposed")
    department = department or _actor_department(actor) or department_for(enterprise.region_code)
    listing = SeriousListing(
        enterprise=enterprise,
        ground=ground,
        source=source,
        department=department,
        penalty=penalty,
        basis_decision_no=penalty.decision_no if penalty is not None else "",
        anomaly=anomaly,
        facts=facts
        or (
            f"{penalty.decided_on}，{penalty.decided_by}以{penalty.decision_no}号决定书对其“{penalty.violation}”作出行政处罚。"
            if penalty is not None
            else ""
        ),
        legal_basis=legal_basis
        or f"{g.basis}；{penalty.legal_basis if penalty is not None else ''}".rstrip("；"),
        proposed_on=on,
    )
    _move(listing, "propose", actor=actor, on=on, reason=listing.facts)
    return listing


@transaction.atomic
def notify_party(listing: SeriousListing, *, actor: Any, on: dt.date | None = None) -> SeriousListing:
    """Order 44 art. 15: written notice of facts, grounds, basis and rights; the party may
    state its case (or ask for a hearing) within the statement period."""
    on = on or today()
    r = rules.rules_on(on, listing.enterprise.region_code)
    listing.notified_on = on
    listing.statement_due = add_working_days(on, r.serious_statement_working_days).due
    _move(listing, "notify", actor=actor, on=on, document_no=f"告知-{listing.pk}")
    return listing


@transaction.atomic
def record_statement(
    listing: SeriousListing, *, actor: Any, statement: str, hearing: bool = False, on: dt.date | None = None
) -> SeriousListing:
    listing.statement = statement
    listing.hearing_requested = hearing
    _move(listing, "record_statement", actor=actor, on=on or today(), reason=statement)
    return listing


@transaction.atomic
def submit_for_approval(
    listing: SeriousListing, *, actor: Any, on: dt.date | None = None, waived: bool = False
) -> SeriousListing:
    on = on or today()
    # The statement period must run out first, unless the party has stated its case or
    # waived the right in writing.
    if listing.statement_due and on <= listing.statement_due and not (listing.statement or waived):
        raise DomainError(
            gettext("陈述申辩期限至%(statement_due)s，期满前不能报批")
            % {"statement_due": listing.statement_due},
            code="statement_period_running",
        )
    _move(listing, "submit", actor=actor, on=on, reason="当事人放弃陈述申辩" if waived else "")
    return listing


def approving_department(listing: SeriousListing) -> Department | None:
    """Order 44 art. 16: county and city decisions are approved one level up, unless the
    province has switched that off."""
    dept = listing.department
    if dept is None:
        return None
    r = rules.rules_on(listing.proposed_on, listing.enterprise.region_code)
    if r.approval_by_level_above and dept.level != "province":
        return dept.parent_department() or dept
    return dept


@transaction.atomic
def approve_serious(
    listing: SeriousListing, *, actor: Any, on: dt.date | None = None, approve: bool = True, reason: str = ""
) -> SeriousListing:
    from xinjian.accounts.roles import has_perm
    from xinjian.core.permissions import Perm

    on = on or today()
    if not has_perm(actor, Perm.APPROVE):
        raise NotAllowed(gettext("没有审批权限"))
    needed = approving_department(listing)
    mine = _actor_department(actor)
    if needed is not None and not getattr(actor, "is_superuser", False) and mine != needed:
        raise NotAllowed(gettext("应由%(name)s审批") % {"name": needed.name}, code="wrong_approver")
    if not approve:
        _move(listing, "return", actor=actor, on=on, reason=reason or "退回")
        return listing
    listing.approved_on, listing.approved_by = on, as_actor(actor).label
    _move(listing, "approve", actor=actor, on=on, reason=reason)
    return listing


@transaction.atomic
def drop_serious(
    listing: SeriousListing, *, actor: Any, reason: str, on: dt.date | None = None
) -> SeriousListing:
    """Not listed (e.g. the party proved there was no intent: Order 44 art. 5)."""
    if not reason:
        raise DomainError(gettext("请说明不予列入的理由"), code="reason_required")
    _move(listing, "drop", actor=actor, on=on or today(), reason=reason)
    return listing


def _expiry(listing: SeriousListing, decided_on: dt.date) -> dt.date:
    """Order 44 art. 19: removed after 3 years, longer while a legal restriction runs."""
    r = rules.rules_on(decided_on, listing.enterprise.region_code)
    day = rules.add_years(decided_on, r.serious_period_years)
    restriction = listing.penalty.restriction_until if listing.penalty is not None else None
    return max(day, restriction) if restriction else day


@transaction.atomic
def decide_serious(
    listing: SeriousListing, *, actor: Any, decision_no: str, on: dt.date | None = None
) -> SeriousListing:
    on = on or today()
    if not decision_no.strip():
        raise DomainError(
            gettext("列入决定需要决定书文号"),
            code="decision_no_required",
            details=[{"field": "decision_no", "code": "required", "message": gettext("必填")}],
        )
    r = rules.rules_on(on, listing.enterprise.region_code)
    listing.decision_no, listing.decided_on = decision_no.strip(), on
    listing.decided_by = listing.department.name if listing.department else ""
    listing.publication_due = add_working_days(on, r.serious_publication_working_days).due
    listing.expires_on = _expiry(listing, on)
    _move(listing, "decide", actor=actor, on=on, document_no=listing.decision_no)
    return listing


@transaction.atomic
def publish_serious(listing: SeriousListing, *, actor: Any, on: dt.date | None = None) -> SeriousListing:
    """Publication puts the management measures in force (Order 44 art. 17)."""
    on = on or today()
    listing.published_on = on
    _move(listing, "publish", actor=actor, on=on, document_no=listing.decision_no)
    _event(
        EventType.LISTING_ADDED,
        listing,
        on,
        decision_no=listing.decision_no,
        decided_by=listing.decided_by,
        decided_on=listing.decided_on,
        expires_on=listing.expires_on,
        measures=[m.code for m in rules.measures(ListKind.SERIOUS, on)],
    )
    if listing.anomaly is not None and listing.anomaly.status == A.LISTED:
        remove_anomaly(
            listing.anomaly,
            actor=actor,
            reason=RemovalReason.MOVED_TO_SERIOUS,
            on=on,
            decision_no=listing.decision_no,
        )
    return listing


@transaction.atomic
def import_serious_decision(
    enterprise: Enterprise,
    *,
    actor: Any,
    ground: str,
    decision_no: str,
    decided_on: dt.date,
    decided_by: str,
    penalty: Any = None,
    list_decision: Any = None,
    on: dt.date | None = None,
) -> SeriousListing:
    """A decision already made in a case system (interfaces.md list-decisions): recorded
    as decided, and published by the platform the day it arrives."""
    on = on or today()
    g = rules.ground(ground, decided_on)
    if g is None or g.list != ListKind.SERIOUS:
        raise DomainError(gettext("不是严重违法失信名单的列入事由"), code="invalid_ground")
    r = rules.rules_on(decided_on, enterprise.region_code)
    listing = SeriousListing(
        enterprise=enterprise,
        ground=ground,
        source=ProposalSource.CASE_SYSTEM,
        department=department_for(enterprise.region_code),
        penalty=penalty,
        basis_decision_no=penalty.decision_no if penalty is not None else "",
        list_decision=list_decision,
        facts=f"{decided_by}以{decision_no}决定列入",
        legal_basis=g.basis,
        proposed_on=decided_on,
        decided_on=decided_on,
        decision_no=decision_no,
        decided_by=decided_by,
        publication_due=add_working_days(decided_on, r.serious_publication_working_days).due,
    )
    listing.expires_on = _expiry(listing, decided_on)
    _move(listing, "import_decision", actor=actor, on=on, document_no=decision_no)
    return publish_serious(listing, actor=actor, on=on)


@transaction.atomic
def expire_serious(listing: SeriousListing, *, actor: Any, on: dt.date) -> SeriousListing:
    listing.removed_on, listing.removal_reason = on, RemovalReason.PERIOD_EXPIRED
    _move(listing, "expire", actor=actor, on=on, reason=str(RemovalReason.PERIOD_EXPIRED.label))
    _event(EventType.LISTING_REMOVED, listing, on, reason=RemovalReason.PERIOD_EXPIRED)
    return listing


@transaction.atomic
def remove_serious_early(
    listing: SeriousListing, *, actor: Any, on: dt.date | None = None, reference: str = "", reason: str = ""
) -> SeriousListing:
    """Credit repair (Order 44 art. 20; Repair Measures): callable by the repair work.
    After early removal the public record shows neither the listing nor the removal."""
    on = on or today()
    earliest = listing.earliest_repair_date()
    if earliest is None or on < earliest:
        raise DomainError(
            gettext("列入满1年且限制期届满后方可申请提前移出（最早%(earliest)s）") % {"earliest": earliest},
            code="too_early",
        )
    listing.removed_on, listing.removal_reason = on, RemovalReason.CREDIT_REPAIR
    _move(
        listing,
        "remove_early",
        actor=actor,
        on=on,
        reason=reason or str(RemovalReason.CREDIT_REPAIR.label),
        document_no=reference,
    )
    _event(EventType.LISTING_REMOVED, listing, on, reason=RemovalReason.CREDIT_REPAIR, repair=reference)
    return listing


@transaction.atomic
def revoke_serious(
    listing: SeriousListing, *, actor: Any, on: dt.date | None = None, reason: str = "", decision_no: str = ""
) -> SeriousListing:
    """Order 44 art. 22: the underlying penalty revoked or void → listing revoked,
    publication stopped within 3 working days, measures lifted."""
    on = on or today()
    was_public = listing.status == S.PUBLISHED
    listing.removed_on = listing.removed_on or on
    listing.removal_reason = RemovalReason.PENALTY_REVOKED if listing.penalty_id else RemovalReason.ERROR
    _move(
        listing,
        "revoke",
        actor=actor,
        on=on,
        reason=reason or str(listing.get_removal_reason_display()),
        document_no=decision_no,
    )
    if was_public:
        _event(EventType.LISTING_REMOVED, listing, on, reason="revoked", decision_no=decision_no)
    return listing


# --- typical cases (seed 十一: 典型案例) ------------------------------------------------


@transaction.atomic
def save_case(
    case: TypicalCase | None,
    *,
    actor: Any,
    title: str,
    body: str,
    region_code: str,
    enterprises: list[Enterprise],
) -> TypicalCase:
    who = as_actor(actor)
    if not title.strip() or not body.strip():
        raise DomainError(gettext("标题和正文必填"), code="required")
    if case is None:
        case = TypicalCase(written_by=who.label)
    elif case.status == CaseStatus.PUBLISHED:
        raise InvalidTransition(gettext("已发布的案例需先撤回再修改"))
    before = audit.snapshot(case) if case.pk else None
    case.title, case.body, case.region_code = title.strip(), body.strip(), region_code
    case.status = CaseStatus.DRAFT  # any edit needs a new review
    case.reviewed_by = ""
    case.touch(who.label)
    case.save()
    case.enterprises.set(enterprises)
    audit.record("lists.case.save", case, actor=who, before=before, after=audit.snapshot(case))
    return case


CASE_TRANSITIONS = {
    "review": ({CaseStatus.DRAFT}, CaseStatus.REVIEWED),
    "publish": ({CaseStatus.REVIEWED}, CaseStatus.PUBLISHED),
    "withdraw": ({CaseStatus.PUBLISHED}, CaseStatus.WITHDRAWN),
}


@transaction.atomic
def move_case(case: TypicalCase, action: str, *, actor: Any, on: dt.date | None = None) -> TypicalCase:
    who = as_actor(actor)
    allowed, target = CASE_TRANSITIONS[action]
    if case.status not in allowed:
        raise InvalidTransition(gettext("当前状态不能执行此操作"))
    if action == "review" and who.label == case.written_by:
        raise NotAllowed(gettext("案例须由撰写人以外的人员审核"), code="four_eyes")
    before = audit.snapshot(case)
    case.status = target
    if action == "review":
        case.reviewed_by = who.label
    if action == "publish":
        case.published_on = on or today()
    case.touch(who.label)
    case.save()
    audit.record(f"lists.case.{action}", case, actor=who, before=before, after=audit.snapshot(case))
    return case
