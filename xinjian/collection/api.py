"""Ingest API (interfaces.md "Ingest"): `POST /api/v1/ingest/{kind}` and
`GET /api/v1/ingest/batches/{batch_id}`, scope `ingest`."""

from __future__ import annotations

import json
import uuid
from typing import Any

import orjson
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Path, Router, Schema

from xinjian.core.api_auth import client_region_prefix, scope
from xinjian.core.errors import DomainError, NotFound
from xinjian.core.schemas import ErrorOut, FieldErrorOut

from .actions import ingest_records
from .ingest.engine import MAX_RECORDS
from .ingest.kinds import KINDS, json_schema
from .models import IngestBatch

router = Router(tags=["ingest"])


class RejectedOut(Schema):
    index: int
    source_id: str | None = None
    errors: list[FieldErrorOut]


class RejectedWithRecordOut(RejectedOut):
    record: Any = None


class PendingOut(Schema):
    index: int
    source_id: str | None = None
    reason: str


class IngestOut(Schema):
    batch_id: str
    received: int
    created: int
    updated: int
    unchanged: int
    rejected: list[RejectedOut]
    pending: list[PendingOut]


class BatchOut(IngestOut):
    kind: str
    status: str
    started_at: str
    finished_at: str | None = None
    rejected: list[RejectedWithRecordOut]  # type: ignore[assignment]


_BODY_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["records"],
                    "properties": {
                        "records": {
                            "type": "array",
                            "maxItems": MAX_RECORDS,
                            "items": {
                                "description": "每条记录的字段取决于路径中的 kind（见 oneOf 各项的 title）；无效记录逐条拒收，不影响其他记录",
                                "oneOf": [json_schema(k) for k in KINDS.values()],
                            },
                        }
                    },
                }
            }
        },
    },
}


def _records(request: HttpRequest) -> list[Any]:
    try:
        body = request.body
    except RequestDataTooBig:
        raise DomainError(gettext("请求体过大"), code="payload_too_large")
    try:
        # orjson parses a 10,000-record body several times faster. What it refuses but the
        # standard parser takes (lone surrogates, NaN, huge integers) goes to the standard
        # parser, so that such records are still judged one by one, as before.
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        try:
            data = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise DomainError(gettext("请求体不是合法的JSON"), code="malformed_json")
        except RecursionError:  # nested thousands deep (orjson stops at 1,024 levels)
            message = "JSON嵌套层数过深"  # the same words as config.api for other bodies
            raise DomainError(
                message, code="too_deep", details=[{"field": "body", "code": "too_deep", "message": message}]
            )
    if not isinstance(data, dict) or "records" not in data:
        raise DomainError(
            gettext("请求体应为包含records数组的JSON对象"),
            code="missing_records",
            details=[{"field": "records", "code": "required", "message": gettext("缺少records")}],
        )
    records = data["records"]
    if not isinstance(records, list):
        raise DomainError(
            gettext("records应为数组"),
            code="invalid_records",
            details=[{"field": "records", "code": "invalid_type", "message": gettext("records应为数组")}],
        )
    return records


class TooLarge(DomainError):
    status = 413
    code = "too_many_records"


@router.post(
    "/{kind}",
    auth=scope("ingest"),
    response={200: IngestOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut},
    openapi_extra=_BODY_DOC,
    summary="归集一批记录",
)
def ingest(request: HttpRequest, kind: str = Path(..., description="、".join(KINDS))) -> HttpResponse:
    if kind not in KINDS:
        raise NotFound(gettext("未知的数据类别：%(value)s") % {"value": kind[:40]}, code="unknown_kind")
    try:
        records = _records(request)
    except DomainError as e:
        if e.code == "payload_too_large":
            raise TooLarge(e.message, code="payload_too_large")
        raise
    if len(records) > MAX_RECORDS:
        raise TooLarge(
            gettext("每次最多%(MAX_RECORDS)s条记录，本次%(len)s条")
            % {"MAX_RECORDS": MAX_RECORDS, "len": len(records)}
        )
    client = request.api_client  # type: ignore[attr-defined]
    # A regional client writes only about enterprises of its region; any other record is
    # rejected on its own (`uscc` / `outside_region`, issue 13).
    batch, rejects = ingest_records(
        kind,
        records,
        actor=client,
        source=client.name,
        channel="api",
        region_code=client.region_code,
        region_prefix=client_region_prefix(client),
        outside_code="outside_region",
    )
    out = batch.summary()
    out["rejected"] = [r.as_dict() for r in rejects]
    # Built here as the IngestOut shape (the OpenAPI document and schemathesis hold it to
    # that): the schema layer would validate every rejected record and pending entry again.
    try:
        body = orjson.dumps(out)
    except TypeError:  # a lone surrogate quoted in a message: the standard encoder escapes it
        body = json.dumps(out).encode()
    return HttpResponse(body, content_type="application/json")


@router.get(
    "/batches/{batch_id}",
    auth=scope("ingest"),
    response={200: BatchOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="查询归集批次",
)
def batch_detail(request: HttpRequest, batch_id: str) -> dict[str, Any]:
    try:
        pk = uuid.UUID(batch_id)
    except ValueError:
        raise NotFound(gettext("批次不存在"))
    # A client sees its own batches only.
    batch = IngestBatch.objects.filter(pk=pk, source=request.api_client.name).first()  # type: ignore[attr-defined]
    if batch is None:
        raise NotFound(gettext("批次不存在"))
    out = batch.summary()
    out.update(
        kind=batch.kind,
        status=batch.status,
        started_at=batch.started_at.isoformat(),
        finished_at=batch.finished_at.isoformat() if batch.finished_at else None,
    )
    out["rejected"] = [
        {"index": r.index, "source_id": r.source_id or None, "errors": r.errors, "record": r.record}
        for r in batch.rejects.all()
    ]
    return out
