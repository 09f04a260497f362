"""Builders for double-random tests: food producers in Nanshan, a food supervisor, an
inspector directory, and risk classes set by the test (real assessments of the risk engine)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.utils import timezone

_badge = itertools.count(1)


@pytest.fixture(autouse=True)
def _inspection_reference_data(request):
    """Transactional tests flush the rows the data migration seeded (items, rules): put
    them back, as the root conftest does for the register's reference data."""
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    request.getfixturevalue("_reference_data")
    from xinjian.inspections import models
    from xinjian.inspections.seeding import load_defaults

    if not models.InspectionItem.objects.exists():
        load_defaults(
            InspectionRule=models.InspectionRule,
            InspectionItem=models.InspectionItem,
            KeySupervisionItem=models.KeySupervisionItem,
        )


@pytest.fixture
def supervisor(staff_factory):
    return staff_factory("440305", ["food_supervisor"], "food-sup")


@pytest.fixture
def food_enterprises(enterprise_factory):
    """Enterprises tagged as food producers (active `food_production` tag)."""
    from xinjian.registry.models import KeyAreaTag

    def make(n: int, region_code: str = "440305") -> list:
        out = []
        for _ in range(n):
            e = enterprise_factory(region_code=region_code)
            KeyAreaTag.objects.create(
                enterprise=e, type_id="food_production", source="manual", since=timezone.now()
            )
            out.append(e)
        return out

    return make


@pytest.fixture
def inspector_factory(db):
    from xinjian.inspections import actions
    from xinjian.registry.models import Department

    def make(quals=("food",), division="440305", name=None, user=None):
        n = next(_badge)
        return actions.add_inspector(
            actor="test",
            department=Department.objects.get(division_id=division),
            name=name or f"检查员{n}",
            badge_no=f"44030500{n:04d}",
            qualifications=list(quals),
            user=user,
        )

    return make


class _Assessments(dict):
    """Risk classes per enterprise id, written as real general-model assessments (the
    rows `xinjian.risk.queries.current_class_map` reads), not a stand-in for risk."""

    def __init__(self, run):
        super().__init__()
        self.run = run

    def __setitem__(self, enterprise_id: int, risk_class: str) -> None:
        from xinjian.risk.models import Assessment

        Assessment.objects.update_or_create(
            enterprise_id=enterprise_id,
            model_id=self.run.version.model_id,
            defaults={
                "version": self.run.version,
                "run": self.run,
                "as_of": dt.date(2026, 1, 1),
                "assessed_at": timezone.now(),
                "score": 450,
                "risk_class": risk_class,
                "values_json": "[]",
            },
        )
        super().__setitem__(enterprise_id, risk_class)


@pytest.fixture
def risk_classes(db):
    """Set the risk class per enterprise id: `risk_classes[e.id] = "C"` stores the general
    model's assessment of the enterprise, as a scoring run would."""
    from xinjian.risk.models import ModelVersion, ScoringRun

    version = ModelVersion.objects.get(model_id="general", status="active")
    run = ScoringRun.objects.create(
        version=version, kind="full", as_of=dt.date(2026, 1, 1), actor_label="test"
    )
    return _Assessments(run)


@pytest.fixture
def food_task(supervisor):
    """A draft task over Nanshan's food producers, item SC-01, default ratios unless given."""
    from xinjian.inspections import actions
    from xinjian.inspections.models import InspectionItem
    from xinjian.registry.models import Department

    def make(ratios=None, items=("SC-01",), title="食品生产企业双随机抽查"):
        dept = Department.objects.get(division_id="440305")
        plan = actions.create_plan(actor=supervisor, department=dept, year=2026, title="2026年度抽查计划")
        return actions.create_task(
            plan,
            actor=supervisor,
            title=title,
            region_code="440305",
            items=list(InspectionItem.objects.filter(code__in=items)),
            key_area_types=["food_production"],
            ratios=ratios,
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2026, 11, 30),
        )

    return make
