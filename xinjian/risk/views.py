"""Staff pages of risk classification (/staff/risk/): the models, their versions with the
validation report, and the actions of an administrator (draft, activate, roll back)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xinjian.core.access import staff
from xinjian.core.errors import DomainError
from xinjian.core.forms import ReasonForm, choice_form, say_invalid
from xinjian.core.i18n import chinese_ui
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workdays import today

from . import actions, charts
from .calibration import NotEnoughHistory
from .indicators import BY_CODE, Dimension
from .models import ClassBandRule, ModelVersion, RiskModel, ScoringRun, SupervisionMeasure


def spec_by_dimension(version: ModelVersion) -> list[dict[str, Any]]:
    """The version's indicators grouped by dimension, each bin with its range and points."""
    groups: dict[str, list[dict[str, Any]]] = {d.value: [] for d in Dimension}
    for item in version.spec:
        ind = BY_CODE.get(item["code"])
        edges = item["edges"]
        bins = []
        for n, lower in enumerate(edges):
            upper = edges[n + 1] if n + 1 < len(edges) else None
            if n == 0 and upper is not None:
                label = f"< {upper:g}"
            elif upper is None:
                label = f"≥ {lower:g}" if n else gettext("全部")
            else:
                label = f"[{lower:g}, {upper:g})"
            counts = item.get("counts")
            bins.append(
                {
                    "label": label,
                    "points": item["points"][n],
                    "woe": (item.get("woe") or [None] * len(edges))[n],
                    "n": counts[n][0] if counts else None,
                    "bad": counts[n][1] if counts else None,
                }
            )
        groups.setdefault(ind.dimension if ind else "basic", []).append(
            {
                "code": item["code"],
                "name": ind.display_name() if ind else item["code"],
                # the other language's name, under it
                "name_en": (ind.name_en if chinese_ui() else ind.name) if ind else "",
                "direction": ind.direction if ind else 0,
                "bins": bins,
                "coef": item.get("coef"),
                "max_points": max(item["points"]),
            }
        )
    labels = dict(Dimension.choices)
    return [{"code": d, "label": labels.get(d, d), "indicators": inds} for d, inds in groups.items() if inds]


@staff(Perm.VIEW_RISK)
def models_index(request: HttpRequest) -> HttpResponse:
    on = today()
    rows = []
    for model in RiskModel.objects.all():
        rows.append(
            {
                "model": model,
                "active": model.active_version(),
                "versions": model.versions.count(),
                "bands": ClassBandRule.in_force(model, on),
                "last_run": ScoringRun.objects.filter(version__model=model).select_related("version").first(),
            }
        )
    return render(
        request,
        "risk/models.html",
        {
            "rows": rows,
            "measures": sorted(
                SupervisionMeasure.in_force(on, settings.XINJIAN_PROVINCE).values(),
                key=lambda m: m.risk_class,
            ),
            "runs": ScoringRun.objects.select_related("version", "version__model")[:20],
            "can_manage": has_perm(request.user, Perm.MANAGE_MODELS),
        },
    )


@staff(Perm.VIEW_RISK)
def model_detail(request: HttpRequest, code: str) -> HttpResponse:
    model = get_object_or_404(RiskModel, code=code)
    active = model.active_version()
    return render(
        request,
        "risk/model.html",
        {
            "model": model,
            "active": active,
            "dimensions": spec_by_dimension(active) if active else [],
            "versions": model.versions.all(),
            "band_rules": model.band_rules.all(),
            "can_manage": has_perm(request.user, Perm.MANAGE_MODELS),
        },
    )


@staff(Perm.VIEW_RISK)
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ModelVersion.objects.select_related("model"), pk=pk)
    report = version.validation or {}
    return render(
        request,
        "risk/version.html",
        {
            "version": version,
            "model": version.model,
            "dimensions": spec_by_dimension(version),
            "report": report,
            "charts": charts.for_report(report) if report else None,
            # the indicators calibration zeroed, by their names in the catalogue
            "dropped": [BY_CODE[c].display_name() if c in BY_CODE else c for c in report.get("dropped", [])],
            "target": _target(report),
            "runs": version.runs.all()[:10],
            "can_manage": has_perm(request.user, Perm.MANAGE_MODELS),
            # a signed artefact of the general model (ADR 0097), where a signing key is set
            "can_export": bool(settings.XINJIAN_MODEL_SIGNING_KEY) and version.model.is_general,
        },
    )


def _target(report: dict[str, Any]) -> dict[str, Any] | None:
    """What the version learnt to predict and how each target did out of time."""
    from .calibration import TARGETS

    target = report.get("target")
    if not target or target.get("code") not in TARGETS:
        return None
    return {
        "label": TARGETS[target["code"]],
        "tried": [
            (TARGETS.get(code, code), auc) for code, auc in (target.get("validation_auc") or {}).items()
        ],
    }


class DraftForm(forms.Form):
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


VersionStepForm = choice_form(
    "VersionStepForm", [("activate", _("启用")), ("discard", _("弃用草稿"))], default="activate"
)


@require_POST
@staff(Perm.MANAGE_MODELS)
def draft(request: HttpRequest, code: str) -> HttpResponse:
    model = get_object_or_404(RiskModel, code=code)
    form = DraftForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("risk:model", code=model.code)
    try:
        version = actions.draft_version(model, actor=request.user, note=form.cleaned_data["note"])
    except NotEnoughHistory as e:
        messages.error(request, str(e))
        return redirect("risk:model", code=model.code)
    messages.success(
        request, gettext("已生成草稿版本 %(label)s，请查看验证报告后决定是否启用") % {"label": version.label}
    )
    return redirect("risk:version", pk=version.pk)


@require_POST
@staff(Perm.MANAGE_MODELS)
def change_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ModelVersion, pk=pk)
    form = VersionStepForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("risk:version", pk=version.pk)
    reason = form.cleaned_data["reason"]
    try:
        if form.cleaned_data["action"] == "discard":
            actions.discard_version(version, actor=request.user, reason=reason)
            messages.success(request, gettext("已弃用 %(label)s") % {"label": version.label})
        else:
            actions.activate_version(version, actor=request.user, reason=reason)
            messages.success(
                request,
                gettext("已启用 %(label)s；运行“重新评分”后生效于全部主体") % {"label": version.label},
            )
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("risk:version", pk=version.pk)


@require_POST
@staff(Perm.MANAGE_MODELS)
def rollback(request: HttpRequest, code: str) -> HttpResponse:
    model = get_object_or_404(RiskModel, code=code)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
        return redirect("risk:model", code=model.code)
    try:
        version = actions.rollback(model, actor=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, gettext("已回退到 %(label)s") % {"label": version.label})
    except DomainError as e:
        messages.error(request, e.message)
    return redirect("risk:model", code=model.code)


@require_POST
@staff(Perm.MANAGE_MODELS)
def rescore(request: HttpRequest) -> HttpResponse:
    runs = actions.score_all(actor=request.user)
    messages.success(request, "已重新评分：" + "；".join(f"{r.version.label} {r.assessed} 户" for r in runs))
    return redirect("risk:models")
