"""State changes of sharing (architecture rule 1): subscriptions, replays, feedback."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.api_auth import check_record_region
from xinjian.core.errors import DomainError, InvalidTransition, NotAllowed, field_error
from xinjian.core.events import EventType, emit
from xinjian.core.jurisdiction import user_region_prefix
from xinjian.core.models import Event
from xinjian.core.workdays import local_day
from xinjian.registry.models import Enterprise

from . import reports
from .models import (
    SHAREABLE_EVENT_TYPES,
    ApiClient,
    CreditReport,
    Delivery,
    DeliveryStatus,
    Feedback,
    Subscription,
    manages_whole_province,
)

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def check_endpoint(url: str) -> None:
    """Pushes carry list decisions: HTTPS only. Plain HTTP is accepted for a loopback
    receiver (development and tests), never for another host."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return
    if parts.scheme == "http" and parts.hostname in LOOPBACK:
        return
    raise DomainError(
        gettext("接收地址必须为HTTPS"),
        code="invalid_endpoint",
        details=[field_error("endpoint", "https_required", gettext("接收地址必须为HTTPS地址"))],
    )


@transaction.atomic
def create_subscription(
    *,
    actor: Any,
    name: str,
    department: str,
    endpoint: str,
    event_types: list[str],
    region_code: str = "",
    client: ApiClient | None = None,
    secret: str = "",
    audience: str = "",
) -> tuple[Subscription, str]:
    """Returns the subscription and its shared secret (shown once)."""
    check_endpoint(endpoint)
    unknown = [t for t in event_types if t not in SHAREABLE_EVENT_TYPES]
    if not event_types or unknown:
        raise DomainError(
            gettext("事件类型无效"),
            code="invalid_event_types",
            details=[field_error("event_types", "invalid", ",".join(unknown) or gettext("至少选择一种"))],
        )
    if region_code and not (len(region_code) == 6 and region_code.isdigit()):
        raise DomainError(
            gettext("区划代码无效"),
            code="invalid_region",
            details=[field_error("region_code", "invalid", region_code)],
        )
    check_manages(actor, region_code)
    who = as_actor(actor)
    secret = secret or secrets.token_urlsafe(32)
    sub = Subscription.objects.create(
        name=name,
        department=department,
        endpoint=endpoint,
        event_types=event_types,
        region_code=region_code,
        client=client,
        secret=secret,
        audience=audience,
        created_by=who.label,
    )
    audit.record(
        "sharing.subscription.create",
        sub,
        actor=who,
        after={
            "name": name,
            "endpoint": endpoint,
            "event_types": event_types,
            "region_code": region_code,
            "audience": audience,
        },
    )
    emit(
        EventType.SUBSCRIPTION_CREATED,
        region_code=region_code,
        data={"id": sub.pk, "name": name, "department": department, "event_types": event_types},
    )
    return sub, secret


def check_manages(actor: Any, region_code: str) -> None:
    """A staff member manages subscriptions for its own jurisdiction only; province-wide
    ones (no region) only at province level (issue 13). Commands and the system act for
    the whole instance."""
    if not getattr(actor, "is_authenticated", False):
        return
    prefix = user_region_prefix(actor)
    if prefix is None:
        allowed = False
    elif not region_code:
        allowed = manages_whole_province(actor)
    else:
        allowed = region_code.startswith(prefix)
    if not allowed:
        message = gettext("只能管理本辖区的订阅；全省订阅由省级信用监管人员管理")
        raise NotAllowed(
            message,
            code="outside_jurisdiction",
            details=[field_error("region_code", "outside_jurisdiction", message)],
        )


@transaction.atomic
def set_subscription_active(sub: Subscription, active: bool, *, actor: Any) -> None:
    check_manages(actor, sub.region_code)
    before = {"active": sub.active}
    sub.active = active
    sub.save(update_fields=["active"])
    audit.record("sharing.subscription.active", sub, actor=actor, before=before, after={"active": active})
    emit(
        EventType.SUBSCRIPTION_CHANGED,
        region_code=sub.region_code,
        data={"id": sub.pk, "active": active, "was_active": before["active"]},
    )


