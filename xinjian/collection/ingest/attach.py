"""Records that named an enterprise before it was in the register wait with
`enterprise=None` (pending); they attach when the enterprise arrives (interfaces.md)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xinjian.collection.tagging import apply_licence_changes
from xinjian.core.actors import as_actor
from xinjian.core.events import emit_many
from xinjian.core.models import AuditEntry

from ..models import Licence
from .kinds import KINDS, record_models


def attach_pending(enterprises: list[Any], *, actor: Any) -> int:
    """Attach every pending record that names one of `enterprises` by USCC or by its old
    registration number (then the record's uscc becomes the enterprise's). Runs inside the
    transaction that stored the enterprises; licences that attach re-tag at once."""

    if not enterprises:
        return 0
    kind_of = {k.model: k for k in KINDS.values()}
    who = as_actor(actor)
    by_key: dict[str, Any] = {}
    for e in enterprises:
        by_key[e.uscc] = e
        if e.registration_no:
            by_key[e.registration_no] = e
    keys = list(by_key)
    total = 0
    now = timezone.now()
    audit_rows = []
    for model in record_models():
        waiting = list(model.objects.filter(enterprise__isnull=True, uscc__in=keys))  # type: ignore[attr-defined]
        if not waiting:
            continue
        for rec in waiting:
            e = by_key[rec.uscc]
            rec.enterprise, rec.uscc = e, e.uscc
            rec.modified_at, rec.modified_by = now, who.label
            audit_rows.append(
                AuditEntry(
                    actor_user=who.user,
                    actor_label=who.label,
                    action="record.attached",
                    object_type=model._meta.label_lower,
                    object_id=str(rec.pk),
                    uscc=e.uscc,
                    before={"enterprise": None},
                    after={"enterprise": e.pk},
                    reason="主体登记信息到达，待关联记录自动关联",
                    at=now,
                )
            )
        model.objects.bulk_update(  # type: ignore[attr-defined]
            waiting, ["enterprise", "uscc", "modified_at", "modified_by"], batch_size=1000
        )
        # Every stored change has its event: readers that skipped a pending record (no
        # enterprise, no region) learn that it now stands under a name.
        kind = kind_of[model]
        emit_many(
            (
                kind.changed_event,
                rec.uscc,
                rec.enterprise.region_code,
                {**kind.event_data(rec, str(rec.batch_id or "")), "attached": True},
            )
            for rec in waiting
        )
        if model is Licence:
            apply_licence_changes(waiting, actor=who)
        total += len(waiting)
    AuditEntry.objects.bulk_create(audit_rows, batch_size=1000)
    return total
