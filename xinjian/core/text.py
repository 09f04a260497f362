"""Free text from a form or a request body, checked the same way everywhere: trimmed, a
required value present, NUL characters (no PostgreSQL column holds them) and over-long
values refused as bad input with the field named — never a 500."""

from __future__ import annotations

from django.utils.translation import gettext

from .errors import DomainError, field_error


def clean(value: str | None, field: str, *, limit: int = 4000) -> str:
    value = (value or "").strip()
    if "\x00" in value:
        raise DomainError(
            gettext("含有不允许的空字符（0x00）"),
            code="invalid_character",
            details=[field_error(field, "invalid_character", "0x00")],
        )
    if len(value) > limit:
        raise DomainError(gettext("内容过长"), details=[field_error(field, "too_long", str(limit))])
    return value


def required(value: str | None, field: str, label: str) -> str:
    """The trimmed value; an empty one is refused (`required`, naming the field)."""
    value = (value or "").strip()
    if not value:
        raise DomainError(
            gettext("%(label)s不能为空") % {"label": label},
            code="required",
            details=[field_error(field, "required", "必填")],
        )
    return value


def between(value: str | None, field: str, label: str, low: int, high: int) -> str:
    """Cleaned text of `low` to `high` characters."""
    value = clean(value, field, limit=high + 1)
    if not low <= len(value) <= high:
        raise DomainError(
            gettext("%(label)s应为%(low)d至%(high)d字") % {"label": label, "low": low, "high": high},
            details=[field_error(field, "length", f"{low}-{high}")],
        )
    return value
