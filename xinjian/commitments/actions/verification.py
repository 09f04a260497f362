"""The verification itself: assignment, the conclusion (kept or untrue, with
consequences), cancellation, and the credit repair of an untrue finding."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xinjian.accounts.models import StaffProfile
from xinjian.core import audit, deadlines
from xinjian.core.errors import Conflict, DomainError, InvalidTransition, field_error
from xinjian.core.events import EventType, emit
from xinjian.core.jurisdiction import user_region_prefix
from xinjian.core.text import required
from xinjian.core.workdays import today

from .. import rules
from ..models import (
    Consequence,
    ConsequenceKind,
    Verification,
)
from ._base import V, _forget_profile, _move

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
def assign_to(v: Verification, *, actor: Any, assignee: str, reason: str = "") -> Verification:
    """`assign` by the chosen staff member's user id (the workflow button's input)."""
    profile = StaffProfile.objects.filter(user_id=assignee).select_related("user").first()
    if profile is None:
        raise DomainError(
            gettext("核查人员须为辖区覆盖该企业的工作人员"),
            code="invalid_assignee",
            details=[field_error("assignee", "invalid_assignee", "辖区不覆盖该企业")],
        )
    return assign(v, actor=actor, assignee=profile.user, reason=reason)


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
    v.facts = required(facts, "facts", gettext("核查事实"))
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
            deadlines.refresh(row, "due_on")  # commitments.deadlines
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
    facts = required(facts, "facts", gettext("核查事实"))
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
    _move(v, "cancel", actor=actor, on=on or today(), reason=required(reason, "reason", gettext("撤销理由")))
    return v


@transaction.atomic
def mark_repaired(
    verification: Verification, *, actor: Any, repair_ref: str, on: dt.date | None = None
) -> Verification:
    """Credit repair of kind `untrue_commitment` was approved (called by the repair work,
    which emits `repair.approved` itself): the finding shows 已修复 and no longer bars
    notification-and-commitment (domain.md §6, §12)."""
    repair_ref = required(repair_ref, "repair_ref", gettext("信用修复决定编号"))
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
    decision_no = required(decision_no, "decision_no", gettext("撤销决定书编号"))
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
