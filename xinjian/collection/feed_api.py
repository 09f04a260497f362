"""`GET /api/v1/records?after=CURSOR&limit=N` (interfaces.md v1.1 "Record feed"), scope
`share`: every stored record change in commit order, in the ingest format; a regional
client reads only records about enterprises of its region."""

from __future__ import annotations

from typing import Any

import orjson
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Router, Schema

from xinjian.core.api_auth import client_region_prefix, scope
from xinjian.core.errors import DomainError, field_error
from xinjian.core.schemas import ErrorOut

from . import feed

router = Router(tags=["records"])


class ArchivedOut(Schema):
    at: str
    reason: str


class FeedEntryOut(Schema):
    cursor: str
    kind: str
    source: str
    record: dict[str, Any]
    # Present when the record has been archived at the source (interfaces.md v1.1 extension):
    # a puller archives its copy with the same reason.
    archived: ArchivedOut | None = None


class ReceiptOut(Schema):
    cursor: str
    source: str
    kind: str
    source_id: str
    uscc: str
    received_on: str
    delivered_on: str | None = None
    published_on: str | None = None


class FeedOut(Schema):
    records: list[FeedEntryOut]
    next: str
    head: str
    receipts: list[ReceiptOut]


@router.get(
    "/records",
    auth=scope("share"),
    response={200: FeedOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
    summary="按游标读取记录变更（联邦汇聚）",
)
def records(request: HttpRequest, after: str = "0", limit: int = 500) -> HttpResponse:
    if not (after.isascii() and after.isdigit() and len(after) <= 18):
        raise DomainError(
            gettext("游标无效"),
            code="invalid_cursor",
            details=[field_error("after", "invalid_cursor", gettext("游标应为数字字符串"))],
        )
    if not 1 <= limit <= feed.MAX_LIMIT:
        raise DomainError(
            gettext("limit 超出范围"),
            code="invalid_limit",
            details=[field_error("limit", "out_of_range", f"1–{feed.MAX_LIMIT}")],
        )
    client = request.api_client  # type: ignore[attr-defined]
    if not client.region_code and int(after):
        feed.acknowledge(client.name, int(after))
    page = feed.read_page(int(after), limit, region_prefix=client_region_prefix(client), client=client.name)
    # Built with orjson in the FeedOut shape: a page of 1,000 records is large.
    body = {
        "records": page.entries,
        "next": str(page.next),
        "head": str(page.head),
        "receipts": page.receipts,
    }
    return HttpResponse(orjson.dumps(body), content_type="application/json")
