"""The serious-violation list (domain.md §10, Order 44): escalation from the anomaly
list, proposal, notice, statement, approval, decision, publication, removal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xinjian.core import deadlines
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, InvalidTransition, NotAllowed
from xinjian.core.events import EventType
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workdays import today
from xinjian.registry.departments import department_for, department_of
from xinjian.registry.models import Department, Enterprise

from .. import rules
from ..escalation import lapse_reason
from ..models import (
    AnomalyListing,
    HearingOutcome,
    ListKind,
    ProposalSource,
    RemovalReason,
    SeriousListing,
)
from ._base import SERIOUS, A, S, _event, _move
from .anomaly import remove_anomaly


@transaction.atomic
def escalate_anomaly(listing: AnomalyListing, *, actor: Any, on: dt.date) -> SeriousListing:
    """Three full years on the anomaly list: proposed for the serious list (Order 44
    art. 13). The anomaly listing ends, for that reason, when the serious listing is
    published (`publish_serious`), so the enterprise is never on neither list.

    An individual business's abnormal-state mark is never escalated (domain.md §10)."""
    if listing.is_state_mark:
        raise DomainError(
            gettext("个体工商户的经营异常状态不适用届满3年列入严重违法失信名单"), code="not_escalated"
        )
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
    lapse_if_no_longer_due(listing, actor=actor, on=on)
    return listing


def lapse_if_no_longer_due(listing: SeriousListing, *, actor: Any, on: dt.date) -> bool:
    """Re-check an escalation from the anomaly list (Order 44 art. 13: "still has not
    fulfilled"): when it is no longer due, end the procedure with the reason (state
    `lapsed`, `listing.lapsed`) and return True; the calling step then does nothing else.
    Other proposals are not affected."""
    if listing.anomaly_id is None or listing.status not in SERIOUS.transitions["lapse"].sources:
        return False
    anomaly = AnomalyListing.objects.select_related("enterprise").get(pk=listing.anomaly_id)
    reason = lapse_reason(anomaly, on)
    if not reason:
        return False
    listing.dropped_reason = reason[:300]
    _move(listing, "lapse", actor=actor, on=on, reason=reason)
    return True


@transaction.atomic
def recheck_escalation(listing: SeriousListing, *, actor: Any, on: dt.date | None = None) -> bool:
    """The same re-check on its own (the daily clock, or staff asking for it)."""
    return lapse_if_no_longer_due(SERIOUS.lock(listing), actor=actor, on=on or today())


@transaction.atomic
def notify_party(listing: SeriousListing, *, actor: Any, on: dt.date | None = None) -> SeriousListing:
    """Order 44 art. 15: written notice of facts, grounds, basis and rights; the party may
    state its case (or ask for a hearing) within the statement period."""
    on = on or today()
    if lapse_if_no_longer_due(listing, actor=actor, on=on):
        return listing
    SERIOUS.check(listing, "notify")
    listing.notified_on = on
    deadlines.refresh(listing, "statement_due")
    _move(listing, "notify", actor=actor, on=on, document_no=f"告知-{listing.pk}")
    return listing


@transaction.atomic
def record_statement(
    listing: SeriousListing, *, actor: Any, statement: str, hearing: bool = False, on: dt.date | None = None
) -> SeriousListing:
    """The party's statement. Asking for a hearing with it is a hearing request: the
    procedure then stops until the hearing is concluded (`request_hearing`)."""
    on = on or today()
    if not statement.strip():
        raise DomainError(
            gettext("请填写当事人陈述申辩的内容"),
            code="statement_required",
            details=[{"field": "statement", "code": "required", "message": gettext("必填")}],
        )
    listing.statement = statement
    _move(listing, "record_statement", actor=actor, on=on, reason=statement)
    if hearing:
        request_hearing(listing, actor=actor, on=on)
    return listing


def _hearing_period(listing: SeriousListing) -> dt.date | None:
    """The last day (included) the party may ask for a hearing: the statement period of
    the notice (Order 44 art. 15), as the calendar gives it today."""
    return deadlines.due(listing, "statement_due")


@transaction.atomic
def request_hearing(
    listing: SeriousListing, *, actor: Any, on: dt.date | None = None, note: str = ""
) -> SeriousListing:
    """The party asks for a hearing within its period (the notice's statement period, its
    last day included): the procedure stops — nothing can be submitted for approval until
    the hearing is concluded."""
    on = on or today()
    SERIOUS.check(listing, "request_hearing")
    last = _hearing_period(listing)
    if last is not None and on > last:
        raise DomainError(
            gettext("听证申请期限至%(last)s（含当日）已届满，逾期申请视为放弃听证")
            % {"last": last.isoformat()},
            code="hearing_request_late",
            details=[{"field": "on", "code": "late", "message": last.isoformat()}],
        )
    listing.hearing_requested, listing.hearing_requested_on = True, on
    _move(listing, "request_hearing", actor=actor, on=on, reason=note or "当事人要求听证")
    return listing


