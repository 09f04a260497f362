"""Reference data shipped with the platform: the divisions of the whole country (GB/T 2260,
with validity dates), one market regulation department per division of the territory with
its offices, and the default key-area
types of domain.md §3. The reference-data loader uses it (the data migration carries a
frozen copy)."""

from __future__ import annotations

import csv
import datetime as dt
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


COUNTRY = DATA / "gbt2260_20251231.csv"
NATIONAL = ("000000", "中华人民共和国")
_LEVEL_ORDER = {"national": 0, "province": 1, "city": 2, "county": 3}


def _level(code: str) -> str:
    if code == NATIONAL[0]:
        return "national"
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    return "county"


def _parent(code: str, known: set[str]) -> str | None:
    level = _level(code)
    if level in ("national", "province"):
        return None
    province = code[:2] + "0000"
    if level == "city":
        return province if province in known else None
    city = code[:4] + "00"
    return city if city in known else province if province in known else None


def read_divisions(path: Path = COUNTRY) -> list[tuple[str, str, dt.date | None, dt.date | None]]:
    """(code, name, valid_from, valid_to) of every division the data file lists."""
    with path.open(encoding="utf-8") as f:
        return [
            (
                r["code"],
                r["name"],
                dt.date.fromisoformat(r["valid_from"]) if r["valid_from"] else None,
                dt.date.fromisoformat(r["valid_to"]) if r["valid_to"] else None,
            )
            for r in csv.DictReader(f)
        ]


def load_divisions(*, Division: Any, rows: list[tuple[str, str, Any, Any]] | None = None) -> int:
    """The divisions of the whole country (and the nation itself, 000000). Idempotent:
    adds the codes missing and sets the validity dates of the ones present."""
    rows = [(NATIONAL[0], NATIONAL[1], None, None), *(rows if rows is not None else read_divisions())]
    known = {r[0] for r in rows}
    have = {d.code: d for d in Division.objects.all()}
    new, changed = [], []
    for code, name, valid_from, valid_to in sorted(rows, key=lambda r: (_LEVEL_ORDER[_level(r[0])], r[0])):
        d = have.get(code)
        if d is None:
            new.append(
                Division(
                    code=code,
                    name=name,
                    level=_level(code),
                    parent_id=_parent(code, known),
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
            )
        elif (d.valid_from, d.valid_to) != (valid_from, valid_to):
            d.valid_from, d.valid_to = valid_from, valid_to
            changed.append(d)
    Division.objects.bulk_create(new, batch_size=1000)
    Division.objects.bulk_update(changed, ["valid_from", "valid_to"], batch_size=1000)
    return len(new)


def load_departments(territory: str, *, Division: Any, Department: Any, Office: Any) -> int:
    """One market regulation department (with its offices) per division in force of the
    territory; for the national hub (000000), SAMR and one bureau per province. Idempotent."""
    if territory == NATIONAL[0]:
        divisions = list(Division.objects.filter(level__in=("national", "province"), valid_to__isnull=True))
    else:
        divisions = list(Division.objects.filter(code__startswith=territory[:2], valid_to__isnull=True))
    created = 0
    for division in sorted(divisions, key=lambda d: d.code):
        name = "国家市场监督管理总局" if division.code == NATIONAL[0] else f"{division.name}市场监督管理局"
        dept, new = Department.objects.get_or_create(division=division, defaults={"name": name})
        created += new
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
