"""Every state change of the register (architecture rule 1): atomic, audited, evented."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError
from xinjian.core.events import EventType, emit, emit_many
from xinjian.core.models import AuditEntry

from .models import Enterprise, KeyAreaTag, KeyAreaTagHistory, KeyAreaType, TagAction, TagSource

Change = tuple[KeyAreaTag, KeyAreaTagHistory, AuditEntry, tuple[str, str, str, dict[str, Any]]]


def change_tag(
    tag: KeyAreaTag | None,
    enterprise: Enterprise,
    type: KeyAreaType,
    action: str,
    *,
    actor: Any,
    reason: str,
    source: str,
    licence: Any = None,
    now: dt.datetime | None = None,
) -> Change:
    """Apply one tag change to `tag` (the enterprise's row for the type, or None) in
    memory and return every row to write — tag, history, audit, event — so that bulk
    callers can write them in batches (`write_tag_changes`)."""
    who = as_actor(actor)
    now = now or timezone.now()
    before = {"active": bool(tag and tag.active), "source": tag.source if tag else None}
    if action == TagAction.TAGGED:
        if tag is None:
            tag = KeyAreaTag(enterprise=enterprise, type=type)
        tag.active, tag.source, tag.licence, tag.since, tag.ended_at = True, source, licence, now, None
    else:
        assert tag is not None
        tag.active, tag.ended_at = False, now
    history = KeyAreaTagHistory(
        enterprise=enterprise,
        type=type,
        action=action,
        source=source,
        licence=licence,
        at=now,
        actor_label=who.label,
        reason=reason,
    )
    changed_before, changed_after = audit.diff(before, {"active": tag.active, "source": tag.source})
    entry = AuditEntry(
        actor_user=who.user,
        actor_label=who.label,
        action=f"key_area.{action}",
        object_type="registry.keyareatag",
        object_id=f"{enterprise.uscc}:{type.code}",
        uscc=enterprise.uscc,
        before=changed_before,
        after=changed_after,
        reason=reason,
        at=now,
    )
    event_type = EventType.KEY_AREA_TAGGED if action == TagAction.TAGGED else EventType.KEY_AREA_UNTAGGED
    data = {"key_area": type.code, "source": source, "reason": reason}
    if licence is not None:
        data["licence_no"] = licence.licence_no
    return tag, history, entry, (event_type, enterprise.uscc, enterprise.region_code, data)


def write_tag_changes(changes: list[Change]) -> None:
    new = [c[0] for c in changes if c[0].pk is None]
    old = [c[0] for c in changes if c[0].pk is not None]
    KeyAreaTag.objects.bulk_create(new, batch_size=1000)
    KeyAreaTag.objects.bulk_update(old, ["active", "source", "licence", "since", "ended_at"], batch_size=1000)
    KeyAreaTagHistory.objects.bulk_create([c[1] for c in changes], batch_size=1000)
    AuditEntry.objects.bulk_create([c[2] for c in changes], batch_size=1000)
    emit_many(c[3] for c in changes)


@transaction.atomic
def tag_by_hand(enterprise: Enterprise, type: KeyAreaType, *, actor: Any, reason: str) -> KeyAreaTag:
    """A staff user tags an enterprise with a reason (domain.md §3)."""
    if not reason.strip():
        raise DomainError(
            "人工标注必须填写原因",
            code="reason_required",
            details=[{"field": "reason", "code": "required", "message": "请填写原因"}],
        )
    current = KeyAreaTag.objects.select_for_update().filter(enterprise=enterprise, type=type).first()
    if current and current.active:
        raise DomainError(f"该企业已标注为{type.name}", code="already_tagged")
    write_tag_changes(
        [
            change_tag(
                current,
                enterprise,
                type,
                TagAction.TAGGED,
                actor=actor,
                reason=reason,
                source=TagSource.MANUAL,
            )
        ]
    )
    return KeyAreaTag.objects.get(enterprise=enterprise, type=type)


@transaction.atomic
def untag_by_hand(enterprise: Enterprise, type: KeyAreaType, *, actor: Any, reason: str) -> KeyAreaTag:
    """A staff user removes a tag with a reason. A later licence event for the same type
    (a new or renewed licence) tags the enterprise again: the newest fact wins."""
    if not reason.strip():
        raise DomainError(
            "取消标注必须填写原因",
            code="reason_required",
            details=[{"field": "reason", "code": "required", "message": "请填写原因"}],
        )
    current = (
        KeyAreaTag.objects.select_for_update().filter(enterprise=enterprise, type=type, active=True).first()
    )
    if not current:
        raise DomainError(f"该企业当前未标注为{type.name}", code="not_tagged")
    write_tag_changes(
        [
            change_tag(
                current,
                enterprise,
                type,
                TagAction.UNTAGGED,
                actor=actor,
                reason=reason,
                source=TagSource.MANUAL,
            )
        ]
    )
    return KeyAreaTag.objects.get(pk=current.pk)


@transaction.atomic
def update_key_area_type(type: KeyAreaType, *, actor: Any, **fields: Any) -> KeyAreaType:
    before = audit.snapshot(type)
    for name, value in fields.items():
        setattr(type, name, value)
    type.full_clean()
    type.save()
    after = audit.snapshot(type)
    audit.record("key_area_type.updated", type, actor=actor, before=before, after=after)
    emit(EventType.KEY_AREA_TYPE_CHANGED, data={"code": type.code, "before": before, "after": after})
    return type
