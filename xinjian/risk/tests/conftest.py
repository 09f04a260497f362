from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

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
