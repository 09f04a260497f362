"""Credit-repair pages. Staff: the queue with due dates and overdue marks, an application
with its eligibility explanation and the steps the user may take, the rules in force.
Enterprise: what may be repaired and why, the application form, status and documents.
Thin views: load through jurisdiction, call one action, render."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xinjian.core import deadlines
from xinjian.core.access import enterprise_user, staff
from xinjian.core.errors import DomainError
from xinjian.core.forms import say_invalid
from xinjian.core.jurisdiction import get_visible_or_404
from xinjian.core.pages import query_without_page
from xinjian.core.permissions import Perm
from xinjian.core.workdays import add_working_days, today

from . import actions, documents, eligibility, queries, rules
from .models import RepairApplication, RepairDocument, RepairKind, RepairRuleSet, RepairStatus, target_label

R = RepairStatus


# --- staff --------------------------------------------------------------------------------


@staff(Perm.VIEW_REGISTER)
def index(request: HttpRequest) -> HttpResponse:
    day = today()
    qs = RepairApplication.objects.visible_to(request.user).select_related("enterprise", "department")
    status = request.GET.get("status", "")
    if status in R.values:
        qs = qs.filter(status=status)
    elif status != "all":
        qs = qs.filter(status__in=[R.SUBMITTED, R.ACCEPTED, R.VERIFIED, R.APPROVED])
    if request.GET.get("overdue"):
        qs = qs.filter(pk__in=queries.overdue_ids(day))
    page = Paginator(qs.order_by("submitted_on", "id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "repair/index.html",
        {
            "page": page,
            "rows": [queries.queue_row(a, day) for a in page],
            "status": status,
            "statuses": R.choices,
            "today": day,
            "query": query_without_page(request),
            "counts": queries.counts(request.user),
        },
    )


def _deadlines(app: RepairApplication) -> dict[str, Any]:
    """Each time limit recomputed with its explanation (architecture rule 4)."""
    out: dict[str, Any] = {
        "accept": deadlines.compute(app, "accept_due"),
        "decide": deadlines.compute(app, "decide_due"),
    }
    if app.status in (R.APPROVED, R.DONE, R.REVOKED):
        out["publication"] = deadlines.compute(app, "publication_due")
    return out


@staff(Perm.VIEW_REGISTER)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    app: RepairApplication = get_visible_or_404(
        RepairApplication.objects.select_related("enterprise", "department", "anomaly", "penalty", "serious"),
        request.user,
        pk=pk,
    )
    day = today()
    live = (
        eligibility.check(app.kind, app.target, day, exclude=app.pk)
        if app.status in (R.SUBMITTED, R.ACCEPTED, R.VERIFIED)
        else None
    )
    return render(
        request,
        "repair/detail.html",
        {
            "app": app,
            "live": live,
            "submitted_check": app.eligibility,
            "deadlines": _deadlines(app),
            "history": app.history.all(),
            "documents": app.documents.all(),
            "today": day,
            "overdue": app.is_overdue(day),
        },
    )


_STEPS = ["accept", "reject", "verify", "approve", "refuse", "update_publication", "revoke"]


class StepForm(forms.Form):
    """A step on an application; which inputs a step requires is the action's rule (each
    says so in its own words), the form bounds and types them."""

    action = forms.ChoiceField(
        choices=[(s, s) for s in _STEPS],
        error_messages={"required": gettext_lazy("未知操作"), "invalid_choice": gettext_lazy("未知操作")},
    )
    reasons = forms.CharField(label=gettext_lazy("理由"), required=False, max_length=5000)
    note = forms.CharField(label=gettext_lazy("现场核查情况"), required=False, max_length=5000)
    decision_no = forms.CharField(label=gettext_lazy("决定书编号"), required=False, max_length=100)
    confirmed = forms.BooleanField(required=False)
    update_now = forms.BooleanField(required=False)
    reason = forms.CharField(label=gettext_lazy("原因"), required=False, max_length=5000)


@require_POST
@staff(Perm.VIEW_REGISTER)
def act(request: HttpRequest, pk: int) -> HttpResponse:
    app: RepairApplication = get_visible_or_404(
        RepairApplication.objects.select_related("enterprise", "department"), request.user, pk=pk
    )
    form = StepForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("repair:detail", pk=app.pk)
    p, user = form.cleaned_data, request.user
    step = p["action"]
    try:
        if step == "accept":
            actions.accept(app, actor=user)
        elif step == "reject":
            actions.reject(app, actor=user, reasons=p["reasons"])
        elif step == "verify":
            actions.verify(app, actor=user, note=p["note"])
        elif step == "approve":
            # One action: the approval and the publication change it implies, or nothing.
            actions.approve(
                app,
                actor=user,
                decision_no=p["decision_no"],
                confirmed=p["confirmed"],
                update_now=p["update_now"],
            )
        elif step == "refuse":
            actions.refuse(app, actor=user, reasons=p["reasons"])
        elif step == "update_publication":
            actions.update_publication(app, actor=user)
        elif step == "revoke":
            actions.revoke(app, actor=user, reason=p["reason"], decision_no=p["decision_no"])
        else:
            raise DomainError(_("未知操作"))
        messages.success(request, _("已办理"))
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("repair:detail", pk=app.pk)


def _serve(doc: RepairDocument) -> FileResponse:
    path = documents.path_of(doc)
    if not path.exists():
        raise Http404
    response = FileResponse(path.open("rb"), content_type=doc.content_type)
    # Inline PDFs and images, under the uploaded name; never interpreted as anything else.
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(doc.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; object-src 'self'"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


@staff(Perm.VIEW_REGISTER)
def staff_document(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    app: RepairApplication = get_visible_or_404(RepairApplication.objects, request.user, pk=pk)
    found = app.documents.filter(pk=doc).first()
    if found is None:
        raise Http404
    return _serve(found)


@staff(Perm.VIEW_REGISTER)
def rules_page(request: HttpRequest) -> HttpResponse:
    day = today()
    return render(
        request,
        "repair/rules.html",
        {
            "current": rules.rules_on(day),
            "versions": RepairRuleSet.objects.all(),
            "today": day,
            "commitment": rules.STANDARD_COMMITMENT,
        },
    )


# --- enterprise ---------------------------------------------------------------------------


@enterprise_user
def my_index(request: HttpRequest) -> HttpResponse:
    enterprise = request.enterprise  # type: ignore[attr-defined]
    day = today()
    mine = RepairApplication.objects.filter(enterprise=enterprise).order_by("-submitted_on", "-id")
    busy = {(a.kind, a.target_id) for a in mine if a.status not in (R.REJECTED, R.REFUSED, R.REVOKED)}
    return render(
        request,
        "repair/my_index.html",
        {
            "enterprise": enterprise,
            "candidates": [
                {
                    "kind": k,
                    "kind_label": RepairKind(k).label,
                    "label": target_label(k, t),
                    "target": t,
                    "check": c,
                    "busy": (k, t.pk) in busy,
                }
                for k, t, c in eligibility.candidates(enterprise, day)
            ],
            "applications": mine,
            "today": day,
        },
    )


class ApplyForm(forms.Form):
    # Required entries and the commitment's confirmation are the action's rule.
    application_text = forms.CharField(label=gettext_lazy("申请事由"), required=False, max_length=5000)
    proof_description = forms.CharField(
        label=gettext_lazy("履行义务、消除影响的证明材料说明"), required=False, max_length=5000
    )
    commitment_confirmed = forms.BooleanField(required=False)


@enterprise_user
def my_apply(request: HttpRequest, kind: str, target_id: int) -> HttpResponse:
    enterprise = request.enterprise  # type: ignore[attr-defined]
    if kind not in RepairKind.values:
        raise Http404
    day = today()
    try:
        target = actions.target_of(enterprise, kind, target_id)
    except DomainError:
        raise Http404
    form = ApplyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not form.is_valid():
            say_invalid(request, form)
        else:
            try:
                app = actions.apply(
                    enterprise,
                    actor=request.user,
                    kind=kind,
                    target_id=target_id,
                    uploads=request.FILES.getlist("documents"),
                    **form.cleaned_data,
                )
                messages.success(request, _("申请已提交，编号%s") % app.number)
                return redirect("repair_public:my_detail", pk=app.pk)
            except DomainError as e:
                messages.error(request, e.message)
    r = rules.rules_on(day, enterprise.region_code)
    return render(
        request,
        "repair/my_apply.html",
        {
            "kind": kind,
            "kind_label": RepairKind(kind).label,
            "target": target,
            "target_label": target_label(kind, target),
            "check": eligibility.check(kind, target, day),
            "commitment": rules.STANDARD_COMMITMENT,
            "form": form.data,
            "max_mb": r.max_document_mb,
            "accept_deadline": add_working_days(day, r.accept_working_days),
        },
    )


def _my_app(request: HttpRequest, pk: int) -> RepairApplication:
    app = (
        RepairApplication.objects.select_related("enterprise", "department", "anomaly", "penalty", "serious")
        .filter(pk=pk, enterprise=request.enterprise)  # type: ignore[attr-defined]
        .first()
    )
    if app is None:
        raise Http404
    return app


@enterprise_user
def my_detail(request: HttpRequest, pk: int) -> HttpResponse:
    app = _my_app(request, pk)
    if request.method == "POST":
        try:
            for f in request.FILES.getlist("documents"):
                actions.add_document(app, f, actor=request.user)
            messages.success(request, _("材料已上传"))
        except DomainError as e:
            messages.error(request, e.message)
        return redirect("repair_public:my_detail", pk=app.pk)
    return render(
        request,
        "repair/my_detail.html",
        {
            "app": app,
            "deadlines": _deadlines(app),
            "history": app.history.all(),
            "documents": app.documents.all(),
            "can_upload": app.status in (R.SUBMITTED, R.ACCEPTED, R.VERIFIED),
        },
    )


@enterprise_user
def my_document(request: HttpRequest, pk: int, doc: int) -> FileResponse:
    app = _my_app(request, pk)
    found = app.documents.filter(pk=doc).first()
    if found is None:
        raise Http404
    return _serve(found)
