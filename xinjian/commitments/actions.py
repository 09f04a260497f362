"""Every state change of the commitments (architecture rule 1): atomic, audited, with the
event where other parts of the platform react, and a history row per transition of a
verification. Transitions are a table; an illegal move raises."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import secrets
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.collection.models import CommitmentKind, CommitmentRecord
from xinjian.core import audit, workflow
from xinjian.core.actors import as_actor
from xinjian.core.errors import Conflict, DomainError, InvalidTransition, NotAllowed, field_error
from xinjian.core.events import EventType, emit
from xinjian.core.jurisdiction import region_prefix, user_region_prefix
from xinjian.core.workdays import add_working_days, today
from xinjian.registry.models import Department, Enterprise

from . import rules
from .models import (
    OPEN_STATUSES,
    PLATFORM_SOURCE,
    CommitmentTemplate,
    Consequence,
    ConsequenceKind,
    SelectionMethod,
    Verification,
    VerificationHistory,
    VerificationSample,
    VerificationStatus,
)

V = VerificationStatus

# action → (states it may start from, state it leads to)
VERIFICATION_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "select": ({""}, V.SELECTED),
    "assign": ({V.SELECTED, V.ASSIGNED}, V.ASSIGNED),
    "conclude_kept": ({V.ASSIGNED}, V.KEPT),
    "conclude_untrue": ({V.ASSIGNED}, V.UNTRUE),
    "cancel": ({V.SELECTED, V.ASSIGNED}, V.CANCELLED),
    "record_rectified": ({V.UNTRUE}, V.UNTRUE),
    "flag_overdue": ({V.UNTRUE}, V.UNTRUE),
    "repair": ({V.UNTRUE}, V.UNTRUE),
    "revoke_repair": ({V.UNTRUE}, V.UNTRUE),
}

_TEMPLATE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")


def _required(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(
            gettext("%(label)s不能为空") % {"label": label},
            code="required",
            details=[field_error(field, "required", "必填")],
        )
    return value


def _department_of(actor: Any) -> Department | None:
    profile = getattr(actor, "staff_profile", None) if not isinstance(actor, str) else None
    return getattr(profile, "department", None)


def _department_for(region_code: str) -> Department | None:
    for code in (region_code, region_code[:4] + "00", region_code[:2] + "0000"):
        dept = Department.objects.filter(division_id=code).first()
        if dept:
            return dept
    return None


def _forget_profile(uscc: str) -> None:
    """The public profile is cached (disclosure ADR 0033): drop it once the change commits."""
    from xinjian.disclosure.queries import forget_profile

    transaction.on_commit(lambda: forget_profile(uscc))


def _move(
    v: Verification, action: str, *, actor: Any, on: dt.date, reason: str = "", document_no: str = ""
) -> None:
    workflow.move(
        v,
        action,
        VERIFICATION_TRANSITIONS,
        actor=actor,
        on=on,
        history=VerificationHistory,
        link="verification",
        audit_action=f"commitments.verification.{action}",
        reason=reason,
        document_no=document_no,
    )


# --- templates (格式文本) ---------------------------------------------------------------


@transaction.atomic
def save_template(
    *,
    actor: Any,
    code: str,
    title: str,
    matter: str,
    kind: str,
    body: str,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
    region_code: str | None = None,
) -> CommitmentTemplate:
    """Issue a template, or a new version of one. The new version ends the version in
    force on its effective date; old versions stay (commitments were made on them)."""
    code = _required(code, "code", gettext("格式文本编号"))
    if not _TEMPLATE_CODE.match(code):
        raise DomainError(
            gettext("格式文本编号只能包含字母、数字、连字符和下划线（至多40位）"),
            code="invalid_code",
            details=[field_error("code", "invalid_code", "字母、数字、-、_")],
        )
    title = _required(title, "title", gettext("标题"))
    matter = _required(matter, "matter", gettext("承诺事项"))
    body = _required(body, "body", gettext("承诺正文"))
    if kind not in CommitmentKind.values:
        raise DomainError(
            gettext("承诺类型无效"),
            code="invalid_kind",
            details=[field_error("kind", "invalid_choice", kind)],
        )
    if effective_to is not None and effective_to <= effective_from:
        raise DomainError(
            gettext("失效日期应晚于生效日期"),
            code="invalid_period",
            details=[field_error("effective_to", "invalid_period", "应晚于生效日期")],
        )
    who = as_actor(actor)
    dept = _department_of(actor)
    if region_code is None:
        region_code = dept.division_id if dept is not None else ""
    current = CommitmentTemplate.objects.select_for_update().filter(code=code)
    latest = current.order_by("-version").first()
    if latest is not None and latest.effective_from >= effective_from:
        raise DomainError(
            gettext("新版本的生效日期应晚于第%(version)d版的生效日期（%(day)s）")
            % {"version": latest.version, "day": latest.effective_from},
            code="invalid_period",
            details=[field_error("effective_from", "invalid_period", "应晚于上一版本")],
        )
    version = (current.aggregate(m=Max("version"))["m"] or 0) + 1
    # The version(s) still running on the new effective date end that day.
    for old in current.filter(effective_from__lt=effective_from):
        if old.effective_to is None or old.effective_to > effective_from:
            before = audit.snapshot(old)
            old.effective_to = effective_from
            old.touch(who.label)
            old.save()
            audit.record(
                "commitments.template.supersede",
                old,
                actor=who,
                before=before,
                after=audit.snapshot(old),
                reason=f"由第{version}版替代",
            )
    template = CommitmentTemplate(
        code=code,
        version=version,
        title=title,
        matter=matter,
        kind=kind,
        body=body,
        region_code=region_code,
        issued_by=dept.name if dept is not None else who.label,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    template.touch(who.label)
    template.save()
    audit.record("commitments.template.issue", template, actor=who, after=audit.snapshot(template))
    return template


# --- voluntary public commitments ------------------------------------------------------


@transaction.atomic
def make_public_commitment(
    enterprise: Enterprise, template: CommitmentTemplate, *, actor: Any, on: dt.date | None = None
) -> CommitmentRecord:
    """An enterprise commits publicly on a standard-form template in force for its area
    (domain.md §6). Stored as a collected commitment whose source is the platform, so it
    is disclosed, verified and exchanged like every other commitment (ADR 0064)."""
    on = on or today()
    if not template.in_force_on(on) or not template.applies_to(enterprise.region_code):
        raise DomainError(
            gettext("该格式文本当前不适用于本企业"),
            code="template_not_in_force",
            details=[field_error("template", "template_not_in_force", template.code)],
        )
    if template.kind != CommitmentKind.PUBLIC:
        raise DomainError(
            gettext("该格式文本用于审批中的告知承诺，不能作为主动公开承诺"),
            code="template_not_public",
            details=[field_error("template", "template_not_public", template.code)],
        )
    if CommitmentRecord.objects.filter(
        enterprise=enterprise,
        source=PLATFORM_SOURCE,
        template_code=template.code,
        archived_at__isnull=True,
        committed_on__gte=template.effective_from,
    ).exists():
        raise Conflict(gettext("本企业已就该格式文本作出承诺"), code="already_committed")
    who = as_actor(actor)
    record = CommitmentRecord(
        enterprise=enterprise,
        uscc=enterprise.uscc,
        source=PLATFORM_SOURCE,
        source_id=f"pub-{uuid.uuid4().hex[:20]}",
        received_at=timezone.now(),
        kind=CommitmentKind.PUBLIC,
        matter=template.matter,
        committed_on=on,
        content=template.body,
        template_code=template.code,
        application_no=f"{template.code}/v{template.version}",
    )
    record.touch(who.label)
    record.save()
    audit.record(
        "commitments.commitment.make_public",
        record,
        actor=who,
        after=audit.snapshot(record),
        uscc=enterprise.uscc,
    )
    emit(
        EventType.COMMITMENT_RECORDED,
        uscc=enterprise.uscc,
        region_code=enterprise.region_code,
        data=audit.jsonable(
            {
                "id": record.pk,
                "source": record.source,
                "source_id": record.source_id,
                "batch_id": None,
                "kind": record.kind,
                "matter": record.matter,
                "committed_on": record.committed_on,
                "template_code": template.code,
                "template_version": template.version,
            }
        ),
    )
    _forget_profile(enterprise.uscc)
    return record


# --- selection ---------------------------------------------------------------------------


def _select(
    commitment: CommitmentRecord,
    *,
    actor: Any,
    on: dt.date,
    reason: str,
    method: str,
    sample: VerificationSample | None = None,
) -> Verification:
    if commitment.enterprise_id is None:
        raise DomainError(gettext("该承诺尚未关联到登记主体，不能核查"), code="pending_enterprise")
    if commitment.archived_at is not None:
        raise DomainError(gettext("该承诺已归档，不能核查"), code="archived")
    if Verification.objects.filter(commitment=commitment, status__in=OPEN_STATUSES).exists():
        raise Conflict(gettext("该承诺已在核查中"), code="already_selected")
    enterprise = commitment.enterprise
    assert enterprise is not None
    v = Verification(
        commitment=commitment,
        enterprise=enterprise,
        kind=commitment.kind,
        method=method,
        sample=sample,
        department=_department_of(actor) or _department_for(enterprise.region_code),
        selected_on=on,
        reason=reason,
    )
    _move(v, "select", actor=actor, on=on, reason=reason)
    return v


@transaction.atomic
def select_for_verification(
    commitment: CommitmentRecord, *, actor: Any, reason: str = "", on: dt.date | None = None
) -> Verification:
    """Select one commitment for verification by hand."""
    return _select(
        commitment,
        actor=actor,
        on=on or today(),
        reason=_required(reason, "reason", gettext("选定理由")),
        method=SelectionMethod.MANUAL,
    )


def rank_key(seed: str, commitment_id: int) -> str:
    """hash-rank-v1, as for double-random draws (interfaces.md): anyone holding the seed
    and the population can recompute the sample."""
    return hashlib.sha256(f"{seed}:{commitment_id}".encode()).hexdigest()


@transaction.atomic
def draw_sample(
    *,
    actor: Any,
    period_from: dt.date,
    period_to: dt.date,
    percent: Any,
    kind: str = CommitmentKind.NOTIFICATION,
    seed: str = "",
    region_code: str | None = None,
    on: dt.date | None = None,
) -> VerificationSample:
    """Select `percent`% of the commitments of `kind` made in the period in the actor's
    jurisdiction (or `region_code` inside it), at random with a recorded seed."""
    on = on or today()
    try:
        pct = Decimal(str(percent))
    except (InvalidOperation, ValueError):
        pct = Decimal("-1")
    if not pct.is_finite() or pct <= 0 or pct > 100:
        raise DomainError(
            gettext("抽取比例应大于0且不超过100"),
            code="invalid_percent",
            details=[field_error("percent", "invalid_percent", "0 < 比例 ≤ 100")],
        )
    if period_to < period_from:
        raise DomainError(
            gettext("承诺日期范围无效"),
            code="invalid_period",
            details=[field_error("period_to", "invalid_period", "应不早于起始日期")],
        )
    if kind not in CommitmentKind.values:
        raise DomainError(
            gettext("承诺类型无效"),
            code="invalid_kind",
            details=[field_error("kind", "invalid_choice", kind)],
        )
    # A person samples inside their jurisdiction; a command (system actor) names the region.
    user = as_actor(actor).user
    own = user_region_prefix(user) if user is not None else ""
    if own is None:
        raise NotAllowed(gettext("仅限市场监管部门工作人员"))
    prefix = own
    if region_code:
        try:
            wanted = region_prefix(region_code)
        except ValueError:
            raise DomainError(
                gettext("区划代码无效"),
                code="invalid_region",
                details=[field_error("region", "invalid_region", region_code)],
            )
        if not wanted.startswith(own):
            raise NotAllowed(gettext("只能在本辖区内抽取"))
        prefix = wanted
    seed = (seed or "").strip() or secrets.token_hex(16)
    if len(seed) > 64:
        raise DomainError(
            gettext("随机种子至多64个字符"),
            code="invalid_seed",
            details=[field_error("seed", "too_long", "≤64")],
        )
    open_ids = Verification.objects.filter(status__in=OPEN_STATUSES).values("commitment_id")
    candidates = list(
        CommitmentRecord.objects.filter(
            kind=kind,
            enterprise__isnull=False,
            enterprise__region_code__startswith=prefix,
            committed_on__gte=period_from,
            committed_on__lte=period_to,
            archived_at__isnull=True,
        )
        .exclude(id__in=open_ids)
        .values_list("id", flat=True)
    )
    if not candidates:
        raise DomainError(gettext("所选范围内没有可抽取的承诺"), code="empty_population")
    digest = hashlib.sha256("\n".join(str(i) for i in sorted(candidates)).encode()).hexdigest()
    n = math.ceil(pct * len(candidates) / 100)
    chosen = sorted(candidates, key=lambda i: rank_key(seed, i))[:n]
    who = as_actor(actor)
    sample = VerificationSample(
        department=_department_of(actor),
        region_prefix=prefix,
        kind=kind,
        period_from=period_from,
        period_to=period_to,
        percent=pct,
        seed=seed,
        population=len(candidates),
        population_digest=digest,
        selected=len(chosen),
        drawn_at=timezone.now(),
    )
    sample.touch(who.label)
    sample.save()
    audit.record("commitments.sample.draw", sample, actor=who, after=audit.snapshot(sample))
    reason = f"随机抽取（{pct.normalize()}%，种子 {seed}）"
    for c in CommitmentRecord.objects.filter(id__in=chosen).select_related("enterprise").order_by("id"):
        _select(c, actor=actor, on=on, reason=reason, method=SelectionMethod.SAMPLE, sample=sample)
    return sample


# --- the verification itself -------------------------------------------------------------


@transaction.atomic
def assign(
    v: Verification, *, actor: Any, assignee: Any, on: dt.date | None = None, reason: str = ""
) -> Verification:
    """Give the verification to a staff member whose jurisdiction covers the enterprise."""
    prefix = user_region_prefix(assignee)
    if prefix is None or not v.enterprise.region_code.startswith(prefix):
        raise DomainError(
            gettext("核查人员须为辖区覆盖该企业的工作人员"),
            code="invalid_assignee",
            details=[field_error("assignee", "invalid_assignee", "辖区不覆盖该企业")],
        )
    on = on or today()
    v.assignee = assignee
    v.assigned_on = on
    _move(v, "assign", actor=actor, on=on, reason=reason or f"分派给 {assignee.get_username()}")
    return v


@transaction.atomic
def conclude_kept(
    v: Verification,
    *,
    actor: Any,
    facts: str,
    documents: str = "",
    finding_no: str = "",
    on: dt.date | None = None,
) -> Verification:
    on = on or today()
    v.facts = _required(facts, "facts", gettext("核查事实"))
    v.documents = documents.strip()
    v.finding_no = finding_no.strip()
    v.concluded_on = on
    _move(v, "conclude_kept", actor=actor, on=on, reason=v.facts, document_no=v.finding_no)
    return v


def _consequence_rows(consequences: list[dict[str, Any]], on: dt.date, region_code: str) -> list[Consequence]:
    if not consequences:
        raise DomainError(
            gettext("承诺不实应至少采取一项处理措施"),
            code="consequence_required",
            details=[field_error("consequences", "required", "至少一项")],
        )
    seen: set[str] = set()
    rows = []
    for i, c in enumerate(consequences):
        kind = str(c.get("kind", ""))
        if kind not in ConsequenceKind.values:
            raise DomainError(
                gettext("处理措施无效"),
                code="invalid_consequence",
                details=[field_error(f"consequences.{i}.kind", "invalid_choice", kind)],
            )
        if kind in seen:
            raise DomainError(
                gettext("同一处理措施只能选择一次"),
                code="duplicate_consequence",
                details=[field_error(f"consequences.{i}.kind", "duplicate", kind)],
            )
        seen.add(kind)
        decision_no = str(c.get("decision_no") or "").strip()
        # A penalty is decided in the enforcement procedure and a decision is revoked by a
        # decision: the finding references that document (domain.md §6).
        if kind in (ConsequenceKind.PENALTY, ConsequenceKind.REVOKE_DECISION) and not decision_no:
            label = (
                gettext("行政处罚决定书文号")
                if kind == ConsequenceKind.PENALTY
                else gettext("撤销决定书文号")
            )
            raise DomainError(
                gettext("%(label)s不能为空") % {"label": label},
                code="decision_no_required",
                details=[field_error(f"consequences.{i}.decision_no", "required", label)],
            )
        row = Consequence(kind=kind, decision_no=decision_no[:100], note=str(c.get("note") or "").strip())
        if kind == ConsequenceKind.RECTIFY:
            raw = c.get("working_days")
            if raw in (None, ""):
                days = rules.rules_on(on, region_code).rectification_working_days
            else:
                try:
                    days = int(raw)
                except (TypeError, ValueError):
                    days = 0
            if not 1 <= days <= 250:
                raise DomainError(
                    gettext("整改期限应为1至250个工作日"),
                    code="invalid_working_days",
                    details=[field_error(f"consequences.{i}.working_days", "invalid", "1–250")],
                )
            row.working_days = days
            row.start_on = on
            row.due_on = add_working_days(on, days).due
        rows.append(row)
    return rows


@transaction.atomic
def conclude_untrue(
    v: Verification,
    *,
    actor: Any,
    facts: str,
    consequences: list[dict[str, Any]],
    documents: str = "",
    finding_no: str = "",
    on: dt.date | None = None,
) -> Verification:
    """The commitment was untrue (承诺不实): record the facts and one or more
    consequences; the finding enters the credit record and is published the same day
    (domain.md §6), and `commitment.untrue` goes out in this transaction."""
    on = on or today()
    facts = _required(facts, "facts", gettext("核查事实"))
    rows = _consequence_rows(consequences, on, v.enterprise.region_code)
    v.facts = facts
    v.documents = documents.strip()
    v.finding_no = finding_no.strip()
    v.concluded_on = on
    v.published_on = on
    _move(v, "conclude_untrue", actor=actor, on=on, reason=facts, document_no=v.finding_no)
    for row in rows:
        row.verification = v
        row.save()
    e = v.enterprise
    c = v.commitment
    emit(
        EventType.COMMITMENT_UNTRUE,
        uscc=e.uscc,
        region_code=e.region_code,
        data=audit.jsonable(
            {
                "verification_id": v.pk,
                "commitment_id": c.pk,
                "commitment_kind": c.kind,
                "source": c.source,
                "source_id": c.source_id,
                "matter": c.matter,
                "application_no": c.application_no,
                "concluded_on": on,
                "finding_no": v.finding_no,
                "consequences": [
                    {"kind": r.kind, "decision_no": r.decision_no, "due_on": r.due_on} for r in rows
                ],
            }
        ),
    )
    _forget_profile(e.uscc)
    return v


@transaction.atomic
def cancel(v: Verification, *, actor: Any, reason: str, on: dt.date | None = None) -> Verification:
    _move(v, "cancel", actor=actor, on=on or today(), reason=_required(reason, "reason", gettext("撤销理由")))
    return v


@transaction.atomic
def record_rectified(
    consequence: Consequence, *, actor: Any, on: dt.date | None = None, reason: str = ""
) -> Consequence:
    """The enterprise rectified as ordered (责令限期整改 fulfilled)."""
    on = on or today()
    if consequence.kind != ConsequenceKind.RECTIFY:
        raise DomainError(gettext("该处理措施不是责令限期整改"), code="not_rectification")
    if consequence.rectified_on is not None:
        raise Conflict(gettext("已登记整改完成"), code="already_rectified")
    v = consequence.verification
    consequence.rectified_on = on
    consequence.save()
    late = consequence.due_on is not None and on > consequence.due_on
    _move(
        v,
        "record_rectified",
        actor=actor,
        on=on,
        reason=reason or ("逾期后整改完成" if late else "按期整改完成"),
    )
    _forget_profile(v.enterprise.uscc)
    return consequence


@transaction.atomic
def flag_overdue(consequence: Consequence, *, actor: Any, on: dt.date) -> Consequence:
    """The rectification deadline passed without rectification (run by the clock)."""
    if consequence.kind != ConsequenceKind.RECTIFY or consequence.rectified_on is not None:
        raise DomainError(gettext("该处理措施无需标记逾期"), code="not_overdue")
    if consequence.due_on is None or on <= consequence.due_on:
        raise DomainError(gettext("整改期限尚未届满"), code="not_overdue")
    if consequence.overdue_on is not None:
        raise Conflict(gettext("已标记逾期"), code="already_flagged")
    consequence.overdue_on = on
    consequence.save()
    dl = consequence.deadline()
    _move(
        consequence.verification,
        "flag_overdue",
        actor=actor,
        on=on,
        reason=f"逾期未整改：{dl.explain() if dl else consequence.due_on}",
    )
    return consequence


@transaction.atomic
def mark_repaired(
    verification: Verification, *, actor: Any, repair_ref: str, on: dt.date | None = None
) -> Verification:
    """Credit repair of kind `untrue_commitment` was approved (called by the repair work,
    which emits `repair.approved` itself): the finding shows 已修复 and no longer bars
    notification-and-commitment (domain.md §6, §12)."""
    repair_ref = _required(repair_ref, "repair_ref", gettext("信用修复决定编号"))
    if verification.status != V.UNTRUE:
        raise InvalidTransition(gettext("只有承诺不实的核查结论可以信用修复"), code="invalid_transition")
    if verification.repaired_on is not None:
        raise Conflict(gettext("该核查结论已修复"), code="already_repaired")
    on = on or today()
    verification.repaired_on = on
    verification.repair_ref = repair_ref[:100]
    _move(verification, "repair", actor=actor, on=on, reason="信用修复", document_no=verification.repair_ref)
    _forget_profile(verification.enterprise.uscc)
    return verification


@transaction.atomic
def revoke_repair(
    verification: Verification, *, actor: Any, decision_no: str, reason: str, on: dt.date | None = None
) -> Verification:
    """The repair was obtained by fraud and revoked (domain.md §12: "the record restored"):
    the finding is unrepaired again, so it bars notification-and-commitment once more. The
    repair work calls this and emits `repair.revoked` itself; the history keeps both moves."""
    decision_no = _required(decision_no, "decision_no", gettext("撤销决定书编号"))
    if verification.repaired_on is None:
        raise Conflict(gettext("该核查结论未修复，无需恢复"), code="not_repaired")
    on = on or today()
    previous = verification.repair_ref
    verification.repaired_on = None
    verification.repair_ref = ""
    _move(
        verification,
        "revoke_repair",
        actor=actor,
        on=on,
        reason=f"撤销信用修复（{previous}）：{reason}".strip(),
        document_no=decision_no[:100],
    )
    _forget_profile(verification.enterprise.uscc)
    return verification
