"""Every state change of the register (architecture rule 1): atomic, audited, evented."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError
from xinjian.core.events import EventType, emit_many
from xinjian.core.models import AuditEntry
from xinjian.core.workdays import today

from .models import Enterprise, KeyAreaTag, KeyAreaTagHistory, KeyAreaType, TagAction, TagSource

Change = tuple[KeyAreaTag, KeyAreaTagHistory, AuditEntry, tuple[str, str, str, dict[str, Any]]]


def _change_tag(
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
    callers can write them in batches (`_write`)."""
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


def _write(changes: list[Change]) -> None:
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
    _write(
        [
            _change_tag(
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
    _write(
        [
            _change_tag(
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
def apply_licence_changes(licences: Iterable[Any], *, actor: Any, on: dt.date | None = None) -> int:
    """Re-tag the enterprises whose licences changed (domain.md §3, 动态调整).

    For each key-area type a changed licence names: the enterprise is tagged while it holds
    any licence of that type valid on `on`, and untagged the same day the last one is
    revoked, cancelled or expires. Manual tags are left to people. Called inside the
    transaction that changed the licences. Returns the number of tag changes."""
    from xinjian.collection.models import Licence, LicenceStatus

    on = on or today()
    types = [t for t in KeyAreaType.objects.filter(enabled=True)]
    touched: dict[int, set[str]] = defaultdict(set)
    for lic in licences:
        if lic.enterprise_id is None:
            continue
        for t in types:
            if t.matches(lic.licence_type, lic.licence_no):
                touched[lic.enterprise_id].add(t.code)
    if not touched:
        return 0
    holding: dict[tuple[int, str], Any] = {}
    valid = (
        Licence.objects.filter(enterprise_id__in=list(touched), status=LicenceStatus.VALID)
        .exclude(valid_until__lt=on)
        .order_by("issued_on")
    )
    for lic in valid:
        # Filtered on enterprise_id__in above, so never a pending (enterprise-less) licence.
        assert lic.enterprise_id is not None
        for t in types:
            if t.code in touched[lic.enterprise_id] and t.matches(lic.licence_type, lic.licence_no):
                holding[(lic.enterprise_id, t.code)] = lic
    rows = {
        (tag.enterprise_id, tag.type_id): tag
        for tag in KeyAreaTag.objects.filter(enterprise_id__in=list(touched)).select_related("licence")
    }
    enterprises = Enterprise.objects.in_bulk(list(touched))
    by_code = {t.code: t for t in types}
    now = timezone.now()
    changes = []
    for eid, codes in touched.items():
        for code in codes:
            key = (eid, code)
            lic = holding.get(key)
            tag = rows.get(key)
            active = tag is not None and tag.active
            if lic is not None and not active:
                reason = f"持有有效{lic.get_licence_type_display()}（{lic.licence_no}）"
                changes.append(
                    _change_tag(
                        tag,
                        enterprises[eid],
                        by_code[code],
                        TagAction.TAGGED,
                        actor=actor,
                        reason=reason,
                        source=TagSource.LICENCE,
                        licence=lic,
                        now=now,
                    )
                )
            elif lic is None and tag is not None and active and tag.source == TagSource.LICENCE:
                last = tag.licence
                status = last.get_status_display() if last is not None else ""
                if (
                    last is not None
                    and last.status == LicenceStatus.VALID
                    and last.valid_until
                    and last.valid_until < on
                ):
                    status = "过期"
                reason = f"许可已{status}（{last.licence_no}），无其他有效许可" if last else "无有效许可"
                changes.append(
                    _change_tag(
                        tag,
                        enterprises[eid],
                        by_code[code],
                        TagAction.UNTAGGED,
                        actor=actor,
                        reason=reason,
                        source=TagSource.LICENCE,
                        licence=last,
                        now=now,
                    )
                )
    _write(changes)
    return len(changes)


@transaction.atomic
def update_key_area_type(type: KeyAreaType, *, actor: Any, **fields: Any) -> KeyAreaType:
    before = audit.snapshot(type)
    for name, value in fields.items():
        setattr(type, name, value)
    type.full_clean()
    type.save()
    audit.record("key_area_type.updated", type, actor=actor, before=before, after=audit.snapshot(type))
    return type
