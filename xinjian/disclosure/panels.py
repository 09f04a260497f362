"""Disclosure's card on the enterprise user's workbench (registered with `core.panels`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xinjian.core.panels import enterprise_workbench

from .models import EnterpriseReply


@enterprise_workbench.register("records", "disclosure/_workbench.html", order=10)
def records_card(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"replies": EnterpriseReply.objects.filter(enterprise=enterprise).count()}
