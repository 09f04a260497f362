"""Risk's part of the staff enterprise page (registered with `core.panels`). Risk classes
are internal: only staff holding the risk permission see the panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xinjian.core.panels import enterprise_panels
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm

from .queries import enterprise_risk


@enterprise_panels.register("risk", "risk/_enterprise_panel.html", order=30)
def risk_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any] | None:
    if not has_perm(request.user, Perm.VIEW_RISK):
        return None
    return {"risk": enterprise_risk(enterprise)}
