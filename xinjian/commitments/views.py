"""Staff pages of the commitments (work queue, commitments, verifications with their
history and actions, random samples, templates and rules) and the enterprise's own page
(make a voluntary public commitment, see commitments and findings)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xinjian.collection.models import CommitmentKind, CommitmentRecord
from xinjian.core.access import enterprise_user, staff
from xinjian.core.errors import DomainError
from xinjian.core.forms import ReasonForm, choice_form, say_invalid
from xinjian.core.jurisdiction import get_visible_or_404, user_region_prefix
from xinjian.core.pages import query_without_page
from xinjian.core.permissions import Perm
from xinjian.core.workdays import today
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
        form = ReasonForm(request.POST)
        if not form.is_valid():
            say_invalid(request, form)
            return redirect("commitments:commitment", pk=c.pk)
        try:
            v = actions.select_for_verification(c, actor=request.user, reason=form.cleaned_data["reason"])
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
            "consequence_kinds": ConsequenceKind.choices,
            "default_days": rules.rules_on(today(), v.enterprise.region_code).rectification_working_days,
        },
    )


# --- the verification's steps: which step, then that step's own form ---------------------

VerificationStepForm = choice_form(
    "VerificationStepForm",
    [
        ("untrue", _("结论：承诺不实")),
        ("rectified", _("登记整改完成")),
        ("cancel", _("撤销核查")),
    ],
    default="",
    reason=False,
)


class ConcludeForm(forms.Form):
    # The facts are required by the action, in its own words.
    facts = forms.CharField(label=_("核查事实"), required=False, max_length=20000)
    documents = forms.CharField(label=_("文书与材料"), required=False, max_length=20000)
    finding_no = forms.CharField(label=_("核查结论文书编号"), required=False, max_length=100)


class UntrueForm(ConcludeForm):
    """The consequences are ticked by kind (`consequence`), each with its own inputs named
    `<kind>_decision_no`, `<kind>_working_days`, `<kind>_note`; at least one is the
    action's rule."""

    consequence = forms.MultipleChoiceField(
        label=_("处理措施"), choices=ConsequenceKind.choices, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in ConsequenceKind.values:
            self.fields[f"{kind}_decision_no"] = forms.CharField(
                label=_("文书编号"), required=False, max_length=100
            )
            self.fields[f"{kind}_working_days"] = forms.IntegerField(
                label=_("整改期限（工作日）"), required=False, min_value=1, max_value=250
            )
            self.fields[f"{kind}_note"] = forms.CharField(label=_("说明"), required=False, max_length=2000)

    def consequences(self) -> list[dict[str, Any]]:
        d = self.cleaned_data
        return [
            {
                "kind": kind,
                "decision_no": d[f"{kind}_decision_no"],
                "working_days": d[f"{kind}_working_days"],
                "note": d[f"{kind}_note"],
            }
            for kind in d["consequence"]
        ]


class RectifiedForm(forms.Form):
    consequence = forms.ModelChoiceField(label=_("处理措施"), queryset=Consequence.objects.none())
    reason = forms.CharField(label=_("原因"), required=False, max_length=2000)

    def __init__(self, *args: Any, verification: Verification, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["consequence"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = verification.consequences.all()


@require_POST
@staff(Perm.MANAGE_COMMITMENTS)
def verification_action(request: HttpRequest, pk: int) -> HttpResponse:
    v: Verification = get_visible_or_404(
        Verification.objects.select_related("enterprise", "commitment"), request.user, pk=pk
    )
    back = redirect("commitments:verification", pk=v.pk)
    step = VerificationStepForm(request.POST)
    if not step.is_valid():
        say_invalid(request, step)
        return back
    action, user = step.cleaned_data["action"], request.user
    form: forms.Form
    # Assignment and the "kept" conclusion are the workflow table's buttons.
    if action == "untrue":
        form = UntrueForm(request.POST)
    elif action == "rectified":
        form = RectifiedForm(request.POST, verification=v)
    elif action == "cancel":
        form = ReasonForm(request.POST)
    else:
        messages.error(request, gettext("未知操作"))
        return back
    if not form.is_valid():
        say_invalid(request, form)
        return back
    d = form.cleaned_data
    try:
        if isinstance(form, UntrueForm):
            actions.conclude_untrue(
                v,
                actor=user,
                facts=d["facts"],
                documents=d["documents"],
                finding_no=d["finding_no"],
                consequences=form.consequences(),
            )
        elif isinstance(form, RectifiedForm):
            actions.record_rectified(d["consequence"], actor=user, reason=d["reason"])
        else:
            actions.cancel(v, actor=user, reason=d["reason"])
        messages.success(request, gettext("已办理"))
    except DomainError as e:
        messages.error(request, e.message)
    return back


class SampleForm(forms.Form):
    period_from = forms.DateField(label=_("承诺日期自"))
    period_to = forms.DateField(label=_("承诺日期至"))
    # The bounds (0 < percent <= 100) are the action's rule, said in its own words.
    percent = forms.DecimalField(label=_("抽取比例（%）"), max_digits=9, decimal_places=4)
    seed = forms.CharField(label=_("随机种子"), required=False, max_length=64)
    region = forms.CharField(label=_("区划代码"), required=False, max_length=6)


@staff(Perm.MANAGE_COMMITMENTS)
def sample(request: HttpRequest) -> HttpResponse:
    day = today()
    r = rules.rules_on(day)
    initial = {
        "period_from": (day - dt.timedelta(days=90)).isoformat(),
        "period_to": day.isoformat(),
        "percent": str(r.default_sample_percent.normalize()),
        "seed": "",
        "region": "",
    }
    form = SampleForm(request.POST if request.method == "POST" else None)
    # What the page shows back: what was sent (bounded), else the defaults.
    values = {k: str(form.data.get(k, v))[:100] for k, v in initial.items()}
    if request.method == "POST":
        if not form.is_valid():
            say_invalid(request, form)
        else:
            d = form.cleaned_data
            try:
                s = actions.draw_sample(
                    actor=request.user,
                    period_from=d["period_from"],
                    period_to=d["period_to"],
                    percent=d["percent"],
                    seed=d["seed"],
                    region_code=d["region"].strip() or None,
                )
                messages.success(
                    request,
                    gettext("已抽取 %(n)d 件承诺（共 %(m)d 件）") % {"n": s.selected, "m": s.population},
                )
                return redirect("commitments:sample_detail", pk=s.pk)
            except DomainError as e:
                messages.error(request, e.message)
    return render(request, "commitments/sample.html", {"form": values, "rules": r})


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


class TemplateForm(forms.Form):
    # Required inputs are the action's rule (it names each in its own words); the form
    # bounds them and reads the dates.
    code = forms.CharField(label=_("编号"), required=False, max_length=40)
    title = forms.CharField(label=_("标题"), required=False, max_length=200)
    matter = forms.CharField(label=_("承诺事项"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("承诺类型"), choices=CommitmentKind.choices)
    body = forms.CharField(label=_("承诺正文"), required=False, max_length=20000)
    effective_from = forms.DateField(label=_("生效日期"))
    effective_to = forms.DateField(label=_("失效日期"), required=False)


@staff(Perm.MANAGE_COMMITMENTS)
def rules_page(request: HttpRequest) -> HttpResponse:
    day = today()
    form = TemplateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            say_invalid(request, form)
        else:
            try:
                t = actions.save_template(actor=request.user, **form.cleaned_data)
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
            # What was sent is shown back (the template reads the values by name).
            "form": form.data,
        },
    )


# --- the enterprise's own page ---------------------------------------------------------


class PublicCommitmentForm(forms.Form):
    # Any public template; whether it is in force for this enterprise is the action's rule.
    template = forms.ModelChoiceField(
        label=_("格式文本"),
        queryset=CommitmentTemplate.objects.filter(kind=CommitmentKind.PUBLIC),
        error_messages={"required": _("请选择格式文本"), "invalid_choice": _("请选择格式文本")},
    )
    agree = forms.BooleanField(label=_("同意"), required=False)


@enterprise_user
def my_commitments(request: HttpRequest) -> HttpResponse:
    enterprise = request.enterprise  # type: ignore[attr-defined]
    day = today()
    if request.method == "POST":
        form = PublicCommitmentForm(request.POST)
        if not form.is_valid():
            say_invalid(request, form)
        elif not form.cleaned_data["agree"]:
            messages.error(request, gettext("请阅读承诺正文并勾选同意"))
        else:
            try:
                actions.make_public_commitment(enterprise, form.cleaned_data["template"], actor=request.user)
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
