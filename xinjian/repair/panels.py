"""Repair's parts of the pages (registered with `core.panels`): the staff enterprise
page's applications and the enterprise user's workbench card."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xinjian.core.panels import enterprise_panels, enterprise_workbench

from .models import OPEN_STATUSES, RepairApplication
from .queries import for_enterprise


@enterprise_panels.register("repair", "repair/_enterprise_panel.html", order=50)
def repair_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"repairs": for_enterprise(enterprise)}


@enterprise_workbench.register("repair", "repair/_workbench.html", order=30)
def repair_card(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    open_count = RepairApplication.objects.filter(enterprise=enterprise, status__in=OPEN_STATUSES).count()
    return {"repairs_open": open_count}
