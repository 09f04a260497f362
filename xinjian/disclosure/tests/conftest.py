"""Builders for disclosure tests: penalties, inspections, commitments, complaints."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

_n = itertools.count(1)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Profiles and rule versions are cached in-process: start each test cold."""
    from django.core.cache import caches

    from xinjian.disclosure import rules

    caches["default"].clear()
    rules.invalidate()
    yield
    caches["default"].clear()
    rules.invalidate()


@pytest.fixture
def penalty_factory(db):
    from xinjian.collection.models import Penalty

    def make(enterprise, **fields: Any) -> Penalty:
        n = next(_n)
        defaults = {
            "enterprise": enterprise,
            "uscc": enterprise.uscc,
            "source": "test",
            "source_id": f"P-{n}",
            "decision_no": f"深市监罚〔2025〕{n}号",
            "decided_on": dt.date(2025, 1, 6),
            "decided_by": "深圳市市场监督管理局",
            "domain": "food_safety",
            "violation": "生产经营不符合食品安全标准的食品",
            "penalty_types": ["fine"],
            "fine_amount": 50000,
            "status": "in_force",
        }
        defaults.update(fields)
        return Penalty.objects.create(**defaults)

    return make


@pytest.fixture
def inspection_factory(db):
    from xinjian.collection.models import Inspection

    def make(enterprise, **fields: Any) -> Inspection:
        n = next(_n)
        defaults = {
            "enterprise": enterprise,
            "uscc": enterprise.uscc,
            "source": "test",
            "source_id": f"I-{n}",
            "inspected_on": dt.date(2025, 3, 3),
            "inspected_by": "南山区市场监督管理局",
            "kind": "random",
            "result": "corrected",
        }
        defaults.update(fields)
        return Inspection.objects.create(**defaults)

    return make


@pytest.fixture
def complaint_factory(db):
    from xinjian.collection.models import Complaint

    def make(enterprise, **fields: Any) -> Complaint:
        n = next(_n)
        defaults = {
            "enterprise": enterprise,
            "uscc": enterprise.uscc,
            "source": "test",
            "source_id": f"C-{n}",
            "received_on": dt.date(2025, 2, 1),
            "category": "食品质量",
            "substantiated": True,
        }
        defaults.update(fields)
        return Complaint.objects.create(**defaults)

    return make
