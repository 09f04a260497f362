"""Typical cases (典型案例): written, reviewed by someone else, published, withdrawn."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, InvalidTransition, NotAllowed
from xinjian.core.workdays import today
from xinjian.registry.models import Enterprise

from ..models import (
    CaseStatus,
    TypicalCase,
)

# --- typical cases (seed 十一: 典型案例) ------------------------------------------------


@transaction.atomic
def save_case(
    case: TypicalCase | None,
    *,
    actor: Any,
    title: str,
    body: str,
    region_code: str,
    enterprises: list[Enterprise],
) -> TypicalCase:
    who = as_actor(actor)
    if not title.strip() or not body.strip():
        raise DomainError(gettext("标题和正文必填"), code="required")
    if case is None:
        case = TypicalCase(written_by=who.label)
    elif case.status == CaseStatus.PUBLISHED:
        raise InvalidTransition(gettext("已发布的案例需先撤回再修改"))
    before = audit.snapshot(case) if case.pk else None
    case.title, case.body, case.region_code = title.strip(), body.strip(), region_code
    case.status = CaseStatus.DRAFT  # any edit needs a new review
    case.reviewed_by = ""
    case.touch(who.label)
    case.save()
    case.enterprises.set(enterprises)
    audit.record("lists.case.save", case, actor=who, before=before, after=audit.snapshot(case))
    return case


CASE_TRANSITIONS = {
    "review": ({CaseStatus.DRAFT}, CaseStatus.REVIEWED),
    "publish": ({CaseStatus.REVIEWED}, CaseStatus.PUBLISHED),
    "withdraw": ({CaseStatus.PUBLISHED}, CaseStatus.WITHDRAWN),
}


@transaction.atomic
def move_case(case: TypicalCase, action: str, *, actor: Any, on: dt.date | None = None) -> TypicalCase:
    who = as_actor(actor)
    allowed, target = CASE_TRANSITIONS[action]
    if case.status not in allowed:
        raise InvalidTransition(gettext("当前状态不能执行此操作"))
    if action == "review" and who.label == case.written_by:
        raise NotAllowed(gettext("案例须由撰写人以外的人员审核"), code="four_eyes")
    before = audit.snapshot(case)
    case.status = target
    if action == "review":
        case.reviewed_by = who.label
    if action == "publish":
        case.published_on = on or today()
    case.touch(who.label)
    case.save()
    audit.record(f"lists.case.{action}", case, actor=who, before=before, after=audit.snapshot(case))
    return case
