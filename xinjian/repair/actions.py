"""Every state change of a credit-repair application (architecture rule 1): atomic,
audited, evented, with a history row per transition. The transition table is below; an
illegal move raises. The effects on the records go through the lists and disclosure
actions (`remove_anomaly`, `remove_serious_early`, `stop_publication`, and on revocation
`resume_publication` / `list_anomaly` / `propose_serious`), never around them.

Workflow (domain.md §12): submitted → accepted | rejected (2 working days) → verified
(on-site, when the stricter path requires it) → approved | refused (15 working days) →
done: publication updated (3 working days after approval). An approved repair obtained by
fraud is revoked and the record restored.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from xinjian.collection.models import Penalty
from xinjian.commitments.actions import mark_repaired, revoke_repair
from xinjian.commitments.models import Verification
from xinjian.core import audit, deadlines
from xinjian.core.actors import as_actor
from xinjian.core.errors import Conflict, DomainError, InvalidTransition, NotAllowed, field_error
from xinjian.core.events import EventType, emit
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.text import between as text_between
from xinjian.core.text import clean as clean_text
from xinjian.core.workdays import today
from xinjian.core.workflow import Field, Transition, Workflow
from xinjian.disclosure.actions import resume_publication, stop_publication
from xinjian.lists import actions as lists
from xinjian.lists.models import (
    CEASING_REASONS,
    AnomalyListing,
    AnomalyStatus,
    RemovalReason,
    SeriousListing,
    SeriousStatus,
)
from xinjian.registry.departments import covering_divisions, department_for
from xinjian.registry.models import Department, Enterprise

from . import documents as docs
from . import eligibility, rules
from .models import TARGET_FIELD, OverdueStage, RepairApplication, RepairHistory, RepairKind, RepairStatus

R = RepairStatus

T, E = Transition, EventType
_OPEN = {R.SUBMITTED, R.ACCEPTED, R.VERIFIED, R.APPROVED}


def _payload(app: RepairApplication) -> dict[str, Any]:
    return {"kind": app.kind, "target_id": app.target_id, "application_id": app.pk, "number": app.number}


def decides(app: RepairApplication, user: Any) -> bool:
    """Does `user` act for the department that made the original decision (§12)? A
    superuser does; an application with no deciding department is anyone's with the
    permission. The pages show a step only to those who can complete it."""
    if getattr(user, "is_superuser", False) or app.department_id is None:
        return True
    mine = getattr(getattr(user, "staff_profile", None), "department", None)
    return mine is not None and mine.pk == app.department_id


# action → (states it may start from, state it leads to; None = stays), who may take it
# (pages show the buttons by the same table) and what it reports.
REPAIR = Workflow(
    "repair.application",
    RepairApplication,
    {
        "submit": T({""}, R.SUBMITTED, _l("提交申请"), event=E.REPAIR_SUBMITTED),
        "accept": T(
            {R.SUBMITTED},
            R.ACCEPTED,
            _l("受理"),
            perm=Perm.MANAGE_REPAIR,
            event=E.REPAIR_ACCEPTED,
            handler="accept",
            guard=decides,
            done=_l("已受理"),
        ),
        "reject": T(
            {R.SUBMITTED},
            R.REJECTED,
            _l("不予受理"),
            perm=Perm.MANAGE_REPAIR,
            event=E.REPAIR_REJECTED,
            handler="reject",
            guard=decides,
            fields=(Field("reasons", _l("不予受理的理由")),),
            done=_l("已决定不予受理"),
        ),
        "verify": T(
            {R.ACCEPTED},
            R.VERIFIED,
            _l("登记现场核查"),
            perm=Perm.MANAGE_REPAIR,
            event=E.REPAIR_VERIFIED,
            handler="verify",
            guard=decides,
            fields=(Field("note", _l("现场核查情况")),),
            done=_l("已登记现场核查"),
        ),
        # The approver's one step: the decision and everything it implies (publication
        # stopped, the listing removed, the finding repaired) in one transaction, or
        # nothing (`approve(update_now=True)`).
        "approve": T(
            {R.ACCEPTED, R.VERIFIED},
            R.APPROVED,
            _l("准予修复"),
            perm=Perm.APPROVE,
            event=E.REPAIR_APPROVED,
            custom_event=True,
            handler="approve",
            guard=decides,
            fields=(
                Field("decision_no", _l("信用修复决定书编号")),
                Field(
                    "confirmed",
                    _l("已审查证明材料，核实当事人已履行义务、消除不良影响"),
                    required=False,
                    kind="checkbox",
                ),
            ),
            kwargs={"update_now": True},
            done=_l("已准予修复并更新公示"),
        ),
        "refuse": T(
            {R.ACCEPTED, R.VERIFIED},
            R.REFUSED,
            _l("不予修复"),
            perm=Perm.APPROVE,
            event=E.REPAIR_REFUSED,
            handler="refuse",
            guard=decides,
            fields=(Field("reasons", _l("不予修复的理由")),),
            done=_l("已决定不予修复"),
        ),
        "update_publication": T(
            {R.APPROVED},
            R.DONE,
            _l("更新公示"),
            perm=Perm.MANAGE_REPAIR,
            event=E.REPAIR_DONE,
            handler="update_publication",
            guard=decides,
            done=_l("已更新公示"),
        ),
        "revoke": T(
            {R.APPROVED, R.DONE},
            R.REVOKED,
            _l("撤销修复并恢复原记录"),
            perm=Perm.APPROVE,
            event=E.REPAIR_REVOKED,
            custom_event=True,
            handler="revoke",
            guard=decides,
            fields=(Field("reason", _l("撤销理由")), Field("decision_no", _l("撤销决定书编号"))),
            done=_l("已撤销修复并恢复原记录"),
        ),
        "flag_overdue": T(_OPEN, None, _l("逾期提醒"), event=E.REPAIR_OVERDUE),
    },
    history=RepairHistory,
    link="application",
    audit_prefix="repair",
    actions_module="xinjian.repair.actions",
    detail_url="repair:detail",
    payload=_payload,
)
TRANSITIONS = REPAIR.transitions
STEP_PERMISSION: dict[str, Perm] = {a: t.perm for a, t in TRANSITIONS.items() if isinstance(t.perm, Perm)}


def _move(
    app: RepairApplication,
    action: str,
    *,
    actor: Any,
    on: dt.date,
    reason: str = "",
    document_no: str = "",
) -> None:
    def awaited_step_changed(before: str, after: str) -> None:
        # An overdue mark of the previous step no longer applies.
        app.overdue_stage, app.overdue_since = "", None

    REPAIR.move(
        app,
        action,
        actor=actor,
        on=on,
        reason=reason,
        document_no=document_no,
        on_change=awaited_step_changed,
    )


def _authorise(app: RepairApplication, actor: Any, step: str) -> None:
    """A person needs the step's permission and must act for the department that made
    the original decision (domain.md §12). System actors (clocks, commands) are trusted."""

    if not getattr(actor, "is_authenticated", False):
        return
    if not has_perm(actor, STEP_PERMISSION[step]):
        raise NotAllowed(_("没有执行此操作的权限"))
    if not decides(app, actor):
        raise NotAllowed(
            _("信用修复由作出原决定的%s办理") % app.department.name,  # type: ignore[union-attr]
            code="wrong_department",
        )


def deciding_department(kind: str, target: Any) -> Department | None:
    """§12: the department that made the original decision. Listings carry it; a
    penalty names its authority in `decided_by`, matched to the most local department
    of the enterprise's county, city or province whose name it contains."""
    if kind in (RepairKind.ANOMALY, RepairKind.SERIOUS, RepairKind.UNTRUE_COMMITMENT):
        return target.department or department_for(target.enterprise.region_code)
    region = target.enterprise.region_code
    codes = covering_divisions(region)
    by_code = {d.division_id: d for d in Department.objects.filter(division_id__in=codes)}
    for code in codes:
        d = by_code.get(code)
        if d is not None and (d.name == target.decided_by or d.name in target.decided_by):
            return d
    return department_for(region)


