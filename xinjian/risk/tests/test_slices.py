"""Full runs written in slices on PostgreSQL (ADR 0041): the same assessments, counts and
changes as one statement; a failed slice leaves the run unfinished with its error."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from xinjian.collection.models import AnnualReport
from xinjian.core.actors import SYSTEM
from xinjian.core.events import EventType
from xinjian.core.models import Event
from xinjian.risk import actions, scoring
from xinjian.risk.models import Assessment, ScoringRun

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("slices run only on PostgreSQL (SQLite has one writer)")


def snapshot() -> dict[tuple[int, str], tuple[int, str, str]]:
    return {
        (a.enterprise_id, a.model_id): (a.score, a.risk_class, a.values_json)
        for a in Assessment.objects.all()
    }


@pytest.fixture
def province(enterprise_factory, record):
    people = ["张三", "李四", "王五"]
    made = []
    for i in range(30):
        e = enterprise_factory(
            established_on=dt.date(2005 + i % 20, 1, 1),
            registered_capital=[5, 80, 600, 3000][i % 4],
            legal_representative=people[i % 3] if i % 10 == 0 else f"法人{i}",
            address=f"深圳市南山区科技园{i if i % 6 else 0}号",
        )
        for k in range(i % 4):
            record("penalty", e, decided_on=dt.date(2025, 1 + k, 1))
        if i % 5 == 0:
            record("inspection", e, inspected_on=dt.date(2025, 3, 1), result="follow_up")
        if i % 7 == 0:
            record("list_decision", e, decided_on=dt.date(2025, 2, 1))
        if i % 2 == 0:
            for year in (2023, 2024, 2025):
                AnnualReport.objects.create(
                    enterprise=e, uscc=e.uscc, year=year, filed_on=dt.date(year + 1, 3, 1), source="t"
                )
        made.append(e)
    return made


def test_sliced_full_run_writes_what_one_statement_writes(province, settings, monkeypatch, record):
    monkeypatch.setattr(actions, "SLICE_MIN_ENTERPRISES", 1)
    settings.XINJIAN_SCORING_SLICES = 1
    serial = actions.score_all(actor=SYSTEM, models=["general"])[0]
    assert serial.slices == 1
    calm = Assessment.objects.order_by("score").first().enterprise
    for k in range(3):  # move a class, so the second runs count a change
        record("penalty", calm, decided_on=dt.date(2026, 1 + k, 1), aggravated=True)
        record("inspection", calm, inspected_on=dt.date(2026, 1 + k, 1), result="follow_up")
    serial2 = actions.score_all(actor=SYSTEM, models=["general"])[0]
    expected = snapshot()

    Assessment.objects.all().delete()
    settings.XINJIAN_SCORING_SLICES = 3
    first = actions.score_all(actor=SYSTEM, models=["general"])[0]
    assert first.slices == 3 and first.finished_at is not None and first.error == ""
    assert first.counts == serial2.counts and first.assessed == serial2.assessed == len(expected)
    assert snapshot() == expected
    second = actions.score_all(actor=SYSTEM, models=["general"])[0]
    assert second.counts == serial2.counts and second.changes == 0
    assert serial2.changes > 0
    assert snapshot() == expected
    assert set(Assessment.objects.values_list("run_id", flat=True)) == {second.pk}
    assert all(a.previous_class == a.risk_class for a in Assessment.objects.all())
    done = Event.objects.filter(type=EventType.RISK_RUN_COMPLETED, data__run=second.pk)
    assert done.count() == 1 and done.get().data["counts"] == second.counts


def test_a_failed_slice_leaves_the_run_unfinished_with_its_error(province, settings, monkeypatch):
    monkeypatch.setattr(actions, "SLICE_MIN_ENTERPRISES", 1)
    settings.XINJIAN_SCORING_SLICES = 2
    real = scoring.write_assessments

    def flaky(*args, **kwargs):
        if kwargs["id_range"][0] > min(e.pk for e in province):
            raise RuntimeError("slice lost its connection")
        return real(*args, **kwargs)

    monkeypatch.setattr(actions, "write_assessments", flaky)
    with pytest.raises(RuntimeError, match="slice lost"):
        actions.score_all(actor=SYSTEM, models=["general"])
    run = ScoringRun.objects.get()
    assert run.finished_at is None and "slice lost its connection" in run.error
    assert not Event.objects.filter(type=EventType.RISK_RUN_COMPLETED).exists()
    # The slice that committed holds complete assessments of the first half.
    assert 0 < Assessment.objects.filter(run_id=run.pk).count() < len(province)
