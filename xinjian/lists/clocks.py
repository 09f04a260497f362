"""Date-driven list rules, run by `manage.py run_clocks [--date]`. Each is idempotent for
a date: what it does leaves nothing due for the same date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xinjian.collection.models import AnnualReport
from xinjian.core.clocks import register
from xinjian.registry.departments import covering_divisions
from xinjian.registry.models import Enterprise

from . import actions, reactions, rules
from .models import (
    OPEN_SERIOUS,
    AnomalyKind,
    AnomalyListing,
    AnomalyStatus,
    BatchDecision,
    PublicationOrder,
    SeriousListing,
    SeriousStatus,
)


@register("lists.react", _("名单：处理归集事件（较重处罚、年报、检查结果、名单决定）"), order=10)
def react(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    if dry_run:
        return 0
    return reactions.react() + reactions.apply_list_decisions(on)


def _report_cycle(on: dt.date) -> tuple[int, dt.date] | None:
    """Anomaly Measures art. 4 (1): reports for year Y are due 1 January–30 June of Y+1;
    listing starts the day after. Before that day of `on`'s year nothing is due."""
    r = rules.instance_rules_on(on)
    deadline = dt.date(on.year, r.annual_report_deadline_month, r.annual_report_deadline_day)
    if on <= deadline:
        return None
    return on.year - 1, deadline


def _batch_decision_for(
    region_code: str, year: int, on: dt.date, cache: dict[str, BatchDecision | None]
) -> BatchDecision | None:
    """The standing batch decision of the most local department covering the enterprise.
    It counts only if dated after 30 June of the following year (BatchDecision.valid_from):
    a decision made before the filing window closed decides on a failure that had not
    happened yet."""
    if region_code not in cache:
        found = None
        for code in covering_divisions(region_code):
            found = BatchDecision.objects.filter(
                department__division_id=code,
                report_year=year,
                active=True,
                decided_on__gte=BatchDecision.valid_from(year),
                decided_on__lte=on,
            ).first()
            if found:
                break
        cache[region_code] = found
    return cache[region_code]


