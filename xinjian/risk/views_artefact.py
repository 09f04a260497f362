"""Staff pages of the general-model artefact (ADR 0097): export a version of the general
model as a signed file (the hub), and import one as a draft of the province's general
model (a province). Same access as the other model actions: Perm.MANAGE_MODELS."""

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
from xinjian.core.errors import DomainError, describe, field_error
from xinjian.core.permissions import Perm
from xinjian.core.workdays import today

from . import actions, artefact
from .models import ClassBandRule, ModelVersion, RiskModel, SupervisionMeasure


@require_POST
@staff(Perm.MANAGE_MODELS)
def export_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(ModelVersion.objects.select_related("model"), pk=pk)
    try:
        name, data = actions.export_general_model(version, actor=request.user)
    except DomainError as e:
        messages.error(request, describe(e))
        return redirect("risk:version", pk=version.pk)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class ImportForm(forms.Form):
    file = forms.FileField(label=_("模型文件"))
    bands = forms.ChoiceField(
        label=_("分类区间"),
        choices=[("own", _("沿用本省的分类区间")), ("hub", _("采用模型文件中全国中心的分类区间"))],
        initial="own",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


def _own_bands() -> dict[str, Any]:
    """How this province sets its bands now: target shares (set on its own validation
    snapshot, applied at activation) or the score bands in force."""
    on = today()
    return {
        "shares": SupervisionMeasure.target_shares(on, settings.XINJIAN_PROVINCE),
        "rule": ClassBandRule.in_force(artefact.GENERAL, on),
    }


@staff(Perm.MANAGE_MODELS)
def import_model(request: HttpRequest) -> HttpResponse:
    model = get_object_or_404(RiskModel, code=artefact.GENERAL)
    form = ImportForm(request.POST or None, request.FILES or None)
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > artefact.MAX_BYTES:
                raise artefact.ArtefactError(
                    gettext("文件超过 5 MB"),
                    code="too_large",
                    details=[field_error("file", "too_large", gettext("文件超过 5 MB"))],
                )
            version = actions.import_general_model(
                upload.read(),
                actor=request.user,
                bands=form.cleaned_data["bands"],
                note=form.cleaned_data["note"],
            )
        except DomainError as e:
            error = e
        else:
            messages.success(
                request,
                gettext("已导入为草稿版本 %(label)s：请查看在本省数据上的验证报告后决定是否启用")
                % {"label": version.label},
            )
            return redirect("risk:version", pk=version.pk)
    trusted = [{"id": kid, "name": name} for kid, (name, _key) in sorted(artefact.trusted_keys().items())]
    return render(
        request,
        "risk/import.html",
        {"model": model, "form": form, "error": error, "trusted": trusted, "own": _own_bands()},
        status=400 if error is not None or form.errors else 200,
    )
