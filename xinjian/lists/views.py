"""Staff pages of the lists: work queues, listings with their history and actions, the
printable notice, rule tables, typical cases."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xinjian.collection.models import Penalty
from xinjian.core import audit, deadlines
from xinjian.core.access import staff
from xinjian.core.errors import DomainError
from xinjian.core.forms import say_invalid
from xinjian.core.jurisdiction import get_visible_or_404, region_prefix, user_region_prefix
from xinjian.core.pages import query_without_page
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workdays import today
from xinjian.registry.identifiers import IdentifierError, normalize_uscc
from xinjian.registry.models import Division, Enterprise

from . import actions, documents, rules
from .models import (
    HEARING_STATES,
    OPEN_SERIOUS,
    AnomalyListing,
    AnomalyStatus,
    BatchDecision,
    HearingOutcome,
    ListGround,
    ListKind,
    ListRuleSet,
    Measure,
    PublicationOrder,
    SeriousListing,
    SeriousStatus,
    TypicalCase,
)


def _divisions(user: Any) -> list[Division]:
    return list(Division.objects.for_prefix(user_region_prefix(user)))


def _region_filter(qs: Any, request: HttpRequest) -> Any:
    region = request.GET.get("region", "")
    if region.isdigit() and len(region) == 6:
        qs = qs.filter(enterprise__region_code__startswith=region_prefix(region))
    return qs


@staff(Perm.VIEW_REGISTER)
def index(request: HttpRequest) -> HttpResponse:
    anomaly = AnomalyListing.objects.visible_to(request.user)
    serious = SeriousListing.objects.visible_to(request.user)
    day = today()
    a_counts = dict(anomaly.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    s_counts = dict(serious.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return render(
        request,
        "lists/index.html",
        {
            "anomaly_rows": [(v, label, a_counts.get(v, 0)) for v, label in AnomalyStatus.choices],
            "serious_rows": [(v, label, s_counts.get(v, 0)) for v, label in SeriousStatus.choices],
            "drafts": anomaly.filter(status=AnomalyStatus.DRAFT)
            .select_related("enterprise")
            .order_by("listing_due")[:20],
            "ceased": anomaly.filter(status=AnomalyStatus.LISTED, ground_ceased_on__isnull=False)
            .select_related("enterprise")
            .order_by("removal_due")[:20],
            "open_serious": serious.filter(
                status__in=[x for x in OPEN_SERIOUS if x != SeriousStatus.PUBLISHED]
            )
            .select_related("enterprise")
            .order_by("proposed_on")[:30],
            # Escalations re-checked and ended (Order 44 art. 13): staff see why.
            "lapsed": serious.filter(status=SeriousStatus.LAPSED)
            .select_related("enterprise")
            .order_by("-modified_at", "-id")[:20],
            "today": day,
            # Order 44 art. 17: published within 20 working days of the decision.
            "overdue": serious.filter(status=SeriousStatus.DECIDED, publication_due__lt=day).select_related(
                "enterprise"
            ),
            "can_manage": has_perm(request.user, Perm.MANAGE_LISTS),
        },
    )


# --- anomaly list -----------------------------------------------------------------------


@staff(Perm.VIEW_REGISTER)
def anomaly_list(request: HttpRequest) -> HttpResponse:
    qs = _region_filter(AnomalyListing.objects.visible_to(request.user).select_related("enterprise"), request)
    status, ground = request.GET.get("status", ""), request.GET.get("ground", "")
    if status in AnomalyStatus.values:
        qs = qs.filter(status=status)
    if ground:
        qs = qs.filter(ground=ground)
    page = Paginator(qs.order_by("-proposed_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "lists/anomaly_list.html",
        {
            "page": page,
            "status": status,
            "ground": ground,
            "region": request.GET.get("region", ""),
            "statuses": AnomalyStatus.choices,
            "grounds": rules.grounds(ListKind.ANOMALY, today()),
            "divisions": _divisions(request.user),
            "query": query_without_page(request),
        },
    )


@staff(Perm.VIEW_REGISTER)
def publication_orders(request: HttpRequest) -> HttpResponse:
    """Orders to publish within a time limit (Anomaly Measures art. 4 (2)): open ones with
    their last day; a listing is proposed only after that day passes unfulfilled."""
    qs = _region_filter(
        PublicationOrder.objects.visible_to(request.user).select_related("enterprise", "listing"), request
    )
    page = Paginator(qs.order_by("fulfilled_on", "-ordered_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "lists/publication_orders.html",
        {
            "page": page,
            "today": today(),
            "region": request.GET.get("region", ""),
            "divisions": _divisions(request.user),
            "query": query_without_page(request),
            "can_manage": has_perm(request.user, Perm.MANAGE_LISTS),
        },
    )


class FulfilForm(forms.Form):
    fulfilled_on = forms.DateField(
        label=_("履行公示日期"), error_messages={"required": _("请填写履行公示日期")}
    )


@require_POST
@staff(Perm.MANAGE_LISTS)
def publication_order_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    order = get_visible_or_404(PublicationOrder.objects, request.user, pk=pk)
    form = FulfilForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("lists:publication_orders")
    on = form.cleaned_data["fulfilled_on"]
    try:
        actions.fulfil_publication_order(order, actor=request.user, on=min(on, today()))
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, gettext("已登记履行公示"))
    return redirect("lists:publication_orders")


@staff(Perm.VIEW_REGISTER)
def anomaly_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing: AnomalyListing = get_visible_or_404(
        AnomalyListing.objects.select_related("enterprise", "department"), request.user, pk=pk
    )
    return render(
        request,
        "lists/anomaly_detail.html",
        {
            "listing": listing,
            "history": listing.history.all(),
            "can_manage": has_perm(request.user, Perm.MANAGE_LISTS),
            "listing_deadline": deadlines.compute(listing, "listing_due"),
            "removal_deadline": deadlines.compute(listing, "removal_due"),
        },
    )


class _EnterpriseForm(forms.Form):
    """A form naming an enterprise by its code (`uscc`): only one the user may see."""

    uscc = forms.CharField(label=_("统一社会信用代码"), max_length=100)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_uscc(self) -> Enterprise:
        try:
            uscc = normalize_uscc(self.cleaned_data["uscc"])
        except IdentifierError as e:
            raise forms.ValidationError(
                gettext("统一社会信用代码无效：%(e)s") % {"e": e}, code="invalid_uscc"
            )
        enterprise = Enterprise.objects.visible_to(self.user).filter(uscc=uscc).first()
        if enterprise is None:
            raise forms.ValidationError(gettext("辖区内没有该企业"), code="unknown_enterprise")
        return enterprise


class AnomalyForm(_EnterpriseForm):
    # Which grounds apply is the action's rule (the rule table), said in its own words.
    ground = forms.CharField(label=_("列入事由"), required=False, max_length=60)
    decision_no = forms.CharField(label=_("列入决定书文号"), required=False, max_length=100)
    facts = forms.CharField(label=_("事实"), required=False, max_length=5000)


@require_POST
@staff(Perm.MANAGE_LISTS)
def anomaly_new(request: HttpRequest) -> HttpResponse:
    """Staff list an enterprise on a ground other than the annual report (arts. 4 (2)–(4))."""
    form = AnomalyForm(request.POST, user=request.user)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("lists:anomaly_list")
    d = form.cleaned_data
    try:
        listing = actions.list_anomaly(
            d["uscc"],
            actor=request.user,
            ground=d["ground"],
            draft=not d["decision_no"],
            decision_no=d["decision_no"],
            facts=d["facts"],
        )
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("lists:anomaly_list")
    return redirect("lists:anomaly_detail", pk=listing.pk)


# --- serious-violation list -------------------------------------------------------------


@staff(Perm.VIEW_REGISTER)
def serious_list(request: HttpRequest) -> HttpResponse:
    qs = _region_filter(SeriousListing.objects.visible_to(request.user).select_related("enterprise"), request)
    status = request.GET.get("status", "")
    if status in SeriousStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs.order_by("-proposed_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "lists/serious_list.html",
        {
            "page": page,
            "status": status,
            "region": request.GET.get("region", ""),
            "statuses": SeriousStatus.choices,
            "divisions": _divisions(request.user),
            "query": query_without_page(request),
            "grounds": rules.grounds(ListKind.SERIOUS, today()),
            "can_manage": has_perm(request.user, Perm.MANAGE_LISTS),
            "anomaly_grounds": rules.grounds(ListKind.ANOMALY, today()),
        },
    )


class SeriousProposalForm(_EnterpriseForm):
    ground = forms.CharField(label=_("列入事由"), required=False, max_length=60)
    penalty_no = forms.CharField(label=_("所依据的处罚决定书文号"), required=False, max_length=100)
    facts = forms.CharField(label=_("违法事实"), required=False, max_length=5000)
    legal_basis = forms.CharField(label=_("列入依据"), required=False, max_length=2000)


@require_POST
@staff(Perm.MANAGE_LISTS)
def serious_propose(request: HttpRequest) -> HttpResponse:
    form = SeriousProposalForm(request.POST, user=request.user)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("lists:serious_list")
    d = form.cleaned_data
    enterprise = d["uscc"]
    try:
        penalty = None
        if d["penalty_no"]:
            penalty = Penalty.objects.filter(enterprise=enterprise, decision_no=d["penalty_no"]).first()
            if penalty is None:
                raise DomainError(gettext("该企业名下没有此处罚决定书文号"), code="unknown_penalty")
        listing = actions.propose_serious(
            enterprise,
            actor=request.user,
            ground=d["ground"],
            penalty=penalty,
            facts=d["facts"],
            legal_basis=d["legal_basis"],
        )
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("lists:serious_list")
    messages.success(request, gettext("已提出列入建议"))
    return redirect("lists:serious_detail", pk=listing.pk)


def _serious_deadlines(s: SeriousListing) -> dict[str, Any]:
    """Computed from start + rule + today's calendar (lists.deadlines), never stored."""
    return {
        "statement": deadlines.compute(s, "statement_due"),
        "publication": deadlines.compute(s, "publication_due"),
        "reconsideration": deadlines.compute(s, "reconsideration_due"),
        "lawsuit": deadlines.compute(s, "lawsuit_due"),
    }


