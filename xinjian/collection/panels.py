"""Collection's parts of the staff enterprise page: its licences and its timeline
(registered with `core.panels`; the page itself, registry, decides who sees it)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xinjian.core.panels import enterprise_panels
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm

from .models import Licence
from .timeline import timeline


@enterprise_panels.register("licences", "collection/_licences_panel.html", order=10)
def licences_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"licences": Licence.objects.filter(enterprise=enterprise).order_by("-issued_on")}


@enterprise_panels.register("timeline", "collection/_timeline.html", order=20)
def timeline_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {
        "timeline": timeline(enterprise, request.user),
        "can_archive": has_perm(request.user, Perm.INGEST),
    }
