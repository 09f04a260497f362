"""Voluntary public commitments made on the platform (domain.md §6)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.collection.models import CommitmentKind, CommitmentRecord
from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import Conflict, DomainError, field_error
from xinjian.core.events import EventType, emit
from xinjian.core.workdays import today
from xinjian.registry.models import Enterprise

from ..models import (
    PLATFORM_SOURCE,
    CommitmentTemplate,
)
from ._base import _forget_profile

# --- voluntary public commitments ------------------------------------------------------


@transaction.atomic
def make_public_commitment(
    enterprise: Enterprise, template: CommitmentTemplate, *, actor: Any, on: dt.date | None = None
) -> CommitmentRecord:
    """An enterprise commits publicly on a standard-form template in force for its area
    (domain.md §6). Stored as a collected commitment whose source is the platform, so it
    is disclosed, verified and exchanged like every other commitment (ADR 0064)."""
    on = on or today()
    if not template.in_force_on(on) or not template.applies_to(enterprise.region_code):
        raise DomainError(
            gettext("该格式文本当前不适用于本企业"),
            code="template_not_in_force",
            details=[field_error("template", "template_not_in_force", template.code)],
        )
    if template.kind != CommitmentKind.PUBLIC:
        raise DomainError(
            gettext("该格式文本用于审批中的告知承诺，不能作为主动公开承诺"),
            code="template_not_public",
            details=[field_error("template", "template_not_public", template.code)],
        )
    if CommitmentRecord.objects.filter(
        enterprise=enterprise,
        source=PLATFORM_SOURCE,
        template_code=template.code,
        archived_at__isnull=True,
        committed_on__gte=template.effective_from,
    ).exists():
        raise Conflict(gettext("本企业已就该格式文本作出承诺"), code="already_committed")
    who = as_actor(actor)
    record = CommitmentRecord(
        enterprise=enterprise,
        uscc=enterprise.uscc,
        source=PLATFORM_SOURCE,
        source_id=f"pub-{uuid.uuid4().hex[:20]}",
        received_at=timezone.now(),
        kind=CommitmentKind.PUBLIC,
        matter=template.matter,
        committed_on=on,
        content=template.body,
        template_code=template.code,
        application_no=f"{template.code}/v{template.version}",
    )
    record.touch(who.label)
    record.save()
    audit.record(
        "commitments.commitment.make_public",
        record,
        actor=who,
        after=audit.snapshot(record),
        uscc=enterprise.uscc,
    )
    emit(
        EventType.COMMITMENT_RECORDED,
        uscc=enterprise.uscc,
        region_code=enterprise.region_code,
        data=audit.jsonable(
            {
                "id": record.pk,
                "source": record.source,
                "source_id": record.source_id,
                "batch_id": None,
                "kind": record.kind,
                "matter": record.matter,
                "committed_on": record.committed_on,
                "template_code": template.code,
                "template_version": template.version,
            }
        ),
    )
    _forget_profile(enterprise.uscc)
    return record
