"""`{% workflow_actions "name" obj %}`: the steps the person may take from the object's
state, as buttons (with the inputs each step needs) posting to the one workflow view;
`{% workflow_history "name" obj %}`: its history with the steps and states in words."""

from __future__ import annotations

import dataclasses
from typing import Any

from django import template
from django.urls import reverse

from xinjian.core.workflow import REGISTRY

register = template.Library()


@register.inclusion_tag("core/_workflow_actions.html", takes_context=True)
def workflow_actions(context: Any, name: str, obj: Any, next_url: str = "") -> dict[str, Any]:
    wf = REGISTRY[name]
    request = context.get("request")
    user = getattr(request, "user", None)
    moves = [
        {
            "action": action,
            "label": t.label,
            # a select's choices resolved for this object
            "fields": [dataclasses.replace(f, choices=f.options(obj)) for f in t.fields],
            "url": reverse("workflow_take", args=[wf.name, obj.pk, action]),
        }
        for action, t in (wf.allowed(obj, user) if user is not None else [])
    ]
    return {"moves": moves, "csrf_token": context.get("csrf_token"), "next": next_url}


@register.inclusion_tag("core/_workflow_history.html")
def workflow_history(name: str, obj: Any, title: str = "") -> dict[str, Any]:
    wf = REGISTRY[name]
    rows = [
        {
            "h": h,
            "action": wf.action_label(h.action),
            "before": wf.state_label(h.from_status),
            "after": wf.state_label(h.to_status),
        }
        for h in wf.history.objects.filter(**{wf.link: obj})  # type: ignore[attr-defined]
    ]
    return {"rows": rows, "title": title}
