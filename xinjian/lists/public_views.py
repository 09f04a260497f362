"""Public list pages (/public/lists/): the anomaly list, the serious-violation list, the
concentrated exposure of repeat offenders and serious-list enterprises, typical cases.
Everything shown passes the disclosure policy for the day (`disclosure.policy`)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from xinjian.core.access import public
from xinjian.core.jurisdiction import region_prefix
from xinjian.core.pages import query_without_page
from xinjian.core.workdays import today
from xinjian.disclosure import policy
from xinjian.registry.models import Division, KeyAreaType

from . import queries, rules
from .models import AnomalyKind, AnomalyStatus, ListKind, TypicalCase


def _filters(request: HttpRequest) -> tuple[str, str]:
    region = request.GET.get("region", "")
    region = region_prefix(region) if region.isdigit() and len(region) == 6 else ""
    key_area = request.GET.get("key_area", "")
    if key_area and not KeyAreaType.objects.filter(code=key_area).exists():
        key_area = ""
    return region, key_area


def _filter(qs: Any, region: str, key_area: str) -> Any:
    if region:
        qs = qs.filter(enterprise__region_code__startswith=region)
    if key_area:
        qs = qs.filter(
            enterprise__key_area_tags__type_id=key_area, enterprise__key_area_tags__active=True
        ).distinct()
    return qs


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {
        "divisions": Division.objects.for_prefix(""),
        "key_areas": KeyAreaType.objects.filter(enabled=True),
        "region": request.GET.get("region", ""),
        "key_area": request.GET.get("key_area", ""),
        "query": query_without_page(request),
        "today": today(),
        **extra,
    }


@public
def anomaly(request: HttpRequest) -> HttpResponse:
    region, key_area = _filters(request)
    # The enterprise anomaly list: individual businesses' abnormal-state marks are not on it.
    qs = _filter(
        queries.public_anomaly(today()).filter(status=AnomalyStatus.LISTED, kind=AnomalyKind.LIST),
        region,
        key_area,
    )
    page = Paginator(qs.select_related("enterprise").order_by("-listed_on", "-id"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "lists/public/anomaly.html", _context(request, page=page))


@public
def serious(request: HttpRequest) -> HttpResponse:
    region, key_area = _filters(request)
    qs = _filter(queries.public_serious(today()), region, key_area)
    page = Paginator(qs.select_related("enterprise").order_by("-published_on", "-id"), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "lists/public/serious.html",
        _context(request, page=page, measures=rules.measures(ListKind.SERIOUS, today())),
    )


@public
def exposure(request: HttpRequest) -> HttpResponse:
    """集中公示、重点曝光 (seed 十一): repeat offenders and serious-list enterprises."""
    region, key_area = _filters(request)
    day = today()
    r = rules.rules_on(day, region) if len(region) >= 2 else rules.instance_rules_on(day)
    return render(
        request,
        "lists/public/exposure.html",
        _context(
            request,
            rules=r,
            repeat=queries.repeat_offenders(day, region, key_area),
            serious=_filter(queries.public_serious(day), region, key_area).select_related("enterprise")[:200],
            reminders=_filter(queries.reminders(day), region, key_area)[:200],
            cases=policy.visible_typical_cases(TypicalCase.objects.all(), day)[:5],
        ),
    )


@public
def cases(request: HttpRequest) -> HttpResponse:
    qs = policy.visible_typical_cases(TypicalCase.objects.all(), today())
    region, _ = _filters(request)
    if region:
        qs = qs.filter(region_code__startswith=region)
    page = Paginator(qs.order_by("-published_on", "-id"), 20).get_page(request.GET.get("page"))
    return render(request, "lists/public/cases.html", _context(request, page=page))


@public
def case(request: HttpRequest, pk: int) -> HttpResponse:
    day = today()
    c = get_object_or_404(policy.visible_typical_cases(TypicalCase.objects.all(), day), pk=pk)
    return render(
        request, "lists/public/case.html", {"case": c, "enterprises": policy.case_enterprises(c, day)}
    )