@register(
    "lists.anomaly_annual_report",
    _("经营异常名录：6月30日后列入未报送上一年度年报的企业（10个工作日内）"),
    order=20,
)
def anomaly_annual_report(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:

    cycle = _report_cycle(on)
    if cycle is None:
        return 0
    year, deadline = cycle
    # Enterprises that existed during the report year and are still operating.
    due = (
        Enterprise.objects.filter(status="operating", established_on__lte=dt.date(year, 12, 31))
        .exclude(
            id__in=AnnualReport.objects.filter(year=year, filed_on__lte=on, enterprise__isnull=False).values(
                "enterprise_id"
            )
        )
        .exclude(id__in=AnomalyListing.objects.filter(report_year=year).values("enterprise_id"))
        .order_by("id")
    )
    if dry_run:
        return due.count()
    cache: dict[str, BatchDecision | None] = {}
    n = 0
    # Ids first: the chunks below write listings that the query itself excludes.
    ids = list(due.values_list("id", flat=True))
    for i in range(0, len(ids), 1000):
        chunk = list(Enterprise.objects.filter(id__in=ids[i : i + 1000]).order_by("id"))
        n += _list_chunk(chunk, on, actor, year, deadline, cache)
    return n


def _list_chunk(
    chunk: list[Any],
    on: dt.date,
    actor: Any,
    year: int,
    deadline: dt.date,
    cache: dict[str, BatchDecision | None],
) -> int:
    return actions.list_for_missing_reports(
        chunk,
        actor=actor,
        on=on,
        report_year=year,
        deadline=deadline,
        decision_for=lambda e: _batch_decision_for(e.region_code, year, on, cache),
    )


@register(
    "lists.publication_orders",
    _("经营异常名录：责令限期公示逾期未公示的，生成列入草稿"),
    order=25,
)
def publication_orders(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    open_orders = PublicationOrder.objects.filter(
        fulfilled_on__isnull=True, listing__isnull=True, ordered_on__lt=on
    ).order_by("id")
    lapsed = [o for o in open_orders if o.lapsed(on)]
    if dry_run:
        return len(lapsed)
    return sum(actions.list_for_lapsed_order(o, actor=actor, on=on) is not None for o in lapsed)


@register("lists.anomaly_removal", _("经营异常名录：补报年报、变更住所后移出（5个工作日内）"), order=30)
def anomaly_removal(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    if dry_run:
        return 0
    return reactions.remove_for_filed_reports(None, on, actor=actor) + reactions.remove_for_changed_address(
        None, on, actor=actor
    )


@register("lists.serious_revocation", _("严重违法失信名单：处罚决定撤销后撤销列入（3个工作日内）"), order=35)
def serious_revocation(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    if dry_run:
        return SeriousListing.objects.filter(
            status__in=[SeriousStatus.PUBLISHED], penalty__status="revoked"
        ).count()
    return reactions.revoke_for_revoked_penalties(on, actor=actor)


@register(
    "lists.anomaly_three_years",
    _("经营异常名录：届满前60日公告提醒，满3年提出列入严重违法失信名单"),
    order=40,
)
def anomaly_three_years(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    r = rules.instance_rules_on(on)
    # Listed at least (3 years − 60 days) ago: a cheap bound, refined per listing.
    horizon = rules.add_years(on, -r.anomaly_escalation_years) + dt.timedelta(days=r.anomaly_reminder_days)
    qs = (
        # Individual businesses' abnormal-state marks are never escalated (domain.md §10).
        AnomalyListing.objects.filter(
            status=AnomalyStatus.LISTED, kind=AnomalyKind.LIST, listed_on__lte=horizon
        )
        .filter(Q(escalated_to__isnull=True))
        .select_related("enterprise", "department")
        .order_by("id")
    )
    n = 0
    for listing in qs:
        esc = listing.escalation_date()
        assert esc is not None
        if on >= esc:
            n += 1
            if not dry_run:
                actions.escalate_anomaly(listing, actor=actor, on=on)
        elif on >= esc - dt.timedelta(days=r.anomaly_reminder_days) and listing.reminder_published_on is None:
            n += 1
            if not dry_run:
                actions.publish_reminder(listing, actor=actor, on=on)
    return n


@register(
    "lists.escalation_recheck",
    _("严重违法失信名单：复核经营异常满3年的列入程序，已履行义务、已移出或已注销的终止"),
    order=45,
)
def escalation_recheck(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    """Order 44 art. 13 ("still has not fulfilled"): every open escalation is re-checked
    daily, besides at each step, so that staff see a lapsed one without touching it."""
    from .escalation import lapse_reason

    qs = (
        SeriousListing.objects.filter(
            anomaly__isnull=False, status__in=[s for s in OPEN_SERIOUS if s != SeriousStatus.PUBLISHED]
        )
        .exclude(status=SeriousStatus.DECIDED)
        .select_related("anomaly__enterprise")
        .order_by("id")
    )
    n = 0
    for listing in qs:
        if dry_run:
            n += bool(lapse_reason(listing.anomaly, on))
        else:
            n += actions.recheck_escalation(listing, actor=actor, on=on)
    return n


@register("lists.serious_expiry", _("严重违法失信名单：列入满3年（或限制期届满）自动移出"), order=50)
def serious_expiry(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    # `expires_on` is the last day listed (inclusive, the penalty convention): removed the day after.
    qs = SeriousListing.objects.filter(status=SeriousStatus.PUBLISHED, expires_on__lt=on).order_by("id")
    if dry_run:
        return qs.count()
    n = 0
    for listing in qs.select_related("enterprise", "penalty"):
        actions.expire_serious(listing, actor=actor, on=on)
        n += 1
    return n
