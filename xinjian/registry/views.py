"""Staff pages of the register: search, an enterprise's page, the key-area list."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xinjian.core.access import staff
from xinjian.core.errors import DomainError
from xinjian.core.forms import choice_form, say_invalid
from xinjian.core.jurisdiction import get_visible_or_404, user_region_prefix
from xinjian.core.pages import query_without_page
from xinjian.core.panels import enterprise_panels
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workdays import today

from . import actions, queries
from .models import Division, Enterprise, EnterpriseStatus, KeyAreaTag, KeyAreaType


def _divisions_for(user) -> list[Division]:  # type: ignore[no-untyped-def]
    return list(Division.objects.for_prefix(user_region_prefix(user)))


@staff(Perm.VIEW_REGISTER)
def search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    region = request.GET.get("region", "")
    status = request.GET.get("status", "")
    qs = Enterprise.objects.visible_to(request.user)
    if q:
        qs = qs.search(q)
    if region.isdigit() and len(region) == 6:
        qs = qs.in_region(region)
    if status in EnterpriseStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(
        qs.order_by("name", "id").prefetch_related(
            Prefetch(
                "key_area_tags",
                queryset=KeyAreaTag.objects.filter(active=True).select_related("type"),
                to_attr="active_tags",
            )
        ),
        25,
        allow_empty_first_page=True,
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/search.html",
        {
            "q": q,
            "region": region,
            "status": status,
            "page": page,
            "divisions": _divisions_for(request.user),
            "statuses": EnterpriseStatus.choices,
            "query": query_without_page(request),
        },
    )


@staff(Perm.VIEW_REGISTER)
def enterprise_detail(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = get_visible_or_404(Enterprise.objects, request.user, uscc=uscc)
    context = queries.enterprise_page(enterprise)
    context["can_tag"] = has_perm(request.user, Perm.TAG_KEY_AREA)
    context["untagged_types"] = [
        t
        for t in KeyAreaType.objects.filter(enabled=True)
        if t.code not in {tag.type_id for tag in context["tags"] if tag.active}
    ]
    # Licences, timeline, risk, lists, repair, commitments: each app registers its panel
    # (`core.panels.enterprise_panels`) and decides who sees it.
    context["panels"] = enterprise_panels.render(request, enterprise)
    return render(request, "registry/enterprise.html", context)


class TagForm(choice_form("_TagStep", [("tag", _("标注")), ("untag", _("取消标注"))], default="tag")):  # type: ignore[misc]
    type = forms.ModelChoiceField(
        label=_("重点领域类型"), queryset=KeyAreaType.objects.all(), to_field_name="code"
    )


@require_POST
@staff(Perm.TAG_KEY_AREA)
def change_tag(request: HttpRequest, uscc: str) -> HttpResponse:
    enterprise = get_visible_or_404(Enterprise.objects, request.user, uscc=uscc)
    form = TagForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("registry:detail", uscc=enterprise.uscc)
    key_area, reason = form.cleaned_data["type"], form.cleaned_data["reason"]
    try:
        if form.cleaned_data["action"] == "untag":
            actions.untag_by_hand(enterprise, key_area, actor=request.user, reason=reason)
            messages.success(request, gettext("已取消“%(name)s”标注") % {"name": key_area.name})
        else:
            actions.tag_by_hand(enterprise, key_area, actor=request.user, reason=reason)
            messages.success(request, gettext("已标注为“%(name)s”") % {"name": key_area.name})
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("registry:detail", uscc=enterprise.uscc)


@staff(Perm.VIEW_REGISTER)
def key_area_list(request: HttpRequest) -> HttpResponse:
    filters = queries.KeyAreaFilters.from_query(request.GET)
    rows = queries.key_area_rows(request.user, filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "registry/key_area_list.html",
        {
            "page": page,
            "filters": filters,
            "types": KeyAreaType.objects.all(),
            "divisions": _divisions_for(request.user),
            "counts": queries.key_area_counts(request.user, filters),
            "can_export": has_perm(request.user, Perm.EXPORT),
            "query": query_without_page(request),
        },
    )


@staff(Perm.EXPORT)
def key_area_export(request: HttpRequest) -> FileResponse:
    """The list as an Excel file, streamed row by row (openpyxl write-only mode)."""
    filters = queries.KeyAreaFilters.from_query(request.GET)
    name = f"重点领域企业清单-{today():%Y%m%d}.xlsx"
    return FileResponse(
        queries.key_area_xlsx(request.user, filters),
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
