"""Results become collection records with events; publication deadline (20 working days)
and the overdue page; anomaly proposals; reports."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from xinjian.collection.models import Inspection
from xinjian.core.errors import DomainError, InvalidTransition
from xinjian.core.models import Event
from xinjian.inspections import actions, queries
from xinjian.inspections.models import FollowUp, InspectionItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(food_enterprises, inspector_factory, risk_classes, supervisor, food_task, inspector):
    es = food_enterprises(8)
    for e in es[:4]:
        risk_classes[e.id] = "C"
    # Two qualified inspectors, the `inspector` login one of them: every target gets both
    # (at least two per target), so that login may enter every result (issue 14).
    inspector_factory(("food",), user=inspector)
    inspector_factory(("food",))
    task = food_task(ratios={"A": "1", "B": "1", "C": "1", "D": "1"}, items=("SC-K1",))
    actions.publish_task(task, actor=supervisor)
    draw = actions.draw_task(task, actor=supervisor)
    actions.start_inspections(task, actor=supervisor)
    return task, draw


def test_twenty_working_days_run_across_the_national_day_holiday():
    # domain.md §14: from 2025-09-26 the deadline skips 1–8 October and counts the shifted
    # working days 28 September and 11 October.
    deadline = queries.publication_deadline(dt.date(2025, 9, 26))
    assert deadline.due == dt.date(2025, 10, 30) and not deadline.provisional
    assert "20个工作日" in deadline.explain()


def test_a_result_becomes_an_inspection_record_with_an_event(running, supervisor, inspector):
    task, draw = running
    target = draw.targets.first()
    item = InspectionItem.objects.get(code="SC-K1")
    row = actions.record_result(
        target,
        item,
        actor=inspector,
        result="corrected",
        inspected_on=dt.date(2026, 4, 1),
        follow_up=FollowUp.RECTIFICATION,
        findings="生产记录不完整，已责令改正",
    )
    ins = Inspection.objects.get(pk=row.inspection_id)
    assert (ins.source, ins.source_id, ins.kind, ins.result, ins.item_code, ins.enterprise_id) == (
        f"inspections:{task.code}",
        f"{target.pk}:SC-K1",
        "key",
        "corrected",
        "SC-K1",
        target.enterprise_id,
    )
    assert ins.published_on is None  # publication belongs to disclosure
    ev = Event.objects.get(type="inspection.recorded")
    assert ev.uscc == target.uscc and ev.data["result"] == "corrected"
    assert ev.data["publication_due"] == queries.publication_deadline(dt.date(2026, 4, 1)).due.isoformat()
    # entering the same target and item again corrects the record, it does not add one
    actions.record_result(
        target, item, actor=inspector, result="no_problem", inspected_on=dt.date(2026, 4, 1)
    )
    assert Inspection.objects.filter(source=f"inspections:{task.code}").count() == 1
    assert Event.objects.filter(type="inspection.recorded").last().data["corrected"] is True


@pytest.mark.parametrize("result, ground", [("unreachable", "unreachable"), ("false_info", "false_info")])
def test_unreachable_and_false_information_propose_an_anomaly_listing(running, inspector, result, ground):
    _task, draw = running
    target = draw.targets.first()
    row = actions.record_result(
        target,
        InspectionItem.objects.get(code="SC-K1"),
        actor=inspector,
        result=result,
        inspected_on=dt.date(2026, 4, 1),
    )
    ev = Event.objects.get(type="inspection.anomaly_proposed")
    assert (
        ev.uscc == target.uscc
        and ev.data["ground"] == ground
        and ev.data["inspection_id"] == row.inspection_id
    )
    assert row.follow_up == FollowUp.ANOMALY_PROPOSED


def test_no_anomaly_proposal_for_other_results(running, inspector):
    _task, draw = running
    actions.record_result(
        draw.targets.first(),
        InspectionItem.objects.get(code="SC-K1"),
        actor=inspector,
        result="follow_up",
        inspected_on=dt.date(2026, 4, 1),
    )
    assert not Event.objects.filter(type="inspection.anomaly_proposed").exists()


def test_invalid_results_are_refused_with_field_details(running, inspector):
    _task, draw = running
    target = draw.targets.first()
    with pytest.raises(DomainError) as e:
        actions.record_result(
            target,
            InspectionItem.objects.get(code="SC-K1"),
            actor=inspector,
            result="fine",
            inspected_on=dt.date(2026, 4, 1),
        )
    assert e.value.details[0]["field"] == "result"
    with pytest.raises(DomainError) as e:
        actions.record_result(
            target,
            InspectionItem.objects.get(code="TS-01"),
            actor=inspector,
            result="no_problem",
            inspected_on=dt.date(2026, 4, 1),
        )
    assert e.value.details[0]["code"] == "not_in_task"


def test_results_are_refused_before_the_task_is_started(
    food_enterprises, inspector_factory, supervisor, food_task, inspector, risk_classes
):
    food_enterprises(3)
    inspector_factory(), inspector_factory()
    task = food_task(ratios={"A": "1", "B": "1", "C": "1", "D": "1"}, items=("SC-K1",))
    actions.publish_task(task, actor=supervisor)
    draw = actions.draw_task(task, actor=supervisor)
    with pytest.raises(InvalidTransition):
        actions.record_result(
            draw.targets.first(),
            InspectionItem.objects.get(code="SC-K1"),
            actor=inspector,
            result="no_problem",
            inspected_on=dt.date(2026, 4, 1),
        )


def test_overdue_page_lists_results_past_their_publication_deadline(
    running, inspector, province_officer, client
):
    _task, draw = running
    a, b = list(draw.targets.all())[:2]
    item = InspectionItem.objects.get(code="SC-K1")
    with freeze_time("2025-10-31"):
        actions.record_result(
            a, item, actor=inspector, result="no_problem", inspected_on=dt.date(2025, 9, 26)
        )
        actions.record_result(
            b, item, actor=inspector, result="no_problem", inspected_on=dt.date(2025, 10, 20)
        )
        overdue = queries.overdue_results(province_officer)
        assert [r.inspection.uscc for r in overdue] == [a.uscc]  # due 2025-10-30
        client.force_login(province_officer)
        page = client.get("/staff/inspections/results/overdue/").content.decode()
        assert a.uscc in page and b.uscc not in page.split("已逾期")[1].split("</table>")[0]


def test_discovery_rate_per_task_and_class(running, inspector, supervisor, risk_classes):
    task, draw = running
    item = InspectionItem.objects.get(code="SC-K1")
    for i, t in enumerate(draw.targets.order_by("uscc")):
        actions.record_result(
            t,
            item,
            actor=inspector,
            inspected_on=dt.date(2026, 4, 1),
            result="follow_up" if t.risk_class == "C" and i % 2 == 0 else "no_problem",
        )
    total, per_class = queries.discovery_rates(task)
    rates = {r.label: (r.inspected, r.with_problem) for r in per_class}
    c_problems = sum(
        1 for i, t in enumerate(draw.targets.order_by("uscc")) if t.risk_class == "C" and i % 2 == 0
    )
    assert rates["C"] == (4, c_problems) and rates["B"] == (4, 0)
    assert (total.inspected, total.with_problem) == (8, c_problems)


@freeze_time("2026-06-01")
def test_food_producers_without_a_full_inspection_in_two_years(food_enterprises, province_officer):
    fresh, stale, unreachable = food_enterprises(3)
    for e, day, result in [
        (fresh, dt.date(2025, 1, 10), "no_problem"),
        (stale, dt.date(2024, 5, 31), "no_problem"),
        (unreachable, dt.date(2026, 1, 5), "unreachable"),
    ]:
        Inspection.objects.create(
            enterprise=e,
            uscc=e.uscc,
            source="test",
            source_id=e.uscc,
            inspected_on=day,
            inspected_by="南山局",
            kind="routine",
            result=result,
        )
    qs, since = queries.food_producers_not_fully_inspected(province_officer)
    assert since == dt.date(2024, 6, 1)
    assert set(qs.values_list("uscc", flat=True)) == {stale.uscc, unreachable.uscc}
