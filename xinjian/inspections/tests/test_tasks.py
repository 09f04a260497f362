"""Plans, tasks and draws against the database: the task workflow with its history, the
draw stratified by risk class, inspector assignment and re-draws."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pytest

from xinjian.core.actors import SYSTEM
from xinjian.core.errors import DomainError, InvalidTransition
from xinjian.core.models import AuditEntry, Event
from xinjian.inspections import actions
from xinjian.inspections import draw as core
from xinjian.inspections.models import Assignment, InspectionItem, Target, TaskState

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(food_enterprises, inspector_factory, risk_classes):
    """60 food producers: 10 A, 30 B (20 assessed + 10 without an assessment), 15 C, 5 D;
    six food inspectors and one special-equipment inspector."""
    es = food_enterprises(60)
    for e in es[:10]:
        risk_classes[e.id] = "A"
    for e in es[10:30]:
        risk_classes[e.id] = "B"
    for e in es[40:55]:
        risk_classes[e.id] = "C"
    for e in es[55:]:
        risk_classes[e.id] = "D"
    food = [inspector_factory(("food",)) for _ in range(6)]
    other = inspector_factory(("special_equipment",))
    return {"enterprises": es, "food": food, "other": other}


def drawn(task, supervisor):
    actions.publish_task(task, actor=supervisor)
    return actions.draw_task(task, actor=supervisor)


def test_task_moves_through_its_states_and_keeps_a_history(world, supervisor, food_task):
    task = food_task()
    draw = drawn(task, supervisor)
    actions.start_inspections(task, actor=supervisor)
    target = draw.targets.first()
    item = task.items.get()
    for t in draw.targets.all():
        # Recorded from the inspectors' paper records (a system actor): a supervisor who
        # was not assigned may not enter results by hand (issue 14).
        actions.record_result(t, item, actor=SYSTEM, result="no_problem", inspected_on=task.starts_on)
    actions.complete_results(task, actor=supervisor)
    actions.close_task(task, actor=supervisor)
    task.refresh_from_db()
    assert task.state == TaskState.CLOSED
    assert [h.to_status for h in task.history.all()] == [
        "draft",
        "published",
        "drawn",
        "in_progress",
        "results",
        "closed",
    ]
    assert target is not None
    assert AuditEntry.objects.filter(action="inspections.draw").count() == 1


@pytest.mark.parametrize("move", ["draw", "start", "complete", "close", "redraw"])
def test_illegal_moves_from_draft_raise(world, supervisor, food_task, move):
    task = food_task()
    call = {
        "draw": lambda: actions.draw_task(task, actor=supervisor),
        "start": lambda: actions.start_inspections(task, actor=supervisor),
        "complete": lambda: actions.complete_results(task, actor=supervisor),
        "close": lambda: actions.close_task(task, actor=supervisor),
        "redraw": lambda: actions.redraw(task, actor=supervisor, reason="x"),
    }[move]
    with pytest.raises(InvalidTransition):
        call()
    task.refresh_from_db()
    assert task.state == TaskState.DRAFT


def test_publishing_twice_is_illegal_and_publishing_commits_to_a_secret_seed(world, supervisor, food_task):
    task = actions.publish_task(food_task(), actor=supervisor)
    assert task.commitment == core.commitment_of(task.seed) and len(task.seed) == 64
    with pytest.raises(InvalidTransition):
        actions.publish_task(task, actor=supervisor)
    ev = Event.objects.get(type="inspection.task_published")
    assert ev.data["commitment"] == task.commitment and task.seed not in str(ev.data)


def test_results_cannot_be_completed_while_some_are_missing(world, supervisor, food_task):
    task = food_task()
    drawn(task, supervisor)
    actions.start_inspections(task, actor=supervisor)
    with pytest.raises(DomainError) as e:
        actions.complete_results(task, actor=supervisor)
    assert e.value.code == "results_missing"


def test_ratios_per_class_are_honoured_with_the_ceiling(world, supervisor, food_task):
    task = food_task(ratios={"A": "0.05", "B": "0.07", "C": "0.1", "D": "1"}, items=("SC-01", "SC-K1"))
    draw = drawn(task, supervisor)
    strata = {s.risk_class: s for s in draw.strata.all()}
    # 10 without an assessment join B (ADR 0050): B has 30.
    assert {c: s.population_size for c, s in strata.items()} == {"A": 10, "B": 30, "C": 15, "D": 5}
    assert {c: len(s.selected) for c, s in strata.items()} == {
        "A": math.ceil(0.05 * 10),
        "B": 3,
        "C": math.ceil(0.1 * 15),
        "D": 5,
    }  # 0.07 × 30 = 2.1 → 3
    assert sorted(s.name for s in strata.values()) == ["S1", "S2", "S3", "S4"]
    assert Target.objects.filter(draw=draw).count() == 1 + 3 + 2 + 5


def test_full_coverage_needs_a_key_item(world, supervisor, food_task):
    with pytest.raises(DomainError) as e:
        food_task(ratios={"A": "0.01", "B": "0.02", "C": "0.1", "D": "1"})
    assert e.value.details[0]["code"] == "full_coverage_needs_key_item"


def test_default_ratios_come_from_the_rule_table(world, supervisor, food_task):
    assert food_task().ratios == {"A": "0.01", "B": "0.02", "C": "0.1", "D": "0.3"}


def test_every_target_has_two_qualified_inspectors_without_conflicts(world, supervisor, food_task):
    conflicted = world["enterprises"][55]  # a D enterprise: D at 100% is certainly drawn
    for ins in world["food"][:4]:
        actions.declare_conflict(ins, conflicted, actor=supervisor, reason="亲属在该企业任职")
    task = food_task(ratios={"A": "0.5", "B": "0.5", "C": "0.5", "D": "1"}, items=("SC-01", "SC-K1"))
    draw = drawn(task, supervisor)
    per_target = Counter(Assignment.objects.filter(target__draw=draw).values_list("target_id", flat=True))
    assert set(per_target.values()) == {2} and len(per_target) == draw.targets.count()
    assigned = set(Assignment.objects.filter(target__draw=draw).values_list("inspector_id", flat=True))
    assert world["other"].id not in assigned  # not qualified for food items
    conflicted_team = set(
        Assignment.objects.filter(target__draw=draw, target__enterprise=conflicted).values_list(
            "inspector_id", flat=True
        )
    )
    assert conflicted_team.isdisjoint({i.id for i in world["food"][:4]})


def test_next_task_rotates_inspectors_away_from_the_last_check(world, supervisor, food_task):
    first = drawn(food_task(ratios={"A": "1", "B": "1", "C": "1", "D": "1"}, items=("SC-K1",)), supervisor)
    second = drawn(food_task(ratios={"A": "1", "B": "1", "C": "1", "D": "1"}, items=("SC-K1",)), supervisor)

    def teams(draw):
        out = {}
        for eid, iid in Assignment.objects.filter(target__draw=draw).values_list(
            "target__enterprise_id", "inspector_id"
        ):
            out.setdefault(eid, set()).add(iid)
        return out

    a, b = teams(first), teams(second)
    assert all(a[e].isdisjoint(b[e]) for e in a)  # six inspectors: a fresh pair is always possible


def test_a_draw_fails_whole_when_too_few_inspectors_are_eligible(world, supervisor, food_task):
    for ins in world["food"][:5]:
        actions.set_inspector_active(ins, actor=supervisor, active=False, reason="调离")
    task = food_task()
    actions.publish_task(task, actor=supervisor)
    with pytest.raises(DomainError) as e:
        actions.draw_task(task, actor=supervisor)
    assert e.value.code == "not_enough_inspectors"
    task.refresh_from_db()
    assert task.state == TaskState.PUBLISHED and not task.draws.exists()


def test_the_draw_is_determined_by_the_seed(world, supervisor, food_task):
    task = food_task(ratios={"A": "0.3", "B": "0.3", "C": "0.3", "D": "0.3"})
    draw = drawn(task, supervisor)
    population = sorted(e.uscc for e in world["enterprises"])
    for s in draw.strata.all():
        usccs = s.population_list()
        assert set(usccs) <= set(population) and usccs == sorted(usccs)
        assert s.selected == sorted(usccs, key=lambda u: core.rank_key(draw.seed, u))[: len(s.selected)]
    assert core.commitment_of(draw.seed) == draw.commitment
    # The assignment, too, follows from the seed and the directory: recomputing it gives
    # the stored one.
    targets = [t.uscc for t in draw.targets.order_by("stratum__name", "rank")]
    stored = {}
    for uscc, iid in (
        Assignment.objects.filter(target__draw=draw)
        .order_by("position")
        .values_list("target__uscc", "inspector_id")
    ):
        stored.setdefault(uscc, []).append(iid)
    assert core.assign_inspectors(draw.seed, targets, [i.id for i in world["food"]]) == stored


def test_redraw_needs_a_reason_and_keeps_the_earlier_draw_visible(world, supervisor, food_task):
    task = food_task()
    first = drawn(task, supervisor)
    with pytest.raises(DomainError):
        actions.redraw(task, actor=supervisor, reason=" ")
    task = actions.redraw(task, actor=supervisor, reason="抽查对象名录库更新后需重新抽取")
    assert task.state == TaskState.PUBLISHED and task.commitment != first.commitment
    second = actions.draw_task(task, actor=supervisor)
    first.refresh_from_db()
    assert first.superseded_at is not None and first.superseded_reason == "抽查对象名录库更新后需重新抽取"
    assert task.current_draw() == second and second.number == 2 and second.seed != first.seed
    assert [h.to_status for h in task.history.all()] == ["draft", "published", "drawn", "published", "drawn"]
    assert "抽查对象名录库更新后需重新抽取" in task.history.all()[3].reason
    assert Event.objects.filter(type="inspection.redraw").count() == 1


def test_task_region_must_be_inside_the_department(world, supervisor, food_task):
    plan = food_task().plan
    with pytest.raises(DomainError) as e:
        actions.create_task(
            plan,
            actor=supervisor,
            title="越权",
            region_code="440106",
            items=list(InspectionItem.objects.filter(code="SC-01")),
            starts_on=dt.date(2026, 1, 1),
            ends_on=dt.date(2026, 12, 1),
        )
    assert e.value.details[0]["field"] == "region_code"
