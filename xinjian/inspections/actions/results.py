"""Results entered by inspectors, written to the collection record, with the anomaly
proposal where a result leads to the anomaly list."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.collection.models import Inspection, InspectionKind, InspectionResult
from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, InvalidTransition, NotAllowed, field_error
from xinjian.core.events import EventType, emit_many
from xinjian.core.workdays import today

from .. import queries
from ..models import (
    FollowUp,
    InspectionItem,
    Target,
    TargetResult,
    Task,
    TaskState,
)
from .tasks import _locked

# Anomaly Measures art. 4 (3) and (4): falsified published information and "cannot be
# reached at the registered address" lead to the anomaly list (domain.md §8). The lists
# engineer consumes `inspection.anomaly_proposed`; `ground` uses the list-decision codes.
ANOMALY_GROUNDS: dict[str, str] = {
    InspectionResult.UNREACHABLE: "unreachable",
    InspectionResult.FALSE_INFO: "false_info",
}


# --- results ---------------------------------------------------------------------------


def _check_assigned(target: Target, who: Any) -> None:
    """Only the inspectors the draw assigned to the target enter its results (Penalty Law
    art. 42; issue 14): a person must be the login of one of them. System actors (an
    import from a case system, the demo) record what the inspectors found."""
    user = who.user
    if user is None:
        return
    if not target.assignments.filter(inspector__user=user, inspector__active=True).exists():
        raise NotAllowed(
            gettext("只有分派到该检查对象的执法检查人员可以录入检查结果"),
            code="not_assigned",
            details=[field_error("inspector", "not_assigned", gettext("未分派到该检查对象"))],
        )


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
            details=[field_error("state", "invalid_state", str(TaskState(task.state).label))],
        )
    if target.draw.superseded_at is not None:
        raise DomainError(gettext("该抽取已作废"), code="draw_superseded")
    _check_assigned(target, who)
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
