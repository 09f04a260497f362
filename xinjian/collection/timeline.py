"""One timeline of everything recorded under an enterprise's name (记于企业名下, seed 五),
each item with its source, batch and time received."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext

from xinjian.commitments.models import Verification
from xinjian.core.permissions import Perm
from xinjian.core.roles import has_perm

from . import models as m


@dataclass(frozen=True)
class Item:
    on: dt.date
    kind: str
    title: str
    detail: str
    source: str
    batch_id: Any
    received_at: dt.datetime | None
    status: str = ""
    record: Any = None  # the collected record (archivable from the page), if it is one

    @property
    def archive_url(self) -> str:
        if self.record is None:
            return ""
        return reverse("collection:archive", args=[self.record._meta.model_name, self.record.pk])


def timeline(enterprise: Any, user: Any, limit: int = 300) -> list[Item]:
    items: list[Item] = []
    for lic in m.Licence.objects.filter(enterprise=enterprise):
        items.append(
            Item(
                lic.issued_on,
                gettext("行政许可"),
                f"{lic.get_licence_type_display()} {lic.licence_no}",
                gettext("%(issued_by)s；有效期至%(valid_until)s")
                % {"issued_by": lic.issued_by, "valid_until": lic.valid_until or gettext("长期")},
                lic.source,
                lic.batch_id,
                lic.received_at,
                lic.get_status_display(),
                record=lic,
            )
        )
    for p in m.Penalty.objects.filter(enterprise=enterprise):
        amount = (
            gettext("；罚款%(fine_amount)s元") % {"fine_amount": f"{p.fine_amount:,.2f}"}
            if p.fine_amount is not None
            else ""
        )
        items.append(
            Item(
                p.decided_on,
                gettext("行政处罚"),
                p.decision_no,
                f"{p.decided_by}：{'、'.join(p.type_labels())}{amount}",
                p.source,
                p.batch_id,
                p.received_at,
                p.get_status_display(),
                record=p,
            )
        )
    for i in m.Inspection.objects.filter(enterprise=enterprise):
        items.append(
            Item(
                i.inspected_on,
                gettext("检查结果"),
                i.get_kind_display(),
                f"{i.inspected_by}：{i.get_result_display()}",
                i.source,
                i.batch_id,
                i.received_at,
                record=i,
            )
        )
    # Complaints are never public and only some staff see them (domain.md §5).
    if has_perm(user, Perm.VIEW_COMPLAINTS):
        for c in m.Complaint.objects.filter(enterprise=enterprise):
            verdict = {True: gettext("查证属实"), False: gettext("查证不属实"), None: ""}[c.substantiated]
            items.append(
                Item(
                    c.received_on,
                    gettext("投诉举报"),
                    c.category or gettext("投诉举报"),
                    verdict,
                    c.source,
                    c.batch_id,
                    c.received_at,
                    record=c,
                )
            )
    for a in m.AnnualReport.objects.filter(enterprise=enterprise):
        items.append(
            Item(
                a.filed_on,
                gettext("年度报告"),
                gettext("%(year)s年度报告") % {"year": a.year},
                gettext("按时报送") if a.on_time else gettext("逾期报送"),
                a.source,
                a.batch_id,
                a.received_at,
            )
        )
    for d in m.ListDecision.objects.filter(enterprise=enterprise):
        items.append(
            Item(
                d.decided_on,
                gettext("名单决定"),
                f"{d.get_action_display()}{d.get_list_display()}",
                gettext("%(decision_no)s；事由：%(ground)s")
                % {"decision_no": d.decision_no, "ground": d.ground},
                d.source,
                d.batch_id,
                d.received_at,
                record=d,
            )
        )
    for k in m.CommitmentRecord.objects.filter(enterprise=enterprise):
        items.append(
            Item(
                k.committed_on,
                gettext("信用承诺"),
                k.get_kind_display(),
                k.matter,
                k.source,
                k.batch_id,
                k.received_at,
                record=k,
            )
        )
    # Verification findings on those commitments enter the credit record too (ADR 0064).

    for v in (
        Verification.objects.filter(enterprise=enterprise, concluded_on__isnull=False)
        .select_related("commitment")
        .prefetch_related("consequences")
    ):
        if v.concluded_on is None:
            continue
        measures = "、".join(str(c.get_kind_display()) for c in v.consequences.all())
        items.append(
            Item(
                v.concluded_on,
                "承诺核查",
                f"{v.get_status_display()}：{v.commitment.matter}",
                (measures or v.finding_no) + ("；已修复" if v.repaired_on else ""),
                "xinjian",
                None,
                None,
                v.get_status_display(),
            )
        )
    items.sort(key=lambda it: (it.on, it.received_at or dt.datetime.min.replace(tzinfo=dt.UTC)), reverse=True)
    return items[:limit]
