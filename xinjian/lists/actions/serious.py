"""The serious-violation list (domain.md §10, Order 44): escalation from the anomaly
list, proposal, notice, statement, approval, decision, publication, removal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xinjian.core import deadlines
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, NotAllowed
from xinjian.core.events import EventType
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workdays import add_working_days, today
from xinjian.registry.departments import department_for, department_of
from xinjian.registry.models import Department, Enterprise

from .. import rules
from ..models import (
    AnomalyListing,
    ListKind,
    ProposalSource,
    RemovalReason,
    SeriousListing,
)
from ._base import A, S, _event, _move
from .anomaly import remove_anomaly


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
    department = department or department_of(actor) or department_for(enterprise.region_code)
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
    # The statement period must run out first (its last day included), unless the party
    # has stated its case or waived the right in writing. Gated on the deadline as the
    # calendar gives it today, never on the stored copy (lists.deadlines).
    statement_due = deadlines.due(listing, "statement_due")
    if statement_due and on <= statement_due and not (listing.statement or waived):
        raise DomainError(
            gettext("陈述申辩期限至%(statement_due)s（含当日），期满前不能报批")
            % {"statement_due": statement_due},
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

    on = on or today()
    if not has_perm(actor, Perm.APPROVE):
        raise NotAllowed(gettext("没有审批权限"))
    needed = approving_department(listing)
    mine = department_of(actor)
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
    """Order 44 art. 19: the last day listed — 3 years from the decision (the
    corresponding day, included, as for a penalty's disclosure period), longer while a
    legal restriction runs (its last day)."""
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
