"""`GET /api/v1/enterprises/{uscc}/repairs` — scope `share`, only within the client's
region (outside it the enterprise does not exist: 404). Read-only: the credit-repair
applications of one enterprise and where each stands (domain.md §12: repairs are shared
with the departments that received the original information)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from xinjian.core.api_auth import scope
from xinjian.core.schemas import ErrorOut
from xinjian.registry.api_access import client_enterprise

from .queries import as_dict, for_enterprise

router = Router(tags=["repair"])


class RepairOut(Schema):
    id: int
    number: str
    uscc: str
    kind: str
    target_id: int | None
    status: str
    department: str
    strict: bool
    onsite_required: bool
    submitted_on: dt.date
    accept_due: dt.date
    accept_due_provisional: bool  # v1.1: the calendar lacks a year the deadline runs through
    accepted_on: dt.date | None
    decide_due: dt.date | None
    decide_due_provisional: bool
    verified_on: dt.date | None
    decided_on: dt.date | None
    decision_no: str
    reasons: str
    publication_due: dt.date | None
    publication_due_provisional: bool
    publication_updated_on: dt.date | None
    revoked_on: dt.date | None


class RepairsOut(Schema):
    uscc: str
    results: list[RepairOut]


@router.get(
    "/enterprises/{uscc}/repairs",
    auth=scope("share"),
    response={200: RepairsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="查询企业信用修复申请",
)
def repairs(request: HttpRequest, uscc: str) -> dict[str, Any]:
    enterprise = client_enterprise(request, uscc)
    return {"uscc": enterprise.uscc, "results": [as_dict(a) for a in for_enterprise(enterprise)]}
