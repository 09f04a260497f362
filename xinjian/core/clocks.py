"""Date-driven rules (`manage.py run_clocks`). Each app registers its clocks in its
AppConfig.ready(); every clock is idempotent for a given date."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

ClockFn = Callable[..., int]


@dataclass(frozen=True)
class Clock:
    name: str
    description: str | Promise  # gettext_lazy: shown in the UI language
    fn: ClockFn
    order: int


_CLOCKS: dict[str, Clock] = {}


def register(name: str, description: str | Promise, order: int = 100) -> Callable[[ClockFn], ClockFn]:
    """Decorator: `fn(on: date, *, actor, dry_run) -> number of changes`."""

    def wrap(fn: ClockFn) -> ClockFn:
        _CLOCKS[name] = Clock(name, description, fn, order)
        return fn

    return wrap


def all_clocks() -> list[Clock]:
    return sorted(_CLOCKS.values(), key=lambda c: (c.order, c.name))


def run_all(on: dt.date, *, actor: Any, dry_run: bool = False) -> list[tuple[Clock, int]]:
    return [(clock, clock.fn(on, actor=actor, dry_run=dry_run)) for clock in all_clocks()]
