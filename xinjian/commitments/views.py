"""Staff pages of the commitments (work queue, commitments, verifications with their
history and actions, random samples, templates and rules) and the enterprise's own page
(make a voluntary public commitment, see commitments and findings)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from xinjian.accounts.models import StaffProfile
from xinjian.collection.models import CommitmentKind, CommitmentRecord
from xinjian.core.access import enterprise_user, staff
from xinjian.core.errors import DomainError
from xinjian.core.jurisdiction import get_visible_or_404, user_region_prefix
from xinjian.core.pages import query_without_page
from xinjian.core.permissions import Perm
from xinjian.core.workdays import today
from xinjian.registry.departments import covering_divisions
from xinjian.registry.identifiers import IdentifierError, normalize_uscc

from . import actions, rules
from .disclosure import public_findings
from .models import (
    OPEN_STATUSES,
    CommitmentRuleSet,
    CommitmentTemplate,
    Consequence,
    ConsequenceKind,
    Verification,
    VerificationSample,
    VerificationStatus,
)
from .queries import overdue_rectifications, with_details


def _date(value: str, field: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        raise DomainError(
            gettext("日期格式应为 YYYY-MM-DD"),
            code="invalid_date",
            details=[{"field": field, "code": "invalid_date", "message": value}],
        )


@staff(Perm.MANAGE_COMMITMENTS)
def index(request: HttpRequest) -> HttpResponse:
    qs = Verification.objects.visible_to(request.user)
    counts = dict(qs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    day = today()
    return render(
        request,
        "commitments/index.html",
        {
            "rows": [(v, label, counts.get(v, 0)) for v, label in VerificationStatus.choices],
            "open": with_details(qs.filter(status__in=OPEN_STATUSES)).order_by("selected_on", "id")[:50],
            "mine": qs.filter(status=VerificationStatus.ASSIGNED, assignee_id=request.user.pk).select_related(
                "enterprise", "commitment"
            )[:50],
            "overdue": overdue_rectifications(request.user, day)[:50],
            "untrue": with_details(qs.filter(status=VerificationStatus.UNTRUE)).order_by(
                "-concluded_on", "-id"
            )[:20],
            "samples": VerificationSample.objects.filter(
                region_prefix__startswith=user_region_prefix(request.user) or ""
            )[:10],
            "today": day,
        },
    )


@staff(Perm.MANAGE_COMMITMENTS)
def commitment_list(request: HttpRequest) -> HttpResponse:
    qs = (
        CommitmentRecord.objects.visible_to(request.user)
        .filter(archived_at__isnull=True)
        .select_related("enterprise")
    )
    q, kind = request.GET.get("q", "").strip(), request.GET.get("kind", "")
    if q:
        try:
            qs = qs.filter(uscc=normalize_uscc(q))
        except IdentifierError:
            qs = qs.filter(enterprise__name__contains=q[:100])
    if kind in CommitmentKind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-committed_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "commitments/commitment_list.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": CommitmentKind.choices,
            "query": query_without_page(request),
        },
    )


@staff(Perm.MANAGE_COMMITMENTS)
def commitment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c: CommitmentRecord = get_visible_or_404(
        CommitmentRecord.objects.select_related("enterprise"), request.user, pk=pk
    )
    if request.method == "POST":
        try:
            v = actions.select_for_verification(c, actor=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, gettext("已选定核查"))
            return redirect("commitments:verification", pk=v.pk)
        except DomainError as e:
            messages.error(request, e.message)
        return redirect("commitments:commitment", pk=c.pk)
    return render(
        request,
        "commitments/commitment_detail.html",
        {
            "c": c,
            "verifications": c.verifications.order_by("-selected_on", "-id"),
            "can_select": c.enterprise_id is not None
            and not c.verifications.filter(status__in=OPEN_STATUSES).exists(),
        },
    )


def _assignees(v: Verification) -> list[Any]:
    """Active staff whose jurisdiction covers the enterprise."""
    region = v.enterprise.region_code
    codes = covering_divisions(region)
    profiles = StaffProfile.objects.filter(active=True, department__division_id__in=codes).select_related(
        "user", "department"
    )
    return [p for p in profiles.order_by("department__division_id", "user__username")]


@staff(Perm.MANAGE_COMMITMENTS)
def verification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    v: Verification = get_visible_or_404(with_details(Verification.objects.all()), request.user, pk=pk)
    consequences = [(c, c.deadline()) for c in v.consequences.all()]
    return render(
        request,
        "commitments/verification.html",
        {
            "v": v,
            "c": v.commitment,
            "history": v.history.all(),
            "consequences": consequences,
            "assignees": _assignees(v) if v.status in OPEN_STATUSES else [],
            "consequence_kinds": ConsequenceKind.choices,
            "default_days": rules.rules_on(today(), v.enterprise.region_code).rectification_working_days,
        },
    )


def _consequences_from(post: Any) -> list[dict[str, Any]]:
    chosen = post.getlist("consequence")
    return [
        {
            "kind": kind,
            "decision_no": post.get(f"{kind}_decision_no", ""),
            "working_days": post.get(f"{kind}_working_days", ""),
            "note": post.get(f"{kind}_note", ""),
        }
        for kind in chosen
    ]


@require_POST
@staff(Perm.MANAGE_COMMITMENTS)
def verification_action(request: HttpRequest, pk: int) -> HttpResponse:
    v: Verification = get_visible_or_404(
        Verification.objects.select_related("enterprise", "commitment"), request.user, pk=pk
    )
    action, p, user = request.POST.get("action", ""), request.POST, request.user
    try:
        if action == "assign":
            # Only staff who could themselves see the enterprise are offered and accepted.
            profile = get_object_or_404(StaffProfile, user_id=int(p.get("assignee") or 0))
            actions.assign(v, actor=user, assignee=profile.user, reason=p.get("reason", ""))
        elif action == "kept":
            actions.conclude_kept(
                v,
                actor=user,
                facts=p.get("facts", ""),
                documents=p.get("documents", ""),
                finding_no=p.get("finding_no", ""),
            )
        elif action == "untrue":
            actions.conclude_untrue(
                v,
                actor=user,
                facts=p.get("facts", ""),
                documents=p.get("documents", ""),
                finding_no=p.get("finding_no", ""),
                consequences=_consequences_from(p),
            )
        elif action == "rectified":
            cons = get_object_or_404(Consequence, pk=int(p.get("consequence") or 0), verification=v)
            actions.record_rectified(cons, actor=user, reason=p.get("reason", ""))
        elif action == "cancel":
            actions.cancel(v, actor=user, reason=p.get("reason", ""))
        else:
            raise DomainError(gettext("未知操作"))
        messages.success(request, gettext("已办理"))
    except (DomainError, ValueError) as e:
        messages.error(request, getattr(e, "message", gettext("提交的数据无效")))
    return redirect("commitments:verification", pk=v.pk)


@staff(Perm.MANAGE_COMMITMENTS)
def sample(request: HttpRequest) -> HttpResponse:
    day = today()
    r = rules.rules_on(day)
    form = {
        "period_from": request.POST.get("period_from", (day - dt.timedelta(days=90)).isoformat()),
        "period_to": request.POST.get("period_to", day.isoformat()),
        "percent": request.POST.get("percent", str(r.default_sample_percent.normalize())),
        "seed": request.POST.get("seed", ""),
        "region": request.POST.get("region", ""),
    }
    if request.method == "POST":
        try:
            s = actions.draw_sample(
                actor=request.user,
                period_from=_date(form["period_from"], "period_from"),
                period_to=_date(form["period_to"], "period_to"),
                percent=form["percent"],
                seed=form["seed"],
                region_code=form["region"].strip() or None,
            )
            messages.success(
                request, gettext("已抽取 %(n)d 件承诺（共 %(m)d 件）") % {"n": s.selected, "m": s.population}
            )
            return redirect("commitments:sample_detail", pk=s.pk)
        except DomainError as e:
            messages.error(request, e.message)
    return render(request, "commitments/sample.html", {"form": form, "rules": r})


@staff(Perm.MANAGE_COMMITMENTS)
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # A sample drawn over a wider area (e.g. the province's) is shown to the officers of the
    # counties it covers — its seed and digest are not confidential — but each sees only the
    # verifications within their own jurisdiction.
    prefix = user_region_prefix(request.user) or ""
    s = get_object_or_404(VerificationSample, pk=pk)
    if not (s.region_prefix.startswith(prefix) or prefix.startswith(s.region_prefix)):
        raise Http404
    visible = Verification.objects.visible_to(request.user).filter(sample=s)
    return render(
        request,
        "commitments/sample_detail.html",
        {"s": s, "verifications": visible.select_related("enterprise", "commitment").order_by("id")},
    )


@staff(Perm.MANAGE_COMMITMENTS)
def rules_page(request: HttpRequest) -> HttpResponse:
    day = today()
    if request.method == "POST":
        p = request.POST
        try:
            to = p.get("effective_to", "").strip()
            t = actions.save_template(
                actor=request.user,
                code=p.get("code", ""),
                title=p.get("title", ""),
                matter=p.get("matter", ""),
                kind=p.get("kind", ""),
                body=p.get("body", ""),
                effective_from=_date(p.get("effective_from", ""), "effective_from"),
                effective_to=_date(to, "effective_to") if to else None,
            )
            messages.success(
                request, gettext("已发布格式文本 %(code)s 第%(v)d版") % {"code": t.code, "v": t.version}
            )
            return redirect("commitments:rules")
        except DomainError as e:
            messages.error(request, e.message)
    return render(
        request,
        "commitments/rules.html",
        {
            "today": day,
            "current": rules.rules_on(day),
            "versions": CommitmentRuleSet.objects.all(),
            "in_force": rules.templates_in_force(day),
            "all_templates": CommitmentTemplate.objects.all(),
            "kinds": CommitmentKind.choices,
            "form": request.POST if request.method == "POST" else {},
        },
    )


# --- the enterprise's own page ---------------------------------------------------------


@enterprise_user
def my_commitments(request: HttpRequest) -> HttpResponse:
    enterprise = request.enterprise  # type: ignore[attr-defined]
    day = today()
    if request.method == "POST":
        template = (
            get_object_or_404(CommitmentTemplate, pk=int(request.POST.get("template") or 0))
            if (request.POST.get("template", "").isdigit())
            else None
        )
        if template is None:
            messages.error(request, gettext("请选择格式文本"))
        elif not request.POST.get("agree"):
            messages.error(request, gettext("请阅读承诺正文并勾选同意"))
        else:
            try:
                actions.make_public_commitment(enterprise, template, actor=request.user)
                messages.success(request, gettext("承诺已作出，将在企业信用信息公示页面公开"))
            except DomainError as e:
                messages.error(request, e.message)
        return redirect("my_commitments:index")

    return render(
        request,
        "commitments/my_commitments.html",
        {
            "enterprise": enterprise,
            "templates": [
                t for t in rules.templates_in_force(day, enterprise.region_code) if t.kind == "public"
            ],
            "commitments": CommitmentRecord.objects.filter(
                enterprise=enterprise, archived_at__isnull=True
            ).order_by("-committed_on", "-id"),
            "findings": public_findings(enterprise, day),
            "kept": Verification.objects.filter(
                enterprise=enterprise, status=VerificationStatus.KEPT
            ).select_related("commitment"),
        },
    )
