"""What the commitments contribute to an enterprise's public profile (asked by
disclosure, as `lists.disclosure` does for listings).

`public_findings(enterprise, on)`: the untrue findings (承诺不实) published by `on`, each
with its consequences, the facts with personal data removed (disclosure.redaction), and
whether the enterprise's credit has since been repaired (shown as 已修复). Findings that a
commitment was kept, and verifications still open, are not published; risk classes and
complaints are never read here.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from xinjian.disclosure.redaction import redact

from .models import Verification, VerificationStatus
from .queries import with_details


def _due(c: Any) -> str | None:
    """The rectification deadline as the calendar gives it today (commitments.deadlines)."""
    dl = c.deadline()
    return dl.due.isoformat() if dl else None


def published(on: dt.date) -> QuerySet[Verification]:
    """Untrue findings published by `on` (the open-data export reads them all at once)."""
    return Verification.objects.filter(
        status=VerificationStatus.UNTRUE,
        published_on__isnull=False,
        published_on__lte=on,
        commitment__archived_at__isnull=True,
    )


def finding_public_dict(v: Verification, on: dt.date) -> dict[str, Any]:

    c = v.commitment
    return {
        "id": v.pk,
        "commitment_id": c.pk,
        "commitment_kind": c.kind,
        "matter": c.matter,
        "committed_on": c.committed_on.isoformat(),
        "concluded_on": v.concluded_on.isoformat() if v.concluded_on else None,
        "finding_no": v.finding_no,
        "decided_by": v.department.name if v.department else "",
        "facts": redact(v.facts, names=[v.enterprise.legal_representative]),
        "consequences": [
            {
                "kind": x.kind,
                "kind_name": str(x.get_kind_display()),
                "decision_no": x.decision_no,
                "due_on": _due(x),
                "due_on_provisional": bool(x.deadline() and x.deadline().provisional),
                "rectified_on": x.rectified_on.isoformat()
                if x.rectified_on and x.rectified_on <= on
                else None,
            }
            for x in v.consequences.all()
        ],
        "published_on": v.published_on.isoformat() if v.published_on else None,
        "repaired": bool(v.repaired_on and v.repaired_on <= on),
    }


def public_findings(enterprise: Any, on: dt.date) -> list[dict[str, Any]]:
    rows = with_details(published(on).filter(enterprise=enterprise)).order_by("-concluded_on", "-id")
    return [finding_public_dict(v, on) for v in rows]