def _event(type: str, app: RepairApplication, on: dt.date, **data: Any) -> None:
    e = app.enterprise
    payload = {
        # ADR 0063/0065: `kind` and the target id let subscribers and the constraints
        # endpoint tell what was repaired.
        "kind": app.kind,
        "target_id": app.target_id,
        "application_id": app.pk,
        "number": app.number,
        "decision_no": app.decision_no,
        "department": app.department.name if app.department else "",
        "on": on.isoformat(),
        **data,
    }
    if app.kind == RepairKind.PENALTY_PUBLICATION:
        payload["penalty_id"] = app.penalty_id
        payload["penalty_decision_no"] = app.penalty.decision_no  # type: ignore[union-attr]
    elif app.kind == RepairKind.UNTRUE_COMMITMENT:
        payload["verification_id"] = app.verification_id
    else:
        payload["list"] = "anomaly" if app.kind == RepairKind.ANOMALY else "serious"
        payload["listing_id"] = app.target_id
    emit(type, uscc=e.uscc, region_code=e.region_code, data=audit.jsonable(payload))


def target_of(enterprise: Enterprise, kind: str, target_id: int) -> Any:
    """The enterprise's own record of that kind, or a field error."""

    model: Any = {
        RepairKind.ANOMALY: AnomalyListing,
        RepairKind.PENALTY_PUBLICATION: Penalty,
        RepairKind.SERIOUS: SeriousListing,
        RepairKind.UNTRUE_COMMITMENT: Verification,
    }.get(kind)  # type: ignore[call-overload]
    if model is None:
        raise DomainError(_("修复类型无效"), details=[field_error("kind", "invalid", _("修复类型无效"))])
    target = model.objects.select_related("enterprise").filter(pk=target_id, enterprise=enterprise).first()
    if target is None:
        raise DomainError(
            _("只能对本企业的记录申请信用修复"),
            code="not_own_record",
            details=[field_error("target", "not_found", _("本企业名下没有该记录"))],
        )
    return target


