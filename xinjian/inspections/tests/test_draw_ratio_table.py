"""One table for the per-class draw ratio (issue 11 §3): double random reads its task
defaults from the risk app's supervision measures, for the task's province, and the data
migration moved the old double-random rows there."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from freezegun import freeze_time

from xinjian.core.errors import DomainError
from xinjian.core.models import Event
from xinjian.inspections import queries
from xinjian.inspections.models import InspectionRule
from xinjian.risk import actions as risk_actions
from xinjian.risk.models import SupervisionMeasure
from xinjian.risk.queries import draw_ratios

pytestmark = pytest.mark.django_db


def test_there_is_one_table_of_draw_ratios():
    codes = {f.name for f in InspectionRule._meta.get_fields()}
    assert "code" in codes
    assert not any(c.startswith("ratio_") for c, _l in InspectionRule._meta.get_field("code").choices)
    assert not InspectionRule.objects.filter(code__startswith="ratio_").exists()
    assert queries.default_ratios("440305", dt.date(2026, 6, 1)) == {
        "A": "0.01",
        "B": "0.02",
        "C": "0.1",
        "D": "0.3",
    }


def test_a_province_version_applies_from_its_date_in_its_province_only():
    risk_actions.set_draw_ratio(
        actor="test",
        risk_class="D",
        ratio=Decimal("0.5"),
        effective_from=dt.date(2026, 7, 1),
        basis="广东省分类监管办法",
        province_code="440000",
    )
    assert queries.default_ratios("440305", dt.date(2026, 6, 30))["D"] == "0.3"  # the day before
    assert queries.default_ratios("440305", dt.date(2026, 7, 1))["D"] == "0.5"  # from its day
    assert queries.default_ratios("450100", dt.date(2026, 7, 1))["D"] == "0.3"  # another province
    assert draw_ratios(dt.date(2026, 7, 1), "440305")["A"] == Decimal("0.01")  # other classes: national
    ev = Event.objects.filter(type="risk.draw_ratio_changed").latest("id")
    assert ev.data["class"] == "D" and ev.data["ratio"] == "0.5" and ev.data["province_code"] == "440000"


@freeze_time("2026-07-01")
def test_a_task_takes_its_defaults_from_the_one_table(supervisor, food_task):
    risk_actions.set_draw_ratio(
        actor="test", risk_class="C", ratio=Decimal("0.15"), effective_from=dt.date(2026, 3, 1), basis="省定"
    )
    assert food_task().ratios["C"] == "0.15"  # the task starts 2026-03-01


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"risk_class": "E"}, "risk_class"),
        ({"ratio": Decimal("1.5")}, "ratio"),
        ({"ratio": Decimal("0.12345")}, "ratio"),
        ({"province_code": "440300"}, "province_code"),
        ({"basis": " "}, "basis"),
    ],
)
def test_bad_ratio_versions_are_refused_with_their_field(kwargs, field):
    args = {
        "actor": "test",
        "risk_class": "A",
        "ratio": Decimal("0.02"),
        "effective_from": dt.date(2026, 1, 1),
        "basis": "x",
    }
    args.update(kwargs)
    with pytest.raises(DomainError) as e:
        risk_actions.set_draw_ratio(**args)
    assert [d["field"] for d in e.value.details] == [field]


def test_the_data_migration_moves_the_old_double_random_ratios():
    """Run the frozen migration's function on rows as they stood before it."""
    migration = importlib.import_module("xinjian.inspections.migrations.0005_draw_ratios_in_risk_measures")
    InspectionRule.objects.create(
        code="ratio_C",
        value=Decimal("0.12"),
        effective_from=dt.date(2021, 9, 1),
        basis="旧规则",
        entered_by="x",
    )
    InspectionRule.objects.create(
        code="ratio_C",
        value=Decimal("0.2"),
        effective_from=dt.date(2026, 8, 1),
        basis="旧规则二",
        entered_by="y",
    )
    migration.move(apps, None)
    assert not InspectionRule.objects.filter(code__startswith="ratio_").exists()
    moved = SupervisionMeasure.objects.get(risk_class="C", effective_from=dt.date(2021, 9, 1))
    assert moved.draw_ratio == Decimal("0.12") and moved.province_code == "" and moved.measures
    assert queries.default_ratios("440305", dt.date(2021, 12, 1))["C"] == "0.12"
    assert queries.default_ratios("440305", dt.date(2026, 7, 31))["C"] == "0.1"
    assert queries.default_ratios("440305", dt.date(2026, 8, 1))["C"] == "0.2"


def test_the_rules_page_shows_and_enters_the_ratios(client, staff_factory):
    admin = staff_factory("440305", ["administrator"], "rules-admin")
    client.force_login(admin)
    page = client.get("/staff/inspections/rules/").content.decode()
    assert 'id="draw-ratios"' in page and "0.3" in page
    r = client.post(
        "/staff/inspections/rules/",
        {
            "risk_class": "B",
            "scope": "province",
            "ratio": "0.03",
            "effective_from": "2026-01-01",
            "basis": "省定",
        },
    )
    assert r.status_code == 302
    row = SupervisionMeasure.objects.get(risk_class="B", province_code="440000")
    assert row.draw_ratio == Decimal("0.03") and row.entered_by
    r = client.post(
        "/staff/inspections/rules/",
        {"risk_class": "B", "scope": "province", "ratio": "2", "effective_from": "2026-01-01", "basis": "x"},
        follow=True,
    )
    assert "抽查比例须在0到1之间" in r.content.decode()
