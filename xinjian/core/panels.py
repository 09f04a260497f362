"""Parts of a page that other apps contribute (issue 11 §2: layers that hold).

The staff enterprise page (registry), the staff workbench and the enterprise user's
workbench (core) show what the apps above them know: licences, the timeline, the risk
class, lists, repair, commitments. The page's own app must not import those apps, so each
app registers its parts here from its `AppConfig.ready()` and the page renders whatever is
registered, in order:

    from xinjian.core.panels import enterprise_panels

    @enterprise_panels.register("risk", "risk/_enterprise_panel.html", order=30)
    def risk_panel(request, enterprise):
        if not has_perm(request.user, Perm.VIEW_RISK):
            return None  # not shown to this user
        return {"risk": enterprise_risk(enterprise)}

A part's function returns the template context (the subject is added as `subject` and,
for the enterprise page, `enterprise`) or None to leave the part out for this request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

PartContext = Callable[[HttpRequest, Any], dict[str, Any] | None]


@dataclass(frozen=True)
class Part:
    name: str
    template: str
    order: int
    context: PartContext


class PageParts:
    """The parts registered for one page, rendered in `order` (then name)."""

    def __init__(self, page: str, subject_name: str = "subject"):
        self.page = page
        self.subject_name = subject_name
        self._parts: dict[str, Part] = {}

    def register(self, name: str, template: str, *, order: int) -> Callable[[PartContext], PartContext]:
        def decorate(context: PartContext) -> PartContext:
            if name in self._parts and self._parts[name].context is not context:
                raise ValueError(f"{self.page}: part {name!r} is registered twice")
            self._parts[name] = Part(name, template, order, context)
            return context

        return decorate

    def parts(self) -> list[Part]:
        return sorted(self._parts.values(), key=lambda p: (p.order, p.name))

    def render(self, request: HttpRequest, subject: Any) -> list[SafeString]:
        html = []
        for part in self.parts():
            context = part.context(request, subject)
            if context is None:
                continue
            context = {"subject": subject, self.subject_name: subject, **context}
            html.append(mark_safe(render_to_string(part.template, context, request=request)))
        return html


# The staff enterprise page (registry/enterprise.html), below the register's own facts.
enterprise_panels = PageParts("enterprise page", subject_name="enterprise")
# The staff workbench (core/dashboard.html): one card per part; the subject is the user.
staff_workbench = PageParts("staff workbench", subject_name="user")
# The enterprise user's workbench (core/my_home.html); the subject is their enterprise.
enterprise_workbench = PageParts("enterprise workbench", subject_name="enterprise")
