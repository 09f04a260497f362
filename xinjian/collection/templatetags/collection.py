from typing import Any

from django import template

from ..timeline import timeline

register = template.Library()


@register.inclusion_tag("collection/_timeline.html", takes_context=True)
def enterprise_timeline(context: Any, enterprise: Any) -> dict[str, Any]:
    """The enterprise page's timeline; the page itself (registry) decides who sees it."""
    return {"timeline": timeline(enterprise, context["request"].user), "enterprise": enterprise}
