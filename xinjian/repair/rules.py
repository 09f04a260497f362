"""Reading the repair rules in force on a date (architecture rule 3), and their defaults
from domain.md §12 (seeded by migration `repair.0002` and the reference-data loader)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinjian.core.reference import version_in_force

from .models import RepairRuleSet

DEFAULT_RULES: dict[str, Any] = {
    "effective_from": dt.date(2021, 9, 1),
    "note": "domain.md §12 默认值（《市场监督管理信用修复管理办法》、国市监信发〔2021〕28号 十二）",
    # §12: 6 months of publication; 1 year for food, drug and special-equipment penalties.
    "penalty_min_months": 6,
    "penalty_min_months_strict_domains": 12,
    "strict_domains": ["food_safety", "drug", "special_equipment"],
    # §12: never for suspension, restriction of business or practice, qualification
    # downgrade or licence revocation (a business licence is a licence too).
    "never_penalty_types": [
        "suspension",
        "business_restriction",
        "practice_restriction",
        "qualification_downgrade",
        "licence_revocation",
        "business_licence_revocation",
    ],
    # §12 (seed 十二): 2+ penalties of the same kind in 3 years, or repaired within the
    # last year → twice the wait and an on-site verification.
    "repeat_penalty_count": 2,
    "repeat_window_years": 3,
    "recent_repair_years": 1,
    "strict_wait_factor": 2,
    "strict_requires_onsite": True,
    # §12 (assumed): accept or reject within 2 working days, decide within 15, update
    # publication within 3 after approval.
    "accept_working_days": 2,
    "decide_working_days": 15,
    "publication_working_days": 3,
    "max_document_mb": 10,
    "assumed": [
        "accept_working_days",
        "decide_working_days",
        "publication_working_days",
        "repeat_penalty_count",
        "repeat_window_years",
        "recent_repair_years",
        "strict_wait_factor",
    ],
}

# The standard integrity commitment (守信承诺书) the applicant confirms (Repair Measures).
STANDARD_COMMITMENT = (
    "本企业郑重承诺：所提交的信用修复申请材料真实、准确、完整；已经履行行政处罚决定或者"
    "有关决定规定的义务，已经主动消除危害后果和不良社会影响；今后将严格遵守法律、法规和"
    "规章，诚信经营，自觉接受市场监督管理部门和社会监督。如有隐瞒事实、弄虚作假，"
    "愿意承担相应法律责任，并接受撤销信用修复决定、恢复相关信息公示等处理。"
)


def rules_on(day: dt.date, region_code: str = "") -> RepairRuleSet:
    """The rule version in force on `day` for a province (its own rows first)."""
    return version_in_force(RepairRuleSet, day, region_code, defaults=DEFAULT_RULES)


def seed_repair_rules(*, RepairRuleSet: Any) -> None:  # noqa: N803 (historical model from a migration)
    """Idempotent: the national default version, once."""
    if not RepairRuleSet.objects.filter(
        province_code="", effective_from=DEFAULT_RULES["effective_from"]
    ).exists():
        RepairRuleSet.objects.create(**DEFAULT_RULES)
