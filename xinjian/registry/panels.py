"""The register's cards on the staff workbench (registered with `core.panels`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from xinjian.core import labels as core_labels
from xinjian.core.panels import staff_workbench

from .models import Enterprise, KeyAreaTag


@staff_workbench.register("register", "registry/_workbench.html", order=10)
def register_cards(request: HttpRequest, user: Any) -> dict[str, Any]:
    tags = KeyAreaTag.objects.visible_to(user).filter(active=True)
    return {
        "enterprise_count": Enterprise.objects.visible_to(user).count(),
        "key_area_count": tags.values("enterprise_id").distinct().count(),
    }


# The key-area domains as words (core.labels): models and rules name them by code.
core_labels.register(
    "key_area_domain",
    {"food": _("食品"), "special_equipment": _("特种设备"), "industrial_product": _("工业产品")},
)
