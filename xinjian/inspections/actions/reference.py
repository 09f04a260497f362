"""The reference lists of double random: inspectors, conflicts of interest, rules, the
inspection item list and the key supervision item list."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, field_error
from xinjian.core.events import EventType, emit
from xinjian.core.workdays import today
from xinjian.registry.models import Department, Enterprise, OfficeKind

from ..models import (
    ConflictOfInterest,
    InspectionItem,
    InspectionMethod,
    InspectionRule,
    Inspector,
    KeySupervisionItem,
    Qualification,
    RuleCode,
)

# --- reference lists -------------------------------------------------------------------


@transaction.atomic
def add_inspector(
    *,
    actor: Any,
    department: Department,
    name: str,
    badge_no: str,
    qualifications: list[str],
    user: Any = None,
) -> Inspector:
    bad = [q for q in qualifications if q not in Qualification.values]
    if bad or not qualifications:
        raise DomainError(
            gettext("检查资格不合法"),
            details=[field_error("qualifications", "invalid", "、".join(bad) or gettext("至少一项"))],
        )
    if not name.strip() or not badge_no.strip():
        raise DomainError(
            gettext("姓名和执法证号必填"), details=[field_error("badge_no", "required", gettext("必填"))]
        )
    if Inspector.objects.filter(badge_no=badge_no).exists():
        raise DomainError(
            gettext("执法证号已存在"),
            code="duplicate",
            details=[field_error("badge_no", "duplicate", gettext("已存在"))],
        )
    who = as_actor(actor)
    inspector = Inspector(
        department=department,
        name=name.strip(),
        badge_no=badge_no.strip(),
        qualifications=sorted(set(qualifications)),
        user=user,
    )
    inspector.touch(who.label)
    inspector.save()
    audit.record("inspections.add_inspector", inspector, actor=who, after=audit.snapshot(inspector))
    emit(
        EventType.INSPECTOR_CHANGED,
        region_code=department.division_id,
        data={"inspector": inspector.pk, "active": True},
    )
    return inspector


@transaction.atomic
def set_inspector_active(inspector: Inspector, *, actor: Any, active: bool, reason: str) -> Inspector:
    if not reason.strip():
        raise DomainError(gettext("请说明原因"), details=[field_error("reason", "required", gettext("必填"))])
    who = as_actor(actor)
    before = audit.snapshot(inspector, ["active"])
    inspector.active = active
    inspector.touch(who.label)
    inspector.save(update_fields=["active", "modified_at", "modified_by", "created_by"])
    audit.record(
        "inspections.set_inspector_active",
        inspector,
        actor=who,
        before=before,
        after=audit.snapshot(inspector, ["active"]),
        reason=reason,
    )
    emit(
        EventType.INSPECTOR_CHANGED,
        region_code=inspector.department.division_id,
        data={"inspector": inspector.pk, "active": active},
    )
    return inspector


@transaction.atomic
def declare_conflict(
    inspector: Inspector,
    enterprise: Enterprise,
    *,
    actor: Any,
    reason: str,
    declared_on: dt.date | None = None,
) -> ConflictOfInterest:
    """Penalty Law art. 43: an inspector with a direct interest in the party withdraws."""
    if not reason.strip():
        raise DomainError(
            gettext("请说明回避事由"), details=[field_error("reason", "required", gettext("必填"))]
        )
    conflict, _created = ConflictOfInterest.objects.update_or_create(
        inspector=inspector,
        enterprise=enterprise,
        defaults={"reason": reason.strip(), "declared_on": declared_on or today(), "active": True},
    )
    audit.record(
        "inspections.declare_conflict",
        conflict,
        actor=actor,
        uscc=enterprise.uscc,
        after=audit.snapshot(conflict),
        reason=reason,
    )
    emit(
        EventType.INSPECTION_CONFLICT_DECLARED,
        uscc=enterprise.uscc,
        region_code=enterprise.region_code,
        data={"inspector": inspector.pk},
    )
    return conflict


@transaction.atomic
def set_rule(
    *, actor: Any, code: str, value: Decimal, effective_from: dt.date, basis: str, assumed: bool = False
) -> InspectionRule:
    """A new version of a rule, effective from a date (rules are data)."""
    if code not in RuleCode.values:
        raise DomainError(gettext("未知规则"), details=[field_error("code", "invalid", code)])
    who = as_actor(actor)
    rule, _ = InspectionRule.objects.update_or_create(
        code=code,
        effective_from=effective_from,
        defaults={"value": value, "basis": basis, "assumed": assumed, "entered_by": who.label},
    )
    audit.record("inspections.set_rule", rule, actor=who, after=audit.snapshot(rule))
    emit(
        EventType.INSPECTION_RULE_CHANGED,
        data={"code": code, "value": str(value), "effective_from": effective_from.isoformat()},
    )
    return rule


@transaction.atomic
def save_inspection_item(
    *,
    actor: Any,
    code: str,
    name: str,
    legal_basis: str,
    office: str,
    target_population: str,
    method: str,
    qualification: str,
    is_key: bool = False,
    key_area_types: list[str] | None = None,
    active: bool = True,
) -> InspectionItem:
    """Add or change an entry of the inspection item list (抽查事项清单)."""

    details = [
        field_error(f, "required", gettext("必填"))
        for f, v in [
            ("code", code),
            ("name", name),
            ("legal_basis", legal_basis),
            ("target_population", target_population),
        ]
        if not str(v).strip()
    ]
    for f, v, allowed in [
        ("office", office, OfficeKind.values),
        ("method", method, InspectionMethod.values),
        ("qualification", qualification, Qualification.values),
    ]:
        if v not in allowed:
            details.append(field_error(f, "invalid_choice", v))
    if details:
        raise DomainError(gettext("抽查事项信息不完整或不合法"), details=details)
    item = InspectionItem.objects.filter(code=code.strip()).first()
    before = audit.snapshot(item) if item else None
    item = item or InspectionItem(code=code.strip())
    item.name, item.legal_basis, item.office = name.strip(), legal_basis.strip(), office
    item.target_population, item.method, item.qualification = target_population.strip(), method, qualification
    item.is_key, item.active, item.key_area_types = is_key, active, sorted(set(key_area_types or []))
    item.save()
    audit.record("inspections.save_item", item, actor=actor, before=before, after=audit.snapshot(item))
    emit(EventType.INSPECTION_ITEM_CHANGED, data={"code": item.code, "active": item.active})
    return item


@transaction.atomic
def save_key_supervision_item(
    *,
    actor: Any,
    code: str,
    name: str,
    supervisor: str,
    target: str,
    measures: str,
    legal_basis: str,
    active: bool = True,
) -> Any:
    """Add or change an entry of the key supervision item list (重点监管事项清单)."""

    values = {
        "code": code,
        "name": name,
        "supervisor": supervisor,
        "target": target,
        "measures": measures,
        "legal_basis": legal_basis,
    }
    details = [field_error(f, "required", gettext("必填")) for f, v in values.items() if not str(v).strip()]
    if details:
        raise DomainError(gettext("重点监管事项信息不完整"), details=details)
    item = KeySupervisionItem.objects.filter(code=code.strip()).first()
    before = audit.snapshot(item) if item else None
    item = item or KeySupervisionItem(code=code.strip())
    for f, v in values.items():
        setattr(item, f, v.strip())
    item.active = active
    item.save()
    audit.record("inspections.save_key_item", item, actor=actor, before=before, after=audit.snapshot(item))
    emit(EventType.KEY_SUPERVISION_ITEM_CHANGED, data={"code": item.code, "active": item.active})
    return item
