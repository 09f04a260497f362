"""Plans and the task workflow (draft → published → drawn → in progress → results →
closed), except the draw itself (`draws`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, field_error
from xinjian.core.events import EventType, emit
from xinjian.core.jurisdiction import region_prefix
from xinjian.core.workdays import today
from xinjian.registry.models import Department, KeyAreaType

from .. import draw as core
from .. import queries
from ..models import (
    RISK_CLASSES,
    InspectionItem,
    Plan,
    TargetResult,
    Task,
    TaskState,
)
from ._workflow import TASKS

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
    emit(
        EventType.INSPECTION_PLAN_CREATED, region_code=plan.region_code, data={"plan": plan.pk, "year": year}
    )
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
        ratios if ratios is not None else queries.default_ratios(region_code, starts_on),
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
    _move(task, "create", who=who, reason="创建任务")
    task.items.set(items)
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
    emit(EventType.INSPECTION_TASK_CREATED, region_code=region_code, data={"task": task.code})
    return task


def _move(task: Task, action: str, *, who: Any, reason: str = "") -> None:
    """The one place a task changes state: the engine checks the table against the locked
    row and writes the history; the action writes its own audit entry."""
    TASKS.move(task, action, actor=who, on=today(), reason=reason, audit=False)


def _locked(task: Task) -> Task:
    return Task.objects.select_for_update().get(pk=task.pk)


@transaction.atomic
def publish_task(task: Task, *, actor: Any) -> Task:
    """Publish the task and the commitment to its seed: sha256(seed), before the draw
    (interfaces.md hash-rank-v1 step 1). The seed stays secret until the draw."""
    who = as_actor(actor)
    task = _locked(task)
    TASKS.check(task, "publish")
    task.seed = core.new_seed()
    task.commitment = core.commitment_of(task.seed)
    task.published_at = timezone.now()
    task.committed_at = task.published_at
    _move(task, "publish", who=who, reason=f"公布任务及种子承诺值 {task.commitment}")
    audit.record("inspections.publish_task", task, actor=who, after={"commitment": task.commitment})
    emit(
        EventType.INSPECTION_TASK_PUBLISHED,
        region_code=task.region_code,
        data={"task": task.code, "commitment": task.commitment},
    )
    return task


@transaction.atomic
def start_inspections(task: Task, *, actor: Any) -> Task:
    who = as_actor(actor)
    task = _locked(task)
    _move(task, "start", who=who, reason="开始实施检查")
    audit.record("inspections.start", task, actor=who, after={"state": task.state})
    emit(EventType.INSPECTION_TASK_STARTED, region_code=task.region_code, data={"task": task.code})
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
    _move(task, "complete", who=who, reason="检查结果录入完毕")
    audit.record("inspections.complete_results", task, actor=who, after={"state": task.state})
    emit(EventType.INSPECTION_RESULTS_COMPLETED, region_code=task.region_code, data={"task": task.code})
    return task


@transaction.atomic
def close_task(task: Task, *, actor: Any, reason: str = "") -> Task:
    who = as_actor(actor)
    task = _locked(task)
    _move(task, "close", who=who, reason=reason or "任务办结")
    audit.record("inspections.close", task, actor=who, after={"state": task.state}, reason=reason)
    emit(EventType.INSPECTION_TASK_CLOSED, region_code=task.region_code, data={"task": task.code})
    return task
