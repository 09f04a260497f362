"""Reference data shipped with double random (domain.md §7, §8): the default inspection
items and key supervision items for food production and special equipment, and the rule
values in force from 2021-09-01. Used by the data migration; a domain office edits them
afterwards (new rule versions take an effective date)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

RULES_FROM = dt.date(2021, 9, 1)

RULES = [
    # code, value, basis, assumed. The per-class draw ratios live in the risk app's
    # supervision measures (one table, issue 11 §3).
    ("inspectors_per_target", "2", "《行政处罚法》第四十二条：执法人员不得少于两人", False),
    ("publication_working_days", "20", "双随机抽查结果自产生之日起20个工作日内公示", False),
    ("food_full_cycle_years", "2", "食品生产企业每两年至少全项目检查一次", False),
]

INSPECTION_ITEMS = [
    # code, name, legal basis, office, target population, key-area types, method, qualification, is_key
    (
        "SC-01",
        "食品生产企业生产条件及生产过程检查",
        "《中华人民共和国食品安全法》第一百一十条；《食品生产许可管理办法》",
        "food",
        "持有有效食品生产许可证的企业",
        ["food_production"],
        "onsite",
        "food",
        False,
    ),
    (
        "SC-02",
        "食品添加剂生产企业监督检查",
        "《中华人民共和国食品安全法》第一百一十条；《食品生产许可管理办法》",
        "food",
        "持有有效食品添加剂生产许可证的企业",
        ["food_additive_production"],
        "onsite",
        "food",
        False,
    ),
    (
        "SC-03",
        "食品生产企业产品监督抽检",
        "《中华人民共和国食品安全法》第八十七条；《食品安全抽样检验管理办法》",
        "food",
        "持有有效食品生产许可证的企业",
        ["food_production", "food_additive_production"],
        "sampling",
        "food",
        False,
    ),
    (
        "SC-K1",
        "婴幼儿配方食品、特殊医学用途配方食品生产企业全项目检查",
        "《中华人民共和国食品安全法》第八十一条、第一百一十条",
        "food",
        "特殊食品生产企业",
        ["food_production"],
        "onsite",
        "food",
        True,
    ),
    (
        "TS-01",
        "特种设备生产单位许可条件保持情况检查",
        "《中华人民共和国特种设备安全法》第十八条、第五十七条；《特种设备生产和充装单位许可规则》",
        "special_equipment",
        "持有有效特种设备生产许可证的单位",
        ["special_equipment_production"],
        "onsite",
        "special_equipment",
        False,
    ),
    (
        "TS-02",
        "移动式压力容器、气瓶充装单位充装活动检查",
        "《中华人民共和国特种设备安全法》第四十九条、第五十七条",
        "special_equipment",
        "持有有效充装许可证的单位",
        ["special_equipment_filling"],
        "onsite",
        "special_equipment",
        False,
    ),
    (
        "GS-01",
        "企业公示信息情况检查",
        "《企业信息公示暂行条例》第十四条",
        "credit",
        "辖区内企业",
        [],
        "documents",
        "general",
        False,
    ),
]

KEY_SUPERVISION_ITEMS = [
    # code, name, who, whom, how, legal basis
    (
        "ZD-SC-01",
        "严重违法失信名单内食品生产企业重点检查",
        "县级以上市场监管部门食品生产监管机构",
        "列入严重违法失信名单的食品生产企业",
        "提高检查频次，每年至少全项目检查一次；必要时飞行检查",
        "《市场监督管理严重违法失信名单管理办法》第十二条",
    ),
    (
        "ZD-SC-02",
        "特殊食品生产企业日常监督检查",
        "县级以上市场监管部门食品生产监管机构",
        "婴幼儿配方食品、特殊医学用途配方食品、保健食品生产企业",
        "每年全覆盖检查，体系检查与飞行检查相结合",
        "《中华人民共和国食品安全法》第八十一条、第八十三条",
    ),
    (
        "ZD-TS-01",
        "气瓶充装单位重点监督检查",
        "县级以上市场监管部门特种设备安全监察机构",
        "气瓶及移动式压力容器充装单位",
        "每年至少一次现场检查，检查充装前后检查记录与追溯系统",
        "《中华人民共和国特种设备安全法》第四十九条、第五十七条",
    ),
    (
        "ZD-TS-02",
        "发生事故或被投诉举报的特种设备生产单位专项检查",
        "县级以上市场监管部门特种设备安全监察机构",
        "近一年发生事故或投诉举报查证属实的特种设备生产单位",
        "专项检查，必要时责令停止生产并整改",
        "《中华人民共和国特种设备安全法》第五十七条、第六十一条",
    ),
]


def load_defaults(*, InspectionRule: Any, InspectionItem: Any, KeySupervisionItem: Any) -> None:
    for code, value, basis, assumed in RULES:
        InspectionRule.objects.get_or_create(
            code=code,
            effective_from=RULES_FROM,
            defaults={"value": Decimal(value), "basis": basis, "assumed": assumed, "entered_by": "system"},
        )
    for code, name, basis, office, population, types, method, qualification, is_key in INSPECTION_ITEMS:
        InspectionItem.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "legal_basis": basis,
                "office": office,
                "target_population": population,
                "key_area_types": types,
                "method": method,
                "qualification": qualification,
                "is_key": is_key,
            },
        )
    for code, name, who, whom, how, basis in KEY_SUPERVISION_ITEMS:
        KeySupervisionItem.objects.get_or_create(
            code=code,
            defaults={"name": name, "supervisor": who, "target": whom, "measures": how, "legal_basis": basis},
        )
