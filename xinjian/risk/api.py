"""`GET /api/v1/enterprises/{uscc}/risk` (interfaces.md "Systems"): scope `risk`, only
within the client's region (outside it the enterprise does not exist: 404)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from xinjian.core.api_auth import scope
from xinjian.core.errors import NotFound
from xinjian.core.schemas import ErrorOut
from xinjian.registry.api_access import client_enterprise

from .queries import enterprise_risk

router = Router(tags=["risk"])


class ReasonOut(Schema):
    indicator: str
    value: float
    points: int
    name: str
    text: str


class RiskOut(Schema):
    uscc: str
    risk_class: str = Field(..., alias="class")
    score: int
    model: str
    assessed_at: dt.datetime
    reasons: list[ReasonOut]


@router.get(
    "/enterprises/{uscc}/risk",
    auth=scope("risk"),
    by_alias=True,
    response={200: RiskOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="查询信用风险分类",
)
def risk(request: HttpRequest, uscc: str) -> dict[str, Any]:
    enterprise = client_enterprise(request, uscc)
    found = enterprise_risk(enterprise)
    if found is None:
        raise NotFound("该主体尚未进行风险分类", code="not_assessed")
    return {
        "uscc": enterprise.uscc,
        "class": found["class"],
        "score": found["score"],
        "model": found["model"],
        "assessed_at": found["assessed_at"],
        "reasons": [
            {k: r[k] for k in ("indicator", "value", "points", "name", "text")} for r in found["reasons"]
        ],
    }