@staff(Perm.VIEW_REGISTER)
def serious_detail(request: HttpRequest, pk: int) -> HttpResponse:
    s: SeriousListing = get_visible_or_404(
        SeriousListing.objects.select_related("enterprise", "department", "penalty"), request.user, pk=pk
    )
    approver = actions.approving_department(s)
    return render(
        request,
        "lists/serious_detail.html",
        {
            "s": s,
            "history": s.history.all(),
            "deadlines": _serious_deadlines(s),
            "today": today(),
            "can_manage": has_perm(request.user, Perm.MANAGE_LISTS),
            "can_approve": has_perm(request.user, Perm.APPROVE),
            "approving_department": approver,
            "earliest_repair": s.earliest_repair_date(),
            "hearing_states": HEARING_STATES,
            "hearing_outcomes": HearingOutcome,
        },
    )


def _document(request: HttpRequest, doc: documents.Document, back: int, title: Any) -> HttpResponse:
    if request.GET.get("format") == "pdf":
        response = HttpResponse(documents.pdf(doc), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{doc.filename}.pdf"'
        return response
    return render(request, "lists/document.html", {"doc": doc, "back": back, "page_title": title})


@staff(Perm.MANAGE_LISTS)
def serious_decision_document(request: HttpRequest, pk: int) -> HttpResponse:
    """The listing decision (列入决定书), numbered, printable and as PDF (`?format=pdf`)."""
    s: SeriousListing = get_visible_or_404(
        SeriousListing.objects.select_related("enterprise", "department", "penalty"), request.user, pk=pk
    )
    if not s.decision_no or not s.decided_on:
        raise Http404
    return _document(request, documents.decision(s), s.pk, _("列入严重违法失信名单决定书"))


@staff(Perm.MANAGE_LISTS)
def serious_hearing_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The hearing notice to the party (听证通知书), printable and as PDF."""
    s: SeriousListing = get_visible_or_404(
        SeriousListing.objects.select_related("enterprise", "department"), request.user, pk=pk
    )
    if not s.hearing_notified_on:
        raise Http404
    return _document(request, documents.hearing_notice(s), s.pk, _("听证通知书"))


@staff(Perm.MANAGE_LISTS)
def serious_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """The written notice to the party (Order 44 art. 15), printable."""
    s: SeriousListing = get_visible_or_404(
        SeriousListing.objects.select_related("enterprise", "department", "penalty"), request.user, pk=pk
    )
    g = rules.ground(s.ground, s.proposed_on)
    return render(
        request,
        "lists/notice.html",
        {
            "s": s,
            "ground": g,
            "deadlines": _serious_deadlines(s),
            "measures": rules.measures(ListKind.SERIOUS, s.proposed_on),
        },
    )


class RecheckForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("recheck", _("复核"))],
        error_messages={"required": _("未知操作"), "invalid_choice": _("未知操作")},
    )


@require_POST
@staff(Perm.VIEW_REGISTER)
def serious_action(request: HttpRequest, pk: int) -> HttpResponse:
    s: SeriousListing = get_visible_or_404(
        SeriousListing.objects.select_related("enterprise", "department", "penalty"), request.user, pk=pk
    )
    # The steps of the workflow table are its buttons (core.workflow_views.take); what is
    # left here is the re-check of an escalation, which is not a step of its own.
    if not has_perm(request.user, Perm.MANAGE_LISTS):
        messages.error(request, gettext("没有执行此操作的权限"))
        return redirect("lists:serious_detail", pk=s.pk)
    form = RecheckForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("lists:serious_detail", pk=s.pk)
    try:
        actions.recheck_escalation(s, actor=request.user)
        if s.status == SeriousStatus.LAPSED:
            # The step re-checked an escalation from the anomaly list and ended it.
            messages.warning(
                request,
                gettext("复核不再符合列入条件，列入程序已终止：%(reason)s") % {"reason": s.dropped_reason},
            )
        else:
            messages.success(request, gettext("已办理"))
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("lists:serious_detail", pk=s.pk)


# --- rules --------------------------------------------------------------------------------


@staff(Perm.VIEW_REGISTER)
def rules_page(request: HttpRequest) -> HttpResponse:
    day = today()
    prefix = user_region_prefix(request.user) or ""
    return render(
        request,
        "lists/rules.html",
        {
            "current": rules.rules_on(day, prefix) if len(prefix) >= 2 else rules.instance_rules_on(day),
            "versions": ListRuleSet.objects.all(),
            "today": day,
            "grounds": ListGround.objects.all(),
            "measures": Measure.objects.all(),
            "batch_decisions": BatchDecision.objects.filter(
                department__division__code__startswith=prefix
            ).select_related("department"),
            "can_manage": has_perm(request.user, Perm.MANAGE_LISTS),
        },
    )


class BatchDecisionForm(forms.Form):
    # Bounded so that no value reaches the database it cannot hold (issue 13 item 7).
    report_year = forms.IntegerField(label=_("年报年度"), min_value=2000, max_value=2999)
    decided_on = forms.DateField(label=_("决定日期"), input_formats=["%Y-%m-%d"])
    decision_no = forms.CharField(label=_("决定书文号"), max_length=100)


@require_POST
@staff(Perm.MANAGE_LISTS)
def batch_decision_new(request: HttpRequest) -> HttpResponse:
    """A department records its standing decision for one report year."""
    from django.db import transaction

    dept = getattr(getattr(request.user, "staff_profile", None), "department", None)
    form = BatchDecisionForm(request.POST)
    if dept is None or not form.is_valid():
        messages.error(request, gettext("请填写年报年度、决定书文号和决定日期"))
        say_invalid(request, form)
        return redirect("lists:rules")
    year, decided_on = form.cleaned_data["report_year"], form.cleaned_data["decided_on"]
    number = form.cleaned_data["decision_no"]
    if decided_on < BatchDecision.valid_from(year):
        messages.error(
            request,
            gettext("%(year)s年度年报的报送期至%(end)s止，常设批量列入决定应在此后作出")
            % {"year": year, "end": f"{year + 1}-06-30"},
        )
        return redirect("lists:rules")
    with transaction.atomic():
        bd, _ = BatchDecision.objects.update_or_create(
            department=dept,
            report_year=year,
            defaults={"decision_no": number, "decided_on": decided_on, "active": True},
        )
        bd.touch(request.user.get_username())
        bd.save()
        audit.record("lists.batch_decision", bd, actor=request.user, after=audit.snapshot(bd))
    messages.success(request, gettext("已登记常设批量列入决定"))
    return redirect("lists:rules")


# --- typical cases --------------------------------------------------------------------------


@staff(Perm.PUBLISH_CASES)
def cases(request: HttpRequest) -> HttpResponse:
    return render(request, "lists/cases.html", {"cases": TypicalCase.objects.visible_to(request.user)})


class CaseForm(forms.Form):
    # Title and body are required by the action, in its own words.
    title = forms.CharField(label=_("标题"), required=False, max_length=200)
    body = forms.CharField(label=_("正文"), required=False, max_length=100_000)
    # The enterprises concerned, one code a line; each must be one the user may see.
    usccs = forms.CharField(label=_("涉及企业"), required=False, max_length=20_000)


@staff(Perm.PUBLISH_CASES)
def case_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    case: TypicalCase | None = get_visible_or_404(TypicalCase.objects, request.user, pk=pk) if pk else None
    form = CaseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not form.is_valid():
        say_invalid(request, form)
    elif request.method == "POST":
        d = form.cleaned_data
        usccs = [u.strip().upper() for u in d["usccs"].split() if u.strip()]
        enterprises = list(Enterprise.objects.visible_to(request.user).filter(uscc__in=usccs))
        dept = getattr(getattr(request.user, "staff_profile", None), "department", None)
        try:
            if len(enterprises) != len(set(usccs)):
                raise DomainError(gettext("有企业不在辖区内或代码有误"))
            case = actions.save_case(
                case,
                actor=request.user,
                title=d["title"],
                body=d["body"],
                enterprises=enterprises,
                region_code=case.region_code
                if case
                else (dept.division_id if dept else settings.XINJIAN_PROVINCE),
            )
            messages.success(request, gettext("已保存，待审核"))
            return redirect("lists:cases")
        except DomainError as e:
            messages.error(request, e.message)
    return render(request, "lists/case_form.html", {"case": case})
