"""Standard-form commitment templates (格式文本) and their versions."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext

from xinjian.collection.models import CommitmentKind
from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, field_error
from xinjian.core.events import EventType, emit
from xinjian.core.text import required
from xinjian.registry.departments import department_of

from ..models import (
    CommitmentTemplate,
)

_TEMPLATE_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$")

# --- templates (格式文本) ---------------------------------------------------------------


@transaction.atomic
def save_template(
    *,
    actor: Any,
    code: str,
    title: str,
    matter: str,
    kind: str,
    body: str,
    effective_from: dt.date,
    effective_to: dt.date | None = None,
    region_code: str | None = None,
) -> CommitmentTemplate:
    """Issue a template, or a new version of one. The new version ends the version in
    force on its effective date; old versions stay (commitments were made on them)."""
    code = required(code, "code", gettext("格式文本编号"))
    if not _TEMPLATE_CODE.match(code):
        raise DomainError(
            gettext("格式文本编号只能包含字母、数字、连字符和下划线（至多40位）"),
            code="invalid_code",
            details=[field_error("code", "invalid_code", "字母、数字、-、_")],
        )
    title = required(title, "title", gettext("标题"))
    matter = required(matter, "matter", gettext("承诺事项"))
    body = required(body, "body", gettext("承诺正文"))
    if kind not in CommitmentKind.values:
        raise DomainError(
            gettext("承诺类型无效"),
            code="invalid_kind",
            details=[field_error("kind", "invalid_choice", kind)],
        )
    if effective_to is not None and effective_to <= effective_from:
        raise DomainError(
            gettext("失效日期应晚于生效日期"),
            code="invalid_period",
            details=[field_error("effective_to", "invalid_period", "应晚于生效日期")],
        )
    who = as_actor(actor)
    dept = department_of(actor)
    if region_code is None:
        region_code = dept.division_id if dept is not None else ""
    current = CommitmentTemplate.objects.select_for_update().filter(code=code)
    latest = current.order_by("-version").first()
    if latest is not None and latest.effective_from >= effective_from:
        raise DomainError(
            gettext("新版本的生效日期应晚于第%(version)d版的生效日期（%(day)s）")
            % {"version": latest.version, "day": latest.effective_from},
            code="invalid_period",
            details=[field_error("effective_from", "invalid_period", "应晚于上一版本")],
        )
    version = (current.aggregate(m=Max("version"))["m"] or 0) + 1
    # The version(s) still running on the new effective date end that day.
    for old in current.filter(effective_from__lt=effective_from):
        if old.effective_to is None or old.effective_to > effective_from:
            before = audit.snapshot(old)
            old.effective_to = effective_from
            old.touch(who.label)
            old.save()
            audit.record(
                "commitments.template.supersede",
                old,
                actor=who,
                before=before,
                after=audit.snapshot(old),
                reason=f"由第{version}版替代",
            )
    template = CommitmentTemplate(
        code=code,
        version=version,
        title=title,
        matter=matter,
        kind=kind,
        body=body,
        region_code=region_code,
        issued_by=dept.name if dept is not None else who.label,
        effective_from=effective_from,
        effective_to=effective_to,
    )
    template.touch(who.label)
    template.save()
    audit.record("commitments.template.issue", template, actor=who, after=audit.snapshot(template))
    emit(
        EventType.COMMITMENT_TEMPLATE_ISSUED,
        region_code=region_code,
        data=audit.jsonable(
            {
                "code": code,
                "version": version,
                "kind": kind,
                "effective_from": effective_from,
                "effective_to": effective_to,
            }
        ),
    )
    return template
