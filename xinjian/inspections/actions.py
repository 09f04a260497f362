"""Every state change of double random (architecture rule 1): atomic, audited, with an
event in the same transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.collection.models import Inspection, InspectionKind, InspectionResult
from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, InvalidTransition, field_error
from xinjian.core.events import EventType, emit, emit_many
from xinjian.core.jurisdiction import region_prefix
from xinjian.core.workdays import today
from xinjian.registry.models import Department, Enterprise, KeyAreaType

from . import draw as core
from . import queries
from .models import (
    RISK_CLASSES,
    TASK_TRANSITIONS,
    Assignment,
    ConflictOfInterest,
    Draw,
    FollowUp,
    InspectionItem,
    InspectionRule,
    Inspector,
    Plan,
    Qualification,
    RuleCode,
    Stratum,
    Target,
    TargetResult,
    Task,
    TaskState,
    TaskTransition,
)

# Anomaly Measures art. 4 (3) and (4): falsified published information and "cannot be
# reached at the registered address" lead to the anomaly list (domain.md §8). The lists
# engineer consumes `inspection.anomaly_proposed`; `ground` uses the list-decision codes.
ANOMALY_GROUNDS: dict[str, str] = {
    InspectionResult.UNREACHABLE: "unreachable",
    InspectionResult.FALSE_INFO: "false_info",
}


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
        "inspections.inspector_changed",
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
        "inspections.inspector_changed",
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
        "inspections.conflict_declared",
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
    if code.startswith("ratio_") and not (Decimal(0) <= value <= Decimal(1)):
        raise DomainError(
            gettext("抽查比例须在0到1之间"), details=[field_error("value", "out_of_range", str(value))]
        )
    who = as_actor(actor)
    rule, _ = InspectionRule.objects.update_or_create(
        code=code,
        effective_from=effective_from,
        defaults={"value": value, "basis": basis, "assumed": assumed, "entered_by": who.label},
    )
    audit.record("inspections.set_rule", rule, actor=who, after=audit.snapshot(rule))
    emit(
        "inspections.rule_changed",
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
    from xinjian.registry.models import OfficeKind

    from .models import InspectionMethod

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
    emit("inspections.item_changed", data={"code": item.code, "active": item.active})
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
    from .models import KeySupervisionItem

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
    emit("inspections.key_item_changed", data={"code": item.code, "active": item.active})
    return item


# --- plans and tasks -------------------------------------------------------------------


@transaction.atomic
def create_plan(*, actor: Any, department: Department, year: int, title: str, description: str = "") -> Plan:
    if not title.strip():
        raise DomainError(
            gettext("计划名称必填"), details=[field_error("title", "required", gettext("必填"))]
        )
    who = as_actor(actor)
    plan = Plan(
        department=department,
        region_code=department.division_id,
        year=year,
        title=title.strip(),
        description=description,
        published_at=timezone.now(),
    )
    plan.touch(who.label)
    plan.save()
    audit.record("inspections.create_plan", plan, actor=who, after=audit.snapshot(plan))
    emit("inspections.plan_created", region_code=plan.region_code, data={"plan": plan.pk, "year": year})
    return plan


def _clean_ratios(ratios: dict[str, Any], *, key_items: bool) -> dict[str, str]:
    out: dict[str, str] = {}
    details = []
    for cls in RISK_CLASSES:
        raw = ratios.get(cls)
        try:
            value = Decimal(str(raw)).normalize()
        except (InvalidOperation, TypeError, ValueError):
            details.append(field_error(f"ratios.{cls}", "invalid", gettext("须为0到1之间的小数")))
            continue
        if not (Decimal(0) <= value <= Decimal(1)) or value.as_tuple().exponent < -4:  # type: ignore[operator]
            details.append(
                field_error(f"ratios.{cls}", "out_of_range", gettext("须为0到1之间、最多四位小数"))
            )
            continue
        out[cls] = format(value, "f")
    if details:
        raise DomainError(gettext("抽查比例不合法"), details=details)
    # Key items have no upper limit (domain.md §8); without one, a 100% "random" check is
    # not random: it must be planned as a key item.
    if not key_items and any(Decimal(v) == 1 for v in out.values()):
        raise DomainError(
            gettext("一般抽查事项的抽查比例不得为100%，全覆盖检查请选择重点检查事项"),
            details=[
                field_error(
                    "ratios", "full_coverage_needs_key_item", gettext("含100%比例的任务须包含重点检查事项")
                )
            ],
        )
    return out


@transaction.atomic
def create_task(
    plan: Plan,
    *,
    actor: Any,
    title: str,
    region_code: str,
    items: list[InspectionItem],
    starts_on: dt.date,
    ends_on: dt.date,
    key_area_types: list[str] | None = None,
    ratios: dict[str, Any] | None = None,
    joint_departments: list[str] | None = None,
    department: Department | None = None,
) -> Task:
    department = department or plan.department
    details = []
    if not title.strip():
        details.append(field_error("title", "required", gettext("必填")))
    if not items:
        details.append(field_error("items", "required", gettext("至少选择一项抽查事项")))
    if ends_on < starts_on:
        details.append(field_error("ends_on", "before_start", gettext("结束日期早于开始日期")))
    if not (len(region_code) == 6 and region_code.isdigit()) or not region_code.startswith(
        region_prefix(department.division_id)
    ):
        details.append(
            field_error("region_code", "outside_jurisdiction", gettext("抽查区域须在本部门辖区内"))
        )
    known_types = set(KeyAreaType.objects.values_list("code", flat=True))
    unknown = [t for t in key_area_types or [] if t not in known_types]
    if unknown:
        details.append(field_error("key_area_types", "unknown", "、".join(unknown)))
    if details:
        raise DomainError(gettext("任务信息不完整或不合法"), details=details)
    clean = _clean_ratios(
        ratios if ratios is not None else queries.default_ratios(starts_on),
        key_items=any(i.is_key for i in items),
    )
    who = as_actor(actor)
    seq = Task.objects.filter(region_code=region_code, plan__year=plan.year).count() + 1
    code = f"{region_code}-{plan.year}-{seq:03d}"
    while Task.objects.filter(code=code).exists():
        seq += 1
        code = f"{region_code}-{plan.year}-{seq:03d}"
    task = Task(
        plan=plan,
        department=department,
        code=code,
        title=title.strip(),
        region_code=region_code,
        key_area_types=sorted(set(key_area_types or [])),
        ratios=clean,
        starts_on=starts_on,
        ends_on=ends_on,
        joint_departments=[d.strip() for d in joint_departments or [] if d.strip()],
    )
    task.touch(who.label)
    task.save()
    task.items.set(items)
    TaskTransition.objects.create(
        task=task, from_state="", to_state=TaskState.DRAFT, actor_label=who.label, reason="创建任务"
    )
    audit.record(
        "inspections.create_task",
        task,
        actor=who,
        after=audit.snapshot(
            task,
            [
                "code",
                "title",
                "region_code",
                "key_area_types",
                "ratios",
                "starts_on",
                "ends_on",
                "joint_departments",
            ],
        ),
    )
    emit("inspections.task_created", region_code=region_code, data={"task": task.code})
    return task


def _move(task: Task, to: str, *, who: Any, reason: str = "") -> None:
    """The one place a task changes state: checks the transition table, writes history."""
    if to not in TASK_TRANSITIONS[task.state]:
        raise InvalidTransition(
            gettext("任务处于“%(state)s”状态，不能变更为“%(label)s”")
            % {"state": task.get_state_display(), "label": TaskState(to).label},
            details=[field_error("state", "invalid_transition", f"{task.state} → {to}")],
        )
    TaskTransition.objects.create(
        task=task, from_state=task.state, to_state=to, actor_label=who.label, reason=reason
    )
    task.state = to
    task.touch(who.label)
    task.save(
        update_fields=[
            "state",
            "seed",
            "commitment",
            "published_at",
            "modified_at",
            "modified_by",
            "created_by",
        ]
    )


def _require(task: Task, state: str, to: str) -> None:
    """For moves whose target state is reachable from several states (published is also
    the re-draw's target): the move this action makes starts from `state` only."""
    if task.state != state:
        raise InvalidTransition(
            gettext("任务处于“%(state)s”状态，不能变更为“%(label)s”")
            % {"state": task.get_state_display(), "label": TaskState(to).label},
            details=[field_error("state", "invalid_transition", f"{task.state} → {to}")],
        )


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


@transaction.atomic
def publish_task(task: Task, *, actor: Any) -> Task:
    """Publish the task and the commitment to its seed: sha256(seed), before the draw
    (interfaces.md hash-rank-v1 step 1). The seed stays secret until the draw."""
    who = as_actor(actor)
    task = _locked(task)
    _require(task, TaskState.DRAFT, TaskState.PUBLISHED)
    task.seed = core.new_seed()
    task.commitment = core.commitment_of(task.seed)
    task.published_at = timezone.now()
    _move(task, TaskState.PUBLISHED, who=who, reason=f"公布任务及种子承诺值 {task.commitment}")
    audit.record("inspections.publish_task", task, actor=who, after={"commitment": task.commitment})
    emit(
        EventType.INSPECTION_TASK_PUBLISHED,
        region_code=task.region_code,
        data={"task": task.code, "commitment": task.commitment},
    )
    return task


@transaction.atomic
def draw_task(task: Task, *, actor: Any) -> Draw:
    """Draw the targets (hash-rank-v1, stratified by risk class) and assign inspectors.
    The seed is revealed with the draw."""
    who = as_actor(actor)
    task = _locked(task)
    _require(task, TaskState.PUBLISHED, TaskState.DRAWN)
    population = queries.task_population(task)
    inputs = [core.StratumInput(c, [u for u, _ in population[c]], task.ratio(c)) for c in RISK_CLASSES]
    outcomes = core.draw_strata(task.seed, inputs)
    enterprise_of = {u: eid for rows in population.values() for u, eid in rows}

    number = task.draws.count() + 1
    draw = Draw.objects.create(
        task=task,
        number=number,
        draw_id=f"{task.code}-D{number}",
        seed=task.seed,
        commitment=task.commitment,
        drawn_at=timezone.now(),
        drawn_by=who.label,
    )
    targets: list[Target] = []
    input_of = {i.risk_class: i for i in inputs}
    for o in outcomes:
        inp = input_of[o.risk_class]
        stratum = Stratum.objects.create(
            draw=draw,
            name=o.name,
            risk_class=o.risk_class,
            ratio=o.ratio,
            population_size=o.population_size,
            population_digest=o.population_digest,
            population="\n".join(inp.usccs),
            selected=o.selected,
        )
        targets += [
            Target(draw=draw, stratum=stratum, enterprise_id=enterprise_of[u], uscc=u, rank=r)
            for r, u in enumerate(o.selected, start=1)
        ]
    Target.objects.bulk_create(targets, batch_size=2000)
    targets = list(Target.objects.filter(draw=draw).order_by("stratum__name", "rank"))

    # Inspector assignment (Penalty Law art. 42, 43; rotation; load) from the same seed.
    ids = [t.enterprise_id for t in targets]
    pool = queries.eligible_inspector_ids(task)
    conflicts = queries.conflicts_for(ids)
    previous = queries.previous_inspectors(ids, exclude_task=task)
    per_target = max(2, int(queries.rule_value(RuleCode.INSPECTORS_PER_TARGET)))
    try:
        chosen = core.assign_inspectors(
            task.seed,
            [t.uscc for t in targets],
            pool,
            per_target=per_target,
            conflicts={t.uscc: conflicts.get(t.enterprise_id, set()) for t in targets},
            previous={t.uscc: previous.get(t.enterprise_id, set()) for t in targets},
        )
    except core.NotEnoughInspectors as e:
        raise DomainError(
            gettext("符合资格且无利害关系的检查人员不足：%(uscc)s 需要%(needed)s名，仅有%(found)s名")
            % {"uscc": e.uscc, "needed": e.needed, "found": e.found},
            code="not_enough_inspectors",
            details=[field_error("inspectors", "not_enough_inspectors", e.uscc)],
        ) from e
    Assignment.objects.bulk_create(
        [
            Assignment(target=t, inspector_id=iid, position=p)
            for t in targets
            for p, iid in enumerate(chosen[t.uscc], start=1)
        ],
        batch_size=2000,
    )

    _move(task, TaskState.DRAWN, who=who, reason=f"抽取 {draw.draw_id}，抽中{len(targets)}户")
    audit.record(
        "inspections.draw",
        draw,
        actor=who,
        after={
            "draw_id": draw.draw_id,
            "seed": draw.seed,
            "selected": len(targets),
            "strata": [
                {"stratum": o.name, "population": o.population_size, "selected": len(o.selected)}
                for o in outcomes
            ],
        },
    )
    emit(
        EventType.INSPECTION_DRAWN,
        region_code=task.region_code,
        data={"task": task.code, "draw_id": draw.draw_id, "selected": len(targets)},
    )
    return draw


@transaction.atomic
def redraw(task: Task, *, actor: Any, reason: str) -> Task:
    """A re-draw needs a reason. The current draw is superseded but stays visible; the
    task returns to published with a fresh seed whose commitment is published now, so the
    next draw is as verifiable as the first."""
    if not reason.strip():
        raise DomainError(
            gettext("重新抽取须说明原因"), details=[field_error("reason", "required", gettext("必填"))]
        )
    who = as_actor(actor)
    task = _locked(task)
    _require(task, TaskState.DRAWN, TaskState.PUBLISHED)
    current = task.current_draw()
    assert current is not None
    current.superseded_at = timezone.now()
    current.superseded_reason = reason.strip()
    current.save(update_fields=["superseded_at", "superseded_reason"])
    old_commitment = task.commitment
    task.seed = core.new_seed()
    task.commitment = core.commitment_of(task.seed)
    _move(
        task,
        TaskState.PUBLISHED,
        who=who,
        reason=f"重新抽取：{reason.strip()}（原抽取 {current.draw_id} 作废；新种子承诺值 {task.commitment}）",
    )
    audit.record(
        "inspections.redraw",
        current,
        actor=who,
        reason=reason,
        before={"commitment": old_commitment},
        after={"commitment": task.commitment},
    )
    emit(
        EventType.INSPECTION_REDRAW,
        region_code=task.region_code,
        data={
            "task": task.code,
            "superseded": current.draw_id,
            "reason": reason.strip(),
            "commitment": task.commitment,
        },
    )
    return task


@transaction.atomic
def start_inspections(task: Task, *, actor: Any) -> Task:
    who = as_actor(actor)
    task = _locked(task)
    _move(task, TaskState.IN_PROGRESS, who=who, reason="开始实施检查")
    audit.record("inspections.start", task, actor=who, after={"state": task.state})
    emit("inspections.task_started", region_code=task.region_code, data={"task": task.code})
    return task


@transaction.atomic
def complete_results(task: Task, *, actor: Any) -> Task:
    """All results are in: every target has a result for every item of the task."""
    who = as_actor(actor)
    task = _locked(task)
    if task.state == TaskState.IN_PROGRESS:
        draw = task.current_draw()
        expected = draw.targets.count() * task.items.count() if draw else 0
        entered = TargetResult.objects.filter(target__draw=draw).count() if draw else 0
        if entered < expected:
            raise DomainError(
                gettext("尚有%(value)s项检查结果未录入") % {"value": expected - entered},
                code="results_missing",
                details=[field_error("results", "missing", str(expected - entered))],
            )
    _move(task, TaskState.RESULTS, who=who, reason="检查结果录入完毕")
    audit.record("inspections.complete_results", task, actor=who, after={"state": task.state})
    emit("inspections.results_completed", region_code=task.region_code, data={"task": task.code})
    return task


@transaction.atomic
def close_task(task: Task, *, actor: Any, reason: str = "") -> Task:
    who = as_actor(actor)
    task = _locked(task)
    _move(task, TaskState.CLOSED, who=who, reason=reason or "任务办结")
    audit.record("inspections.close", task, actor=who, after={"state": task.state}, reason=reason)
    emit("inspections.task_closed", region_code=task.region_code, data={"task": task.code})
    return task


# --- results ---------------------------------------------------------------------------


def _record_inspection(
    *,
    task: Task,
    target: Target,
    item: InspectionItem,
    result: str,
    findings: str,
    inspected_on: dt.date,
    who: Any,
    existing: Inspection | None,
) -> Inspection:
    """Write the collection record of a result (source "inspections:<task>"); its
    publication (published_on) belongs to disclosure."""
    fields = {
        "enterprise_id": target.enterprise_id,
        "uscc": target.uscc,
        "inspected_on": inspected_on,
        "inspected_by": task.department.name,
        "kind": InspectionKind.KEY if item.is_key else InspectionKind.RANDOM,
        "result": result,
        "item_code": item.code,
        "findings": findings,
    }
    if existing is None:
        ins = Inspection(
            source=f"{queries.SOURCE_PREFIX}{task.code}",
            source_id=f"{target.pk}:{item.code}",
            received_at=timezone.now(),
            **fields,
        )
    else:
        ins = existing
        for k, v in fields.items():
            setattr(ins, k, v)
    ins.touch(who.label)
    ins.save()
    return ins


@transaction.atomic
def record_result(
    target: Target,
    item: InspectionItem,
    *,
    actor: Any,
    result: str,
    inspected_on: dt.date,
    follow_up: str = FollowUp.NONE,
    findings: str = "",
) -> TargetResult:
    """An inspector enters the result of one item at one target (standard result codes,
    domain.md §8). A second entry for the same target and item corrects the first."""
    who = as_actor(actor)
    task = _locked(target.draw.task)
    details = []
    if task.state != TaskState.IN_PROGRESS:
        raise InvalidTransition(
            gettext("任务不在检查实施阶段，不能录入结果"),
            code="task_not_in_progress",
            details=[field_error("state", "invalid_state", task.state)],
        )
    if target.draw.superseded_at is not None:
        raise DomainError(gettext("该抽取已作废"), code="draw_superseded")
    if result not in InspectionResult.values:
        details.append(field_error("result", "invalid_choice", result))
    if follow_up not in FollowUp.values:
        details.append(field_error("follow_up", "invalid_choice", follow_up))
    if not task.items.filter(pk=item.pk).exists():
        details.append(field_error("item", "not_in_task", item.code))
    if inspected_on > today():
        details.append(field_error("inspected_on", "in_future", gettext("检查日期不能晚于今天")))
    if (
        result in (InspectionResult.SAMPLE_QUALIFIED, InspectionResult.SAMPLE_UNQUALIFIED)
        and item.method != "sampling"
    ):
        details.append(field_error("result", "sampling_only", gettext("抽检结论仅适用于抽样检测事项")))
    if details:
        raise DomainError(gettext("检查结果不合法"), details=details)
    existing = TargetResult.objects.filter(target=target, item=item).select_related("inspection").first()
    before = (
        audit.snapshot(existing, ["result", "follow_up", "findings", "inspected_on"]) if existing else None
    )
    ins = _record_inspection(
        task=task,
        target=target,
        item=item,
        result=result,
        findings=findings,
        inspected_on=inspected_on,
        who=who,
        existing=existing.inspection if existing else None,
    )
    if result in ANOMALY_GROUNDS and follow_up == FollowUp.NONE:
        follow_up = FollowUp.ANOMALY_PROPOSED
    row = existing or TargetResult(target=target, item=item, inspection=ins)
    row.result, row.follow_up, row.findings, row.inspected_on = result, follow_up, findings, inspected_on
    row.touch(who.label)
    row.save()
    audit.record(
        "inspections.record_result",
        row,
        actor=who,
        uscc=target.uscc,
        before=before,
        after=audit.snapshot(row, ["result", "follow_up", "findings", "inspected_on"]),
    )
    region = target.enterprise.region_code
    # Same keys as collection's ingest (id, source, source_id, inspected_on, kind, result), plus ours.
    data = {
        "id": ins.pk,
        "inspection_id": ins.pk,
        "source": ins.source,
        "source_id": ins.source_id,
        "kind": ins.kind,
        "task": task.code,
        "item_code": item.code,
        "result": result,
        "follow_up": follow_up,
        "inspected_on": inspected_on.isoformat(),
        "corrected": existing is not None,
        "publication_due": queries.publication_deadline(inspected_on).due.isoformat(),
    }
    events = [(EventType.INSPECTION_RECORDED, target.uscc, region, data)]
    if result in ANOMALY_GROUNDS:
        events.append(
            (
                EventType.INSPECTION_ANOMALY_PROPOSED,
                target.uscc,
                region,
                {
                    "inspection_id": ins.pk,
                    "ground": ANOMALY_GROUNDS[result],
                    "result": result,
                    "task": task.code,
                    "inspected_on": inspected_on.isoformat(),
                    "decided_by": task.department.name,
                },
            )
        )
    emit_many(events)
    return row
