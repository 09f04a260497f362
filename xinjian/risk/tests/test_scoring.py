"""Scoring in SQL: points, classes, reasons, runs, domain models, incremental rescoring."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from freezegun import freeze_time

from xinjian.core import events
from xinjian.core.actors import SYSTEM
from xinjian.core.events import EventType
from xinjian.registry.models import KeyAreaTag, KeyAreaType
from xinjian.risk import actions
from xinjian.risk.models import Assessment, ClassBandRule, ModelVersion, RescoreMark, ScoringRun
from xinjian.risk.queries import current_class_map, enterprise_risk
from xinjian.risk.scoring import score_rows, spec_indicators

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


@pytest.fixture
def frozen():
    with freeze_time("2026-06-01 10:00:00"):
        yield


def general():
    return ModelVersion.objects.get(model_id="general", status="active")


def tag(enterprise, code="food_production"):
    return KeyAreaTag.objects.create(
        enterprise=enterprise,
        type=KeyAreaType.objects.get(code=code),
        source="manual",
        since=dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
    )


def test_reasons_add_up_to_the_score(enterprise_factory, record):
    e = enterprise_factory(established_on=dt.date(2025, 6, 1))
    for day in (dt.date(2025, 1, 1), dt.date(2025, 6, 1), dt.date(2026, 1, 1)):
        record("penalty", e, decided_on=day)
    record("complaint", e, received_on=dt.date(2026, 3, 1), substantiated=True)
    actions.score_all(actor=SYSTEM)
    risk = enterprise_risk(e)
    assert risk["score"] == risk["base_points"] + sum(r["points"] for r in risk["reasons"])
    texts = {r["indicator"]: r["text"] for r in risk["reasons"]}
    assert texts["penalties_24m"] == "近两年受到 3 次行政处罚"
    points = {r["indicator"]: r["points"] for r in risk["reasons"]}
    assert points["penalties_24m"] == 50  # expert points of the bin "3 or more"
    assert risk["reasons"][0]["points"] == max(abs(p) for p in points.values())


def file_reports(e):
    from xinjian.collection.models import AnnualReport

    for year in (2022, 2023, 2024):
        AnnualReport.objects.create(
            enterprise=e, uscc=e.uscc, year=year, filed_on=dt.date(year + 1, 3, 1), source="t"
        )


def test_sql_scoring_matches_the_points_table(enterprise_factory, record):
    clean = enterprise_factory(
        registered_capital=2000, established_on=dt.date(2010, 1, 1), legal_representative="王五"
    )
    file_reports(clean)
    risky = enterprise_factory(registered_capital=10, established_on=dt.date(2026, 1, 1))
    for day in (dt.date(2025, 1, 1), dt.date(2026, 1, 1)):
        record("penalty", risky, decided_on=day, aggravated=True)
        record("inspection", risky, inspected_on=day, result="follow_up")
    actions.score_all(actor=SYSTEM)
    version = general()
    bands = ClassBandRule.in_force("general", dt.date(2026, 6, 1))
    for e in (clean, risky):
        a = Assessment.objects.get(enterprise=e, model_id="general")
        assert a.score == score_rows(version, [a.indicator_values])[0]
        assert a.risk_class == bands.classify(a.score)
        assert a.score == version.base_points + sum(a.indicator_points)
    assert Assessment.objects.get(enterprise=clean, model_id="general").risk_class == "A"
    assert Assessment.objects.get(enterprise=risky, model_id="general").risk_class == "D"
    assert len(spec_indicators(version)) == len(a.indicator_values)


def test_each_run_is_kept_with_counts_and_class_changes(enterprise_factory, record):
    e = enterprise_factory(registered_capital=2000, established_on=dt.date(2010, 1, 1))
    file_reports(e)
    file_reports(
        enterprise_factory(
            registered_capital=2000, established_on=dt.date(2010, 1, 1), legal_representative="赵六"
        )
    )
    first = actions.score_all(actor=SYSTEM, models=["general"])[0]
    assert first.assessed == 2 and first.counts["A"] == 2 and first.changes == 0
    for day in (dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)):
        record("penalty", e, decided_on=day, aggravated=True)
        record("inspection", e, inspected_on=day, result="follow_up")
    second = actions.score_all(actor=SYSTEM, models=["general"])[0]
    assert second.changes == 1
    assert second.counts["A"] == 1 and second.counts["D"] == 1 and sum(second.counts.values()) == 2
    assert ScoringRun.objects.count() == 2
    assert Assessment.objects.get(enterprise=e, model_id="general").previous_class == "A"


def test_domain_tagged_enterprise_gets_its_domain_class_and_everyone_the_general_class(
    enterprise_factory, record
):
    food = enterprise_factory(registered_capital=2000, established_on=dt.date(2010, 1, 1))
    other = enterprise_factory(registered_capital=2000, established_on=dt.date(2010, 1, 1))
    tag(food)
    for day in (dt.date(2025, 9, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)):
        record("inspection", food, inspected_on=day, kind="sampling_test", result="sample_unqualified")
        record("penalty", food, decided_on=day, domain="food_safety")
    actions.score_all(actor=SYSTEM)
    assert set(Assessment.objects.filter(enterprise=food).values_list("model_id", flat=True)) == {
        "general",
        "food_production",
    }
    assert list(Assessment.objects.filter(enterprise=other).values_list("model_id", flat=True)) == ["general"]
    food_class = Assessment.objects.get(enterprise=food, model_id="food_production").risk_class
    classes = current_class_map()
    assert classes[food.pk] == food_class
    assert classes[other.pk] == Assessment.objects.get(enterprise=other, model_id="general").risk_class
    assert current_class_map([other.pk]) == {other.pk: classes[other.pk]}
    # Untagged: back to the general class.
    KeyAreaTag.objects.filter(enterprise=food).update(active=False)
    assert (
        current_class_map([food.pk])[food.pk]
        == Assessment.objects.get(enterprise=food, model_id="general").risk_class
    )


def test_not_assessed_enterprises_are_missing_from_the_class_map(enterprise_factory):
    e = enterprise_factory()
    assert current_class_map([e.pk]) == {}
    assert enterprise_risk(e) is None


def test_new_records_mark_enterprises_and_the_worker_rescores_only_them(enterprise_factory, record):
    e = enterprise_factory(registered_capital=2000, established_on=dt.date(2010, 1, 1))
    enterprise_factory(registered_capital=2000, established_on=dt.date(2010, 1, 1))
    actions.score_all(actor=SYSTEM)
    actions.read_events()  # start after what the full run covered
    for day in (dt.date(2025, 1, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)):
        record("penalty", e, decided_on=day, aggravated=True)
    with transaction.atomic():
        events.emit(EventType.PENALTY_RECORDED, uscc=e.uscc, region_code=e.region_code)
        events.emit(EventType.LISTING_ADDED, uscc="", data={})  # no enterprise: ignored
    assert actions.read_events() >= 2
    assert list(RescoreMark.objects.values_list("enterprise_id", flat=True)) == [e.pk]
    runs = actions.rescore_marked(actor=SYSTEM)
    general_run = next(r for r in runs if r.version.model_id == "general")
    assert general_run.kind == "incremental" and general_run.assessed == 1 and general_run.changes == 1
    assert not RescoreMark.objects.exists()
    assert actions.rescore_marked(actor=SYSTEM) == []


def test_activation_retires_the_current_version_and_rollback_restores_it():
    from xinjian.core.errors import InvalidTransition
    from xinjian.risk.models import RiskModel

    model = RiskModel.objects.get(code="general")
    v1 = model.active_version()
    v2 = actions.create_expert_version(model, actor=SYSTEM, activate=False)
    assert v2.status == "draft"
    actions.activate_version(v2, actor=SYSTEM, reason="试用")
    v1.refresh_from_db()
    assert v1.status == "retired" and model.active_version() == v2
    restored = actions.rollback(model, actor=SYSTEM, reason="回退")
    assert restored == v1 and model.active_version() == v1
    v2.refresh_from_db()
    assert v2.status == "retired"
    assert [t.to_status for t in v2.transitions.order_by("id")] == ["draft", "active", "retired"]
    v3 = actions.create_expert_version(model, actor=SYSTEM, activate=False)
    actions.discard_version(v3, actor=SYSTEM, reason="不用")
    with pytest.raises(InvalidTransition):
        actions.activate_version(v3, actor=SYSTEM)


def test_monthly_clock_runs_a_full_rescore_once_a_month(enterprise_factory):
    from xinjian.risk.clocks import monthly_rescore

    enterprise_factory()
    assert monthly_rescore(dt.date(2026, 6, 1), actor=SYSTEM) == 1
    assert monthly_rescore(dt.date(2026, 6, 15), actor=SYSTEM) == 0
    assert ScoringRun.objects.filter(kind="full").count() == 3  # one per model


def test_risk_worker_once_reads_events_and_rescores(enterprise_factory, capsys):
    from django.core.management import call_command

    e = enterprise_factory()
    with transaction.atomic():
        events.emit(EventType.COMPLAINT_RECORDED, uscc=e.uscc, region_code=e.region_code)
    call_command("risk_worker", "--once")
    assert "重评 1 户" in capsys.readouterr().out
    assert Assessment.objects.filter(enterprise=e, model_id="general").exists()
