"""`GET /api/v1/enterprises/{uscc}/commitments` — scope `share` (authorised departments
and agencies, domain.md §13), only within the client's region: an enterprise's
commitments, their verification findings and whether it may use notification-and-
commitment. Published untrue findings reach the public through the public profile
(`/api/v1/public/enterprises/{uscc}`, field `commitment_findings`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema

from xinjian.collection.models import CommitmentRecord
from xinjian.core.api_auth import scope
from xinjian.core.schemas import ErrorOut
from xinjian.registry.api_access import client_enterprise

from .models import Verification
from .queries import finding_dict, unrepaired_untrue, with_details

router = Router(tags=["commitments"])


class CommitmentItem(Schema):
    id: int
    kind: str
    matter: str
    committed_on: dt.date
    source: str
    source_id: str
    template_code: str
    application_no: str


class ConsequenceItem(Schema):
    kind: str
    kind_name: str
    decision_no: str
    working_days: int | None
    due_on: dt.date | None
    due_on_provisional: bool = False  # v1.1: the calendar lacks a year the deadline runs through
    deadline_explain: str
    rectified_on: dt.date | None
    overdue: bool


class FindingItem(Schema):
    verification_id: int
    status: str
    status_name: str
    commitment_id: int
    commitment_kind: str
    matter: str
    committed_on: dt.date
    application_no: str
    selected_on: dt.date
    concluded_on: dt.date | None
    facts: str
    finding_no: str
    decided_by: str
    published_on: dt.date | None
    repaired: bool
    repaired_on: dt.date | None
    consequences: list[ConsequenceItem]


class EnterpriseCommitmentsOut(Schema):
    uscc: str
    commitment_allowed_by_findings: bool
    commitments: list[CommitmentItem]
    findings: list[FindingItem]
    as_of: dt.datetime


@router.get(
    "/enterprises/{uscc}/commitments",
    auth=scope("share"),
    response={200: EnterpriseCommitmentsOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut},
    summary="查询企业信用承诺及核查结论",
)
def enterprise_commitments(request: HttpRequest, uscc: str) -> dict[str, Any]:
    enterprise = client_enterprise(request, uscc)
    commitments = CommitmentRecord.objects.filter(enterprise=enterprise, archived_at__isnull=True).order_by(
        "-committed_on", "-id"
    )
    # Open verifications are internal work in progress; systems see concluded ones.
    concluded = with_details(
        Verification.objects.filter(enterprise=enterprise, concluded_on__isnull=False)
    ).order_by("-concluded_on", "-id")
    return {
        "uscc": enterprise.uscc,
        # Only this app's half of the constraint: the whole answer (lists too) is
        # GET /enterprises/{uscc}/constraints.
        "commitment_allowed_by_findings": not unrepaired_untrue(enterprise),
        "commitments": [
            {
                "id": c.pk,
                "kind": c.kind,
                "matter": c.matter,
                "committed_on": c.committed_on,
                "source": c.source,
                "source_id": c.source_id,
                "template_code": c.template_code,
                "application_no": c.application_no,
            }
            for c in commitments[:500]
        ],
        "findings": [finding_dict(v) for v in concluded],
        "as_of": timezone.now(),
    }
