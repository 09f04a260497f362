"""`label` / `labels` filters: codes as words (core.labels)."""

from __future__ import annotations

from typing import Any

from django import template

from xinjian.core import labels as _labels

register = template.Library()


@register.filter
def label(value: Any, name: str) -> str:
    return _labels.label(name, value)


@register.filter
def labels(values: Any, name: str) -> list[str]:
    return _labels.labels(name, values)
