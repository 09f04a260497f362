"""Records as the systems send them (interfaces.md field names)."""

from __future__ import annotations

import itertools
from typing import Any

_n = itertools.count(1)


def penalty(uscc: str, **fields: Any) -> dict[str, Any]:
    n = next(_n)
    rec = {
        "source_id": f"P-{n}",
        "uscc": uscc,
        "decision_no": f"深南市监罚〔2024〕{n}号",
        "decided_on": "2024-03-05",
        "decided_by": "深圳市南山区市场监督管理局",
        "domain": "food_safety",
        "violation": "生产经营超过保质期的食品",
        "penalty_types": ["warning", "fine"],
        "fine_amount": 5000,
    }
    rec.update(fields)
    return rec


def licence(uscc: str, **fields: Any) -> dict[str, Any]:
    n = next(_n)
    rec = {
        "source_id": f"L-{n}",
        "uscc": uscc,
        "licence_type": "food_production",
        "licence_no": f"SC1014403{n:07d}",
        "issued_by": "深圳市市场监督管理局",
        "issued_on": "2023-01-10",
        "valid_until": "2028-01-09",
    }
    rec.update(fields)
    return rec


def enterprise(uscc: str, **fields: Any) -> dict[str, Any]:
    rec = {
        "uscc": uscc,
        "name": f"深圳市归集测试食品有限公司{next(_n)}",
        "legal_representative": "李四",
        "established_on": "2016-05-01",
        "region_code": uscc[2:8],
    }
    rec.update(fields)
    return rec


def one_of_each(uscc: str) -> dict[str, dict[str, Any]]:
    n = next(_n)
    return {
        "licences": licence(uscc),
        "penalties": penalty(uscc),
        "inspections": {
            "source_id": f"I-{n}",
            "uscc": uscc,
            "inspected_on": "2024-04-01",
            "inspected_by": "南山区市场监督管理局",
            "kind": "random",
            "result": "no_problem",
        },
        "complaints": {
            "source_id": f"C-{n}",
            "uscc": uscc,
            "received_on": "2024-02-01",
            "category": "食品",
            "substantiated": True,
        },
        "annual-reports": {"uscc": uscc, "year": 2023, "filed_on": "2024-05-20"},
        "list-decisions": {
            "source_id": f"D-{n}",
            "uscc": uscc,
            "list": "anomaly",
            "action": "add",
            "ground": "annual_report_missing",
            "decided_on": "2024-07-10",
            "decided_by": "南山区市场监督管理局",
            "decision_no": f"深南市监异〔2024〕{n}号",
        },
        "commitments": {
            "source_id": f"K-{n}",
            "uscc": uscc,
            "kind": "notification",
            "matter": "食品生产许可",
            "committed_on": "2024-01-15",
        },
    }
