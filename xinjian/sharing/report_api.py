"""Credit reports in the public API (interfaces.md "Public", extended; docs/adr/0066):

- `POST /api/v1/public/enterprises/{uscc}/reports` — issue a report as of now:
  `201 {"number", "code", "issued_at", "as_of", "sha256", "url", "pdf_url"}`; unknown or
  malformed USCC `404`; too many requests from one address `429`.
- `GET /api/v1/public/reports/{number}?code=…` — verify: `200 {"genuine": true, "number",
  "uscc", "name", "issued_at", "as_of", "sha256", "changed_since", "content"}` where
  `content` is the report as issued; malformed number or code `400` naming the field;
  a pair that does not verify `404` (`report_not_verified`); `429` as above.

No token; both are rate-limited per address like the public search.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema, Status

from xinjian.core.access import public_api
from xinjian.core.errors import NotFound
from xinjian.core.schemas import ErrorOut
from xinjian.disclosure import ratelimit

from . import actions, reports
from .report_views import ISSUE_BUCKET, VERIFY_BUCKET, actor_for, find_enterprise, links

router = Router(tags=["public"])


class ReportIssuedOut(Schema):
    number: str
    code: str
    issued_at: dt.datetime
    as_of: dt.date
    sha256: str
    url: str
    pdf_url: str


class ReportVerifiedOut(Schema):
    genuine: bool
    number: str
    uscc: str
    name: str
    issued_at: dt.datetime
    as_of: dt.date
    sha256: str
    changed_since: bool
    content: dict[str, Any]


@router.post(
    "/public/enterprises/{uscc}/reports",
    response={201: ReportIssuedOut, 404: ErrorOut, 429: ErrorOut},
    summary="Issue a credit report on one enterprise as of now (number + verification code)",
)
@public_api
def issue_report(request: HttpRequest, uscc: str) -> Any:
    ratelimit.hit(request, ISSUE_BUCKET)
    enterprise = find_enterprise(uscc)
    if enterprise is None:
        raise NotFound(gettext("统一社会信用代码无效或企业不存在"))
    report, code = actions.issue_credit_report(enterprise, actor=actor_for(request, "api"), channel="api")
    urls = links(request, report.number, code)
    return Status(
        201,
        {
            "number": report.number,
            "code": reports.display_code(code),
            "issued_at": report.issued_at,
            "as_of": report.as_of,
            "sha256": report.sha256,
            "url": urls["url"],
            "pdf_url": urls["pdf_url"],
        },
    )


@router.get(
    "/public/reports/{number}",
    response={200: ReportVerifiedOut, 400: ErrorOut, 404: ErrorOut, 429: ErrorOut},
    summary="Verify a credit report by number and code; the content as issued",
)
@public_api
def verify_report(request: HttpRequest, number: str, code: str) -> dict[str, Any]:
    ratelimit.hit(request, VERIFY_BUCKET)
    v = reports.verify(number, code)
    return {
        "genuine": True,
        "number": v.report.number,
        "uscc": v.report.uscc,
        "name": v.report.name,
        "issued_at": v.report.issued_at,
        "as_of": v.report.as_of,
        "sha256": v.report.sha256,
        "changed_since": v.changed_since,
        "content": v.content,
    }
