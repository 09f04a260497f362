"""Calibration learns points from a history where the past predicts later findings, and
validates on a later period than it learnt from."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from xinjian.core.actors import SYSTEM
from xinjian.risk import actions
from xinjian.risk.calibration import NotEnoughHistory
from xinjian.risk.models import RiskModel
from xinjian.risk.tests.conftest import offending_history

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(enterprise_factory):
    """240 enterprises over five years (`conftest.offending_history`)."""
    return offending_history(enterprise_factory, 240, seed=7)


@freeze_time("2026-10-01 08:00:00")
def test_calibration_learns_monotonic_points_and_validates_on_a_later_period(history):
    model = RiskModel.objects.get(code="general")
    version = actions.draft_version(model, actor=SYSTEM)
    assert version.status == "draft" and version.method == "woe_logit"
    assert (
        version.trained_as_of
        < version.train_window_end
        <= version.validated_as_of
        < version.validation_window_end
    )
    spec = {item["code"]: item for item in version.spec}
    problems = spec["problem_inspections_24m"]["points"]
    assert problems == sorted(problems) and problems[-1] > 0  # monotonic, riskier with more findings
    assert all(min(item["points"]) == 0 for item in version.spec)
    report = version.validation
    v = report["validation"]
    assert v["auc"] > 0.7
    assert v["by_class"]["A"]["rate"] < v["by_class"]["D"]["rate"]
    assert set(report["targets"]) == {"auc", "d_over_a", "lift"}
    assert report["psi_vs_training"] is not None
    assert report["active_version"]["label"] == "general-v1"


@freeze_time("2026-10-01 08:00:00")
def test_version_page_shows_the_validation_report_with_charts(history, client, staff_factory):
    from django.urls import reverse

    version = actions.draft_version(RiskModel.objects.get(code="general"), actor=SYSTEM)
    client.force_login(staff_factory("440000", ["administrator"]))
    body = client.get(reverse("risk:version", args=[version.pk])).content.decode()
    assert "验证报告" in body and "启用此版本" in body
    # the charts are Apache ECharts options, one JSON block per chart (static/js/charts.js)
    for key in ("rates", "population", "lift", "roc", "histogram"):
        assert (
            f'data-chart="risk-chart-{key}"' in body
            and f'id="risk-chart-{key}" type="application/json"' in body
        )
    assert "vendor/echarts-6.1.0.min.js" in body
    # indicators by their Chinese names from the catalogue, not "age_years Years since …"
    from tests.crawl import parse

    text, _links = parse(body)
    assert "成立年限" in text and "age_years" not in text and "Years since establishment" not in text
    assert 'id="calibration-curve"' in body and "按目标占比" in body
    assert 'id="target"' in body and "学习目标" in body
    curve = version.validation["validation"]["calibration"]
    assert sum(g["inspections"] for g in curve) == version.validation["validation"]["inspections"]
    assert curve[0]["found"] < curve[-1]["found"]  # riskier scores find more


@freeze_time("2026-10-01 08:00:00")
def test_bands_follow_the_target_shares_and_change_as_a_versioned_rule(history):
    from xinjian.core.models import AuditEntry
    from xinjian.risk.models import ClassBandRule, SupervisionMeasure

    model = RiskModel.objects.get(code="general")
    before = ClassBandRule.in_force(model, dt.date(2026, 10, 1))
    version = actions.draft_version(model, actor=SYSTEM)
    bands = version.validation["bands"]
    assert bands["source"] == "shares" and bands["shares"]["D"] == 0.08
    assert ClassBandRule.in_force(model, dt.date(2026, 10, 1)) == before  # a draft changes nothing
    actions.activate_version(version, actor=SYSTEM, reason="test")
    rule = ClassBandRule.in_force(model, dt.date(2026, 10, 1))
    assert rule != before and (rule.b_from, rule.c_from, rule.d_from) == (
        bands["b_from"],
        bands["c_from"],
        bands["d_from"],
    )
    assert rule.effective_from == dt.date(2026, 10, 1) and "目标占比" in rule.basis
    assert AuditEntry.objects.filter(action="risk.bands_changed").count() == 1
    # A province that clears the shares keeps score (probability) cut-offs.
    SupervisionMeasure.objects.update(target_share=None)
    kept = actions.draft_version(model, actor=SYSTEM)
    assert kept.validation["bands"]["source"] == "rule"
    assert kept.validation["bands"]["b_from"] == rule.b_from


@freeze_time("2026-10-01 08:00:00")
def test_calibrate_command_prints_figures_and_activates(history, capsys):
    call_command("calibrate", "--model", "general", "--activate")
    out = capsys.readouterr().out
    assert "AUC" in out and "D/A" in out and "提升" in out and "已启用 general-v2" in out
    assert RiskModel.objects.get(code="general").active_version().number == 2
    call_command("score")
    assert "general-v2" in capsys.readouterr().out


def test_calibration_without_history_says_so(enterprise_factory):
    enterprise_factory()
    with pytest.raises(NotEnoughHistory):
        actions.draft_version(RiskModel.objects.get(code="general"), actor=SYSTEM)


def test_every_outcome_the_law_counts_is_a_defined_target(enterprise_factory, record):
    from xinjian.risk.calibration import snapshot
    from xinjian.risk.indicators import BY_CODE

    tested, complained, penalised, clean, late = (enterprise_factory() for _ in range(5))
    record(
        "inspection",
        tested,
        inspected_on=dt.date(2025, 3, 1),
        kind="sampling_test",
        result="sample_unqualified",
    )
    record("inspection", clean, inspected_on=dt.date(2025, 3, 1), result="no_problem")
    record("complaint", complained, received_on=dt.date(2025, 4, 1), substantiated=True)
    record("complaint", clean, received_on=dt.date(2025, 4, 1), substantiated=False)
    record("penalty", penalised, decided_on=dt.date(2025, 5, 1))
    record("penalty", late, decided_on=dt.date(2026, 5, 1))  # after the window
    snap = snapshot([BY_CODE["age_years"]], "", dt.date(2025, 1, 1), dt.date(2026, 1, 1))
    at = {eid: n for n, eid in enumerate(snap.enterprise_ids)}
    o = {
        k: {e: int(snap.outcomes[k][at[e.pk]]) for e in (tested, complained, penalised, clean, late)}
        for k in snap.outcomes
    }
    assert o["failed_test"] == {tested: 1, complained: 0, penalised: 0, clean: 0, late: 0}
    assert o["problem"][tested] == 1 and o["complaint"][complained] == 1 and o["penalty"][penalised] == 1
    assert o["complaint"][clean] == 0 and o["penalty"][late] == 0
    # Inspections: one row per inspection; any outcome: one row per enterprise.
    rows, y, w = snap.training("inspection")
    assert len(rows) == 2 and sorted(y.tolist()) == [0, 1] and w.tolist() == [1.0, 1.0]
    rows, y, w = snap.training("any_outcome")
    labels = {snap.enterprise_ids[r]: int(v) for r, v in zip(rows, y, strict=True)}
    assert labels == {tested.pk: 1, complained.pk: 1, penalised.pk: 1, clean.pk: 0, late.pk: 0}
    with pytest.raises(ValueError):
        snap.training("rumours")
