"""Risk's part of the staff enterprise page (registered with `core.panels`). Risk classes
are internal: only staff holding the risk permission see the panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext

from xinjian.core.jurisdiction import user_region_prefix
from xinjian.core.panels import enterprise_panels
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workbench import cached_chart, charts
from xinjian.registry.models import Division, Enterprise

from .queries import current_class_map, enterprise_risk


@enterprise_panels.register("risk", "risk/_enterprise_panel.html", order=30)
def risk_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any] | None:
    if not has_perm(request.user, Perm.VIEW_RISK):
        return None
    return {"risk": enterprise_risk(enterprise)}


@charts.register("risk.class_by_county", order=10)
def class_by_county_chart(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Enterprises by current risk class in each county of the user's area (staff only)."""
    if not has_perm(user, Perm.VIEW_RISK):
        return None
    return cached_chart("risk.class_by_county", user, lambda: _class_by_county_chart_build(user))


def _class_by_county_chart_build(user: Any) -> dict[str, Any] | None:
    ents = dict(
        Enterprise.objects.visible_to(user).values_list("pk", "region_code").iterator(chunk_size=10000)
    )
    if not ents:
        return None
    # A long IN list costs more than reading every assessment (the map is filtered below).
    classes = current_class_map(ents if len(ents) < 20000 else None)
    # A province's staff see its prefectures (a hundred counties do not fit an axis); a
    # city's or county's staff see the counties.
    prefix = user_region_prefix(user) or ""
    by_city = len(prefix) <= 2

    def area(code: str) -> str:
        return code[:4] + "00" if by_city else code

    counts: dict[tuple[str, str], int] = {}
    for eid, klass in classes.items():
        region = ents.get(eid)
        if region is None:
            continue
        key = (area(region), klass)
        counts[key] = counts.get(key, 0) + 1
    regions = sorted({r for r, _k in counts})
    names = dict(Division.objects.filter(code__in=regions).values_list("code", "name"))
    return {
        "title": gettext("各地市主体风险分类分布（户）")
        if by_city
        else gettext("各区县主体风险分类分布（户）"),
        "option": {
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
            "legend": {"top": 0},
            "grid": {"left": 40, "right": 16, "top": 40, "bottom": 60},
            "xAxis": {
                "type": "category",
                "data": [names.get(r, r) for r in regions],
                "axisLabel": {"interval": 0, "rotate": 30},
            },
            "yAxis": {"type": "value"},
            "series": [
                {
                    "name": gettext("%(c)s类") % {"c": k},
                    "type": "bar",
                    "stack": "class",
                    "data": [counts.get((r, k), 0) for r in regions],
                }
                for k in "ABCD"
            ],
        },
    }
