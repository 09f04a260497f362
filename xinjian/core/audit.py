"""The audit trail: every action writes who, when, what, before → after."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from .actors import Actor, as_actor
from .models import AuditEntry


def jsonable(value: Any) -> Any:
    """Make model field values safe for a JSON column."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of a row, for before/after columns."""
    names = fields or [f.attname for f in obj._meta.concrete_fields]
    return {name: jsonable(getattr(obj, name)) for name in names}


def diff(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Keep only what changed, so the trail reads as before → after."""
    if before is None or after is None:
        return before, after
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    action: str,
    obj: models.Model | None = None,
    *,
    actor: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    uscc: str = "",
    object_type: str | None = None,
    object_id: str | None = None,
) -> AuditEntry:
    who: Actor = as_actor(actor)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    changed_before, changed_after = diff(before, after)
    return AuditEntry.objects.create(
        actor_user=who.user,
        actor_label=who.label,
        action=action,
        object_type=object_type or "",
        object_id=object_id or "",
        uscc=uscc,
        before=changed_before,
        after=changed_after,
        reason=reason,
    )
