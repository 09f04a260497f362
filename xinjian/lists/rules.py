"""Reading the list rules in force on a date (architecture rule 3)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.db.models import Q

from xinjian.core.reference import version_in_force

from .models import ListGround, ListRuleSet, Measure

# Defaults of domain.md §9–§11, used by the data migration and, should the table be
# empty, as the rules in force.
DEFAULT_RULES: dict[str, Any] = {
    "effective_from": dt.date(2021, 9, 1),
    "note": "domain.md §9–§11 默认值（《企业经营异常名录管理暂行办法》、总局令第44号）",
    "heavier_penalty_types": [
        # Order 44 art. 2 / domain.md §10: heavier administrative penalties.
        "qualification_downgrade",
        "licence_revocation",
        "business_licence_revocation",
        "business_restriction",
        "suspension",
        "closure",
        "practice_restriction",
    ],
    "repeat_domains": ["food_safety", "special_equipment"],
    "assumed": [
        "serious_statement_working_days",
        "serious_publication_working_days",
        "publication_order_days",
    ],
}

DEFAULT_GROUNDS = [
    # (code, list, name, basis, penalty domains)
    (
        "annual_report_missing",
        "anomaly",
        "未按规定报送年度报告",
        "《企业经营异常名录管理暂行办法》第四条第（一）项",
        [],
    ),
    (
        "unpublished_info",
        "anomaly",
        "未在责令期限内公示有关企业信息",
        "《企业经营异常名录管理暂行办法》第四条第（二）项",
        [],
    ),
    (
        "false_info",
        "anomaly",
        "公示企业信息隐瞒真实情况、弄虚作假",
        "《企业经营异常名录管理暂行办法》第四条第（三）项",
        [],
    ),
    (
        "unreachable",
        "anomaly",
        "通过登记的住所或者经营场所无法联系",
        "《企业经营异常名录管理暂行办法》第四条第（四）项",
        [],
    ),
    ("food_safety", "serious", "食品安全领域严重违法失信行为", "总局令第44号第六条", ["food_safety"]),
    ("drug", "serious", "药品、医疗器械、化妆品领域严重违法失信行为", "总局令第44号第七条", ["drug"]),
    (
        "quality_safety",
        "serious",
        "质量安全领域（含特种设备）严重违法失信行为",
        "总局令第44号第八条",
        ["special_equipment", "product_quality"],
    ),
    (
        "consumer_rights",
        "serious",
        "侵害消费者权益的严重违法失信行为",
        "总局令第44号第九条",
        ["consumer_rights"],
    ),
    (
        "competition",
        "serious",
        "破坏公平竞争秩序和扰乱市场秩序的严重违法失信行为",
        "总局令第44号第十条",
        ["competition"],
    ),
    (
        "obstruction",
        "serious",
        "拒绝、阻碍、干扰市场监管部门依法开展监督检查和事故调查",
        "总局令第44号第十一条",
        [],
    ),
    (
        "anomaly_three_years",
        "serious",
        "被列入经营异常名录届满3年仍未履行相关义务",
        "总局令第44号第十三条",
        [],
    ),
]

DEFAULT_MEASURES = [
    # (code, list, name, blocks commitment) — Order 44 art. 14 / domain.md §10.
    ("key_supervision", "serious", "列为重点监管对象，提高检查频次", False),
    ("no_notification_commitment", "serious", "不适用告知承诺制", True),
    ("no_honours", "serious", "不予授予相关荣誉称号", False),
    ("prudent_licence_review", "serious", "依法审慎审查行政许可申请", False),
    ("no_procurement", "serious", "不得委托开展政府采购项目", False),
    ("no_simplified_deregistration", "serious", "不适用简易注销", False),
    ("no_simplified_deregistration", "anomaly", "不适用简易注销", False),
    ("prominent_mark", "anomaly", "公示系统中显著标注", False),
]


def add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day `years` later (29 February → 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def rules_on(day: dt.date, region_code: str) -> ListRuleSet:
    """The rule version in force on `day` for the province of `region_code` (its own rows
    first, then the national ones). Every lookup names the region: provinces differ."""
    return version_in_force(ListRuleSet, day, region_code, defaults=DEFAULT_RULES)


def instance_rules_on(day: dt.date) -> ListRuleSet:
    """The rules in force for the province this instance serves (XINJIAN_PROVINCE): for the
    clocks and public pages that apply one rule to the whole register."""
    return rules_on(day, settings.XINJIAN_PROVINCE)


def region_of(record: Any) -> str:
    """The division a record about an enterprise belongs to: its enterprise's, or for a
    record still pending the one embedded in its USCC (characters 3–8)."""
    enterprise = getattr(record, "enterprise", None)
    return enterprise.region_code if enterprise is not None else str(record.uscc)[2:8]


def _in_force(qs: Any, day: dt.date) -> Any:
    return qs.filter(effective_from__lte=day).filter(Q(effective_to__isnull=True) | Q(effective_to__gt=day))


def grounds(list_kind: str, day: dt.date) -> list[ListGround]:
    latest: dict[str, ListGround] = {}
    for g in _in_force(ListGround.objects.filter(list=list_kind), day).order_by("code", "effective_from"):
        latest[g.code] = g
    return list(latest.values())


def ground(code: str, day: dt.date) -> ListGround | None:
    return _in_force(ListGround.objects.filter(code=code), day).order_by("-effective_from").first()


def ground_name(code: str) -> str:
    g = ListGround.objects.filter(code=code).order_by("-effective_from").first()
    return g.name if g else code


def measures(list_kind: str, day: dt.date) -> list[Measure]:
    return list(_in_force(Measure.objects.filter(list=list_kind), day).order_by("code"))


def serious_ground_for_penalty(domain: str, day: dt.date) -> ListGround | None:
    for g in grounds("serious", day):
        if domain in (g.penalty_domains or []):
            return g
    return None


# Order 44 art. 2: besides the heavier kinds in the rule table, a fine decided under the
# heavier-penalty principle (从重处罚) is a heavier penalty.
AGGRAVATED_KIND = "fine"


def heavier_penalty_types(day: dt.date, region_code: str) -> list[str]:
    """The heavier kinds of the rule version in force (Order 44 art. 2, domain.md §10)."""
    kinds = [str(t) for t in (rules_on(day, region_code).heavier_penalty_types or [])]
    bad = [t for t in kinds if not re.fullmatch(r"[a-z_]+", t)]
    if bad:  # the table is editable; a kind is a code, and it is spliced into SQL below
        raise ValueError(f"heavier_penalty_types holds a malformed kind: {bad!r}")
    return kinds


def is_heavier_penalty(penalty: Any, day: dt.date) -> bool:
    """Order 44 art. 2: a heavier penalty — one of the heavier kinds in the rule table, or a
    fine under the heavier-penalty principle. `heavier_penalty_sql` is the same rule in SQL."""
    heavy = set(heavier_penalty_types(day, region_of(penalty)))
    types = set(penalty.penalty_types or [])
    return bool(types & heavy) or (bool(penalty.aggravated) and AGGRAVATED_KIND in types)


def heavier_penalty_sql(alias: str, day: dt.date, region_code: str) -> str:
    """`is_heavier_penalty` as a SQL condition on the penalty row `alias`, for set-based
    readers (the risk indicators), with the rule version in force on `day`."""

    def has(kind: str) -> str:
        return f"CAST({alias}.penalty_types AS TEXT) LIKE '%\"{kind}\"%'"

    parts = [has(t) for t in heavier_penalty_types(day, region_code)]
    parts.append(f"({alias}.aggravated AND {has(AGGRAVATED_KIND)})")
    return "(" + " OR ".join(parts) + ")"
