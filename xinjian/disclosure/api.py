"""The public API of interfaces.md: `GET /api/v1/public/enterprises?q=`,
`GET /api/v1/public/enterprises/{uscc}` and (v1.1) `GET /api/v1/public/exposure`. No token; everything passes the disclosure
policy (queries.profile); a risk class or a complaint is never read here."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema

from xinjian.core.access import public_api
from xinjian.core.errors import DomainError, NotFound, field_error
from xinjian.core.schemas import ErrorOut
from xinjian.core.workdays import today
from xinjian.registry.identifiers import IdentifierError, normalize_uscc

from . import policy, queries, ratelimit, search

router = Router(tags=["public"])


class SearchResult(Schema):
    uscc: str
    name: str
    region_code: str
    status: str
    key_areas: list[str]


class SearchOut(Schema):
    results: list[SearchResult]
    # v1.1 additions (the v1.0 shape is kept: `results` is still the first 50 by default).
    count: int  # all matches; exact when `count_exact`, else "more than 10,000"
    count_exact: bool
    page: int
    next: str | None  # the URL of the next page, or null on the last


class ReplyOut(Schema):
    text: str
    submitted_at: str  # ISO 8601 with Beijing's offset
    submitted_on: str = ""  # the Beijing calendar day (issue 14)


class LicenceOut(Schema):
    licence_type: str
    licence_no: str
    issued_by: str
    issued_on: str
    valid_until: str | None
    status: str
    published_on: str | None
    disclosed_until: str | None
    reply: ReplyOut | None = None


class PenaltyOut(Schema):
    decision_no: str
    decided_on: str
    decided_by: str
    domain: str
    violation: str
    penalty_types: list[str]
    fine_amount: float | None
    restriction_until: str | None
    legal_basis: str
    decision_text: str
    published_on: str | None
    disclosed_until: str | None
    reply: ReplyOut | None = None


class InspectionOut(Schema):
    inspected_on: str
    inspected_by: str
    kind: str
    result: str
    item_code: str
    findings: str
    published_on: str | None
    disclosed_until: str | None
    reply: ReplyOut | None = None


class CommitmentOut(Schema):
    kind: str
    matter: str
    committed_on: str
    content: str
    published_on: str | None
    disclosed_until: str | None
    reply: ReplyOut | None = None


class AnnualReportOut(Schema):
    year: int
    filed_on: str
    on_time: bool


class ProfileOut(Schema):
    uscc: str
    name: str
    legal_representative: str
    established_on: str
    region_code: str
    status: str
    key_areas: list[str]
    licences: list[LicenceOut]
    penalties: list[PenaltyOut]
    inspections: list[InspectionOut]
    anomaly_listings: list[dict[str, Any]]
    serious_listing: dict[str, Any] | None
    commitments: list[CommitmentOut]
    # Published untrue findings (承诺不实) with their consequences (commitments.disclosure).
    commitment_findings: list[dict[str, Any]] = []
    # v1.1 additions (issue 14): the register's facts GSXT shows and the annual-report
    # filings (year, filing date, on time).
    entity_type: str = ""
    registered_capital: float | None = None
    business_scope: str = ""
    registration_authority: str = ""
    annual_reports: list[AnnualReportOut] = []
    as_of: str


@router.get(
    "/enterprises",
    response={200: SearchOut, 400: ErrorOut, 429: ErrorOut},
    summary="Search by name fragment (2+ characters), USCC or old registration number, with the "
    "number of matches, pages of at most 50, and filters by region, key-area type and status",
)
@public_api
def search_enterprises(
    request: HttpRequest,
    q: str,
    page: int = 1,
    page_size: int = search.MAX_RESULTS,
    region: str = "",
    key_area: str = "",
    status: str = "",
) -> dict[str, Any]:
    ratelimit.hit(request)
    if not 1 <= page_size <= search.MAX_RESULTS:
        raise DomainError(
            gettext("每页条数超出范围"),
            details=[
                field_error(
                    "page_size", "out_of_range", gettext("每页1到%(n)s条") % {"n": search.MAX_RESULTS}
                )
            ],
        )
    filters = search.Filters.parse(region, key_area, status)
    found = search.search_page(q, page=page, page_size=page_size, filters=filters)
    nxt = None
    if found.has_next:
        args = {"q": q, "page": page + 1, "page_size": page_size, "region": region}
        args |= {"key_area": key_area, "status": status}
        nxt = request.path + "?" + urlencode({k: v for k, v in args.items() if v not in ("", None)})
    return {
        "results": [
            {
                "uscc": e.uscc,
                "name": e.name,
                "region_code": e.region_code,
                "status": e.status,
                "key_areas": e.key_area_codes,  # type: ignore[attr-defined]  # set by search.search_page
            }
            for e in found.results
        ],
        "count": found.count,
        "count_exact": found.count_exact,
        "page": found.page,
        "next": nxt,
    }


@router.get(
    "/enterprises/{uscc}",
    response={200: ProfileOut, 404: ErrorOut},
    summary="The disclosed profile of one enterprise, as of now",
)
@public_api
def enterprise_profile(request: HttpRequest, uscc: str) -> dict[str, Any]:
    try:
        code = normalize_uscc(uscc)
    except IdentifierError:
        raise NotFound(gettext("统一社会信用代码无效或企业不存在"))
    data = queries.profile_by_uscc(code)
    if data is None:
        raise NotFound(gettext("统一社会信用代码无效或企业不存在"))
    return data


class ExposureItem(Schema):
    uscc: str
    name: str
    reason: str  # "repeat_penalties": 屡禁不止、屡罚不改 (domain.md §11)
    count: int
    since: str  # the decision date of the oldest penalty counted


class ExposureOut(Schema):
    results: list[ExposureItem]
    as_of: str


@router.get(
    "/exposure",
    response={200: ExposureOut, 429: ErrorOut},
    summary="Repeat offenders shown on the public exposure page, counted only from records disclosed today",
)
@public_api
def exposure(request: HttpRequest) -> dict[str, Any]:
    ratelimit.hit(request, bucket="exposure")
    day = today()
    return {
        "results": [
            {
                "uscc": row["enterprise"].uscc,
                "name": row["enterprise"].name,
                "reason": row["reason"],
                "count": row["count"],
                "since": row["since"].isoformat(),
            }
            for row in policy.exposure(day)
        ],
        "as_of": day.isoformat(),
    }
