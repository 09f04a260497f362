"""The repair part of the staff enterprise page (registry decides who sees the page)."""

from __future__ import annotations

from typing import Any

from django import template

from ..queries import for_enterprise

register = template.Library()


@register.inclusion_tag("repair/_enterprise_panel.html")
def repair_panel(enterprise: Any) -> dict[str, Any]:
    return {"repairs": for_enterprise(enterprise)}
