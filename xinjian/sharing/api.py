"""Changes feed and feedback (interfaces.md "Systems"):

- `GET /api/v1/changes?after=CURSOR&limit=N`, scope `changes`: events in commit order,
  `{"events": [{"cursor", "type", "uscc", "occurred_at", "data"}], "next": CURSOR}`. The
  cursor is the event id as a string; `next` is the last cursor returned (or `after`
  when nothing is new), so a reader loops until `events` comes back empty. A client with
  a region reads only its region's events.
- `POST /api/v1/feedback`, scope `changes`: a receiver reports what it did about a
  pushed change (measure applied); shown on the enterprise's staff page.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from xinjian.core.api_auth import scope
from xinjian.core.errors import DomainError, field_error
from xinjian.core.jurisdiction import region_prefix
from xinjian.core.models import Event
from xinjian.core.schemas import ErrorOut

from . import actions
from .models import SHAREABLE_EVENT_TYPES

router = Router(tags=["changes"])
MAX_LIMIT = 1000


class ChangeOut(Schema):
    cursor: str
    type: str
    uscc: str
    occurred_at: dt.datetime
    data: dict[str, Any]


class ChangesOut(Schema):
    events: list[ChangeOut]
    next: str


@router.get(
    "/changes",
    auth=scope("changes"),
    response={200: ChangesOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="按游标读取变更事件",
)
def changes(request: HttpRequest, after: str = "0", limit: int = 100) -> dict[str, Any]:
    # `limit` is checked here (not by the schema) so that a bad value gets our error shape
    # with the field named.
    if not (after.isascii() and after.isdigit() and len(after) <= 18):
        raise DomainError(
            gettext("游标无效"),
            code="invalid_cursor",
            details=[field_error("after", "invalid_cursor", gettext("游标应为数字字符串"))],
        )
    if not 1 <= limit <= MAX_LIMIT:
        raise DomainError(
            gettext("limit 超出范围"),
            code="invalid_limit",
            details=[field_error("limit", "out_of_range", f"1–{MAX_LIMIT}")],
        )
    qs = Event.objects.filter(id__gt=int(after), type__in=SHAREABLE_EVENT_TYPES).order_by("id")
    client = request.api_client  # type: ignore[attr-defined]
    if client.region_code:
        qs = qs.filter(region_code__startswith=region_prefix(client.region_code))
    events = list(qs[:limit])
    return {
        "events": [
            {
                "cursor": str(e.id),
                "type": e.type,
                "uscc": e.uscc,
                "occurred_at": e.occurred_at,
                "data": e.data,
            }
            for e in events
        ],
        "next": str(events[-1].id) if events else after,
    }


class FeedbackIn(Schema):
    uscc: str = Field(..., min_length=18, max_length=18)
    measure: str = Field(..., min_length=1, max_length=60)
    action_taken: str = Field(..., min_length=1)
    applied_on: dt.date
    cursor: str | None = Field(None, max_length=18)
    department: str = Field("", max_length=100)

    @field_validator("uscc", "measure", "action_taken", "cursor", "department")
    @classmethod
    def no_nul(cls, value: str | None) -> str | None:
        # PostgreSQL text cannot hold NUL: refuse it as bad input (400), never a 500.
        if value and "\x00" in value:
            raise ValueError(gettext("不得包含空字符（NUL）"))
        return value


class FeedbackOut(Schema):
    id: int
    uscc: str
    measure: str
    received_at: dt.datetime


@router.post(
    "/feedback",
    auth=scope("changes"),
    response={201: FeedbackOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="回传惩戒措施实施情况",
)
def feedback(request: HttpRequest, payload: FeedbackIn) -> Any:
    # A regional receiver reports only on enterprises of its region (400 outside_region).
    fb = actions.record_feedback(
        client=request.api_client,  # type: ignore[attr-defined]
        uscc=payload.uscc.upper(),
        measure=payload.measure,
        action_taken=payload.action_taken,
        applied_on=payload.applied_on,
        cursor=payload.cursor,
        department=payload.department,
    )
    return Status(201, fb)
