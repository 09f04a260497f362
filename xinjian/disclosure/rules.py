"""The disclosure rule table read as data (architecture rule 3).

`value(key, region_code, on)` answers "what does this rule say for an enterprise in this
region on this day": the latest version in force for the enterprise's province, else the
latest national version. `segments(key)` gives the same answer as a partition of
(province, date) for the SQL filters of `policy`.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from .models import DisclosureRule, RuleKey

# The defaults of domain.md §5; Order 45 in force 2021-09-01.
ORDER_45 = dt.date(2021, 9, 1)
DEFAULTS: list[dict] = [
    {
        "key": RuleKey.PENALTY_SHORT_MONTHS,
        "value": 3,
        "assumed": False,
        "basis": "《市场监督管理行政处罚信息公示规定》第十三条",
    },
    {
        "key": RuleKey.PENALTY_LONG_MONTHS,
        "value": 36,
        "assumed": False,
        "basis": "《市场监督管理行政处罚信息公示规定》第十三条",
    },
    {
        "key": RuleKey.PENALTY_LOWER_FINE,
        "value": 10000,
        "assumed": True,
        "basis": "《市场监督管理行政处罚信息公示规定》第十三条（较低数额由省级市场监管部门确定）",
        "note": "各省标准不一，默认按法人罚款1万元（含）以下推定，省级管理员应按本省规定调整",
    },
    {
        "key": RuleKey.PENALTY_LOWER_FINE_OTHER_ORG,
        "value": 10000,
        "assumed": True,
        "basis": "《市场监督管理行政处罚信息公示规定》第十三条（较低数额由省级市场监管部门确定）",
        "note": "推定值：《行政处罚法》将法人和其他组织适用同一罚款数额标准，默认与法人相同；省级管理员应按本省规定调整",
    },
    {
        "key": RuleKey.PENALTY_LOWER_FINE_INDIVIDUAL,
        "value": 1000,
        "assumed": True,
        "basis": "《市场监督管理行政处罚信息公示规定》第十三条（较低数额由省级市场监管部门确定）；《民法典》第五十四条",
        "note": "推定值：个体工商户按自然人适用罚款数额标准（《行政处罚法》第五十一条区分公民与法人、其他组织），"
        "各地一般按法人、其他组织标准的十分之一确定，默认1000元；省级管理员应按本省规定调整",
    },
    {
        "key": RuleKey.PENALTY_PUBLISH_DAYS,
        "value": 20,
        "assumed": False,
        "basis": "《市场监督管理行政处罚信息公示规定》第九条",
    },
    {
        "key": RuleKey.PENALTY_WITHDRAW_DAYS,
        "value": 3,
        "assumed": False,
        "basis": "《市场监督管理行政处罚信息公示规定》第十五条",
    },
    {
        "key": RuleKey.INSPECTION_PUBLISH_DAYS,
        "value": 20,
        "assumed": False,
        "basis": "双随机、一公开监管有关规定（检查结果20个工作日内公示）",
    },
]


def seed_defaults(Rule=DisclosureRule) -> int:  # type: ignore[no-untyped-def]
    """Idempotent: the national defaults, effective from Order 45's entry into force."""
    made = 0
    for row in DEFAULTS:
        _, created = Rule.objects.get_or_create(
            key=str(row["key"]),
            province_code="",
            effective_from=ORDER_45,
            defaults={
                "value": Decimal(row["value"]),
                "assumed": row["assumed"],
                "basis": row["basis"],
                "note": row.get("note", ""),
                "created_by": "system:seed",
            },
        )
        made += created
    return made


@dataclass(frozen=True)
class Version:
    key: str
    province_code: str
    effective_from: dt.date
    value: Decimal


_cache: tuple[float, dict[str, list[Version]]] | None = None
_TTL = 30.0  # seconds; `invalidate()` is called by every action that adds a version


def invalidate() -> None:
    global _cache
    _cache = None


def _table() -> dict[str, list[Version]]:
    global _cache
    now = time.monotonic()
    if _cache is None or now - _cache[0] > _TTL:
        table: dict[str, list[Version]] = {}
        for r in DisclosureRule.objects.order_by("effective_from", "id"):
            table.setdefault(r.key, []).append(Version(r.key, r.province_code, r.effective_from, r.value))
        _cache = (now, table)
    return _cache[1]


def table_version() -> object:
    """The loaded rule table itself: a new object whenever the table is reloaded, so a
    query compiled against one version is not reused under another."""
    return _table()


def province_of(region_code: str) -> str:
    return (region_code or "")[:2] + "0000" if region_code else ""


def value(key: str, region_code: str, on: dt.date) -> Decimal:
    versions = _table().get(str(key), [])
    province = province_of(region_code)
    best: Version | None = None
    for v in versions:  # ordered by effective_from
        if v.effective_from > on:
            break
        if v.province_code == province:
            best = v
    if best is None:
        for v in versions:
            if v.effective_from > on:
                break
            if v.province_code == "":
                best = v
    if best is None:
        # Before any version: the earliest national version (records decided before the
        # rule table's first date are read under the first rule we know).
        national = [v for v in versions if v.province_code == ""]
        if not national:
            raise LookupError(f"no rule {key}")
        best = national[0]
    return best.value


def segments(key: str, date_field: str, region_field: str) -> list[tuple[Q, Decimal]]:
    """A partition of all rows into (condition, value) pairs that gives the same value as
    `value(key, region, row.date_field)` for every row."""
    versions = _table().get(str(key), [])
    national = [v for v in versions if v.province_code == ""]
    if not national:
        raise LookupError(f"no rule {key}")
    provinces = sorted({v.province_code for v in versions if v.province_code})

    def spans(vs: list[Version], first_open: bool) -> list[tuple[dt.date | None, dt.date | None, Decimal]]:
        out = []
        for i, v in enumerate(vs):
            start = None if (i == 0 and first_open) else v.effective_from
            end = vs[i + 1].effective_from if i + 1 < len(vs) else None
            out.append((start, end, v.value))
        return out

    def date_q(start: dt.date | None, end: dt.date | None) -> Q:
        q = Q()
        if start is not None:
            q &= Q(**{f"{date_field}__gte": start})
        if end is not None:
            q &= Q(**{f"{date_field}__lt": end})
        return q

    out: list[tuple[Q, Decimal]] = []
    others = Q()
    for p in provinces:
        others &= ~Q(**{f"{region_field}__startswith": p[:2]})
    for start, end, val in spans(national, True):
        out.append((others & date_q(start, end), val))
    for p in provinces:
        in_p = Q(**{f"{region_field}__startswith": p[:2]})
        own = [v for v in versions if v.province_code == p]
        first = own[0].effective_from
        # Before the province's first version the national rule applies.
        for start, end, val in spans(national, True):
            if start is not None and start >= first:
                continue
            clipped_end = first if end is None or end > first else end
            out.append((in_p & date_q(start, clipped_end), val))
        for start, end, val in spans(own, False):
            out.append((in_p & date_q(start, end), val))
    return out