@transaction.atomic
def apply(
    enterprise: Enterprise,
    *,
    actor: Any,
    kind: str,
    target_id: int,
    application_text: str,
    proof_description: str,
    commitment_confirmed: bool,
    uploads: list[Any] | None = None,
    on: dt.date | None = None,
) -> RepairApplication:
    """An enterprise applies for repair of one of its own records (§12). The materials
    are the application, the integrity commitment (the standard text, confirmed) and the
    proof of fulfilment (described, with uploaded documents)."""
    on = on or today()
    target = target_of(enterprise, kind, target_id)
    text = text_between(application_text, "application_text", _("申请事由"), 10, 4000)
    proof = text_between(proof_description, "proof_description", _("证明材料说明"), 5, 4000)
    if not commitment_confirmed:
        raise DomainError(
            _("须确认守信承诺书"),
            code="commitment_required",
            details=[field_error("commitment_confirmed", "required", _("须确认守信承诺书"))],
        )
    busy = RepairApplication.objects.filter(
        **{TARGET_FIELD[kind]: target},
        status__in=[R.SUBMITTED, R.ACCEPTED, R.VERIFIED, R.APPROVED, R.DONE],
    ).first()
    if busy is not None:
        raise Conflict(_("该记录已有信用修复申请（%s）") % busy.number, code="already_applied")
    check = eligibility.check(kind, target, on)
    if not check.eligible:
        raise DomainError(
            _("不符合信用修复条件：%s") % "；".join(c.detail for c in check.failed),
            code="not_eligible",
            details=[field_error(c.code, "not_met", c.detail) for c in check.failed],
        )
    r = rules.rules_on(on, enterprise.region_code)
    who = as_actor(actor)
    app = RepairApplication(
        enterprise=enterprise,
        number=f"tmp-{uuid.uuid4().hex}",
        kind=kind,
        department=deciding_department(kind, target),
        application_text=text,
        commitment_text=rules.STANDARD_COMMITMENT,
        commitment_confirmed_at=timezone.now(),
        proof_description=proof,
        submitted_by=who.label,
        strict=check.strict,
        onsite_required=check.onsite_required,
        eligibility=check.as_json(),
        rules_version_id=check.rules_version_id,
        submitted_on=on,
    )
    # §12 (assumed): accept or reject within 2 working days (repair.deadlines).
    deadlines.refresh(app, "accept_due")
    setattr(app, TARGET_FIELD[kind], target)
    app.save()
    app.number = f"XF{on.year}{app.pk:06d}"
    _move(app, "submit", actor=actor, on=on, reason=text)
    docs.store_all(app, list(uploads or []), actor=actor, max_mb=r.max_document_mb)
    return app


