"""Template helpers of the register: division names."""

from __future__ import annotations

import time
from functools import lru_cache

from django import template

from ..models import Division

register = template.Library()


@lru_cache(maxsize=4)
def _division_names(bucket: int) -> dict[str, str]:
    return dict(Division.objects.values_list("code", "name"))


@register.filter
def division_name(code: str) -> str:
    """440305 → 南山区 (names change rarely: cached for five minutes)."""
    return _division_names(int(time.time() // 300)).get(code or "", code or "")
