"""What every list action shares: the two workflows (transition tables with who may take
each step by hand and which event it reports), the move and the event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from xinjian.core import audit
from xinjian.core.events import EventType, emit
from xinjian.core.permissions import Perm
from xinjian.core.workflow import Field, Transition, Workflow
from xinjian.registry.departments import department_for as department_for

from ..models import (
    CEASING_REASONS,
    AnomalyKind,
    AnomalyListing,
    AnomalyStatus,
    HearingOutcome,
    ListingHistory,
    ListKind,
    RemovalReason,
    SeriousListing,
    SeriousStatus,
)

A, S = AnomalyStatus, SeriousStatus
T = Transition
E = EventType
M = "xinjian.lists.actions"

ANOMALY = Workflow(
    "lists.anomaly",
    AnomalyListing,
    {
        "draft": T({""}, A.DRAFT, _("拟列入"), event=E.LISTING_DRAFTED),
        # A draft is approved by the list managers or the head who signs decisions (the
        # button on the listing's page; `approve_anomaly_draft`).
        "list": T(
            {"", A.DRAFT},
            A.LISTED,
            _("批准列入"),
            perm=(Perm.MANAGE_LISTS, Perm.APPROVE),
            event=E.LISTING_ADDED,
            custom_event=True,
            handler="approve_anomaly_draft",
            fields=(Field("decision_no", _("列入决定书文号")),),
            done=_("已批准列入，列入信息已公示"),
        ),
        "drop": T(
            {A.DRAFT},
            A.DROPPED,
            _("不予列入"),
            perm=(Perm.MANAGE_LISTS, Perm.APPROVE),
            event=E.LISTING_DROPPED,
            handler="drop_anomaly_draft",
            fields=(Field("reason", _("不予列入的理由")),),
            done=_("已决定不予列入"),
        ),
        # The list manager's steps on a listed entry (Anomaly Measures arts. 11–13): a reason
        # chosen from those that end this listing's ground.
        "note_ground_ceased": T(
            {A.LISTED},
            A.LISTED,
            _("登记事由消除"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_GROUND_CEASED,
            handler="note_ground_ceased",
            guard=lambda listing, _user: not listing.ground_ceased_on,
            fields=(Field("reason", _("情形"), kind="select", choices=lambda listing: _ceasing(listing)),),
            done=_("已登记事由消除"),
        ),
        "publish_reminder": T({A.LISTED}, A.LISTED, _("公告提醒"), event=E.LISTING_REMINDER_PUBLISHED),
        "escalate": T({A.LISTED}, A.LISTED, _("届满3年提请严重违法失信"), event=E.LISTING_ESCALATED),
        "remove": T(
            {A.LISTED},
            A.REMOVED,
            _("移出"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_REMOVED,
            custom_event=True,
            handler="remove_anomaly",
            fields=(
                Field("reason", _("移出原因"), kind="select", choices=lambda listing: _ceasing(listing)),
                Field("decision_no", _("移出决定书文号"), required=False),
            ),
            done=_("已移出"),
        ),
        "revoke": T(
            {A.DRAFT, A.LISTED, A.REMOVED},
            A.REVOKED,
            _("撤销列入"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_REMOVED,
            custom_event=True,
            handler="revoke_anomaly",
            fields=(
                Field("reason", _("撤销理由")),
                Field("decision_no", _("撤销决定书文号"), required=False),
            ),
            done=_("已撤销列入"),
        ),
    },
    history=ListingHistory,
    link="anomaly",
    audit_prefix="lists.anomaly",
    actions_module=M,
    detail_url="lists:anomaly_detail",
    payload=lambda listing: _payload(listing),
)

_HEARING = {S.HEARING_REQUESTED, S.HEARING_SCHEDULED, S.HEARING_CONCLUDED}
_OPEN = {S.PROPOSED, S.NOTIFIED, *_HEARING, S.PENDING_APPROVAL, S.APPROVED}
SERIOUS = Workflow(
    "lists.serious",
    SeriousListing,
    {
        "propose": T({""}, S.PROPOSED, _("提出列入建议"), perm=Perm.MANAGE_LISTS, event=E.LISTING_PROPOSED),
        # Each step a person takes on the listing's page is a button of this table (issue 14):
        # the action (`handler`) with the inputs it needs (`fields`).
        "notify": T(
            {S.PROPOSED},
            S.NOTIFIED,
            _("送达列入告知书"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_NOTIFIED,
            handler="notify_party",
            done=_("已送达列入告知书"),
        ),
        "record_statement": T(
            {S.NOTIFIED},
            S.NOTIFIED,
            _("登记陈述申辩"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_STATEMENT_RECORDED,
            handler="record_statement",
            fields=(
                Field("statement", _("当事人陈述申辩"), kind="textarea"),
                Field("hearing", _("要求听证"), required=False, kind="checkbox"),
            ),
            done=_("已登记陈述申辩"),
        ),
        # The hearing (Order 44 art. 15; Administrative Penalty Law arts. 63–65): asked for
        # within the statement period it stops the procedure — approval needs a submission,
        # and a submission needs the hearing concluded.
        "request_hearing": T(
            {S.NOTIFIED},
            S.HEARING_REQUESTED,
            _("登记听证申请"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_HEARING_REQUESTED,
            handler="request_hearing",
            fields=(Field("note", _("听证申请要点"), required=False, kind="textarea"),),
            done=_("已登记听证申请"),
        ),
        "schedule_hearing": T(
            {S.HEARING_REQUESTED, S.HEARING_SCHEDULED},
            S.HEARING_SCHEDULED,
            _("安排听证并通知当事人"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_HEARING_SCHEDULED,
            handler="schedule_hearing",
            fields=(
                Field("hearing_on", _("听证日期"), kind="date"),
                Field("time", _("听证时间"), required=False, max_length=20),
                Field("place", _("听证地点"), max_length=200),
                Field("host", _("听证主持人"), max_length=100),
            ),
            done=_("已安排听证并通知当事人"),
        ),
        "conclude_hearing": T(
            {S.HEARING_REQUESTED, S.HEARING_SCHEDULED},
            S.HEARING_CONCLUDED,
            _("登记听证笔录和结论"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_HEARING_CONCLUDED,
            handler="conclude_hearing",
            fields=(
                Field("outcome", _("听证结论"), kind="select", choices=tuple(HearingOutcome.choices)),
                Field("held_on", _("听证举行日期"), required=False, kind="date"),
                Field("record", _("听证笔录要点"), required=False, kind="textarea"),
            ),
            done=_("已登记听证笔录和结论"),
        ),
        "submit": T(
            {S.NOTIFIED, S.HEARING_CONCLUDED},
            S.PENDING_APPROVAL,
            _("报请审批"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_SUBMITTED,
            handler="submit_for_approval",
            fields=(Field("waived", _("当事人书面放弃陈述申辩"), required=False, kind="checkbox"),),
        ),
        "approve": T(
            {S.PENDING_APPROVAL},
            S.APPROVED,
            _("批准"),
            perm=Perm.APPROVE,
            event=E.LISTING_APPROVED,
            handler="approve_serious",
            fields=(Field("reason", _("审批意见"), required=False),),
        ),
        "return": T(
            {S.PENDING_APPROVAL},
            S.NOTIFIED,
            _("退回"),
            perm=Perm.APPROVE,
            event=E.LISTING_RETURNED,
            handler="approve_serious",
            fields=(Field("reason", _("退回理由"), required=False),),
            kwargs={"approve": False},
            done=_("已退回"),
        ),
        "drop": T(
            _OPEN,
            S.DROPPED,
            _("不予列入"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_DROPPED,
            handler="drop_serious",
            fields=(Field("reason", _("不予列入的理由")),),
            done=_("已决定不予列入"),
        ),
        # Escalation from the anomaly list re-checked at a step and no longer due (Order 44
        # art. 13: "still has not fulfilled"): ended with its reason, by the action itself.
        "lapse": T(_OPEN, S.LAPSED, _("复核不再符合条件，终止列入程序"), event=E.LISTING_LAPSED),
        "decide": T(
            {S.APPROVED},
            S.DECIDED,
            _("作出列入决定"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_DECIDED,
            handler="decide_serious",
            fields=(
                Field("decision_no", _("列入决定书文号")),
                Field("reply_to_party", _("对陈述申辩、听证意见的采纳情况"), required=False, kind="textarea"),
            ),
        ),
        "serve": T(
            {S.DECIDED, S.PUBLISHED},
            None,
            _("登记列入决定书送达"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_DECISION_SERVED,
            handler="serve_decision",
            guard=lambda listing, _user: not listing.decision_served_on,
            fields=(Field("served_on", _("决定书送达日期"), kind="date"),),
            done=_("已登记列入决定书送达"),
        ),
        "import_decision": T({""}, S.DECIDED, _("归集列入决定"), event=E.LISTING_DECIDED),
        "publish": T(
            {S.DECIDED},
            S.PUBLISHED,
            _("公示"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_ADDED,
            custom_event=True,
            handler="publish_serious",
            done=_("已公示"),
        ),
        "expire": T({S.PUBLISHED}, S.REMOVED, _("期满移出"), event=E.LISTING_REMOVED, custom_event=True),
        # Removed early on a credit-repair decision: the list manager records it on the page.
        "remove_early": T(
            {S.PUBLISHED},
            S.REMOVED,
            _("信用修复提前移出"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_REMOVED,
            custom_event=True,
            handler="remove_serious_early",
            fields=(Field("reference", _("信用修复决定编号")),),
            done=_("已提前移出"),
        ),
        "revoke": T(
            _OPEN | {S.DECIDED, S.PUBLISHED, S.REMOVED},
            S.REVOKED,
            _("撤销列入"),
            perm=Perm.MANAGE_LISTS,
            event=E.LISTING_REMOVED,
            custom_event=True,
            handler="revoke_serious",
            # before the decision the procedure is dropped (不予列入), not revoked
            guard=lambda listing, _user: listing.status in {S.DECIDED, S.PUBLISHED, S.REMOVED},
            fields=(
                Field("reason", _("撤销理由")),
                Field("decision_no", _("撤销决定书文号"), required=False),
            ),
            done=_("已撤销列入"),
        ),
    },
    history=ListingHistory,
    link="serious",
    audit_prefix="lists.serious",
    actions_module=M,
    detail_url="lists:serious_detail",
    payload=lambda listing: _payload(listing),
)


def _ceasing(listing: AnomalyListing) -> list[tuple[str, Any]]:
    """The reasons that end the listing's ground (and "other"), as a select's choices."""
    reasons = [*CEASING_REASONS.get(listing.ground, []), RemovalReason.OTHER]
    return [(str(r), RemovalReason(r).label) for r in reasons]


# The tables as they were named before the engine (kept for readers of the old names).
ANOMALY_TRANSITIONS = ANOMALY.transitions
SERIOUS_TRANSITIONS = SERIOUS.transitions


def _move(
    listing: AnomalyListing | SeriousListing,
    action: str,
    *,
    actor: Any,
    on: dt.date,
    reason: str = "",
    document_no: str = "",
) -> None:
    wf = ANOMALY if isinstance(listing, AnomalyListing) else SERIOUS
    wf.move(listing, action, actor=actor, on=on, reason=reason, document_no=document_no)


# An individual business's abnormal-state mark is reported as its own "list" value, so that
# no subscriber takes it for an entry on the enterprise anomaly list (domain.md §10).
ABNORMAL_STATE = "abnormal_state"


def list_value(listing: AnomalyListing | SeriousListing) -> str:
    if isinstance(listing, SeriousListing):
        return str(ListKind.SERIOUS)
    return ABNORMAL_STATE if listing.kind == AnomalyKind.STATE else str(ListKind.ANOMALY)


def _payload(listing: AnomalyListing | SeriousListing) -> dict[str, Any]:
    return {
        "list": list_value(listing),
        "listing_id": listing.pk,
        "ground": listing.ground,
        "ground_name": listing.ground_name(),
    }


def _event(type: str, listing: AnomalyListing | SeriousListing, on: dt.date, **data: Any) -> None:
    e = listing.enterprise
    payload = {**_payload(listing), "on": on.isoformat(), **data}
    emit(type, uscc=e.uscc, region_code=e.region_code, data=audit.jsonable(payload))
