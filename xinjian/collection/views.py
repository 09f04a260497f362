"""Staff pages of collection: batches, file upload → preview → confirm, rejected rows as
XLSX, templates, the collection items table."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from xinjian.core.access import staff
from xinjian.core.errors import DomainError
from xinjian.core.forms import ReasonForm, choice_form, say_invalid
from xinjian.core.jurisdiction import get_visible_or_404, territory_prefix, user_region_prefix
from xinjian.core.permissions import Perm

from . import uploads
from .actions import ARCHIVABLE, archive_record
from .ingest.files import XLSX_TYPE, rejects_xlsx, template_xlsx
from .ingest.kinds import KINDS, get_kind
from .models import BatchStatus, CollectionItem, IngestBatch, Peer


def _batch_or_404(request: HttpRequest, batch_id: Any) -> IngestBatch:
    batch = IngestBatch.objects.visible_to(request.user).filter(pk=batch_id).first()
    if batch is None:
        raise Http404
    return batch


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    resp = HttpResponse(content, content_type=XLSX_TYPE)
    from urllib.parse import quote

    resp["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return resp


@staff(Perm.INGEST)
def batches(request: HttpRequest) -> HttpResponse:
    qs = IngestBatch.objects.visible_to(request.user).exclude(status=BatchStatus.DISCARDED)
    kind = request.GET.get("kind", "")
    if kind in KINDS:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-started_at"), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "collection/batches.html",
        {
            "page": page,
            "kinds": [(k.name, gettext(k.label)) for k in KINDS.values()],
            "kind": kind,
            "labels": {k.name: gettext(k.label) for k in KINDS.values()},
        },
    )


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("数据类别"), choices=[(k.name, _(k.label)) for k in KINDS.values()])
    file = forms.FileField(label=_("文件（CSV/XLSX）"))


@staff(Perm.INGEST)
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = uploads.prepare(form.cleaned_data["kind"], form.cleaned_data["file"], user=request.user)
        except uploads.UploadError as e:
            form.add_error("file", e.message)
        else:
            return redirect("collection:preview", batch_id=batch.pk)
    return render(request, "collection/upload.html", {"form": form})


@staff(Perm.INGEST)
def preview(request: HttpRequest, batch_id: Any) -> HttpResponse:
    batch = _batch_or_404(request, batch_id)
    if batch.status != BatchStatus.PREVIEWED:
        return redirect("collection:batch", batch_id=batch.pk)
    result = uploads.judge(batch, request.user)
    kind = get_kind(batch.kind)
    return render(
        request,
        "collection/preview.html",
        {
            "batch": batch,
            "kind": kind,
            "result": result,
            "rows": uploads.reject_rows(kind, result["rejects"]),
        },
    )


ConfirmForm = choice_form(
    "ConfirmForm", [("import", _("确认导入")), ("discard", _("放弃导入"))], default="import", reason=False
)


@require_POST
@staff(Perm.INGEST)
def confirm(request: HttpRequest, batch_id: Any) -> HttpResponse:
    batch = _batch_or_404(request, batch_id)
    if batch.status != BatchStatus.PREVIEWED:
        messages.error(request, gettext("该批次已处理"))
        return redirect("collection:batch", batch_id=batch.pk)
    step = ConfirmForm(request.POST)
    if not step.is_valid():
        say_invalid(request, step)
        return redirect("collection:batch", batch_id=batch.pk)
    if step.cleaned_data["action"] == "discard":
        uploads.discard(batch, user=request.user)
        messages.success(request, gettext("已放弃导入"))
        return redirect("collection:batches")
    batch = uploads.confirm(batch, user=request.user)
    messages.success(
        request,
        gettext(
            "已导入：新增%(created)s条，更新%(updated)s条，未变化%(unchanged)s条，拒收%(rejected_count)s条"
        )
        % {
            "created": batch.created,
            "updated": batch.updated,
            "unchanged": batch.unchanged,
            "rejected_count": batch.rejected_count,
        },
    )
    return redirect("collection:batch", batch_id=batch.pk)


@staff(Perm.INGEST)
def batch_detail(request: HttpRequest, batch_id: Any) -> HttpResponse:
    batch = _batch_or_404(request, batch_id)
    if batch.status == BatchStatus.PREVIEWED:
        return redirect("collection:preview", batch_id=batch.pk)
    kind = get_kind(batch.kind)
    rejects = Paginator(batch.rejects.all(), 100).get_page(request.GET.get("page"))
    return render(
        request,
        "collection/batch.html",
        {
            "batch": batch,
            "kind": kind,
            "rejects": rejects,
            "rows": uploads.reject_rows(kind, rejects),
        },
    )


@staff(Perm.INGEST)
def rejects_download(request: HttpRequest, batch_id: Any) -> HttpResponse:
    batch = _batch_or_404(request, batch_id)
    kind = get_kind(batch.kind)
    return _xlsx(
        rejects_xlsx(kind, batch.rejects.all().iterator()),
        f"拒收记录-{kind.label}-{batch.started_at:%Y%m%d%H%M}.xlsx",
    )


@staff(Perm.INGEST)
def templates(request: HttpRequest) -> HttpResponse:
    # each kind with its required columns, joined once (the loop left a trailing "、" when
    # the last field was optional)
    rows = [(k, [f.label for f in k.fields.values() if f.required]) for k in KINDS.values()]
    return render(request, "collection/templates.html", {"rows": rows})


@staff(Perm.INGEST)
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    k = get_kind(kind)
    return _xlsx(template_xlsx(k), f"归集模板-{k.label}.xlsx")


@staff(Perm.VIEW_REGISTER)
def items(request: HttpRequest) -> HttpResponse:
    prefix = user_region_prefix(request.user) or ""
    return render(
        request,
        "collection/items.html",
        {
            "items": CollectionItem.objects.all(),
            "labels": {k.name: gettext(k.label) for k in KINDS.values()},
            "can_add": request.user.is_superuser
            or (len(prefix) == 2 and request.user.has_perm("collection.add_collectionitem")),
        },
    )


@require_POST
@staff(Perm.INGEST)
def archive(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    """Archive a collected record received in error, with a reason (from the enterprise
    page's timeline); only records of the officer's jurisdiction."""
    record_model = ARCHIVABLE.get(model)
    if record_model is None:
        raise Http404
    record = get_visible_or_404(record_model.objects, request.user, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        say_invalid(request, form)
    else:
        try:
            archive_record(record, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, gettext("已归档"))
        except DomainError as e:
            messages.error(request, e.message)
    if record.enterprise is None:
        return redirect("collection:items")
    return redirect(reverse("registry:detail", args=[record.enterprise.uscc]) + "#timeline")


@staff(Perm.MANAGE_SHARING)
def peers(request: HttpRequest) -> HttpResponse:
    """Federation (issue 15): each peer's lag and last error. Province-level staff of the
    territory (and superusers) only: a peer's feed spans the whole territory."""
    if not request.user.is_superuser and user_region_prefix(request.user) != territory_prefix():
        raise PermissionDenied(gettext("仅限本平台辖区一级的工作人员"))
    from . import crossprovince

    return render(
        request,
        "collection/peers.html",
        {
            "peers": list(Peer.objects.all()),
            "outgoing": crossprovince.outgoing(),
            "incoming": crossprovince.incoming(),
            "relayed": crossprovince.relayed(),
            "states": CLOCK_STATES,
        },
    )


CLOCK_STATES = {
    "on_time": _("按时完成"),
    "late": _("逾期完成"),
    "overdue": _("已逾期"),
    "running": _("期限内"),
    "elsewhere": _("由登记地省份公示（尚无回执）"),
}