def hearing_earliest(listing: SeriousListing, notified_on: dt.date) -> dt.date:
    """The earliest day a hearing may be held when the party is told on `notified_on`
    (Administrative Penalty Law art. 64 (2): at least 7 days' notice, rule data)."""
    r = rules.rules_on(listing.proposed_on, listing.enterprise.region_code)
    return notified_on + dt.timedelta(days=r.hearing_notice_days)


@transaction.atomic
def schedule_hearing(
    listing: SeriousListing,
    *,
    actor: Any,
    hearing_on: dt.date | str,
    place: str,
    host: str,
    time: str = "",
    on: dt.date | None = None,
) -> SeriousListing:
    """Fix the hearing's day, time, place and presiding official, and notify the party
    (at least 7 days ahead). Scheduling again (postponement) notifies again."""
    on = on or today()
    SERIOUS.lock(listing)  # the committed schedule: a double submit must not notify twice
    SERIOUS.check(listing, "schedule_hearing")
    if isinstance(hearing_on, str):
        try:
            hearing_on = dt.date.fromisoformat(hearing_on.strip())
        except ValueError:
            raise DomainError(
                gettext("听证日期格式应为YYYY-MM-DD"),
                code="invalid_date",
                details=[{"field": "hearing_on", "code": "invalid", "message": gettext("日期无效")}],
            ) from None
    missing = [
        {"field": f, "code": "required", "message": gettext("必填")}
        for f, v in (("place", place), ("host", host))
        if not v.strip()
    ]
    if missing:
        raise DomainError(gettext("请填写听证地点和主持人"), code="required", details=missing)
    earliest = hearing_earliest(listing, on)
    if hearing_on < earliest:
        raise DomainError(
            gettext("应当在举行听证的%(days)s日前通知当事人：今日通知，听证最早可定于%(earliest)s")
            % {"days": (earliest - on).days, "earliest": earliest.isoformat()},
            code="hearing_notice_too_short",
            details=[{"field": "hearing_on", "code": "too_soon", "message": earliest.isoformat()}],
        )
    schedule = (hearing_on, time.strip()[:20], place.strip()[:200], host.strip()[:100])
    if listing.status == S.HEARING_SCHEDULED and schedule == (
        listing.hearing_on,
        listing.hearing_time,
        listing.hearing_place,
        listing.hearing_host,
    ):
        raise InvalidTransition(gettext("听证已按此安排通知当事人"), code="already_scheduled")
    listing.hearing_on, listing.hearing_notified_on = hearing_on, on
    listing.hearing_time, listing.hearing_place, listing.hearing_host = schedule[1:]
    _move(
        listing,
        "schedule_hearing",
        actor=actor,
        on=on,
        reason=f"听证定于{hearing_on.isoformat()}{listing.hearing_time}在{listing.hearing_place}举行，主持人{listing.hearing_host}",
        document_no=f"听通-{listing.pk}",
    )
    return listing


@transaction.atomic
def conclude_hearing(
    listing: SeriousListing,
    *,
    actor: Any,
    outcome: str,
    record: str = "",
    held_on: dt.date | str | None = None,
    on: dt.date | None = None,
) -> SeriousListing:
    """Enter the hearing record and its outcome. A hearing held (outcome "list" or
    "not_list") needs its record and cannot be entered before the day it was set for; a
    withdrawal (or not attending without good reason) may be entered at any time."""
    on = on or today()
    SERIOUS.check(listing, "conclude_hearing")
    if outcome not in HearingOutcome.values:
        raise DomainError(
            gettext("请选择听证结论"),
            code="invalid_outcome",
            details=[{"field": "outcome", "code": "invalid", "message": gettext("请选择听证结论")}],
        )
    if isinstance(held_on, str):
        try:
            held_on = dt.date.fromisoformat(held_on.strip()) if held_on.strip() else None
        except ValueError:
            raise DomainError(
                gettext("听证举行日期格式应为YYYY-MM-DD"),
                code="invalid_date",
                details=[{"field": "held_on", "code": "invalid", "message": gettext("日期无效")}],
            ) from None
    if outcome != HearingOutcome.WITHDRAWN:
        if listing.hearing_on is None:
            raise DomainError(gettext("尚未安排听证"), code="hearing_not_scheduled")
        held_on = held_on or on
        if held_on < listing.hearing_on or held_on > on:
            raise DomainError(
                gettext("听证定于%(day)s举行，举行日期不能早于该日或晚于今日")
                % {"day": listing.hearing_on.isoformat()},
                code="hearing_not_held",
                details=[{"field": "held_on", "code": "invalid", "message": listing.hearing_on.isoformat()}],
            )
        if not record.strip():
            raise DomainError(
                gettext("请填写听证笔录要点"),
                code="record_required",
                details=[{"field": "record", "code": "required", "message": gettext("必填")}],
            )
    listing.hearing_held_on = held_on if outcome != HearingOutcome.WITHDRAWN else None
    listing.hearing_record, listing.hearing_outcome = record.strip(), outcome
    _move(
        listing,
        "conclude_hearing",
        actor=actor,
        on=on,
        reason=f"{HearingOutcome(outcome).label}。{record.strip()}".rstrip("。"),
    )
    return listing


