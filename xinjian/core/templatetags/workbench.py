"""Small helpers of the workbench's to-do table."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

register = template.Library()


@register.simple_tag
def days_left(todo: Any, on: dt.date) -> int | None:
    """Days from `on` to the item's deadline (negative when overdue); None without one."""
    return todo.days_left(on)


@register.filter
def abs_int(value: int | None) -> int:
    return abs(value or 0)
