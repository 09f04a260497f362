"""Statutory deadlines: derived from their start, their rule and the calendar, never
trusted from storage (domain.md §14, architecture rule 4; issue 12 item 2).

Each app registers its deadlines here (in its AppConfig.ready): which model and stored
column, the start date and the number of working days from the rule in force. Then:

- `compute(obj, field)` is the deadline as the law gives it today (a `workdays.Deadline`
  with `provisional` when the calendar lacks a year it runs through); every page, API,
  notice and gate reads it, so a step is gated on the current value;
- the stored column is only a copy for the clocks' SQL queries. `recompute(years)` brings
  every copy whose deadline depends on those years back in line when the calendar changes
  (`load_calendar`), auditing each deadline that moved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models

from . import audit
from .workdays import Deadline, add_calendar_period, add_working_days


@dataclass(frozen=True)
class DeadlineRule:
    model: type[models.Model]
    field: str  # the stored copy (for the clocks' queries)
    start_field: str  # the date field the deadline usually runs from (for range queries)
    working_days: Callable[[Any], int]  # from the rule in force on the start
    start: Callable[[Any], dt.date | None] | None = None  # when it is not simply `start_field`
    label: str = ""
    # "working_days" (the default), or a calendar period in "days" or "months" whose last
    # day moves to the next working day (`workdays.add_calendar_period`).
    unit: str = "working_days"

    def add(self, start: dt.date, n: int) -> Deadline:
        if self.unit == "working_days":
            return add_working_days(start, n)
        return add_calendar_period(start, n, self.unit)

    def start_of(self, obj: Any) -> dt.date | None:
        return self.start(obj) if self.start is not None else getattr(obj, self.start_field)


_RULES: dict[tuple[type[models.Model], str], DeadlineRule] = {}


def register(rule: DeadlineRule) -> DeadlineRule:
    _RULES[(rule.model, rule.field)] = rule
    return rule


def rules() -> list[DeadlineRule]:
    return list(_RULES.values())


def rule_for(obj_or_model: Any, field: str) -> DeadlineRule:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return _RULES[(model, field)]


def compute(obj: Any, field: str) -> Deadline | None:
    """The deadline `field` of `obj` as the law and today's calendar give it; None while
    it has not started."""
    rule = rule_for(obj, field)
    start = rule.start_of(obj)
    if start is None:
        return None
    return rule.add(start, rule.working_days(obj))


def refresh(obj: Any, field: str) -> Deadline | None:
    """Set the stored copy from the computed deadline (for actions that start a clock)."""
    deadline = compute(obj, field)
    setattr(obj, field, deadline.due if deadline else None)
    return deadline


def due(obj: Any, field: str) -> dt.date | None:
    deadline = compute(obj, field)
    return deadline.due if deadline else None


def provisional(obj: Any, field: str) -> bool:
    deadline = compute(obj, field)
    return bool(deadline and deadline.provisional)


@dataclass(frozen=True)
class Moved:
    object: Any
    field: str
    before: dt.date | None
    after: dt.date | None
    provisional: bool


def recompute(years: Iterable[int] | None = None, *, actor: Any, reason: str = "") -> list[Moved]:
    """Recompute every registered deadline that may run into `years` (all when None) and
    store the ones that moved, each with an audit entry (before/after). A deadline starts
    at most ~14 months before the year it ends in (the longest working-day period is far
    shorter), so only rows starting from October of the year before are read — from the
    January before for a period counted in months (at most a year)."""
    span = sorted(set(years)) if years is not None else None
    moved: list[Moved] = []
    memo: dict[tuple[dt.date, int, str], Deadline] = {}  # many rows share a start (bulk listings)
    for rule in rules():
        qs = rule.model._default_manager.exclude(**{f"{rule.start_field}__isnull": True})
        if span:
            qs = qs.filter(
                **{
                    f"{rule.start_field}__gte": dt.date(span[0] - 1, 1 if rule.unit == "months" else 10, 1),
                    f"{rule.start_field}__lte": dt.date(span[-1], 12, 31),
                }
            )
        for obj in qs.order_by("pk").iterator(chunk_size=1000):
            start = rule.start_of(obj)
            deadline = None
            if start is not None:
                key = (start, rule.working_days(obj), rule.unit)
                deadline = memo.get(key) or memo.setdefault(key, rule.add(start, key[1]))
            new = deadline.due if deadline else None
            old = getattr(obj, rule.field)
            if new == old:
                continue
            rule.model._default_manager.filter(pk=obj.pk).update(**{rule.field: new})
            audit.record(
                "core.deadline_recomputed",
                obj,
                actor=actor,
                before={rule.field: old.isoformat() if old else None},
                after={
                    rule.field: new.isoformat() if new else None,
                    "provisional": bool(deadline and deadline.provisional),
                },
                reason=reason,
                uscc=_uscc(obj),
            )
            moved.append(Moved(obj, rule.field, old, new, bool(deadline and deadline.provisional)))
    return moved


def _uscc(obj: Any) -> str:
    for path in ("uscc", "enterprise.uscc", "verification.enterprise.uscc"):
        value: Any = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        if isinstance(value, str):
            return value
    return ""