@transaction.atomic
def add_document(app: RepairApplication, upload: Any, *, actor: Any) -> Any:
    """More proof while the application is open."""
    if app.status not in (R.SUBMITTED, R.ACCEPTED, R.VERIFIED):
        raise InvalidTransition(_("申请已办结，不能再补充材料"))
    r = rules.rules_on(app.submitted_on, app.enterprise.region_code)
    doc = docs.store(app, upload, actor=actor, max_mb=r.max_document_mb)
    _event(EventType.REPAIR_DOCUMENT_ADDED, app, today(), document_id=doc.pk)
    return doc


@transaction.atomic
def accept(app: RepairApplication, *, actor: Any, on: dt.date | None = None) -> RepairApplication:
    on = on or today()
    _authorise(app, actor, "accept")
    app.accepted_on = on
    # §12 (assumed): decided within 15 working days of acceptance (repair.deadlines).
    deadlines.refresh(app, "decide_due")
    _move(app, "accept", actor=actor, on=on)
    return app


def _reasons(reasons: str, field: str = "reasons") -> str:
    reasons = clean_text(reasons, field)
    if not reasons:
        raise DomainError(
            _("须说明理由"), code="reason_required", details=[field_error("reasons", "required", _("必填"))]
        )
    return reasons


@transaction.atomic
def reject(
    app: RepairApplication, *, actor: Any, reasons: str, on: dt.date | None = None
) -> RepairApplication:
    """Not accepted (materials incomplete, not the department's matter…), with reasons."""
    on = on or today()
    _authorise(app, actor, "reject")
    app.reasons = _reasons(reasons)
    _move(app, "reject", actor=actor, on=on, reason=app.reasons)
    return app


@transaction.atomic
def verify(app: RepairApplication, *, actor: Any, note: str, on: dt.date | None = None) -> RepairApplication:
    """The on-site verification (§12: required on the stricter path) and its findings."""
    on = on or today()
    _authorise(app, actor, "verify")
    note = clean_text(note, "note")
    if not note:
        raise DomainError(_("须填写现场核查情况"), details=[field_error("note", "required", _("必填"))])
    app.verified_on, app.verification_note = on, note
    _move(app, "verify", actor=actor, on=on, reason=note)
    return app


@transaction.atomic
def approve(
    app: RepairApplication,
    *,
    actor: Any,
    decision_no: str,
    confirmed: bool,
    on: dt.date | None = None,
    update_now: bool = False,
) -> RepairApplication:
    """Repair granted. The conditions are checked again on the decision day; those that
    rest on the materials (obligations fulfilled, harm eliminated) must be confirmed by
    the decider. Emits `repair.approved`; the records change in `update_publication` —
    at once, in the same transaction and on the approver's authority, with `update_now`
    (the page's 准予修复: an approval that does everything it implies, or nothing)."""
    on = on or today()
    _authorise(app, actor, "approve")
    decision_no = clean_text(decision_no, "decision_no", limit=100)
    if not decision_no:
        raise DomainError(
            _("须填写信用修复决定书编号"),
            code="decision_no_required",
            details=[field_error("decision_no", "required", _("必填"))],
        )
    if app.onsite_required and app.status != R.VERIFIED:
        raise InvalidTransition(_("从严审查的申请须先完成现场核查"), code="onsite_required")
    check = eligibility.check(app.kind, app.target, on, exclude=app.pk)
    if not check.eligible:
        raise DomainError(
            _("决定日不符合信用修复条件：%s") % "；".join(c.detail for c in check.failed),
            code="not_eligible",
            details=[field_error(c.code, "not_met", c.detail) for c in check.failed],
        )
    if any(c.state == eligibility.TO_VERIFY for c in check.conditions) and not confirmed:
        raise DomainError(
            _("须确认已核实履行义务、消除不良影响等待核实事项"),
            code="confirmation_required",
            details=[field_error("confirmed", "required", _("须确认"))],
        )
    app.decided_on, app.decision_no, app.decided_by = on, decision_no, as_actor(actor).label
    # §12 (assumed): publication updated within 3 working days after approval (repair.deadlines).
    deadlines.refresh(app, "publication_due")
    _move(app, "approve", actor=actor, on=on, document_no=decision_no)
    _event(
        EventType.REPAIR_APPROVED,
        app,
        on,
        publication_due=app.publication_due,
        publication_due_provisional=deadlines.provisional(app, "publication_due"),
    )
    if update_now:
        # The decision carries the publication change: the approver needs no separate
        # permission to update the publication their own decision orders.
        _update_publication(app, actor=actor, on=on)
    return app


