"""One timeline of everything recorded under an enterprise's name (记于企业名下, seed 五),
each item with its source, batch and time received."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from xinjian.accounts.roles import has_perm
from xinjian.core.permissions import Perm

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


def timeline(enterprise: Any, user: Any, limit: int = 300) -> list[Item]:
    items: list[Item] = []
    for lic in m.Licence.objects.filter(enterprise=enterprise):
        items.append(
            Item(
                lic.issued_on,
                "行政许可",
                f"{lic.get_licence_type_display()} {lic.licence_no}",
                f"{lic.issued_by}；有效期至{lic.valid_until or '长期'}",
                lic.source,
                lic.batch_id,
                lic.received_at,
                lic.get_status_display(),
            )
        )
    for p in m.Penalty.objects.filter(enterprise=enterprise):
        amount = f"；罚款{p.fine_amount:,.2f}元" if p.fine_amount is not None else ""
        items.append(
            Item(
                p.decided_on,
                "行政处罚",
                p.decision_no,
                f"{p.decided_by}：{'、'.join(p.type_labels())}{amount}",
                p.source,
                p.batch_id,
                p.received_at,
                p.get_status_display(),
            )
        )
    for i in m.Inspection.objects.filter(enterprise=enterprise):
        items.append(
            Item(
                i.inspected_on,
                "检查结果",
                i.get_kind_display(),
                f"{i.inspected_by}：{i.get_result_display()}",
                i.source,
                i.batch_id,
                i.received_at,
            )
        )
    # Complaints are never public and only some staff see them (domain.md §5).
    if has_perm(user, Perm.VIEW_COMPLAINTS):
        for c in m.Complaint.objects.filter(enterprise=enterprise):
            verdict = {True: "查证属实", False: "查证不属实", None: ""}[c.substantiated]
            items.append(
                Item(
                    c.received_on,
                    "投诉举报",
                    c.category or "投诉举报",
                    verdict,
                    c.source,
                    c.batch_id,
                    c.received_at,
                )
            )
    for a in m.AnnualReport.objects.filter(enterprise=enterprise):
        items.append(
            Item(
                a.filed_on,
                "年度报告",
                f"{a.year}年度报告",
                "按时报送" if a.on_time else "逾期报送",
                a.source,
                a.batch_id,
                a.received_at,
            )
        )
    for d in m.ListDecision.objects.filter(enterprise=enterprise):
        items.append(
            Item(
                d.decided_on,
                "名单决定",
                f"{d.get_action_display()}{d.get_list_display()}",
                f"{d.decision_no}；事由：{d.ground}",
                d.source,
                d.batch_id,
                d.received_at,
            )
        )
    for k in m.CommitmentRecord.objects.filter(enterprise=enterprise):
        items.append(
            Item(
                k.committed_on,
                "信用承诺",
                k.get_kind_display(),
                k.matter,
                k.source,
                k.batch_id,
                k.received_at,
            )
        )
    items.sort(key=lambda it: (it.on, it.received_at or dt.datetime.min.replace(tzinfo=dt.UTC)), reverse=True)
    return items[:limit]
