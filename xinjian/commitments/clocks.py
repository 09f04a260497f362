"""Date-driven commitment rules, run by `manage.py run_clocks [--date]` (idempotent)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinjian.core.clocks import register

from . import actions
from .models import Consequence, ConsequenceKind, VerificationStatus


def due_overdue(on: dt.date) -> Any:
    """Rectifications whose working-day deadline has passed by `on` (the due day itself
    still counts as in time) and that are neither done nor flagged yet."""
    return Consequence.objects.filter(
        kind=ConsequenceKind.RECTIFY,
        rectified_on__isnull=True,
        overdue_on__isnull=True,
        due_on__lt=on,
        verification__status=VerificationStatus.UNTRUE,
    ).select_related("verification__enterprise")


@register(
    "commitments.rectification_overdue", "信用承诺：标记逾期未整改的承诺不实处理（责令限期整改）", order=40
)
def rectification_overdue(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    rows = list(due_overdue(on).order_by("id"))
    if dry_run:
        return len(rows)
    for c in rows:
        actions.flag_overdue(c, actor=actor, on=on)
    return len(rows)
