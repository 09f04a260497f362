"""The lists' part of the staff enterprise page (registered with `core.panels`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xinjian.core.panels import enterprise_panels
from xinjian.core.workdays import today

from .queries import enterprise_panel


@enterprise_panels.register("lists", "lists/_enterprise_panel.html", order=40)
def lists_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"lists_panel": enterprise_panel(enterprise, today())}
