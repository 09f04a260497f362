"""Monthly reclassification (domain.md §7: reclassified at least monthly). Runs after the
clocks that change records (lists, disclosure) and before sharing.fanout (order 90), so
the run events it writes are read in the same pass."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xinjian.core.clocks import register

from .actions import score_all
from .models import RunKind, ScoringRun


@register("risk.monthly_rescore", "信用风险分类：每月至少全量重新评分一次", order=80)
def monthly_rescore(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    """Idempotent per month: a full run with an as-of date in `on`'s month counts."""
    if ScoringRun.objects.filter(kind=RunKind.FULL, as_of__year=on.year, as_of__month=on.month).exists():
        return 0
    if dry_run:
        return 1

    return sum(run.assessed for run in score_all(actor=actor, as_of=on))
