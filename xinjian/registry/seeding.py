"""Reference data shipped with the platform: divisions of a province (GB/T 2260), one
market regulation department per division with its offices, and the default key-area
types of domain.md §3. The reference-data loader uses it (the data migration carries a
frozen copy)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"

OFFICES = [
    ("credit", "信用监管科"),
    ("food", "食品生产监管科"),
    ("special_equipment", "特种设备安全监察科"),
    ("enforcement", "执法稽查科"),
    ("it", "信息化管理科"),
]

KEY_AREA_TYPES = [
    # code, name, name_en, domain, licence_type, licence_no_prefix, enabled
    ("food_production", "食品生产企业", "Food production enterprise", "food", "food_production", "SC1", True),
    (
        "food_additive_production",
        "食品添加剂生产企业",
        "Food additive production enterprise",
        "food",
        "food_additive_production",
        "SC2",
        True,
    ),
    (
        "special_equipment_production",
        "特种设备生产单位",
        "Special equipment production unit",
        "special_equipment",
        "special_equipment_production",
        "TS",
        True,
    ),
    (
        "special_equipment_filling",
        "移动式压力容器/气瓶充装单位",
        "Pressure vessel / gas cylinder filling unit",
        "special_equipment",
        "special_equipment_filling",
        "TS",
        True,
    ),
    # Ready to enable (domain.md §3).
    (
        "industrial_product",
        "重点工业产品生产企业",
        "Key industrial product producer",
        "industrial_product",
        "industrial_product",
        "",
        False,
    ),
    ("food_business", "食品经营者", "Food business operator", "food", "food_business", "JY", False),
]


def _level(code: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def _parent(code: str, known: set[str]) -> str | None:
    level = _level(code)
    if level == "province":
        return None
    if level == "city":
        return code[:2] + "0000"
    city = code[:4] + "00"
    return city if city in known else code[:2] + "0000"


def load_province(province: str, *, Division: Any, Department: Any, Office: Any) -> int:
    """Idempotent: divisions and departments already present are left alone."""
    path = DATA / f"divisions_{province}.csv"
    if not path.exists():
        raise FileNotFoundError(f"no division data for {province} ({path.name})")
    with path.open(encoding="utf-8") as f:
        rows = [(r["code"], r["name"]) for r in csv.DictReader(f)]
    known = {code for code, _ in rows}
    created = 0
    for code, name in sorted(rows):  # parents sort before children
        division, new = Division.objects.get_or_create(
            code=code, defaults={"name": name, "level": _level(code), "parent_id": _parent(code, known)}
        )
        created += new
        dept, _ = Department.objects.get_or_create(
            division=division, defaults={"name": f"{name}市场监督管理局"}
        )
        for kind, office_name in OFFICES:
            Office.objects.get_or_create(department=dept, kind=kind, defaults={"name": office_name})
    return created


def load_key_area_types(*, KeyAreaType: Any) -> None:
    for i, (code, name, name_en, domain, licence_type, prefix, enabled) in enumerate(KEY_AREA_TYPES):
        KeyAreaType.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "domain": domain,
                "licence_type": licence_type,
                "licence_no_prefix": prefix,
                "enabled": enabled,
                "sort_order": i * 10,
            },
        )
