"""Every state change of disclosure (architecture rule 1): atomic, audited, evented.

The publication step is ours: a collected penalty or inspection result is published by
`publish_penalty` / `publish_inspection`, or in bulk by the `disclosure.publish` clock;
revoked decisions are withdrawn by `withdraw_penalty` (the `disclosure.withdraw` clock
catches those revoked at the source); credit repair stops publication early through
`stop_publication`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinjian.collection.models import (
    CommitmentRecord,
    Inspection,
    Licence,
    Penalty,
    PenaltyProcedure,
    PenaltyStatus,
)
from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import Conflict, DomainError, InvalidTransition, NotAllowed, field_error
from xinjian.core.events import EventType, emit, emit_many
from xinjian.core.models import AuditEntry
from xinjian.core.permissions import Perm
from xinjian.core.workdays import today
from xinjian.core.workflow import Field, Transition, Workflow

from . import policy, rules
from .models import (
    DisclosureRule,
    EnterpriseReply,
    RecordKind,
    ReplyStatus,
    ReplyStatusChange,
    RuleKey,
)
from .queries import forget_profile


def _forget(uscc: str) -> None:
    """Drop this process's cached profile once the change commits (other processes'
    copies expire within queries.PROFILE_TTL)."""

    transaction.on_commit(lambda: forget_profile(uscc))


def _penalty_event(p: Penalty) -> dict[str, Any]:
    until = policy.penalty_disclosed_until(p)
    return {
        "penalty_id": p.pk,
        "decision_no": p.decision_no,
        "decided_on": p.decided_on.isoformat(),
        "published_on": p.published_on.isoformat() if p.published_on else None,
        "disclosed_until": until.isoformat() if until else None,
    }


# --- publication -----------------------------------------------------------------------


def _record_publication(
    record: Penalty | Inspection,
    on: dt.date,
    *,
    actor: Any,
    action: str,
    event_type: str,
    data: dict[str, Any],
) -> None:
    """Save a record whose `published_on` was just set, with its audit entry, its event
    and the profile cache cleared — the same steps for every kind that is published."""
    record.touch(as_actor(actor).label)
    record.save(update_fields=["published_on", "modified_at", "modified_by", "created_by"])
    audit.record(
        action,
        record,
        actor=actor,
        before=audit.jsonable({"published_on": None}),
        after=audit.jsonable({"published_on": on}),
        uscc=record.uscc,
    )
    emit(
        event_type,
        uscc=record.uscc,
        region_code=record.enterprise.region_code if record.enterprise else "",
        data=data,
    )
    _forget(record.uscc)


@transaction.atomic
def publish_penalty(penalty: Penalty, *, actor: Any, on: dt.date | None = None) -> Penalty:
    """Publish one collected penalty (Order 45 art. 9: within 20 working days of the
    decision). Warning-only penalties, exceptions and revoked decisions are refused."""
    on = on or today()
    p = Penalty.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=penalty.pk)
    if p.published_on is not None:
        raise Conflict(gettext("该处罚信息已公示"), code="already_published")
    if not policy.publishable(p):
        raise NotAllowed(
            gettext("该处罚信息依规定不予公示（仅警告、简易程序、撤销、不予公示事由或主体未匹配）"),
            code="not_publishable",
        )
    p.published_on = on
    _record_publication(
        p,
        on,
        actor=actor,
        action="penalty.publish",
        event_type=EventType.PENALTY_PUBLISHED,
        data=_penalty_event(p),
    )
    return p


@transaction.atomic
def publish_inspection(inspection: Inspection, *, actor: Any, on: dt.date | None = None) -> Inspection:
    on = on or today()
    i = Inspection.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=inspection.pk)
    if i.published_on is not None:
        raise Conflict(gettext("该检查结果已公示"), code="already_published")
    if not policy.inspection_publishable(i):
        raise NotAllowed(gettext("该检查结果依规定不予公示"), code="not_publishable")
    i.published_on = on
    _record_publication(
        i,
        on,
        actor=actor,
        action="inspection.publish",
        event_type=EventType.INSPECTION_PUBLISHED,
        data={
            "inspection_id": i.pk,
            "inspected_on": i.inspected_on.isoformat(),
            "result": i.result,
            "published_on": on.isoformat(),
        },
    )
    return i


def _publish_batch(rows: list[Any], kind: str, on: dt.date, who: Any) -> None:
    now = timezone.now()
    model = type(rows[0])
    for r in rows:
        r.published_on, r.modified_at, r.modified_by = on, now, who.label
    model.objects.bulk_update(rows, ["published_on", "modified_at", "modified_by"], batch_size=1000)
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                actor_user=who.user,
                actor_label=who.label,
                action=f"{kind}.publish",
                object_type=r._meta.label_lower,
                object_id=str(r.pk),
                uscc=r.uscc,
                before=audit.jsonable({"published_on": None}),
                after=audit.jsonable({"published_on": on.isoformat()}),
                at=now,
            )
            for r in rows
        ],
        batch_size=1000,
    )
    if kind == "penalty":
        emit_many(
            (EventType.PENALTY_PUBLISHED, r.uscc, r.enterprise.region_code, _penalty_event(r)) for r in rows
        )
    else:
        emit_many(
            (
                EventType.INSPECTION_PUBLISHED,
                r.uscc,
                r.enterprise.region_code,
                {
                    "inspection_id": r.pk,
                    "inspected_on": r.inspected_on.isoformat(),
                    "result": r.result,
                    "published_on": on.isoformat(),
                },
            )
            for r in rows
        )


def publish_due(on: dt.date, *, actor: Any, dry_run: bool = False, chunk: int = 500) -> int:
    """Publish every collected, publishable penalty decided and inspection result found
    on or before `on` that is not published yet. Idempotent. A penalty whose longest
    period would already have run out had it been published on the decision day is not
    published now (a late import of an expired record is not a new publication)."""
    who = as_actor(actor)
    oldest = policy.add_months(on, -int(rules.value(RuleKey.PENALTY_LONG_MONTHS, "", on)))
    penalties = (
        Penalty.objects.filter(
            published_on__isnull=True,
            enterprise__isnull=False,
            archived_at__isnull=True,
            status=PenaltyStatus.IN_FORCE,
            procedure=PenaltyProcedure.ORDINARY,
            disclosure_exception="",
            decided_on__lte=on,
        )
        .filter(Q(decided_on__gte=oldest) | Q(restriction_until__gte=on))
        .select_related("enterprise")
        .order_by("id")
    )
    inspections = (
        Inspection.objects.filter(
            published_on__isnull=True,
            enterprise__isnull=False,
            archived_at__isnull=True,
            inspected_on__lte=on,
        )
        .select_related("enterprise")
        .order_by("id")
    )
    done = 0
    steps: list[tuple[str, QuerySet[Any], Callable[[Any], bool]]] = [
        ("penalty", penalties, lambda p: policy.publishable(p) and policy.still_due_on(p, on)),
        ("inspection", inspections, policy.inspection_publishable),
    ]
    for kind, qs, ok in steps:
        batch: list[Any] = []
        for r in qs.iterator(chunk_size=chunk):
            if not ok(r):  # warning-only and the like: the rest is in SQL
                continue
            batch.append(r)
            if len(batch) >= chunk:
                done += len(batch)
                if not dry_run:
                    with transaction.atomic():
                        _publish_batch(batch, kind, on, who)
                batch = []
        if batch:
            done += len(batch)
            if not dry_run:
                with transaction.atomic():
                    _publish_batch(batch, kind, on, who)
    return done


@transaction.atomic
def withdraw_penalty(penalty: Penalty, *, actor: Any, reason: str, on: dt.date | None = None) -> Penalty:
    """Take a published penalty down because its decision was revoked, changed or found
    void (Order 45 art. 15: within 3 working days). The policy already hides a revoked
    decision on the day it is revoked; this records the withdrawal and tells the world."""
    if not reason.strip():
        raise DomainError(
            gettext("撤下公示须说明理由"), details=[field_error("reason", "required", gettext("必填"))]
        )
    on = on or today()
    p = Penalty.objects.select_for_update(of=("self",)).select_related("enterprise").get(pk=penalty.pk)
    if p.withdrawn_on is not None:
        raise Conflict(gettext("该处罚信息已撤下"), code="already_withdrawn")
    if p.published_on is None:
        raise Conflict(gettext("该处罚信息尚未公示"), code="not_published")
    p.withdrawn_on = on
    p.touch(as_actor(actor).label)
    p.save(update_fields=["withdrawn_on", "modified_at", "modified_by", "created_by"])
    audit.record(
        "penalty.withdraw",
        p,
        actor=actor,
        before=audit.jsonable({"withdrawn_on": None}),
        after=audit.jsonable({"withdrawn_on": on}),
        reason=reason,
        uscc=p.uscc,
    )
    emit(
        EventType.PENALTY_WITHDRAWN,
        uscc=p.uscc,
        region_code=p.enterprise.region_code if p.enterprise else "",
        data={
            "penalty_id": p.pk,
            "decision_no": p.decision_no,
            "withdrawn_on": on.isoformat(),
            "reason": reason,
        },
    )
    _forget(p.uscc)
    return p


def withdraw_revoked(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    """Clock: published penalties revoked at the source are withdrawn."""
    qs = Penalty.objects.filter(
        status=PenaltyStatus.REVOKED, published_on__isnull=False, withdrawn_on__isnull=True
    )
    if dry_run:
        return qs.count()
    n = 0
    for p in qs.order_by("id"):
        withdraw_penalty(p, actor=actor, reason="处罚决定已被撤销（来源系统）", on=on)
        n += 1
    return n


@transaction.atomic
def stop_publication(penalty: Penalty, *, actor: Any, reason: str, on: dt.date | None = None) -> Penalty:
    """Credit repair approved: stop publishing the penalty early (Repair Measures). The
    eligibility check belongs to `repair`; here the publication ends."""
    on = on or today()
    p = Penalty.objects.select_for_update().get(pk=penalty.pk)
    if p.publication_stopped_on is not None:
        raise Conflict(gettext("该处罚信息已停止公示"), code="already_stopped")
    p.publication_stopped_on = on
    p.touch(as_actor(actor).label)
    p.save(update_fields=["publication_stopped_on", "modified_at", "modified_by", "created_by"])
    audit.record(
        "penalty.stop_publication",
        p,
        actor=actor,
        before=audit.jsonable({"publication_stopped_on": None}),
        after=audit.jsonable({"publication_stopped_on": on}),
        reason=reason,
        uscc=p.uscc,
    )
    emit(
        EventType.PENALTY_PUBLICATION_STOPPED,
        uscc=p.uscc,
        region_code=_region(p),
        data={"decision_no": p.decision_no, "stopped_on": on.isoformat()},
    )
    _forget(p.uscc)
    return p


@transaction.atomic
def resume_publication(penalty: Penalty, *, actor: Any, reason: str) -> Penalty:
    """Repair obtained by fraud is revoked and the record restored (Repair Measures)."""
    p = Penalty.objects.select_for_update().get(pk=penalty.pk)
    if p.publication_stopped_on is None:
        raise Conflict(gettext("该处罚信息未停止公示"), code="not_stopped")
    before = p.publication_stopped_on
    p.publication_stopped_on = None
    p.touch(as_actor(actor).label)
    p.save(update_fields=["publication_stopped_on", "modified_at", "modified_by", "created_by"])
    audit.record(
        "penalty.resume_publication",
        p,
        actor=actor,
        before=audit.jsonable({"publication_stopped_on": before}),
        after=audit.jsonable({"publication_stopped_on": None}),
        reason=reason,
        uscc=p.uscc,
    )
    emit(
        EventType.PENALTY_PUBLICATION_RESUMED,
        uscc=p.uscc,
        region_code=_region(p),
        data={"decision_no": p.decision_no, "was_stopped_on": before.isoformat()},
    )
    _forget(p.uscc)
    return p


def _region(record: Any) -> str:
    enterprise = getattr(record, "enterprise", None)
    return enterprise.region_code if enterprise is not None else str(record.uscc)[2:8]


# --- replies ---------------------------------------------------------------------------


def _record_of(enterprise: Any, kind: str, record_id: int) -> Any:

    models_by_kind: dict[str, type[Any]] = {
        RecordKind.PENALTY: Penalty,
        RecordKind.INSPECTION: Inspection,
        RecordKind.LICENCE: Licence,
        RecordKind.COMMITMENT: CommitmentRecord,
    }
    model = models_by_kind.get(kind)
    if model is None:
        raise DomainError(
            gettext("暂不支持对该类信息提交情况说明"),
            details=[field_error("record_kind", "invalid", gettext("不支持"))],
        )
    record = model.objects.filter(pk=record_id, enterprise=enterprise).first()
    if record is None or not policy.visible(record, today()):
        raise DomainError(
            gettext("只能对本企业正在公示的信息提交情况说明"),
            details=[field_error("record_id", "not_public", gettext("该信息不存在或未公示"))],
        )
    return record


def _reply_payload(r: EnterpriseReply) -> dict[str, Any]:
    return {"id": r.pk, "record_kind": r.record_kind, "record_id": r.record_id}


# The reply workflow (architecture rule 2): an enterprise submits; staff hide an abusive
# reply or show it again, always with a reason.
REPLIES = Workflow(
    "disclosure.reply",
    EnterpriseReply,
    {
        "submit": Transition([""], ReplyStatus.SHOWN, _("提交情况说明"), event=EventType.REPLY_SUBMITTED),
        "hide": Transition(
            [ReplyStatus.SHOWN],
            ReplyStatus.HIDDEN,
            _("屏蔽"),
            Perm.MANAGE_DISCLOSURE,
            event=EventType.REPLY_HIDDEN,
            handler="hide_reply",
            fields=(Field("reason", _("理由")),),
            done=_("已屏蔽"),
        ),
        "show": Transition(
            [ReplyStatus.HIDDEN],
            ReplyStatus.SHOWN,
            _("恢复显示"),
            Perm.MANAGE_DISCLOSURE,
            event=EventType.REPLY_SHOWN,
            handler="show_reply",
            fields=(Field("reason", _("理由")),),
            done=_("已恢复显示"),
        ),
    },
    history=ReplyStatusChange,
    link="reply",
    audit_prefix="disclosure.reply",
    actions_module="xinjian.disclosure.actions",
    detail_url="disclosure:replies",
    payload=_reply_payload,
)


@transaction.atomic
def submit_reply(
    enterprise: Any, *, record_kind: str, record_id: int, text: str, actor: Any
) -> EnterpriseReply:
    """An enterprise attaches a statement to one of its own published records."""
    text = (text or "").strip()
    if not 5 <= len(text) <= 2000:
        raise DomainError(
            gettext("情况说明应为5至2000字"), details=[field_error("text", "length", gettext("5至2000字"))]
        )
    _record_of(enterprise, record_kind, record_id)
    reply = EnterpriseReply(
        enterprise=enterprise,
        record_kind=record_kind,
        record_id=record_id,
        text=text,
        submitted_by=as_actor(actor).user,
    )
    REPLIES.move(reply, "submit", actor=actor, on=today())
    _forget(enterprise.uscc)
    return reply


@transaction.atomic
def hide_reply(reply: EnterpriseReply, *, actor: Any, reason: str) -> EnterpriseReply:
    return set_reply_status(reply, ReplyStatus.HIDDEN, actor=actor, reason=reason)


@transaction.atomic
def show_reply(reply: EnterpriseReply, *, actor: Any, reason: str) -> EnterpriseReply:
    return set_reply_status(reply, ReplyStatus.SHOWN, actor=actor, reason=reason)


@transaction.atomic
def set_reply_status(reply: EnterpriseReply, to: str, *, actor: Any, reason: str) -> EnterpriseReply:
    """Staff hide an abusive reply (or show it again), always with a reason."""
    if not (reason or "").strip():
        raise DomainError(gettext("须说明理由"), details=[field_error("reason", "required", gettext("必填"))])
    if to not in ReplyStatus.values:
        raise InvalidTransition(gettext("未知状态"))
    action = "hide" if to == ReplyStatus.HIDDEN else "show"
    r = REPLIES.lock(EnterpriseReply.objects.select_related("enterprise").get(pk=reply.pk))
    r.hidden_reason = reason if to == ReplyStatus.HIDDEN else ""
    REPLIES.move(r, action, actor=actor, on=today(), reason=reason)
    _forget(r.enterprise.uscc)
    return r


# --- rules -----------------------------------------------------------------------------


@transaction.atomic
def add_rule_version(
    *,
    key: str,
    province_code: str,
    value: Decimal,
    effective_from: dt.date,
    basis: str,
    assumed: bool = False,
    note: str = "",
    actor: Any,
) -> DisclosureRule:
    """A new version of a rule (never an edit of an old one)."""
    if key not in RuleKey.values:
        raise DomainError(gettext("未知规则"), details=[field_error("key", "invalid", gettext("未知规则"))])
    if province_code and not (
        len(province_code) == 6 and province_code.isdigit() and province_code.endswith("0000")
    ):
        raise DomainError(
            gettext("省级区划代码应为6位且以0000结尾"),
            details=[field_error("province_code", "invalid", gettext("省级区划代码"))],
        )
    if value < 0:
        raise DomainError(
            gettext("取值不能为负"), details=[field_error("value", "invalid", gettext("取值不能为负"))]
        )
    if DisclosureRule.objects.filter(
        key=key, province_code=province_code, effective_from=effective_from
    ).exists():
        raise Conflict(gettext("该日期已有此规则的版本"), code="duplicate_version")
    rule = DisclosureRule.objects.create(
        key=key,
        province_code=province_code,
        value=value,
        effective_from=effective_from,
        basis=basis,
        assumed=assumed,
        note=note,
        created_by=as_actor(actor).label,
    )
    audit.record("disclosure.rule.add", rule, actor=actor, after=audit.snapshot(rule))
    emit(
        EventType.DISCLOSURE_RULE_ADDED,
        region_code=province_code,
        data={
            "key": key,
            "province_code": province_code,
            "value": str(value),
            "effective_from": effective_from.isoformat(),
        },
    )
    transaction.on_commit(rules.invalidate)
    rules.invalidate()
    return rule
