"""Reading the commitment rules and templates in force on a date (architecture rule 3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import Q

from xinjian.core.reference import version_in_force

from .models import CommitmentRuleSet, CommitmentTemplate

# Defaults (domain.md §6). The seed and the rules it cites give no figure for the
# rectification period or the share of approvals to verify: both are assumed and shown
# as such on the rules page.
DEFAULT_RULES: dict[str, Any] = {
    "effective_from": dt.date(2021, 9, 1),
    "note": "domain.md §6 默认值（国市监信发〔2021〕28号 七）；整改期限与抽查比例为假定值",
    "rectification_working_days": 20,
    "default_sample_percent": Decimal("5"),
    "assumed": ["rectification_working_days", "default_sample_percent"],
}

# Standard-form templates seeded as version 1 (domain.md §6: 格式文本 issued by the
# regulator). (code, kind, title, matter, body)
DEFAULT_TEMPLATES = [
    (
        "XYCN-SP-01",
        "public",
        "食品生产企业主动公开信用承诺书",
        "食品生产经营主体责任",
        "本企业郑重承诺：\n"
        "一、严格遵守《中华人民共和国食品安全法》等法律法规，落实食品安全主体责任；\n"
        "二、所提交和公示的信息真实、准确、完整，不隐瞒、不弄虚作假；\n"
        "三、按照食品生产许可条件组织生产，不超范围生产，不使用非食用物质；\n"
        "四、自愿接受市场监管部门和社会监督，如违背承诺，愿意依法承担相应责任，"
        "承诺不实情况记入信用记录并依法公示。",
    ),
    (
        "XYCN-TZ-01",
        "public",
        "特种设备生产单位主动公开信用承诺书",
        "特种设备安全主体责任",
        "本单位郑重承诺：\n"
        "一、严格遵守《中华人民共和国特种设备安全法》，保持许可条件；\n"
        "二、所提交和公示的信息真实、准确、完整；\n"
        "三、建立并落实质量保证、安全管理和岗位责任制度；\n"
        "四、自愿接受监督，如违背承诺，愿意依法承担相应责任，承诺不实情况记入信用记录并依法公示。",
    ),
    (
        "XYCN-GZ-01",
        "notification",
        "证明事项告知承诺书（通用）",
        "以告知承诺替代证明材料",
        "申请人已知晓行政机关告知的全部内容，承诺所填写的信息真实、准确，"
        "已经符合告知的条件、标准和要求，愿意承担不实承诺的法律责任：承诺不实的，"
        "行政机关可以终止办理、责令限期整改、撤销行政决定或者予以行政处罚，并记入信用记录。",
    ),
]


def rules_on(day: dt.date, province_code: str = "") -> CommitmentRuleSet:
    """The rule version in force on `day` for a province (its own rows first)."""
    return version_in_force(CommitmentRuleSet, day, province_code, defaults=DEFAULT_RULES)


def templates_in_force(day: dt.date, region_code: str = "") -> list[CommitmentTemplate]:
    """The template versions in force on `day` (one per code, the newest), limited to
    those that apply to `region_code` when given."""
    qs = CommitmentTemplate.objects.filter(effective_from__lte=day).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gt=day)
    )
    latest: dict[str, CommitmentTemplate] = {}
    for t in qs.order_by("code", "version"):
        latest[t.code] = t
    found = list(latest.values())
    if region_code:
        found = [t for t in found if t.applies_to(region_code)]
    return found


def seed(*, CommitmentRuleSet: Any, CommitmentTemplate: Any) -> None:
    """Idempotent: the data migration and the reference-data loader call this."""
    if not CommitmentRuleSet.objects.filter(province_code="").exists():
        CommitmentRuleSet.objects.create(**DEFAULT_RULES)
    for code, kind, title, matter, body in DEFAULT_TEMPLATES:
        CommitmentTemplate.objects.get_or_create(
            code=code,
            version=1,
            defaults={
                "kind": kind,
                "title": title,
                "matter": matter,
                "body": body,
                "issued_by": "省级市场监督管理部门",
                "region_code": "",
                "effective_from": DEFAULT_RULES["effective_from"],
                "created_by": "system:seed",
                "modified_by": "system:seed",
            },
        )
