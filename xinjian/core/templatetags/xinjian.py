"""Template helpers: dates and amounts (division names: the `registry` library).

Chinese conventions by default (2026年11月27日, 5.2万元); with another language active (the
English UI) the same values follow English conventions (27 Nov 2026, CNY 52,000.00)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template

from xinjian.core.i18n import chinese_ui

register = template.Library()


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@register.filter
def cn_date(value: dt.date | dt.datetime | None) -> str:
    """2026年11月27日 in Chinese, 27 Nov 2026 otherwise (month names not localised further:
    English is the only other language). A moment is dated on Beijing's calendar."""
    if not value:
        return "—"
    if isinstance(value, dt.datetime):
        from xinjian.core.workdays import local_day

        value = local_day(value)
    if chinese_ui():
        return f"{value.year}年{value.month}月{value.day}日"
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


@register.filter
def yuan(value: Decimal | float | None) -> str:
    """Amounts in yuan with thousands separators; 万元 from 10,000 up (罚款 5.2万元).
    English: CNY 12,345.00 (no 万 grouping: English readers count in thousands)."""
    if value is None:
        return "—"
    amount = Decimal(value)
    if not chinese_ui():
        return f"CNY {amount:,.2f}"
    if amount >= 10000:
        wan = (amount / 10000).quantize(Decimal("0.01")).normalize()
        return f"{wan:f}万元"
    return f"{amount:,.2f}元"


@register.simple_tag
def due(obj: object, field: str) -> str:
    """A statutory deadline as the law and today's calendar give it (core.deadlines):
    the date, how it was computed (on hover) and the provisional mark when the calendar
    lacks a year it runs through. Never the stored copy."""
    from django.utils.html import format_html
    from django.utils.translation import gettext

    from xinjian.core import deadlines

    deadline = deadlines.compute(obj, field)
    if deadline is None:
        return "—"
    mark = (
        format_html(' <span class="provisional">{}</span>', gettext("（临时期限）"))
        if deadline.provisional
        else ""
    )
    return format_html('<span title="{}">{}</span>{}', deadline.explain(), cn_date(deadline.due), mark)


@register.filter
def qr_data_uri(value: str) -> str:
    """A QR code of `value` as an SVG data URI (segno, pure Python): an <img> the CSP
    allows (img-src data:) and print keeps. Used for the credit report's verification
    link."""
    import segno

    if not value:
        return ""
    return str(segno.make(str(value), error="m").svg_data_uri(scale=4, border=2))
