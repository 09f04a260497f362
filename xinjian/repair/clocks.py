"""Date-driven repair rules, run by `manage.py run_clocks [--date]`: the legal time limits
of domain.md §12 (accept 2, decide 15, update publication 3 working days — assumed, rule
table) are flagged when they pass. Idempotent: a step is flagged once."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q

from xinjian.core.clocks import register

from . import actions
from .models import RepairApplication, RepairStatus

R = RepairStatus


def overdue(on: dt.date) -> Any:
    """Open applications whose awaited step is past its time limit on `on`."""
    return RepairApplication.objects.filter(
        Q(status=R.SUBMITTED, accept_due__lt=on)
        | Q(status__in=[R.ACCEPTED, R.VERIFIED], decide_due__lt=on)
        | Q(status=R.APPROVED, publication_due__lt=on)
    )


@register(
    "repair.overdue",
    "信用修复：受理（2个工作日）、决定（15个工作日）、更新公示（3个工作日）超期标记",
    order=60,
)
def flag_overdue(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    n = 0
    for app in overdue(on).select_related("enterprise", "department").order_by("id"):
        if app.overdue_stage == app.awaited_stage():
            continue
        n += 1
        if not dry_run:
            actions.flag_overdue(app, actor=actor, on=on)
    return n
