"""Commitments' parts of the pages (registered with `core.panels`): the staff enterprise
page's credit record and the enterprise user's workbench card."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xinjian.collection.models import CommitmentRecord
from xinjian.core.panels import enterprise_panels, enterprise_workbench
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm

from .models import Verification, VerificationStatus
from .queries import enterprise_panel


@enterprise_panels.register("commitments", "commitments/_enterprise_panel.html", order=60)
def commitments_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {
        "commitments_panel": enterprise_panel(enterprise),
        "can_manage_commitments": has_perm(request.user, Perm.MANAGE_COMMITMENTS),
    }


@enterprise_workbench.register("commitments", "commitments/_workbench.html", order=20)
def commitments_card(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {
        "commitments": CommitmentRecord.objects.filter(
            enterprise=enterprise, archived_at__isnull=True
        ).count(),
        "untrue": Verification.objects.filter(
            enterprise=enterprise, status=VerificationStatus.UNTRUE, repaired_on__isnull=True
        ).count(),
    }
