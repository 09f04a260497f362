"""Collection's parts of the staff enterprise page: its licences and its timeline
(registered with `core.panels`; the page itself, registry, decides who sees it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext

from xinjian.core import labels as core_labels
from xinjian.core.panels import enterprise_panels
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm
from xinjian.core.workbench import Queue, cached_chart, charts, month_keys, queue_from, todo
from xinjian.core.workdays import SHANGHAI, today

from .models import (
    AnnualReport,
    BatchStatus,
    CommitmentRecord,
    IngestBatch,
    Inspection,
    Licence,
    Penalty,
    PenaltyDomain,
    PenaltyType,
)
from .timeline import timeline


@enterprise_panels.register("licences", "collection/_licences_panel.html", order=10)
def licences_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {"licences": Licence.objects.filter(enterprise=enterprise).order_by("-issued_on")}


@enterprise_panels.register("timeline", "collection/_timeline.html", order=20)
def timeline_panel(request: HttpRequest, enterprise: Any) -> dict[str, Any]:
    return {
        "timeline": timeline(enterprise, request.user),
        "can_archive": has_perm(request.user, Perm.INGEST),
    }


# --- the staff workbench (core.workbench) ---------------------------------------------


@todo.register("collection.previews", order=70)
def uploads_to_confirm(request: HttpRequest, user: Any) -> Queue | None:
    """This person's uploads checked and waiting for their confirmation."""
    if not has_perm(user, Perm.INGEST):
        return None
    qs = IngestBatch.objects.filter(uploaded_by=user, status=BatchStatus.PREVIEWED).order_by("started_at")
    return queue_from(
        qs,
        label=gettext("确认导入已上传的文件"),
        subject=lambda b: b.file_name or str(b.pk),
        url=lambda b: reverse("collection:preview", args=[b.pk]),
        more_url=reverse("collection:batches"),
    )


@charts.register("collection.ingest_volume", order=50)
def ingest_volume_chart(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    """Records received in the user's area by provider and kind, per month over the last
    twelve months (the eight largest series and the rest together)."""
    if not has_perm(user, Perm.INGEST):
        return None
    return cached_chart("collection.ingest_volume", user, lambda: _ingest_volume(user))


def _ingest_volume(user: Any) -> dict[str, Any] | None:
    months = month_keys(today(), 12)
    since = dt.datetime.fromisoformat(months[0] + "-01").replace(tzinfo=SHANGHAI)
    per: dict[str, dict[str, int]] = {}
    for model in (Penalty, Inspection, Licence, CommitmentRecord, AnnualReport):
        rows = (
            model.objects.visible_to(user)
            .filter(received_at__gte=since)
            .annotate(m=TruncMonth("received_at", tzinfo=SHANGHAI))
            .values("source", "m")
            .annotate(n=Count("pk"))
            .values_list("source", "m", "n")
        )
        for source, m, n in rows:
            if m is not None:
                key = f"{source} · {model._meta.verbose_name}"
                per.setdefault(key, {})[m.strftime("%Y-%m")] = n
    if not per:
        return None
    ranked = sorted(per, key=lambda s: -sum(per[s].values()))
    top, rest = ranked[:8], ranked[8:]
    series = [
        {"name": s, "type": "bar", "stack": "n", "data": [per[s].get(k, 0) for k in months]} for s in top
    ]
    if rest:
        series.append(
            {
                "name": gettext("其他"),
                "type": "bar",
                "stack": "n",
                "data": [sum(per[s].get(k, 0) for s in rest) for k in months],
            }
        )
    return {
        "title": gettext("各来源归集数据量（近12个月，条）"),
        "option": {
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
            "legend": {"top": 0, "type": "scroll"},
            "grid": {"left": 56, "right": 16, "top": 40, "bottom": 28},
            "xAxis": {"type": "category", "data": months},
            "yAxis": {"type": "value"},
            "series": series,
        },
    }


# Codes of the exchange standard as words on pages (core.labels).
core_labels.register("penalty_type", PenaltyType.choices)
core_labels.register("penalty_domain", PenaltyDomain.choices)
