"""Is an escalation from the anomaly list still due? (domain.md §10; Order 44 art. 13)

Order 44 lists an enterprise that has been on the anomaly list for 3 years *and still has
not fulfilled* its obligations. So the proposal is re-checked at every step (proposal,
notice, submission, approval, decision, and daily by the clock): once the missing report
is filed, the address changed, the information published, the anomaly listing ended, or
the enterprise deregistered — or when the party is an individual business, which is never
escalated — the proposal lapses with the reason. `lapse_reason` only reads; the actions
move the listing.
"""

from __future__ import annotations

import datetime as dt

from django.utils import translation

from xinjian.collection.models import AnnualReport
from xinjian.registry.models import EnterpriseStatus

from .models import AnomalyKind, AnomalyListing, AnomalyStatus, PublicationOrder, is_individual_business


def lapse_reason(anomaly: AnomalyListing | None, on: dt.date) -> str:
    """Why escalating `anomaly` is no longer due on `on` ("" while it still is). The
    reason is part of the record (history, audit, the listing), so it is written in
    Chinese whatever the language of the person whose step triggered the check."""
    if anomaly is None:
        return ""
    with translation.override("zh-hans"):
        return _reason(anomaly, on)


def _reason(anomaly: AnomalyListing, on: dt.date) -> str:
    e = anomaly.enterprise
    if e.status == EnterpriseStatus.CANCELLED:
        return "企业已注销"
    if anomaly.kind == AnomalyKind.STATE or is_individual_business(e.uscc):
        return "个体工商户标记为经营异常状态，不适用届满3年列入严重违法失信名单"
    if anomaly.status != AnomalyStatus.LISTED or (anomaly.removed_on and anomaly.removed_on <= on):
        return f"经营异常名录记录状态为“{anomaly.get_status_display()}”"
    if anomaly.ground_ceased_on and anomaly.ground_ceased_on <= on:
        return f"列入经营异常名录的事由已消除（{anomaly.get_ceased_reason_display() or '其他'}）"
    if anomaly.ground == "annual_report_missing" and anomaly.report_year:
        report = (
            AnnualReport.objects.filter(enterprise=e, year=anomaly.report_year, filed_on__lte=on)
            .order_by("filed_on")
            .first()
        )
        if report is not None:
            return f"已于{report.filed_on.isoformat()}补报{anomaly.report_year}年度报告"
    if anomaly.ground == "unreachable" and e.address and e.address != anomaly.address_at_listing:
        return "已办理住所（经营场所）变更登记"
    if anomaly.ground == "unpublished_info":
        order = PublicationOrder.objects.filter(
            listing=anomaly, fulfilled_on__isnull=False, fulfilled_on__lte=on
        ).first()
        if order is not None and order.fulfilled_on is not None:
            return f"已于{order.fulfilled_on.isoformat()}公示应当公示的信息"
    return ""
