"""The public API of interfaces.md: `GET /api/v1/public/enterprises?q=`,
`GET /api/v1/public/enterprises/{uscc}` and (v1.1) `GET /api/v1/public/exposure`. No token; everything passes the disclosure
policy (queries.profile); a risk class or a complaint is never read here."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Router, Schema

from xinjian.core.access import public_api
from xinjian.core.errors import NotFound
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


class ReplyOut(Schema):
    text: str
    submitted_at: str


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
    as_of: str


@router.get(
    "/enterprises",
    response={200: SearchOut, 400: ErrorOut, 429: ErrorOut},
    summary="Search by name fragment (2+ characters), USCC or old registration number; at most 50",
)
@public_api
def search_enterprises(request: HttpRequest, q: str) -> dict[str, Any]:
    ratelimit.hit(request)
    found = search.search(q)
    return {
        "results": [
            {
                "uscc": e.uscc,
                "name": e.name,
                "region_code": e.region_code,
                "status": e.status,
                "key_areas": e.key_area_codes,  # type: ignore[attr-defined]  # set by search.search
            }
            for e in found
        ]
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