@transaction.atomic
def refuse(
    app: RepairApplication, *, actor: Any, reasons: str, on: dt.date | None = None
) -> RepairApplication:
    """§12: refusals state reasons."""
    on = on or today()
    _authorise(app, actor, "refuse")
    app.reasons = _reasons(reasons)
    app.decided_on, app.decided_by = on, as_actor(actor).label
    _move(app, "refuse", actor=actor, on=on, reason=app.reasons)
    return app


def _ceasing_reason(listing: Any) -> str:
    """The circumstance that ended the anomaly ground (Anomaly Measures arts. 11–13)."""

    if listing.ground == "unreachable":
        changed = listing.address_at_listing and listing.enterprise.address != listing.address_at_listing
        return RemovalReason.ADDRESS_CHANGED if changed else RemovalReason.REACHABLE
    found = CEASING_REASONS.get(listing.ground)
    return found[0] if found else RemovalReason.OTHER


@transaction.atomic
def update_publication(app: RepairApplication, *, actor: Any, on: dt.date | None = None) -> RepairApplication:
    """§12: after repair, publication stops and measures lift — through the lists and
    disclosure actions. A record that has left publication meanwhile (expiry, a removal
    by the lists clocks) is noted, not touched again."""

    on = on or today()
    _authorise(app, actor, "update_publication")
    return _update_publication(app, actor=actor, on=on)


def _update_publication(app: RepairApplication, *, actor: Any, on: dt.date) -> RepairApplication:
    why = _("信用修复（%(no)s，申请%(number)s）") % {"no": app.decision_no, "number": app.number}
    note = ""
    if app.kind == RepairKind.PENALTY_PUBLICATION:
        penalty = app.penalty
        assert penalty is not None
        if penalty.publication_stopped_on is None:
            stop_publication(penalty, actor=actor, reason=why, on=on)
        else:
            note = _("该处罚信息已于%s停止公示") % penalty.publication_stopped_on
    elif app.kind == RepairKind.SERIOUS:
        serious = app.serious
        assert serious is not None
        if serious.status == SeriousStatus.PUBLISHED:
            lists.remove_serious_early(serious, actor=actor, on=on, reference=app.decision_no, reason=why)
        else:
            note = _("该名单记录当前状态为“%s”，无需移出") % serious.get_status_display()
    elif app.kind == RepairKind.UNTRUE_COMMITMENT:
        verification = app.verification
        assert verification is not None
        if verification.repaired_on is None:
            mark_repaired(verification, actor=actor, repair_ref=app.decision_no, on=on)
        else:
            note = _("该核查结论已于%s修复") % verification.repaired_on
    else:
        anomaly = app.anomaly
        assert anomaly is not None
        if anomaly.status == AnomalyStatus.LISTED:
            if not anomaly.ground_ceased_on:
                lists.note_ground_ceased(anomaly, actor=actor, reason=_ceasing_reason(anomaly), on=on)
            lists.remove_anomaly(
                anomaly, actor=actor, reason=RemovalReason.CREDIT_REPAIR, on=on, decision_no=app.decision_no
            )
        else:
            note = _("该名单记录当前状态为“%s”，无需移出") % anomaly.get_status_display()
    app.publication_updated_on = on
    _move(app, "update_publication", actor=actor, on=on, reason=note or why, document_no=app.decision_no)
    return app


