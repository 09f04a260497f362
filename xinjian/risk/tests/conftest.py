from __future__ import annotations

import datetime as dt
import itertools
import random
from typing import Any

import pytest

from xinjian.collection.models import Inspection, Penalty
from xinjian.registry.models import Enterprise

_n = itertools.count(1)


@pytest.fixture
def record(db):
    """Make a collected record of `kind` for an enterprise with sensible defaults."""
    from xinjian.collection import models as c

    kinds = {
        "penalty": (
            c.Penalty,
            {
                "decision_no": "深市监罚〔2025〕1号",
                "decided_by": "深圳市市场监督管理局",
                "domain": "food_safety",
                "violation": "生产不合格食品",
                "penalty_types": ["fine"],
                "fine_amount": 5000,
            },
        ),
        "inspection": (
            c.Inspection,
            {"inspected_by": "南山区市场监督管理局", "kind": "random", "result": "no_problem"},
        ),
        "complaint": (c.Complaint, {"category": "食品安全"}),
        "list_decision": (
            c.ListDecision,
            {
                "list": "anomaly",
                "action": "add",
                "ground": "unreachable",
                "decided_by": "南山区市场监督管理局",
                "decision_no": "异常〔2025〕1号",
            },
        ),
        "licence": (
            c.Licence,
            {
                "licence_type": "food_production",
                "licence_no": "SC10144030000011",
                "issued_by": "深圳市市场监督管理局",
                "issued_on": dt.date(2020, 1, 1),
            },
        ),
    }

    def make(record_kind: str, enterprise: Any, /, **fields: Any) -> Any:
        model, defaults = kinds[record_kind]
        values = {
            "enterprise": enterprise,
            "uscc": enterprise.uscc,
            "source": "test",
            "source_id": f"R-{next(_n)}",
        }
        values.update(defaults)
        values.update(fields)
        return model.objects.create(**values)

    return make


def offending_history(enterprise_factory: Any, enterprises: int, seed: int) -> int:
    """`enterprises` enterprises over five years: a third are offenders, penalised now and
    then and found with problems at most inspections; the rest rarely. Returns the count."""
    rng = random.Random(seed)
    penalties, inspections = [], []
    n = 0
    for i in range(enterprises):
        offender = i % 3 == 0
        e = enterprise_factory(
            legal_representative=f"法人{i}", registered_capital=rng.choice([10, 100, 1000])
        )
        for year in range(2021, 2027):
            for month in (3, 9):
                n += 1
                bad = rng.random() < (0.6 if offender else 0.08)
                inspections.append(
                    Inspection(
                        enterprise=e,
                        uscc=e.uscc,
                        source="t",
                        source_id=f"I{n}",
                        inspected_on=dt.date(year, month, 10),
                        inspected_by="局",
                        kind="random",
                        result="follow_up" if bad else "no_problem",
                    )
                )
                if offender and bad and rng.random() < 0.5:
                    penalties.append(
                        Penalty(
                            enterprise=e,
                            uscc=e.uscc,
                            source="t",
                            source_id=f"P{n}",
                            decision_no=f"罚{n}",
                            decided_on=dt.date(year, month, 20),
                            decided_by="局",
                            domain="other",
                            violation="违法",
                            penalty_types=["fine"],
                            fine_amount=5000,
                        )
                    )
    Inspection.objects.bulk_create(inspections)
    Penalty.objects.bulk_create(penalties)
    return Enterprise.objects.count()
