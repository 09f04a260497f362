from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

_n = itertools.count(1)


@pytest.fixture
def penalty_factory(db):
    """A heavier food-safety penalty (tests/factories.py, trait `heavy`)."""
    from tests.factories import PenaltyFactory

    return lambda enterprise, **fields: PenaltyFactory(enterprise=enterprise, heavy=True, **fields)


@pytest.fixture
def batch_decision(db):
    from xinjian.lists.models import BatchDecision
    from xinjian.registry.models import Department

    def make(division: str = "440305", year: int = 2025) -> BatchDecision:
        return BatchDecision.objects.create(
            department=Department.objects.get(division_id=division),
            report_year=year,
            decision_no=f"深南市监异字〔{year + 1}〕1号",
            decided_on=dt.date(year + 1, 7, 1),
        )

    return make


@pytest.fixture
def listed_anomaly(enterprise_factory):
    from xinjian.core.actors import CLOCK
    from xinjian.lists import actions

    def make(listed_on: dt.date, ground: str = "unreachable", **kw: Any):
        e = kw.pop("enterprise", None) or enterprise_factory()
        return actions.list_anomaly(
            e,
            actor=CLOCK,
            ground=ground,
            on=listed_on,
            decision_no=f"深南异〔{listed_on.year}〕{next(_n)}号",
            **kw,
        )

    return make


@pytest.fixture
def published_serious(enterprise_factory, penalty_factory):
    """A serious listing taken through the whole procedure, published on `on`."""
    from xinjian.core.actors import SYSTEM
    from xinjian.lists import actions

    def make(on: dt.date, penalty=None, enterprise=None, approver=None):
        e = enterprise or (penalty.enterprise if penalty else enterprise_factory())
        p = penalty or penalty_factory(e, decided_on=on)
        s = actions.propose_serious(e, actor=SYSTEM, ground="food_safety", on=on, penalty=p)
        actions.notify_party(s, actor=SYSTEM, on=on)
        actions.submit_for_approval(s, actor=SYSTEM, on=on, waived=True)
        s.status = "approved"  # approval itself is tested with real approvers elsewhere
        s.save()
        actions.decide_serious(s, actor=SYSTEM, decision_no=f"深南市监严〔{on.year}〕{next(_n)}号", on=on)
        actions.publish_serious(s, actor=SYSTEM, on=on)
        return s

    return make
