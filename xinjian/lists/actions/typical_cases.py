"""Typical cases (典型案例, seed 十一): written, reviewed by someone other than the writer,
published, withdrawn; any edit sends the case back to review. A workflow like the others:
each step has a history row, an audit entry and an event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from xinjian.core.actors import as_actor
from xinjian.core.errors import DomainError, InvalidTransition, NotAllowed
from xinjian.core.events import EventType
from xinjian.core.permissions import Perm
from xinjian.core.workdays import today
from xinjian.core.workflow import Transition, Workflow
from xinjian.registry.models import Enterprise

from ..models import CaseHistory, CaseStatus, TypicalCase

C, T, P = CaseStatus, Transition, Perm.PUBLISH_CASES

CASES = Workflow(
    "lists.case",
    TypicalCase,
    {
        "write": T({""}, C.DRAFT, _("撰写"), event=EventType.CASE_SAVED),
        "edit": T({C.DRAFT, C.REVIEWED, C.WITHDRAWN}, C.DRAFT, _("修改"), event=EventType.CASE_SAVED),
        "review": T(
            {C.DRAFT},
            C.REVIEWED,
            _("审核通过"),
            perm=P,
            event=EventType.CASE_REVIEWED,
            handler="move_case",
            kwargs={"action": "review"},
        ),
        "publish": T(
            {C.REVIEWED},
            C.PUBLISHED,
            _("发布"),
            perm=P,
            event=EventType.CASE_PUBLISHED,
            handler="move_case",
            kwargs={"action": "publish"},
        ),
        "withdraw": T(
            {C.PUBLISHED},
            C.WITHDRAWN,
            _("撤回"),
            perm=P,
            event=EventType.CASE_WITHDRAWN,
            handler="move_case",
            kwargs={"action": "withdraw"},
        ),
    },
    history=CaseHistory,
    link="case",
    audit_prefix="lists.case",
    actions_module="xinjian.lists.actions",
    detail_url="lists:case_edit",
    payload=lambda case: {"case_id": case.pk, "title": case.title},
)
CASE_TRANSITIONS = CASES.transitions


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
    else:
        CASES.lock(case)
        if case.status == CaseStatus.PUBLISHED:
            raise InvalidTransition(gettext("已发布的案例需先撤回再修改"))
    case.title, case.body, case.region_code = title.strip(), body.strip(), region_code
    case.reviewed_by = ""  # any edit needs a new review
    on = today()
    CASES.move(case, "edit" if case.pk else "write", actor=who, on=on, audit_action="lists.case.save")
    case.enterprises.set(enterprises)
    return case


@transaction.atomic
def move_case(case: TypicalCase, action: str, *, actor: Any, on: dt.date | None = None) -> TypicalCase:
    who = as_actor(actor)
    if action not in ("review", "publish", "withdraw"):
        raise KeyError(action)
    CASES.lock(case)
    CASES.check(case, action)
    if action == "review" and who.label == case.written_by:
        raise NotAllowed(gettext("案例须由撰写人以外的人员审核"), code="four_eyes")
    on = on or today()
    if action == "review":
        case.reviewed_by = who.label
    if action == "publish":
        case.published_on = on
    CASES.move(case, action, actor=who, on=on)
    return case
