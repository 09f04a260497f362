"""Pages of double random: staff (plans, tasks, draws, assignments, results, reference
lists, rules, reports) and public (plans, tasks, draws, published results). Thin views:
load and authorise, validate with a form, call one action, render."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xinjian.collection.models import Inspection, InspectionResult
from xinjian.core.access import public, staff
from xinjian.core.errors import DomainError, describe
from xinjian.core.forms import say_invalid
from xinjian.core.jurisdiction import get_visible_or_404, user_region_prefix
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workdays import today
from xinjian.registry.models import Department, Division, Enterprise, KeyAreaType, OfficeKind
from xinjian.risk import actions as risk_actions
from xinjian.risk.models import SupervisionMeasure

from . import actions, queries
from .api import public_draw
from .models import (
    DEFAULT_CLASS,
    RISK_CLASSES,
    Draw,
    FollowUp,
    InspectionItem,
    InspectionMethod,
    InspectionRule,
    Inspector,
    KeySupervisionItem,
    Plan,
    Qualification,
    RuleCode,
    Target,
    TargetResult,
    Task,
    TaskState,
)

RULE_NOTE = format_lazy(_("未进行信用风险分类的企业按“一般（{cls}类）”分层抽取"), cls=DEFAULT_CLASS)


def _department(request: HttpRequest) -> Department:
    profile = getattr(request.user, "staff_profile", None)
    if profile is None:  # e.g. a superuser without a department: nothing to act for
        raise PermissionDenied(gettext("仅限市场监管部门工作人员操作"))
    return profile.department


def _errors(request: HttpRequest, e: DomainError) -> None:
    # the fields by their labels, never their keys (core.errors.describe)
    messages.error(request, describe(e, Task, TargetResult, Plan, Inspector))


# --- staff: plans and tasks ------------------------------------------------------------


@staff(Perm.VIEW_REGISTER)
def tasks(request: HttpRequest) -> HttpResponse:
    plans = Plan.objects.visible_to(request.user).annotate(n_tasks=Count("tasks"))
    task_rows = Task.objects.visible_to(request.user).select_related("plan", "department")
    state = request.GET.get("state", "")
    if state in TaskState.values:
        task_rows = task_rows.filter(state=state)
    # An inspector's queue: the targets the draws assigned to them, in tasks being carried
    # out, those without every result first (issue 14).
    mine = (
        Target.objects.filter(
            assignments__inspector__user_id=request.user.pk or 0,
            draw__superseded_at__isnull=True,
            draw__task__state=TaskState.IN_PROGRESS,
        )
        .select_related("enterprise", "draw__task")
        .annotate(
            n_results=Count("results", distinct=True), n_items=Count("draw__task__items", distinct=True)
        )
        .order_by("draw__task__ends_on", "draw__task__code", "rank")
    )
    my_targets = sorted(mine[:200], key=lambda t: t.n_results >= t.n_items)
    return render(
        request,
        "inspections/tasks.html",
        {
            "my_targets": my_targets,
            "is_inspector": has_perm(request.user, Perm.ENTER_RESULTS),
            "plans": plans,
            "page": Paginator(task_rows, 25).get_page(request.GET.get("page")),
            "state": state,
            "states": TaskState.choices,
            "can_manage": has_perm(request.user, Perm.MANAGE_INSPECTIONS),
            "year": today().year,
        },
    )


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2999, required=False)
    # The title is required by the action, in its own words.
    title = forms.CharField(label=_("计划名称"), required=False, max_length=200)
    description = forms.CharField(label=_("说明"), required=False, max_length=5000)


@require_POST
@staff(Perm.MANAGE_INSPECTIONS)
def plan_create(request: HttpRequest) -> HttpResponse:
    form = PlanForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("inspections:tasks")
    d = form.cleaned_data
    try:
        actions.create_plan(
            actor=request.user,
            department=_department(request),
            year=d["year"] or today().year,
            title=d["title"],
            description=d["description"],
        )
        messages.success(request, gettext("年度抽查计划已创建"))
    except DomainError as e:
        _errors(request, e)
    return redirect("inspections:tasks")


class ResultForm(forms.Form):
    item = forms.ModelChoiceField(label=_("抽查事项"), queryset=InspectionItem.objects.none())
    result = forms.ChoiceField(label=_("检查结果"), choices=InspectionResult.choices)
    follow_up = forms.ChoiceField(label=_("后续处置"), choices=FollowUp.choices, required=False)
    findings = forms.CharField(label=_("检查发现"), required=False, max_length=5000)
    inspected_on = forms.DateField(label=_("检查日期"))

    def __init__(self, *args: Any, items: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["item"]).queryset = items

    def clean_follow_up(self) -> str:
        return self.cleaned_data.get("follow_up") or FollowUp.NONE


class TaskForm(forms.Form):
    plan = forms.ModelChoiceField(queryset=Plan.objects.none(), label=_("年度计划"))
    title = forms.CharField(label=_("任务名称"), max_length=200)
    region_code = forms.ChoiceField(label=_("抽查区域"))
    key_area_types = forms.MultipleChoiceField(
        label=_("重点领域类型"), required=False, widget=forms.CheckboxSelectMultiple
    )
    items = forms.ModelMultipleChoiceField(
        queryset=InspectionItem.objects.filter(active=True),
        label=_("抽查事项"),
        widget=forms.CheckboxSelectMultiple,
    )
    ratio_A = forms.DecimalField(label=_("A类比例"), min_value=0, max_value=1, decimal_places=4)
    ratio_B = forms.DecimalField(label=_("B类比例"), min_value=0, max_value=1, decimal_places=4)
    ratio_C = forms.DecimalField(label=_("C类比例"), min_value=0, max_value=1, decimal_places=4)
    ratio_D = forms.DecimalField(label=_("D类比例"), min_value=0, max_value=1, decimal_places=4)
    starts_on = forms.DateField(
        label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    ends_on = forms.DateField(
        label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    joint_departments = forms.CharField(
        label=_("联合抽查部门（每行一个）"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        prefix = user_region_prefix(user) or ""
        cast(forms.ModelChoiceField, self.fields["plan"]).queryset = Plan.objects.visible_to(user)
        cast(forms.ChoiceField, self.fields["region_code"]).choices = [
            (d.code, f"{'　' if d.level == 'county' else ''}{d.name}（{d.code}）")
            for d in Division.objects.for_prefix(prefix)
        ]
        cast(forms.ChoiceField, self.fields["key_area_types"]).choices = [
            (t.code, t.name) for t in KeyAreaType.objects.filter(enabled=True)
        ]


@staff(Perm.MANAGE_INSPECTIONS)
def task_create(request: HttpRequest) -> HttpResponse:
    ratios = queries.default_ratios(_department(request).division_id)
    initial: dict[str, Any] = {f"ratio_{c}": Decimal(ratios[c]) for c in RISK_CLASSES}
    initial.update(
        {
            "starts_on": today(),
            "ends_on": dt.date(today().year, 12, 31),
            "region_code": _department(request).division_id,
        }
    )
    form = TaskForm(request.user, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            task = actions.create_task(
                d["plan"],
                actor=request.user,
                title=d["title"],
                region_code=d["region_code"],
                items=list(d["items"]),
                starts_on=d["starts_on"],
                ends_on=d["ends_on"],
                key_area_types=d["key_area_types"],
                ratios={c: d[f"ratio_{c}"] for c in RISK_CLASSES},
                joint_departments=d["joint_departments"].splitlines(),
                department=_department(request),
            )
            messages.success(request, gettext("抽查任务 %(code)s 已创建（草稿）") % {"code": task.code})
            return redirect("inspections:task", pk=task.pk)
        except DomainError as e:
            _errors(request, e)
    return render(request, "inspections/task_form.html", {"form": form, "rule_note": RULE_NOTE})


@staff(Perm.VIEW_REGISTER)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(Task.objects.select_related("plan", "department"), request.user, pk=pk)
    draws = list(task.draws.prefetch_related("strata").order_by("-number"))
    can_see_class = has_perm(request.user, Perm.VIEW_RISK)
    total, per_class = queries.discovery_rates(task)
    return render(
        request,
        "inspections/task.html",
        {
            "task": task,
            "draws": draws,
            "history": task.history.all(),
            "items": task.items.all(),
            "ratios": [(c, task.ratios.get(c)) for c in RISK_CLASSES],
            "can_manage": has_perm(request.user, Perm.MANAGE_INSPECTIONS),
            "can_see_class": can_see_class,
            "total": total,
            "per_class": per_class if can_see_class else [],
            "key_area_names": [t.name for t in KeyAreaType.objects.filter(code__in=task.key_area_types)],
            "rule_note": RULE_NOTE,
            "states": TaskState,
        },
    )


@staff(Perm.VIEW_REGISTER)
def assignments(request: HttpRequest, draw_id: str) -> HttpResponse:
    draw = get_object_or_404(Draw.objects.select_related("task"), draw_id=draw_id)
    if not Task.objects.visible_to(request.user).filter(pk=draw.task_id).exists():
        raise Http404
    return render(
        request,
        "inspections/assignments.html",
        {
            "draw": draw,
            "task": draw.task,
            "rows": queries.assignment_rows(draw),
            "n_items": draw.task.items.count(),
            "can_see_class": has_perm(request.user, Perm.VIEW_RISK),
            "can_enter": has_perm(request.user, Perm.ENTER_RESULTS)
            and draw.task.state == TaskState.IN_PROGRESS
            and draw.superseded_at is None,
        },
    )


@staff(Perm.ENTER_RESULTS)
def target_results(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_visible_or_404(
        Target.objects.select_related("draw__task", "enterprise"), request.user, pk=pk
    )
    task = target.draw.task
    items = list(task.items.all())
    if request.method == "POST":
        form = ResultForm(request.POST, items=task.items.all())
        if not form.is_valid():
            if "item" in form.errors:  # not a number, or not an item of this task
                raise Http404
            say_invalid(request, form)
            return redirect("inspections:target_results", pk=target.pk)
        d = form.cleaned_data
        item = d["item"]
        try:
            actions.record_result(
                target,
                item,
                actor=request.user,
                result=d["result"],
                follow_up=d["follow_up"],
                findings=d["findings"],
                inspected_on=d["inspected_on"],
            )
            messages.success(request, gettext("已录入“%(name)s”的检查结果") % {"name": item.name})
        except DomainError as e:
            _errors(request, e)
        return redirect("inspections:target_results", pk=target.pk)
    assigned = target.assignments.filter(inspector__user=request.user, inspector__active=True).exists()
    existing = {r.item_id: r for r in TargetResult.objects.filter(target=target).select_related("inspection")}
    rows = [
        {
            "item": i,
            "result": existing.get(i.id),
            "deadline": queries.publication_deadline(existing[i.id].inspected_on)
            if i.id in existing
            else None,
        }
        for i in items
    ]
    return render(
        request,
        "inspections/target_results.html",
        {
            "target": target,
            "task": task,
            "rows": rows,
            "results": InspectionResult.choices,
            "follow_ups": FollowUp.choices,
            "today": today(),
            "inspectors": [a.inspector for a in target.assignments.select_related("inspector")],
            "open": task.state == TaskState.IN_PROGRESS and target.draw.superseded_at is None and assigned,
            "assigned": assigned,
        },
    )


# --- staff: reference lists, rules, reports --------------------------------------------


@staff(Perm.VIEW_REGISTER)
def items(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "inspections/items.html",
        {
            "items": InspectionItem.objects.all(),
            "key_items": KeySupervisionItem.objects.all(),
            "type_names": dict(KeyAreaType.objects.values_list("code", "name")),
            "can_manage": has_perm(request.user, Perm.MANAGE_INSPECTIONS),
            "offices": OfficeKind.choices,
            "methods": InspectionMethod.choices,
            "qualifications": Qualification.choices,
            "key_area_types": KeyAreaType.objects.filter(enabled=True),
        },
    )


class ItemListForm(forms.Form):
    """Which list the entry belongs to: the inspection items (default) or the key
    supervision items."""

    list = forms.ChoiceField(
        choices=[("item", _("抽查事项清单")), ("key", _("重点监管事项清单"))], required=False
    )


# Required entries are the actions' rule: they name every missing one together, by label.
class InspectionItemForm(forms.Form):
    code = forms.CharField(label=_("事项编码"), required=False, max_length=40)
    name = forms.CharField(label=_("抽查事项"), required=False, max_length=200)
    legal_basis = forms.CharField(label=_("法律依据"), required=False, max_length=5000)
    office = forms.ChoiceField(label=_("实施机构"), choices=OfficeKind.choices, required=False)
    target_population = forms.CharField(label=_("抽查对象"), required=False, max_length=200)
    method = forms.ChoiceField(label=_("检查方式"), choices=InspectionMethod.choices, required=False)
    qualification = forms.ChoiceField(label=_("所需资格"), choices=Qualification.choices, required=False)
    is_key = forms.BooleanField(label=_("重点检查事项"), required=False)
    key_area_types = forms.MultipleChoiceField(label=_("重点领域类型"), required=False)
    # The page's "启用" checkbox: unticked is inactive.
    active = forms.BooleanField(label=_("启用"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["key_area_types"]).choices = [
            (t.code, t.name) for t in KeyAreaType.objects.filter(enabled=True)
        ]


class KeySupervisionItemForm(forms.Form):
    code = forms.CharField(label=_("事项编码"), required=False, max_length=40)
    name = forms.CharField(label=_("监管事项"), required=False, max_length=200)
    supervisor = forms.CharField(label=_("监管主体"), required=False, max_length=200)
    target = forms.CharField(label=_("监管对象"), required=False, max_length=200)
    measures = forms.CharField(label=_("监管措施"), required=False, max_length=5000)
    legal_basis = forms.CharField(label=_("法律依据"), required=False, max_length=5000)
    active = forms.BooleanField(label=_("启用"), required=False)


@require_POST
@staff(Perm.MANAGE_INSPECTIONS)
def item_save(request: HttpRequest) -> HttpResponse:
    which = ItemListForm(request.POST)
    key = which.is_valid() and which.cleaned_data["list"] == "key"
    form = KeySupervisionItemForm(request.POST) if key else InspectionItemForm(request.POST)
    if not which.is_valid() or not form.is_valid():
        say_invalid(request, which)
        say_invalid(request, form)
        return redirect("inspections:items")
    try:
        if key:
            actions.save_key_supervision_item(actor=request.user, **form.cleaned_data)
        else:
            actions.save_inspection_item(actor=request.user, **form.cleaned_data)
        messages.success(request, gettext("清单已更新"))
    except DomainError as e:
        _errors(request, e)
    return redirect("inspections:items")


@staff(Perm.VIEW_REGISTER)
def inspectors(request: HttpRequest) -> HttpResponse:
    rows = (
        Inspector.objects.visible_to(request.user)
        .select_related("department")
        .prefetch_related("conflicts__enterprise")
    )
    return render(
        request,
        "inspections/inspectors.html",
        {
            "inspectors": rows,
            "qualifications": Qualification.choices,
            "can_manage": has_perm(request.user, Perm.MANAGE_INSPECTIONS),
        },
    )


class InspectorForm(forms.Form):
    # Required entries (and at least one qualification) are the action's rule.
    name = forms.CharField(label=_("姓名"), required=False, max_length=60)
    badge_no = forms.CharField(label=_("执法证号"), required=False, max_length=40)
    qualifications = forms.MultipleChoiceField(
        label=_("检查资格"), choices=Qualification.choices, required=False
    )


@require_POST
@staff(Perm.MANAGE_INSPECTIONS)
def inspector_add(request: HttpRequest) -> HttpResponse:
    form = InspectorForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("inspections:inspectors")
    try:
        actions.add_inspector(actor=request.user, department=_department(request), **form.cleaned_data)
        messages.success(request, gettext("已加入执法检查人员名录库"))
    except DomainError as e:
        _errors(request, e)
    return redirect("inspections:inspectors")


class _EnterpriseByUscc(forms.ModelChoiceField):
    def to_python(self, value: Any) -> Any:
        return super().to_python(value.strip() if isinstance(value, str) else value)


class InspectorChangeForm(forms.Form):
    """Declare a conflict of interest with an enterprise (`op=conflict`), or put the
    inspector on or off duty (`op=activate` / anything else)."""

    op = forms.ChoiceField(
        choices=[("conflict", _("登记利害关系")), ("activate", _("在岗")), ("deactivate", _("不在岗"))],
        required=False,
    )
    enterprise = _EnterpriseByUscc(
        label=_("利害关系企业"),
        queryset=Enterprise.objects.none(),
        to_field_name="uscc",
        required=False,
        error_messages={"invalid_choice": _("辖区内没有该统一社会信用代码的企业")},
    )
    # Whether a reason is required is the actions' rule, said in their own words.
    reason = forms.CharField(label=_("原因"), required=False, max_length=2000)

    def __init__(self, data: Any, *, user: Any) -> None:
        # The page names the enterprise by its code (`uscc`); only those the user may see.
        super().__init__({**data.dict(), "enterprise": data.get("uscc", "")})
        cast(forms.ModelChoiceField, self.fields["enterprise"]).queryset = Enterprise.objects.visible_to(user)

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if d.get("op") == "conflict":
            if d.get("enterprise") is None and "enterprise" not in self.errors:
                self.add_error("enterprise", gettext("辖区内没有该统一社会信用代码的企业"))
            if len(d.get("reason") or "") > 200:
                self.add_error("reason", gettext("回避事由至多200字"))
        return d


@require_POST
@staff(Perm.MANAGE_INSPECTIONS)
def inspector_change(request: HttpRequest, pk: int) -> HttpResponse:
    inspector = get_visible_or_404(Inspector.objects, request.user, pk=pk)
    form = InspectorChangeForm(request.POST, user=request.user)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("inspections:inspectors")
    d = form.cleaned_data
    try:
        if d["op"] == "conflict":
            actions.declare_conflict(inspector, d["enterprise"], actor=request.user, reason=d["reason"])
            messages.success(request, gettext("已登记利害关系，抽取时将自动回避"))
        else:
            actions.set_inspector_active(
                inspector, actor=request.user, active=d["op"] == "activate", reason=d["reason"]
            )
            messages.success(request, gettext("已更新在岗状态"))
    except DomainError as e:
        _errors(request, e)
    return redirect("inspections:inspectors")


class DrawRatioForm(forms.Form):
    risk_class = forms.ChoiceField(label=_("风险分类"), choices=[(c, c) for c in RISK_CLASSES])
    scope = forms.ChoiceField(
        label=_("适用范围"), choices=[("province", _("本省")), ("national", _("全国默认"))], required=False
    )
    # 0 to 1 with at most four decimals is the action's rule, said in its own words.
    ratio = forms.DecimalField(label=_("抽查比例"), max_digits=20)
    effective_from = forms.DateField(label=_("生效日期"))
    basis = forms.CharField(label=_("依据"), required=False, max_length=300)


class InspectionRuleForm(forms.Form):
    code = forms.ChoiceField(label=_("规则"), choices=RuleCode.choices)
    value = forms.DecimalField(label=_("取值"), max_digits=10, decimal_places=4)
    effective_from = forms.DateField(label=_("生效日期"))
    basis = forms.CharField(label=_("依据"), required=False, max_length=300)


@staff(Perm.VIEW_REGISTER)
def rules(request: HttpRequest) -> HttpResponse:

    profile = getattr(request.user, "staff_profile", None)
    region = profile.department.division_id if profile is not None else settings.XINJIAN_PROVINCE
    province = region[:2] + "0000"
    if request.method == "POST":
        if not has_perm(request.user, Perm.MANAGE_RULES):
            messages.error(request, gettext("没有维护规则的权限"))
        elif "risk_class" in request.POST:  # which of the page's two forms was sent
            # The per-class draw ratio: a new version in its one table (risk's measures).
            ratio_form = DrawRatioForm(request.POST)
            if not ratio_form.is_valid():
                say_invalid(request, ratio_form)
                return redirect("inspections:rules")
            d = ratio_form.cleaned_data
            try:
                risk_actions.set_draw_ratio(
                    actor=request.user,
                    risk_class=d["risk_class"],
                    ratio=d["ratio"],
                    effective_from=d["effective_from"],
                    basis=d["basis"],
                    province_code=province if d["scope"] == "province" else "",
                )
                messages.success(request, gettext("已录入新版本抽查比例"))
            except DomainError as e:
                _errors(request, e)
        else:
            rule_form = InspectionRuleForm(request.POST)
            if not rule_form.is_valid():
                say_invalid(request, rule_form)
                return redirect("inspections:rules")
            try:
                actions.set_rule(actor=request.user, **rule_form.cleaned_data)
                messages.success(request, gettext("已录入新版本规则"))
            except DomainError as e:
                _errors(request, e)
        return redirect("inspections:rules")
    return render(
        request,
        "inspections/rules.html",
        {
            "in_force": queries.rules_in_force(),
            "all_rules": InspectionRule.objects.all(),
            "ratios": sorted(
                SupervisionMeasure.in_force(today(), region).values(),
                key=lambda m: m.risk_class,
            ),
            "ratio_history": SupervisionMeasure.objects.filter(province_code__in=["", province]),
            "classes": RISK_CLASSES,
            "province": province,
            "codes": RuleCode.choices,
            "can_edit": has_perm(request.user, Perm.MANAGE_RULES),
            "rule_note": RULE_NOTE,
            "today": today(),
        },
    )


@staff(Perm.VIEW_RISK)
def reports(request: HttpRequest) -> HttpResponse:
    food, since = queries.food_producers_not_fully_inspected(request.user)
    task_rates = []
    for task in Task.objects.visible_to(request.user).filter(
        state__in=[TaskState.IN_PROGRESS, TaskState.RESULTS, TaskState.CLOSED]
    )[:50]:
        total, _per = queries.discovery_rates(task)
        task_rates.append((task, total))
    return render(
        request,
        "inspections/reports.html",
        {
            "by_class": queries.discovery_rates_by_class(request.user),
            "task_rates": task_rates,
            "food": Paginator(food, 50).get_page(request.GET.get("page")),
            "food_count": food.count(),
            "since": since,
            "years": int(queries.rule_value(RuleCode.FOOD_FULL_CYCLE_YEARS)),
        },
    )


@staff(Perm.VIEW_REGISTER)
def overdue(request: HttpRequest) -> HttpResponse:
    rows = queries.unpublished_results(request.user)
    on = today()
    return render(
        request,
        "inspections/overdue.html",
        {
            "overdue": [r for r in rows if r.deadline.due < on],
            "pending": [r for r in rows if r.deadline.due >= on],
            "today": on,
        },
    )


# --- public ----------------------------------------------------------------------------


@public
def public_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "inspections/public_index.html",
        {
            "plans": Plan.objects.filter(
                tasks__state__in=[s for s in TaskState.values if s != TaskState.DRAFT]
            ).distinct(),
            "tasks": queries.public_tasks().order_by("-published_at")[:200],
            "draws": Draw.objects.select_related("task").order_by("-drawn_at")[:50],
        },
    )


@public
def public_task(request: HttpRequest, code: str) -> HttpResponse:
    task = get_object_or_404(queries.public_tasks(), code=code)
    # Only results disclosure has published appear (publication belongs to disclosure).
    published = (
        Inspection.objects.filter(
            queries.inspections_of_task(task),
            published_on__isnull=False,
            published_on__lte=today(),
            archived_at__isnull=True,
        )
        .select_related("enterprise")
        .order_by("enterprise__name", "item_code")
    )
    return render(
        request,
        "inspections/public_task.html",
        {
            "task": task,
            "draws": task.draws.order_by("-number"),
            "items": task.items.all(),
            "results": published,
            "key_area_names": [t.name for t in KeyAreaType.objects.filter(code__in=task.key_area_types)],
            "rule_note": RULE_NOTE,
        },
    )


@public
def public_draw_page(request: HttpRequest, draw_id: str) -> HttpResponse:
    draw = get_object_or_404(Draw.objects.select_related("task"), draw_id=draw_id)
    data = public_draw(draw)
    # The merged selection sorted by USCC, never by stratum or rank (interfaces.md v1.1).
    names = dict(Enterprise.objects.filter(uscc__in=data["selected"]).values_list("uscc", "name"))
    rows = [(u, names.get(u, "")) for u in data["selected"]]
    return render(request, "inspections/public_draw.html", {"draw": draw, "data": data, "rows": rows})
