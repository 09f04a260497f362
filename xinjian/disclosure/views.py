"""Public portal pages (Simplified Chinese, phone-friendly), the enterprise's reply page
and the staff pages of publication (backlog, replies, rules)."""

from __future__ import annotations

import contextlib
import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xinjian.collection.models import (
    CommitmentKind,
    Inspection,
    InspectionKind,
    InspectionResult,
    LicenceStatus,
    LicenceType,
    Penalty,
    PenaltyDomain,
    PenaltyType,
)
from xinjian.core.access import enterprise_user, public, staff
from xinjian.core.errors import DomainError
from xinjian.core.forms import ReasonForm, say_invalid
from xinjian.core.jurisdiction import get_visible_or_404
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workdays import today
from xinjian.registry.identifiers import IdentifierError, normalize_uscc
from xinjian.registry.models import Division, EnterpriseStatus, KeyAreaType

from . import actions, queries, ratelimit, rules, search
from .exports import DICTIONARY, export_dir
from .models import DisclosureRule, EnterpriseReply, OpenDataFile, RecordKind, RuleKey


def list_links() -> list[dict[str, str]]:
    """The lists' public pages (issue 7), when they exist."""
    links = []
    for name, label in (
        ("anomaly", gettext("经营异常名录")),
        ("serious", gettext("严重违法失信名单")),
        ("exposure", gettext("集中公示曝光")),
    ):
        with contextlib.suppress(NoReverseMatch):
            links.append({"url": reverse(f"lists_public:{name}"), "label": label})
    return links


_REF_TTL = 300.0  # seconds: reference data (divisions, key-area types) read once per process per 5 min
_ref: dict[str, tuple[float, Any]] = {}


def _reference(name: str, load: Any) -> Any:
    import time

    hit = _ref.get(name)
    if hit is None or time.monotonic() - hit[0] > _REF_TTL:
        hit = (time.monotonic(), load())
        _ref[name] = hit
    return hit[1]


def _division_names() -> dict[str, str]:
    def load() -> dict[str, str]:
        rows = {d.code: d for d in Division.objects.all()}
        out: dict[str, str] = {}
        for code, d in rows.items():
            parts: list[str] = []
            node: Division | None = d
            while node is not None:
                parts.append(node.name)
                node = rows.get(node.parent_id) if node.parent_id else None
            out[code] = "".join(reversed(parts))
        return out

    return _reference("divisions", load)


def _labels() -> dict[str, dict[str, str]]:
    return {
        "penalty_types": {str(k): str(v) for k, v in PenaltyType.choices},
        "domains": {str(k): str(v) for k, v in PenaltyDomain.choices},
        "inspection_kinds": {str(k): str(v) for k, v in InspectionKind.choices},
        "inspection_results": {str(k): str(v) for k, v in InspectionResult.choices},
        "licence_types": {str(k): str(v) for k, v in LicenceType.choices},
        "licence_statuses": {str(k): str(v) for k, v in LicenceStatus.choices},
        "commitment_kinds": {str(k): str(v) for k, v in CommitmentKind.choices},
        "statuses": {str(k): str(v) for k, v in EnterpriseStatus.choices},
        "key_areas": _reference("key_areas", lambda: dict(KeyAreaType.objects.values_list("code", "name"))),
    }


