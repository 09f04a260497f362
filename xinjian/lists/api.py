"""`GET /api/v1/enterprises/{uscc}/constraints` (interfaces.md "Systems"), scope
`constraints`: what an approval or supervision system must apply now."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from xinjian.core.api_auth import scope
from xinjian.core.schemas import ErrorOut
from xinjian.core.workdays import today
from xinjian.registry.api_access import client_enterprise

from .queries import constraints as constraints_of

router = Router(tags=["constraints"])


class ConstraintsOut(Schema):
    uscc: str
    on_anomaly_list: bool
    on_serious_list: bool
    # v1.1 (issue 12): an individual business marked in the abnormal business state; it is
    # never on the enterprise anomaly list (`on_anomaly_list` stays false for it).
    in_abnormal_state: bool = False
    commitment_allowed: bool
    measures: list[str]
    as_of: dt.datetime
    measure_names: dict[str, str]


@router.get(
    "/enterprises/{uscc}/constraints",
    auth=scope("constraints"),
    response={200: ConstraintsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="查询联合惩戒约束",
)
def constraints(request: HttpRequest, uscc: str) -> dict[str, Any]:
    # Within the client's region only: outside it the enterprise does not exist (404).
    enterprise = client_enterprise(request, uscc)
    result = constraints_of(enterprise, today())
    result["as_of"] = timezone.now()
    return result
