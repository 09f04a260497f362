"""The rectification deadline of an untrue commitment (责令限期整改), derived from its
start, the working days ordered and the calendar (core.deadlines)."""

from __future__ import annotations

from xinjian.core.deadlines import DeadlineRule, register

from .models import Consequence, ConsequenceKind

RECTIFICATION_DUE = register(
    DeadlineRule(
        Consequence,
        "due_on",
        "start_on",
        lambda c: c.working_days or 0,
        start=lambda c: (
            c.start_on if c.kind == ConsequenceKind.RECTIFY and c.working_days is not None else None
        ),
        label="整改期限",
    )
)
