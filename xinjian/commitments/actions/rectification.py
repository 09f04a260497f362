"""Rectification ordered as a consequence of an untrue commitment: done, or overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xinjian.core import deadlines
from xinjian.core.errors import Conflict, DomainError
from xinjian.core.workdays import today

from ..models import (
    Consequence,
    ConsequenceKind,
)
from ._base import _forget_profile, _move


@transaction.atomic
def record_rectified(
    consequence: Consequence, *, actor: Any, on: dt.date | None = None, reason: str = ""
) -> Consequence:
    """The enterprise rectified as ordered (责令限期整改 fulfilled)."""
    on = on or today()
    if consequence.kind != ConsequenceKind.RECTIFY:
        raise DomainError(gettext("该处理措施不是责令限期整改"), code="not_rectification")
    if consequence.rectified_on is not None:
        raise Conflict(gettext("已登记整改完成"), code="already_rectified")
    v = consequence.verification
    consequence.rectified_on = on
    consequence.save()
    due = deadlines.due(consequence, "due_on")  # the current value, not the stored copy
    late = due is not None and on > due
    _move(
        v,
        "record_rectified",
        actor=actor,
        on=on,
        reason=reason or ("逾期后整改完成" if late else "按期整改完成"),
    )
    _forget_profile(v.enterprise.uscc)
    return consequence


@transaction.atomic
def flag_overdue(consequence: Consequence, *, actor: Any, on: dt.date) -> Consequence:
    """The rectification deadline passed without rectification (run by the clock)."""
    if consequence.kind != ConsequenceKind.RECTIFY or consequence.rectified_on is not None:
        raise DomainError(gettext("该处理措施无需标记逾期"), code="not_overdue")
    due = deadlines.due(consequence, "due_on")  # the current value, not the stored copy
    if due is None or on <= due:
        raise DomainError(gettext("整改期限尚未届满"), code="not_overdue")
    if consequence.overdue_on is not None:
        raise Conflict(gettext("已标记逾期"), code="already_flagged")
    consequence.overdue_on = on
    consequence.save()
    dl = consequence.deadline()
    _move(
        consequence.verification,
        "flag_overdue",
        actor=actor,
        on=on,
        reason=f"逾期未整改：{dl.explain() if dl else consequence.due_on}",
    )
    return consequence
