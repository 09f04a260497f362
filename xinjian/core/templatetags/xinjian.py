"""Template helpers: Chinese conventions for dates, amounts and division names."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal
from functools import lru_cache

from django import template

register = template.Library()


@lru_cache(maxsize=4)
def _division_names(bucket: int) -> dict[str, str]:
    from xinjian.registry.models import Division

    return dict(Division.objects.values_list("code", "name"))


@register.filter
def division_name(code: str) -> str:
    """440305 → 南山区 (names change rarely: cached for five minutes)."""
    return _division_names(int(time.time() // 300)).get(code or "", code or "")


@register.filter
def cn_date(value: dt.date | None) -> str:
    if not value:
        return "—"
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def yuan(value: Decimal | float | None) -> str:
    """Amounts in yuan with thousands separators; 万元 from 10,000 up (罚款 5.2万元)."""
    if value is None:
        return "—"
    amount = Decimal(value)
    if amount >= 10000:
        wan = (amount / 10000).quantize(Decimal("0.01")).normalize()
        return f"{wan:f}万元"
    return f"{amount:,.2f}元"
