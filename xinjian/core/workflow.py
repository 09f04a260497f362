"""Workflows are state machines (architecture rule 2). `move` takes an object one step
along its transition table — {action: (statuses it may start from, status it goes to)} —
and, in the caller's transaction, saves it, writes the history row (a `TransitionRecord`)
and the audit entry. An illegal move raises `InvalidTransition` and changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from . import audit
from .actors import Actor, as_actor
from .errors import InvalidTransition

# A target of None keeps the status (a step that only records something).
Transitions = Mapping[str, tuple[Collection[str], str | None]]


def move(
    obj: Any,
    action: str,
    table: Transitions,
    *,
    actor: Any,
    on: dt.date,
    history: type[models.Model],
    link: str,
    audit_action: str,
    reason: str = "",
    document_no: str = "",
    on_change: Callable[[str, str], None] | None = None,
) -> Actor:
    """Move `obj` (with `status`, `touch()` and `enterprise`) by `action`; `history` is its
    TransitionRecord model and `link` the name of its foreign key to `obj`. `on_change`
    is called with (before, after) when the status changes, before saving."""
    allowed, target = table[action]
    before = obj.status or ""
    if before not in allowed:
        raise InvalidTransition(
            gettext("当前状态“%(status)s”不能执行此操作")
            % {"status": obj.get_status_display() if before else gettext("无")},
            code="invalid_transition",
        )
    who = as_actor(actor)
    snap = audit.snapshot(obj) if obj.pk else None
    if target is not None:
        obj.status = target
    if on_change is not None and obj.status != before:
        on_change(before, obj.status)
    obj.touch(who.label)
    obj.save()
    history.objects.create(  # type: ignore[attr-defined]
        **{link: obj},
        from_status=before,
        to_status=obj.status,
        action=action,
        at=timezone.now(),
        on=on,
        actor_label=who.label,
        reason=reason,
        document_no=document_no,
    )
    audit.record(
        audit_action,
        obj,
        actor=who,
        before=snap,
        after=audit.snapshot(obj),
        reason=reason,
        uscc=obj.enterprise.uscc,
    )
    return who
