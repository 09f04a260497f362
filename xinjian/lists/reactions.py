"""The lists' reaction to the event log (architecture: "lists proposes listings").

`react()` reads the log from its own cursor (`core.events.consume`) and makes collected
facts take effect: a heavier penalty in a listed domain proposes a serious listing, a
revoked penalty revokes the listings resting on it, a filed annual report removes the
anomaly listing, an inspection finding "unreachable"/"false information" drafts an
anomaly listing, and list decisions from case systems are applied. Each step looks at the
records themselves, not only at the event payload, so re-delivery is harmless.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.collection.models import AnnualReport, Inspection, ListDecision, Penalty
from xinjian.core.actors import Actor
from xinjian.core.errors import DomainError
from xinjian.core.events import EventType, consume
from xinjian.core.models import Event
from xinjian.core.workdays import local_day
from xinjian.registry.models import Enterprise

from . import actions, rules
from .models import (
    OPEN_SERIOUS,
    AnomalyListing,
    AnomalyStatus,
    AppliedListDecision,
    ProposalSource,
    PublicationOrder,
    RemovalReason,
    SeriousListing,
    SeriousStatus,
)

log = logging.getLogger(__name__)
CONSUMER = "lists"
LISTS_ACTOR = Actor("system:lists")

# Inspection results that lead to the anomaly list (domain.md §8, Anomaly Measures art. 4).
INSPECTION_GROUNDS = {
    "unreachable": "unreachable",
    "false_info": "false_info",
    "unpublished_info": "unpublished_info",
}


def _day(event: Event) -> dt.date:
    return local_day(event.occurred_at)


def remove_for_filed_reports(enterprise_ids: Any, on: dt.date, *, actor: Any = LISTS_ACTOR) -> int:
    """Anomaly Measures art. 11: the missing report filed → removed (within 5 WD; the
    platform does it when it learns of the filing)."""

    n = 0
    qs = AnomalyListing.objects.filter(
        ground="annual_report_missing", status=AnomalyStatus.LISTED, listed_on__lte=on
    ).select_related("enterprise")
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=enterprise_ids)
    for listing in qs:
        if listing.report_year is None:
            continue
        report = AnnualReport.objects.filter(
            enterprise=listing.enterprise, year=listing.report_year, filed_on__lte=on
        ).first()
        if report is None:
            continue
        with transaction.atomic():
            actions.note_ground_ceased(listing, actor=actor, reason=RemovalReason.REPORT_FILED, on=on)
            actions.remove_anomaly(listing, actor=actor, reason=RemovalReason.REPORT_FILED, on=on)
        n += 1
    return n


def remove_for_changed_address(enterprise_ids: Any, on: dt.date, *, actor: Any = LISTS_ACTOR) -> int:
    """Anomaly Measures art. 13: an enterprise listed as unreachable that registers a
    change of address is removed (within 5 WD; the platform does it when it learns)."""
    from django.db.models import F

    qs = (
        AnomalyListing.objects.filter(ground="unreachable", status=AnomalyStatus.LISTED, listed_on__lte=on)
        .exclude(enterprise__address="")
        .exclude(address_at_listing=F("enterprise__address"))
        .select_related("enterprise")
    )
    if enterprise_ids is not None:
        qs = qs.filter(enterprise_id__in=enterprise_ids)
    n = 0
    for listing in qs:
        with transaction.atomic():
            actions.note_ground_ceased(listing, actor=actor, reason=RemovalReason.ADDRESS_CHANGED, on=on)
            actions.remove_anomaly(listing, actor=actor, reason=RemovalReason.ADDRESS_CHANGED, on=on)
        n += 1
    return n


def propose_for_penalties(enterprise: Enterprise, on: dt.date, *, actor: Any = LISTS_ACTOR) -> int:
    """Order 44 art. 2: a heavier penalty in a listed domain is suggested for the serious
    list; the department then weighs intent, frequency, duration (it may drop it)."""

    n = 0
    seen = set(
        SeriousListing.objects.filter(enterprise=enterprise, penalty__isnull=False).values_list(
            "penalty_id", flat=True
        )
    )
    for p in Penalty.objects.filter(
        enterprise=enterprise, status="in_force", archived_at__isnull=True
    ).exclude(id__in=seen):
        g = rules.serious_ground_for_penalty(p.domain, p.decided_on)
        if g is None or not rules.is_heavier_penalty(p, p.decided_on):
            continue
        actions.propose_serious(
            enterprise, actor=actor, ground=g.code, on=on, source=ProposalSource.PENALTY, penalty=p
        )
        n += 1
    return n


def revoke_for_revoked_penalties(
    on: dt.date, *, enterprise: Enterprise | None = None, actor: Any = LISTS_ACTOR
) -> int:
    """Order 44 art. 22: the penalty revoked or void → the listing revoked (within 3 WD)."""
    qs = SeriousListing.objects.filter(
        status__in=OPEN_SERIOUS + [SeriousStatus.REMOVED], penalty__status="revoked"
    )
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    n = 0
    for listing in qs.select_related("penalty", "enterprise"):
        if listing.status == SeriousStatus.REMOVED and listing.removal_reason == RemovalReason.CREDIT_REPAIR:
            continue  # already gone from the public record
        actions.revoke_serious(
            listing, actor=actor, on=on, reason=f"所依据的处罚决定{listing.basis_decision_no}已被撤销"
        )
        n += 1
    return n


def draft_for_inspections(enterprise: Enterprise, on: dt.date, *, actor: Any = LISTS_ACTOR) -> int:

    used = set(
        AnomalyListing.objects.filter(enterprise=enterprise, inspection__isnull=False).values_list(
            "inspection_id", flat=True
        )
    )
    n = 0
    ordered = set(
        PublicationOrder.objects.filter(enterprise=enterprise, inspection__isnull=False).values_list(
            "inspection_id", flat=True
        )
    )
    for insp in Inspection.objects.filter(enterprise=enterprise, result__in=list(INSPECTION_GROUNDS)).exclude(
        id__in=used
    ):
        ground = INSPECTION_GROUNDS[insp.result]
        if ground == "unpublished_info":
            # Anomaly Measures art. 4 (2): first an order to publish within a time limit;
            # the listing is proposed by the clock only once that limit has passed.
            if insp.pk not in ordered:
                actions.order_publication(enterprise, actor=actor, on=insp.inspected_on, inspection=insp)
                n += 1
            continue
        if AnomalyListing.objects.filter(
            enterprise=enterprise, ground=ground, status__in=[AnomalyStatus.DRAFT, AnomalyStatus.LISTED]
        ).exists():
            continue
        actions.list_anomaly(
            enterprise,
            actor=actor,
            ground=ground,
            on=on,
            draft=True,
            inspection=insp,
            proposed_on=insp.inspected_on,
            facts=f"{insp.inspected_on}{insp.inspected_by}检查结果：{insp.get_result_display()}",
        )
        n += 1
    return n


def apply_list_decisions(
    on: dt.date, *, enterprise: Enterprise | None = None, actor: Any = LISTS_ACTOR
) -> int:
    """Decisions made in case systems (interfaces.md list-decisions) take effect once."""

    qs = (
        ListDecision.objects.filter(enterprise__isnull=False, archived_at__isnull=True)
        .exclude(id__in=AppliedListDecision.objects.values("list_decision_id"))
        .select_related("enterprise")
        .order_by("decided_on", "id")
    )
    if enterprise is not None:
        qs = qs.filter(enterprise=enterprise)
    n = 0
    for d in qs:
        outcome, message = "applied", ""
        try:
            with transaction.atomic():
                _apply_one(d, on, actor, Penalty)
        except DomainError as e:
            outcome, message = "rejected", e.message
            log.warning("list decision %s not applied: %s", d.pk, e.message)
        AppliedListDecision.objects.create(
            list_decision=d, applied_at=timezone.now(), outcome=outcome, message=message
        )
        n += 1
    return n


def _apply_one(d: Any, on: dt.date, actor: Any, Penalty: Any) -> None:
    e = d.enterprise
    if d.list == "anomaly":
        if d.action == "add":
            actions.list_anomaly(
                e,
                actor=actor,
                ground=d.ground,
                on=d.decided_on,
                decision_no=d.decision_no,
                list_decision=d,
                facts=f"{d.decided_by}决定（{d.source}）",
            )
            return
        open_ = AnomalyListing.objects.filter(enterprise=e, status=AnomalyStatus.LISTED)
        target = open_.filter(decision_no=d.basis_decision_no).first() if d.basis_decision_no else None
        target = target or open_.first()
        if target is None:
            raise DomainError(gettext("该企业没有可移出的经营异常名录记录"), code="nothing_to_remove")
        if d.action == "remove":
            reason = d.ground if d.ground in RemovalReason.values else RemovalReason.OTHER
            actions.remove_anomaly(
                target, actor=actor, reason=reason, on=d.decided_on, decision_no=d.decision_no
            )
        else:
            actions.revoke_anomaly(
                target, actor=actor, reason=d.ground, on=d.decided_on, decision_no=d.decision_no
            )
        return
    penalty = (
        Penalty.objects.filter(enterprise=e, decision_no=d.basis_decision_no).first()
        if d.basis_decision_no
        else None
    )
    if d.action == "add":
        actions.import_serious_decision(
            e,
            actor=actor,
            ground=d.ground,
            decision_no=d.decision_no,
            decided_on=d.decided_on,
            decided_by=d.decided_by,
            penalty=penalty,
            list_decision=d,
            on=on,
        )
        return
    serious = SeriousListing.objects.filter(enterprise=e, status__in=OPEN_SERIOUS).order_by("-id").first()
    if serious is None:
        raise DomainError(gettext("该企业没有可移出的严重违法失信名单记录"), code="nothing_to_remove")
    if d.action == "revoke":
        actions.revoke_serious(serious, actor=actor, on=on, reason=d.ground, decision_no=d.decision_no)
    elif serious.status == SeriousStatus.PUBLISHED:
        if d.ground == RemovalReason.CREDIT_REPAIR:
            actions.remove_serious_early(serious, actor=actor, on=on, reference=d.decision_no)
        else:
            actions.expire_serious(serious, actor=actor, on=on)
    else:
        actions.drop_serious(serious, actor=actor, on=on, reason=f"{d.decided_by}{d.decision_no}")


def handle(events: list[Event]) -> int:
    """React to a batch of events; returns the number of list changes made."""
    changes = 0
    by_uscc: dict[str, tuple[set[str], dt.date]] = {}
    for ev in events:
        if not ev.uscc:
            continue
        types, _ = by_uscc.get(ev.uscc, (set(), _day(ev)))
        types.add(ev.type)
        by_uscc[ev.uscc] = (types, _day(ev))
    wanted = {
        EventType.PENALTY_RECORDED,
        EventType.PENALTY_CHANGED,
        EventType.PENALTY_WITHDRAWN,
        EventType.ANNUAL_REPORT_FILED,
        EventType.INSPECTION_RECORDED,
        EventType.LIST_DECISION_RECORDED,
        EventType.ENTERPRISE_REGISTERED,
        EventType.INSPECTION_ANOMALY_PROPOSED,
        EventType.ENTERPRISE_CHANGED,
    }
    relevant = {u: v for u, v in by_uscc.items() if v[0] & wanted}
    for e in Enterprise.objects.filter(uscc__in=list(relevant)):
        types, on = relevant[e.uscc]
        try:
            with transaction.atomic():
                changes += _react_for(e, types, on)
        except DomainError as exc:  # a rule said no: logged, the log moves on
            log.warning("lists reaction for %s: %s", e.uscc, exc.message)
    return changes


def _react_for(e: Enterprise, types: set[str], on: dt.date) -> int:
    n = 0
    if types & {EventType.ANNUAL_REPORT_FILED, EventType.ENTERPRISE_REGISTERED}:
        n += remove_for_filed_reports([e.id], on)
    if EventType.ENTERPRISE_CHANGED in types:
        n += remove_for_changed_address([e.id], on)
    if types & {
        EventType.PENALTY_RECORDED,
        EventType.PENALTY_CHANGED,
        EventType.PENALTY_WITHDRAWN,
        EventType.ENTERPRISE_REGISTERED,
    }:
        n += revoke_for_revoked_penalties(on, enterprise=e)
        n += propose_for_penalties(e, on)
    if types & {
        EventType.INSPECTION_RECORDED,
        EventType.INSPECTION_ANOMALY_PROPOSED,
        EventType.ENTERPRISE_REGISTERED,
    }:
        n += draft_for_inspections(e, on)
    if types & {EventType.LIST_DECISION_RECORDED, EventType.ENTERPRISE_REGISTERED}:
        n += apply_list_decisions(on, enterprise=e)
    return n


def react() -> int:
    """Drain the event log for the lists; returns the number of list changes made."""
    changes = 0

    def counting(events: list[Event]) -> None:
        nonlocal changes
        changes += handle(events)

    while consume(CONSUMER, counting):
        pass
    return changes