@transaction.atomic
def revoke(
    app: RepairApplication, *, actor: Any, reason: str, decision_no: str, on: dt.date | None = None
) -> RepairApplication:
    """Repair obtained by fraud is revoked and the record restored (§12): the penalty is
    published again (`resume_publication`); an anomaly listing is made again under the
    revocation decision (`list_anomaly`); the lists have no action that restores a serious
    listing, so a new listing procedure is started (`propose_serious`) and the history
    says so. Emits `repair.revoked`."""

    on = on or today()
    _authorise(app, actor, "revoke")
    reason = _reasons(reason, "reason")
    decision_no = clean_text(decision_no, "decision_no", limit=100)
    if not decision_no:
        raise DomainError(
            _("须填写撤销决定书编号"),
            code="decision_no_required",
            details=[field_error("decision_no", "required", _("必填"))],
        )
    applied = app.status == R.DONE
    restored = _("修复尚未生效，无需恢复") if not applied else ""
    facts = _("信用修复决定%(no)s因%(reason)s被撤销（%(rno)s），恢复原记录") % {
        "no": app.decision_no,
        "reason": reason,
        "rno": decision_no,
    }
    if applied and app.kind == RepairKind.PENALTY_PUBLICATION:
        penalty = app.penalty
        assert penalty is not None
        if penalty.publication_stopped_on is not None:
            resume_publication(penalty, actor=actor, reason=facts)
            restored = _("处罚信息恢复公示")
    elif applied and app.kind == RepairKind.ANOMALY:
        old = app.anomaly
        assert old is not None
        app.restored_anomaly = lists.list_anomaly(
            app.enterprise,
            actor=actor,
            ground=old.ground,
            on=on,
            decision_no=decision_no,
            department=old.department,
            facts=facts,
            report_year=None,
        )
        restored = _("重新列入经营异常名录（%s）") % decision_no
    elif applied and app.kind == RepairKind.SERIOUS:
        old_s = app.serious
        assert old_s is not None
        app.restored_serious = lists.propose_serious(
            app.enterprise,
            actor=actor,
            ground=old_s.ground,
            on=on,
            penalty=old_s.penalty,
            department=old_s.department,
            facts=facts,
        )
        restored = _("名单管理无恢复列入操作：已重新提出列入严重违法失信名单，须依程序作出决定")
    elif applied and app.kind == RepairKind.UNTRUE_COMMITMENT:
        finding = app.verification
        assert finding is not None
        if finding.repaired_on is not None:
            revoke_repair(finding, actor=actor, decision_no=decision_no, reason=reason, on=on)
        restored = _("承诺不实核查结论恢复为未修复")
    app.revoked_on, app.revoke_decision_no = on, decision_no
    _move(app, "revoke", actor=actor, on=on, reason=f"{reason}；{restored}", document_no=decision_no)
    _event(
        EventType.REPAIR_REVOKED, app, on, reason=reason, revoke_decision_no=decision_no, restored=restored
    )
    return app


@transaction.atomic
def flag_overdue(app: RepairApplication, *, actor: Any, on: dt.date) -> bool:
    """Mark the awaited step as overdue (once per step): the queue shows it and the
    history keeps when it was noticed. Returns whether a mark was added."""
    stage = app.awaited_stage()
    due = app.current_due()
    if not stage or due is None or on <= due or app.overdue_stage == stage:
        return False
    app.overdue_stage, app.overdue_since = stage, due + dt.timedelta(days=1)
    _move(
        app,
        "flag_overdue",
        actor=actor,
        on=on,
        reason=_("%(stage)s：期限%(due)s") % {"stage": OverdueStage(stage).label, "due": due.isoformat()},
    )
    return True
