"""`GET /api/v1/enterprises/{uscc}/risk` (interfaces.md "Systems"): scope `risk`, only
within the client's region (outside it the enterprise does not exist: 404).
`GET /api/v1/models/general/latest` (v1.1, ADR 0097): scope `share`, the signed artefact
of the active general model, for provinces to adopt (`import_model --from-peer`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema

from xinjian.core.api_auth import scope
from xinjian.core.errors import DomainError, NotFound
from xinjian.core.schemas import ErrorOut
from xinjian.registry.api_access import client_enterprise

from . import actions, artefact
from .models import RiskModel
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


class SignatureOut(Schema):
    alg: str
    key_id: str
    value: str


class ArtefactOut(Schema):
    format: str
    schema_version: int
    payload: dict[str, Any]
    sha256: str
    signature: SignatureOut


@router.get(
    "/models/general/latest",
    auth=scope("share"),
    response={200: ArtefactOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="获取生效通用模型的签名模型文件（联邦）",
)
def general_model_latest(request: HttpRequest) -> HttpResponse:
    """The bytes exactly as signed (the importer checks them byte for byte)."""
    version = RiskModel.objects.get(code=artefact.GENERAL).active_version()
    if version is None:
        raise NotFound("通用模型没有生效版本", code="no_active_version")
    try:
        _name, data = actions.export_general_model(version, actor=request.api_client)  # type: ignore[attr-defined]
    except DomainError as e:
        raise NotFound(e.message, code=e.code, details=e.details)
    return HttpResponse(data, content_type="application/json")
