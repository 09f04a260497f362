"""Reference data loaders: rows a data migration seeds (divisions, key-area types, rule
tables, the calendar…). Each app registers an idempotent loader in its AppConfig.ready();
data migrations may call the same functions. The test suite calls `ensure_loaded` because
transactional tests flush the database, seeded rows included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)

_LOADERS: list[Callable[[], None]] = []


def register(fn: Callable[[], None]) -> Callable[[], None]:
    _LOADERS.append(fn)
    return fn


def ensure_loaded() -> None:
    for fn in _LOADERS:
        fn()


def version_in_force(model: type[M], day: dt.date, region_code: str = "", *, defaults: dict[str, Any]) -> M:
    """The row of a versioned rule table (`effective_from`, `province_code`) in force on
    `day` for the province of `region_code`: the province's own newest version, else the
    national one (province_code ""), else an unsaved row of the built-in defaults."""
    qs = model.objects.filter(effective_from__lte=day).order_by("-effective_from", "-id")  # type: ignore[attr-defined]
    if region_code:
        own = qs.filter(province_code=region_code[:2] + "0000").first()
        if own is not None:
            return own  # type: ignore[no-any-return]
    found = qs.filter(province_code="").first()
    return found if found is not None else model(**defaults)