@transaction.atomic
def replay(delivery: Delivery, *, actor: Any) -> Delivery:
    """A dead letter goes back to the queue; the next worker run attempts it again (and,
    once acknowledged, the enterprise's later messages follow in order)."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    check_manages(actor, delivery.subscription.region_code)
    if delivery.status != DeliveryStatus.DEAD:
        raise InvalidTransition(gettext("只有死信可以重放"))
    before = audit.snapshot(delivery, ["status", "attempts"])
    delivery.status, delivery.attempts, delivery.next_attempt_at = DeliveryStatus.PENDING, 0, timezone.now()
    delivery.replays += 1
    delivery.save(update_fields=["status", "attempts", "next_attempt_at", "replays"])
    audit.record(
        "sharing.delivery.replay",
        delivery,
        actor=actor,
        before=before,
        after=audit.snapshot(delivery, ["status", "attempts"]),
        uscc=delivery.uscc,
    )
    emit(
        EventType.DELIVERY_REPLAYED,
        uscc=delivery.uscc,
        region_code=delivery.subscription.region_code,
        data={"delivery": delivery.pk, "subscription": delivery.subscription_id, "replays": delivery.replays},
    )
    return delivery


@transaction.atomic
def record_feedback(
    *,
    client: ApiClient,
    uscc: str,
    measure: str,
    action_taken: str,
    applied_on: dt.date,
    cursor: str | None = None,
    department: str = "",
) -> Feedback:

    enterprise = Enterprise.objects.filter(uscc=uscc).first()
    # Region first: a regional client learns nothing about the register outside its region.
    check_record_region(client, uscc, enterprise)
    if enterprise is None:
        raise DomainError(
            gettext("未知的统一社会信用代码"),
            code="unknown_enterprise",
            details=[field_error("uscc", "unknown_enterprise", uscc)],
        )
    event = None
    if cursor:
        ok = cursor.isascii() and cursor.isdigit() and len(cursor) <= 18
        event = Event.objects.filter(pk=int(cursor), uscc=uscc).first() if ok else None
        if event is None:
            raise DomainError(
                gettext("事件不存在或不属于该企业"),
                code="unknown_event",
                details=[field_error("cursor", "unknown_event", cursor)],
            )
    sub = client.subscriptions.first()
    fb = Feedback.objects.create(
        client=client,
        uscc=uscc,
        event=event,
        measure=measure,
        action_taken=action_taken,
        applied_on=applied_on,
        department=department or (sub.department if sub else client.name),
    )
    audit.record(
        "sharing.feedback",
        fb,
        actor=client,
        uscc=uscc,
        after={"measure": measure, "action_taken": action_taken, "applied_on": applied_on.isoformat()},
    )
    emit(
        EventType.FEEDBACK_RECEIVED,
        uscc=uscc,
        region_code=enterprise.region_code,
        data={
            "measure": measure,
            "department": fb.department,
            "applied_on": applied_on.isoformat(),
            "event_cursor": cursor or "",
        },
    )
    return fb


@transaction.atomic
def issue_credit_report(enterprise: Any, *, actor: Any, channel: str = "web") -> tuple[Any, str]:
    """Issue a credit report on `enterprise` as of now (domain.md §13): number it, freeze
    what is public as canonical JSON with its SHA-256, and return the report with its
    verification code (derived, never stored: docs/adr/0066). Audited, and reported as
    `credit_report.issued` (internal: who was reported on, when, through which channel)."""

    issued_at = timezone.now().replace(microsecond=0)
    as_of = local_day(issued_at)
    number = reports.next_number(as_of)
    canonical = reports.canonical_json(
        reports.snapshot(enterprise, number=number, issued_at=issued_at, as_of=as_of)
    )
    report = CreditReport.objects.create(
        number=number,
        enterprise=enterprise,
        uscc=enterprise.uscc,
        name=enterprise.name,
        issued_at=issued_at,
        as_of=as_of,
        canonical=canonical,
        sha256=reports.digest(canonical),
        channel=channel,
    )
    audit.record(
        "sharing.credit_report_issued",
        report,
        actor=actor,
        uscc=enterprise.uscc,
        after={"number": number, "as_of": as_of.isoformat(), "sha256": report.sha256, "channel": channel},
    )
    emit(
        EventType.CREDIT_REPORT_ISSUED,
        uscc=enterprise.uscc,
        region_code=enterprise.region_code,
        data={"number": number, "as_of": as_of.isoformat(), "channel": channel},
    )
    return report, reports.verification_code(number, report.sha256)