def _dated(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def decorate_profile(profile: dict[str, Any]) -> dict[str, Any]:
    """Labels and dates for the template (the profile itself stays JSON-shaped)."""
    lab = _labels()
    p = dict(profile)
    p["status_label"] = lab["statuses"].get(p["status"], p["status"])
    p["key_area_labels"] = [lab["key_areas"].get(c, c) for c in p["key_areas"]]
    p["penalties"] = [
        dict(
            x,
            type_labels=[lab["penalty_types"].get(t, t) for t in x["penalty_types"]],
            domain_label=lab["domains"].get(x["domain"], x["domain"]),
        )
        for x in p["penalties"]
    ]
    p["inspections"] = [
        dict(
            x,
            kind_label=lab["inspection_kinds"].get(x["kind"], x["kind"]),
            result_label=lab["inspection_results"].get(x["result"], x["result"]),
        )
        for x in p["inspections"]
    ]
    p["licences"] = [
        dict(
            x,
            type_label=lab["licence_types"].get(x["licence_type"], x["licence_type"]),
            status_label=lab["licence_statuses"].get(x["status"], x["status"]),
        )
        for x in p["licences"]
    ]
    p["commitments"] = [
        dict(x, kind_label=lab["commitment_kinds"].get(x["kind"], x["kind"])) for x in p["commitments"]
    ]
    return p


def _search_divisions() -> list[dict[str, str]]:
    """The province's cities and counties for the search filter, a county under its city."""

    def load() -> list[dict[str, str]]:
        return [
            {"code": d.code, "name": d.name, "level": d.level}
            for d in Division.objects.order_by("code")
            if d.level != "province"
        ]

    return _reference("search_divisions", load)  # type: ignore[no-any-return]


@public
def search_page(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    found: search.Page | None = None
    error = ""
    status = 200
    if q:
        try:
            ratelimit.hit(request)
            try:
                page = int(request.GET.get("page") or 1)
            except ValueError:
                page = 0  # reported as out of range by search_page
            filters = search.Filters.parse(
                request.GET.get("region"), request.GET.get("key_area"), request.GET.get("status")
            )
            found = search.search_page(q, page=page, filters=filters)
        except ratelimit.RateLimited as exc:
            error, status = exc.message, 429
        except DomainError as exc:
            error, status = exc.message, 400
            extra = [d["message"] for d in exc.details if d.get("field") != "q"]
            if extra:
                error += "：" + "；".join(extra)
    lab = _labels()
    results = found.results if found else []
    for e in results:
        e.key_area_labels = [lab["key_areas"].get(c, c) for c in e.key_area_codes]  # type: ignore[attr-defined]
    pages: list[dict[str, Any]] = []
    if found and found.pages > 1:
        base = {k: request.GET.get(k, "") for k in ("q", "region", "key_area", "status")}
        base = {k: v for k, v in base.items() if v}
        shown = sorted({1, found.pages, *range(max(1, found.page - 2), min(found.pages, found.page + 2) + 1)})
        prev = 0
        for n in shown:
            if n - prev > 1:
                pages.append({"gap": True})
            pages.append({"n": n, "url": "?" + urlencode(base | {"page": n}), "current": n == found.page})
            prev = n
    return render(
        request,
        "disclosure/search.html",
        {
            "q": q,
            "found": found,
            "results": results,
            "error": error,
            "pages": pages,
            "cap": search.COUNT_CAP,
            "paged": search.MAX_PAGED,
            "divisions": _search_divisions(),
            "key_area_choices": sorted(lab["key_areas"].items()),
            "status_choices": list(lab["statuses"].items()),
            "sel": {k: request.GET.get(k, "") for k in ("region", "key_area", "status")},
            "list_links": list_links(),
        },
        status=status,
    )


@public
def enterprise_page(request: HttpRequest, uscc: str) -> HttpResponse:
    try:
        code = normalize_uscc(uscc)
    except IdentifierError:
        raise Http404
    data = queries.profile_by_uscc(code)
    if data is None:
        raise Http404
    profile = decorate_profile(data)
    return render(
        request,
        "disclosure/enterprise.html",
        {
            "p": profile,
            "division": _division_names().get(profile["region_code"], profile["region_code"]),
            "list_links": list_links(),
            "today": today(),
        },
    )


@public
def recent_page(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "penalties")
    kind = kind if kind in ("penalties", "inspections") else "penalties"
    region = request.GET.get("region", "")
    key_area = request.GET.get("key_area", "")
    rows = queries.recent_publications(kind, region=region, key_area=key_area)
    lab = _labels()
    return render(
        request,
        "disclosure/recent.html",
        {
            "kind": kind,
            "region": region,
            "key_area": key_area,
            "rows": rows,
            "lab": lab,
            "divisions": Division.objects.order_by("code"),
            "key_area_types": KeyAreaType.objects.filter(enabled=True),
            "days": queries.RECENT_DAYS,
            "limit": queries.RECENT_LIMIT,
            "list_links": list_links(),
        },
    )


@public
def open_data_page(request: HttpRequest) -> HttpResponse:
    latest = OpenDataFile.objects.order_by("-export_date").values_list("export_date", flat=True).first()
    files = list(OpenDataFile.objects.filter(export_date=latest).order_by("kind", "fmt")) if latest else []
    for f in files:  # the data set's name, not its code
        f.title = DICTIONARY[f.kind]["title"] if f.kind in DICTIONARY else gettext("审计记录哈希链链头")  # type: ignore[attr-defined]
    dates = list(
        OpenDataFile.objects.order_by("-export_date").values_list("export_date", flat=True).distinct()[:30]
    )
    return render(request, "disclosure/open_data.html", {"latest": latest, "files": files, "dates": dates})


@public
def open_data_file(request: HttpRequest, day: str, filename: str) -> FileResponse:
    try:
        on = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404
    row = get_object_or_404(OpenDataFile, export_date=on, filename=filename)
    path = export_dir(on) / Path(row.filename).name
    if not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"{on.isoformat()}-{row.filename}")


@public
def rules_page(request: HttpRequest) -> HttpResponse:
    on = today()
    rows = []
    for key, label in RuleKey.choices:
        versions = list(DisclosureRule.objects.filter(key=key).order_by("province_code", "effective_from"))
        current = [v for v in versions if v.effective_from <= on]
        rows.append(
            {
                "key": key,
                "label": label,
                "national": rules.value(key, "", on),
                "versions": versions,
                "current_ids": {v.pk for v in current},
            }
        )
    can_edit = request.user.is_authenticated and has_perm(request.user, Perm.MANAGE_RULES)
    return render(
        request,
        "disclosure/rules.html",
        {"rows": rows, "can_edit": can_edit, "today": on, "keys": RuleKey.choices},
    )


class RuleVersionForm(forms.Form):
    key = forms.ChoiceField(label=_("规则"), choices=RuleKey.choices)
    # Which codes are provinces is the action's rule, said in its own words.
    province_code = forms.CharField(label=_("省级区划代码"), required=False, max_length=6)
    value = forms.DecimalField(label=_("取值"), max_digits=14, decimal_places=2)
    effective_from = forms.DateField(label=_("生效日期"))
    basis = forms.CharField(label=_("依据"), required=False, max_length=200)
    assumed = forms.BooleanField(label=_("推定值"), required=False)
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


@staff(Perm.MANAGE_RULES)
@require_POST
def rule_add(request: HttpRequest) -> HttpResponse:
    form = RuleVersionForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("disclosure:rules")
    d = form.cleaned_data
    try:
        actions.add_rule_version(**{**d, "basis": d["basis"] or "省级规定"}, actor=request.user)
        messages.success(request, gettext("已新增规则版本"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure:rules")


# --- the enterprise's replies ----------------------------------------------------------


class ReplyForm(forms.Form):
    record_kind = forms.ChoiceField(label=_("所针对的信息"), choices=RecordKind.choices)
    # Whether the record is the enterprise's own and published is the action's rule.
    record_id = forms.IntegerField(label=_("所针对的信息"), min_value=1, max_value=2**63 - 1)
    # 5 to 2,000 characters is the action's rule, said in its own words.
    text = forms.CharField(label=_("情况说明"), required=False, max_length=4000)


@enterprise_user
def my_records(request: HttpRequest) -> HttpResponse:
    enterprise = request.enterprise  # type: ignore[attr-defined]
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if not form.is_valid():
            say_invalid(request, form)
            return redirect("disclosure:my_records")
        try:
            actions.submit_reply(enterprise, **form.cleaned_data, actor=request.user)
            messages.success(request, gettext("情况说明已提交，将在公示信息旁展示"))
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect("disclosure:my_records")
    profile = decorate_profile(queries.profile(enterprise, use_cache=False))
    mine = EnterpriseReply.objects.filter(enterprise=enterprise).order_by("-submitted_at")
    return render(request, "disclosure/my_records.html", {"p": profile, "replies": mine, "kinds": RecordKind})


# --- staff -----------------------------------------------------------------------------


@staff(Perm.MANAGE_DISCLOSURE)
def backlog_page(request: HttpRequest) -> HttpResponse:
    data = queries.publication_backlog(request.user)
    return render(request, "disclosure/backlog.html", {"data": data, "today": today()})


@staff(Perm.MANAGE_DISCLOSURE)
@require_POST
def publish_record(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    model = {"penalty": Penalty, "inspection": Inspection}.get(kind)
    if model is None:
        raise Http404
    record = get_visible_or_404(model.objects, request.user, pk=pk)
    try:
        if kind == "penalty":
            actions.publish_penalty(record, actor=request.user)
        else:
            actions.publish_inspection(record, actor=request.user)
        messages.success(request, gettext("已公示"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure:backlog")


@staff(Perm.MANAGE_DISCLOSURE)
@require_POST
def withdraw_record(request: HttpRequest, pk: int) -> HttpResponse:
    record = get_visible_or_404(Penalty.objects, request.user, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("disclosure:backlog")
    try:
        actions.withdraw_penalty(record, actor=request.user, reason=form.cleaned_data["reason"])
        queries.forget_profile(record.uscc)
        messages.success(request, gettext("已撤下公示"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("disclosure:backlog")


@staff(Perm.MANAGE_DISCLOSURE)
def replies_page(request: HttpRequest) -> HttpResponse:
    replies = EnterpriseReply.objects.visible_to(request.user).select_related("enterprise")[:200]
    return render(request, "disclosure/replies.html", {"replies": replies})