@transaction.atomic
def submit_for_approval(
    listing: SeriousListing, *, actor: Any, on: dt.date | None = None, waived: bool = False
) -> SeriousListing:
    on = on or today()
    if lapse_if_no_longer_due(listing, actor=actor, on=on):
        return listing
    SERIOUS.check(listing, "submit")
    # A hearing asked for stops the procedure until it is concluded, and one concluded
    # against listing leaves only "not listed" (Administrative Penalty Law art. 65).
    if listing.hearing_requested and listing.hearing_outcome == "":
        raise DomainError(gettext("当事人已申请听证，听证结束前不能报批"), code="hearing_pending")
    if listing.hearing_outcome == HearingOutcome.NOT_LIST:
        raise DomainError(gettext("听证结论为不予列入，请作不予列入处理"), code="hearing_outcome_not_list")
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
    if lapse_if_no_longer_due(listing, actor=actor, on=on):
        return listing
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
    listing.dropped_reason = reason[:300]
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
    listing: SeriousListing,
    *,
    actor: Any,
    decision_no: str,
    on: dt.date | None = None,
    reply_to_party: str = "",
) -> SeriousListing:
    """The listing decision (列入决定书, `documents.decision`). It must answer what the
    party said: with a statement or a hearing on file, `reply_to_party` is required."""
    on = on or today()
    if lapse_if_no_longer_due(listing, actor=actor, on=on):
        return listing
    SERIOUS.check(listing, "decide")
    if not decision_no.strip():
        raise DomainError(
            gettext("列入决定需要决定书文号"),
            code="decision_no_required",
            details=[{"field": "decision_no", "code": "required", "message": gettext("必填")}],
        )
    reply = reply_to_party.strip() or listing.reply_to_party
    if (listing.statement or listing.hearing_requested) and not reply:
        raise DomainError(
            gettext("当事人提出了陈述申辩或听证，列入决定应当写明对其意见的采纳情况"),
            code="reply_required",
            details=[{"field": "reply_to_party", "code": "required", "message": gettext("必填")}],
        )
    listing.reply_to_party = reply
    listing.decision_no, listing.decided_on = decision_no.strip(), on
    listing.decided_by = listing.department.name if listing.department else ""
    deadlines.refresh(listing, "publication_due")
    listing.expires_on = _expiry(listing, on)
    _move(listing, "decide", actor=actor, on=on, document_no=listing.decision_no)
    return listing


@transaction.atomic
def serve_decision(
    listing: SeriousListing, *, actor: Any, served_on: dt.date | str, on: dt.date | None = None
) -> SeriousListing:
    """The decision document was served on the party on `served_on`: the remedies'
    deadlines (60 days, 6 months) are derived from that day. Recorded once."""
    on = on or today()
    SERIOUS.lock(listing)
    SERIOUS.check(listing, "serve")
    if listing.decision_served_on is not None:
        raise InvalidTransition(gettext("列入决定书送达已登记"), code="already_served")
    if isinstance(served_on, str):
        try:
            served_on = dt.date.fromisoformat(served_on.strip())
        except ValueError:
            raise DomainError(
                gettext("送达日期格式应为YYYY-MM-DD"),
                code="invalid_date",
                details=[{"field": "served_on", "code": "invalid", "message": gettext("日期无效")}],
            ) from None
    if listing.decided_on is None or not (listing.decided_on <= served_on <= on):
        raise DomainError(
            gettext("送达日期应在决定日期%(decided)s之后、今日之前") % {"decided": listing.decided_on},
            code="invalid_served_on",
            details=[{"field": "served_on", "code": "out_of_range", "message": str(listing.decided_on)}],
        )
    listing.decision_served_on = served_on
    deadlines.refresh(listing, "reconsideration_due")
    deadlines.refresh(listing, "lawsuit_due")
    _move(
        listing,
        "serve",
        actor=actor,
        on=on,
        reason=f"列入决定书于{served_on.isoformat()}送达当事人",
        document_no=listing.decision_no,
    )
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
    )
    deadlines.refresh(listing, "publication_due")
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
