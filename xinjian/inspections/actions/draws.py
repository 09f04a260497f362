"""The draw of a task's targets and inspectors, and the re-draw."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, field_error
from xinjian.core.events import EventType, emit

from .. import draw as core
from .. import queries
from ..models import (
    RISK_CLASSES,
    Assignment,
    Draw,
    RuleCode,
    Stratum,
    Target,
    Task,
)
from ._workflow import TASKS
from .tasks import _locked, _move


@transaction.atomic
def draw_task(task: Task, *, actor: Any) -> Draw:
    """Draw the targets (hash-rank-v1) and assign inspectors. A task with one ratio for
    every class is drawn as one stratum (its seed and selection are public); otherwise one
    stratum per risk class, and the seed and strata go to auditors only (ADR 0052)."""
    who = as_actor(actor)
    task = _locked(task)
    TASKS.check(task, "draw")
    population = queries.task_population(task)
    if task.is_stratified():
        inputs = [core.StratumInput(c, [u for u, _ in population[c]], task.ratio(c)) for c in RISK_CLASSES]
    else:
        everyone = sorted(u for rows in population.values() for u, _ in rows)
        inputs = [core.StratumInput("", everyone, task.ratio(RISK_CLASSES[0]))]
    outcomes = core.draw_strata(task.seed, inputs)
    enterprise_of = {u: eid for rows in population.values() for u, eid in rows}
    class_of = {u: c for c, rows in population.items() for u, _ in rows}

    number = task.draws.count() + 1
    draw = Draw.objects.create(
        task=task,
        number=number,
        draw_id=f"{task.code}-D{number}",
        seed=task.seed,
        commitment=task.commitment,
        committed_at=task.committed_at,
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
            Target(
                draw=draw,
                stratum=stratum,
                enterprise_id=enterprise_of[u],
                uscc=u,
                rank=r,
                risk_class=class_of[u],
            )
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

    _move(task, "draw", who=who, reason=f"抽取 {draw.draw_id}，抽中{len(targets)}户")
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
    TASKS.check(task, "redraw")
    current = task.current_draw()
    assert current is not None
    current.superseded_at = timezone.now()
    current.superseded_reason = reason.strip()
    current.save(update_fields=["superseded_at", "superseded_reason"])
    old_commitment = task.commitment
    task.seed = core.new_seed()
    task.commitment = core.commitment_of(task.seed)
    task.committed_at = timezone.now()
    _move(
        task,
        "redraw",
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
