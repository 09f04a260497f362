"""The HTTP API root: /api/v1/. Each app contributes a router; errors have one shape
(architecture rule 8)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from xinjian.core.errors import DomainError, error_body
from xinjian.core.middleware import find_nul


class NulSafeParser(Parser):
    """JSON bodies whose strings hold NUL (0x00) are refused with a 400: no database
    column can store them (PostgreSQL text)."""

    def parse_body(self, request: HttpRequest) -> Any:
        try:
            data = super().parse_body(request)
            field = find_nul(data)
        except RecursionError:
            # JSON nested thousands deep (issue 13 item 7): no payload of the exchange
            # standard is deeper than a few levels.
            message = "JSON嵌套层数过深"
            raise DomainError(
                message, code="too_deep", details=[{"field": "body", "code": "too_deep", "message": message}]
            )
        if field:
            message = "字段中含有不允许的空字符（0x00）"
            raise DomainError(
                message,
                code="invalid_character",
                details=[{"field": field, "code": "invalid_character", "message": message}],
            )
        return data


DESCRIPTION = """Exchange standard v1 (docs/interfaces.md): ingest, public disclosure, constraints, risk, changes.

## Pushes are delivered at least once

A subscriber's endpoint receives each event as a signed `POST` and acknowledges it with
any 2xx. Until it does, the platform retries with back-off, then keeps the delivery as a
dead letter that an officer can replay. A receiver that answers slowly (after the
platform's timeout), or whose 2xx is lost, **receives the same delivery again**: pushes
are at-least-once, never exactly-once. Deduplicate on the headers:

- `X-Xinjian-Delivery`: the delivery id, one per (subscription, event). It is the same on
  every retry and replay of that delivery (and equals `delivery_id` in the body): store
  the ids you have processed and ignore a repeat.
- `X-Xinjian-Event-Id`: the event's id in the platform's event log (the `cursor` of
  `/api/v1/changes`), the same for every subscription that receives the event.
- `X-Xinjian-Event`: the event type; `X-Xinjian-Signature`: `sha256=<HMAC-SHA256 of the
  body with the shared secret>`.

Within one subscription, deliveries about one enterprise arrive in event order: a later one
waits while an earlier one is unacknowledged.

## Rate limit of public search

Public search answers 429 past 30 requests a minute per client address. The count is
kept in Django's cache: without `CACHE_URL` each server process counts on its own (the
effective limit is processes × 30); production sets `CACHE_URL=redis://…` so that every
process and host shares one count.
"""

api = NinjaAPI(
    parser=NulSafeParser(),
    title="信监 Xinjian API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _field_of(loc: list[Any]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "payload")]
    return ".".join(parts)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    details = [
        {
            "field": _field_of(list(e.get("loc", []))),
            "code": str(e.get("type", "invalid")),
            "message": str(e.get("msg", "")),
        }
        for e in exc.errors
    ]
    return api.create_response(request, error_body("invalid_request", "请求参数不合法", details), status=400)


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(request, error_body(exc.code, exc.message, exc.details), status=exc.status)


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, error_body("unauthorized", "缺少或无效的访问令牌"), status=401)


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc.__cause__, DomainError):  # raised by NulSafeParser inside ninja's body parsing
        return on_domain_error(request, exc.__cause__)
    codes = {
        400: "bad_request",
        401: "unauthorized",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        413: "payload_too_large",
        429: "rate_limited",
    }
    return api.create_response(
        request, error_body(codes.get(exc.status_code, "error"), str(exc)), status=exc.status_code
    )


# Each app owns its router (prefix "" where interfaces.md puts its paths at the root).
for prefix, path in [
    ("/ingest", "xinjian.collection.api.router"),
    ("", "xinjian.collection.feed_api.router"),
    ("/public", "xinjian.disclosure.api.router"),
    ("", "xinjian.lists.api.router"),
    ("", "xinjian.risk.api.router"),
    ("", "xinjian.inspections.api.router"),
    ("", "xinjian.sharing.api.router"),
    ("", "xinjian.sharing.report_api.router"),
    ("", "xinjian.commitments.api.router"),
    ("", "xinjian.repair.api.router"),
]:
    api.add_router(prefix, path)
