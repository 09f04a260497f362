"""Push delivery (domain.md §11): fan events out to subscriptions, POST each as signed
JSON, retry with exponential backoff until the receiver acknowledges (2xx), dead-letter
after the last attempt.

Ordering: per (subscription, enterprise) a delivery is only claimed when every earlier
one is acknowledged, so a receiver sees an enterprise's changes in event order. A dead
letter therefore holds the enterprise's later messages back until staff replay it —
nothing is skipped (ADR 0064).

Concurrency: workers claim a batch of queue heads with SELECT … FOR UPDATE SKIP LOCKED on
PostgreSQL and keep the row locks while the POSTs run, so several workers deliver side by
side without ever sending one message twice at once; on SQLite one worker runs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
from collections import Counter
from typing import Any

import requests
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from xinjian.core.events import consume
from xinjian.core.models import Event

from . import audiences
from .models import SHAREABLE_EVENT_TYPES, Delivery, DeliveryStatus, Subscription

log = logging.getLogger(__name__)
FANOUT_CONSUMER = "sharing.push"
SIGNATURE_HEADER = "X-Xinjian-Signature"


def sign(secret: str, body: bytes) -> str:
    """HMAC-SHA256 of the exact request body, hex: header `sha256=<hex>`."""
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(secret: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(sign(secret, body), header or "")


def event_message(event: Event) -> dict[str, Any]:
    """The same shape as GET /api/v1/changes (interfaces.md)."""
    return {
        "cursor": str(event.id),
        "type": event.type,
        "uscc": event.uscc,
        "occurred_at": event.occurred_at.isoformat(),
        "data": event.data,
    }


def _deliveries_for(events: list[Event]) -> list[Delivery]:
    subs = list(Subscription.objects.filter(active=True))
    # An audience's members are read once per batch of events (sharing.audiences).
    scoped = {s.audience: audiences.members(s.audience) for s in subs if s.audience}
    now = timezone.now()
    return [
        Delivery(subscription=s, event=e, uscc=e.uscc, next_attempt_at=now)
        for e in events
        if e.type in SHAREABLE_EVENT_TYPES
        for s in subs
        if s.wants(e.type, e.region_code) and (not s.audience or e.uscc in scoped[s.audience])
    ]


def fanout() -> int:
    """Read the event log from the push cursor and queue deliveries; returns how many."""
    queued = 0

    def handle(events: list[Event]) -> None:
        nonlocal queued
        rows = _deliveries_for(events)
        Delivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        queued += len(rows)

    while consume(FANOUT_CONSUMER, handle):
        pass
    return queued


def _claim(now: dt.datetime, batch: int) -> list[Delivery]:
    """Up to `batch` due deliveries, each the head of its (subscription, enterprise) queue,
    so no two of them belong to the same queue and their order cannot cross."""
    earlier_open = Delivery.objects.filter(
        subscription_id=OuterRef("subscription_id"),
        uscc=OuterRef("uscc"),
        id__lt=OuterRef("id"),
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.DEAD],
    )
    qs = (
        Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
        .exclude(Exists(earlier_open))
        .order_by("id")
    )
    if connection.vendor == "postgresql":
        qs = qs.select_for_update(skip_locked=True, of=("self",))
    return list(qs.select_related("subscription", "event")[:batch])


def _post(delivery: Delivery, timeout: float) -> tuple[bool, str]:
    sub = delivery.subscription
    body = json.dumps(
        {"delivery_id": delivery.id, "subscription": sub.name, "event": event_message(delivery.event)},
        ensure_ascii=False,
        sort_keys=True,
        separators=(",", ":"),
    ).encode()
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        SIGNATURE_HEADER: sign(sub.secret, body),
        # Pushes are at-least-once (a slow receiver gets a retry): the delivery id is the
        # same on every retry and replay, so receivers deduplicate on it (config/api.py).
        "X-Xinjian-Delivery": str(delivery.id),
        "X-Xinjian-Event-Id": str(delivery.event_id),
        "X-Xinjian-Event": delivery.event.type,
        "User-Agent": "xinjian-push/1",
    }
    try:
        r = requests.post(sub.endpoint, data=body, headers=headers, timeout=timeout, allow_redirects=False)
    except requests.RequestException as e:
        return False, f"{type(e).__name__}: {e}"[:500]
    if 200 <= r.status_code < 300:
        return True, ""
    return False, f"HTTP {r.status_code}: {r.text[:200]}"


def deliver_due(
    *, now: dt.datetime | None = None, limit: int = 500, timeout: float = 10.0, batch: int = 20
) -> Counter[str]:
    """Attempt every delivery due at `now` (in order per enterprise); returns counts.
    Claims `batch` queue heads per transaction: the claim query and the commit are paid
    once per batch, and the row locks keep other workers off them meanwhile."""
    counts: Counter[str] = Counter()
    now = now or timezone.now()
    attempted = 0
    while attempted < limit:
        with transaction.atomic():
            claimed = _claim(now, min(batch, limit - attempted))
            if not claimed:
                break
            for d in claimed:
                _attempt(d, now, timeout, counts)
            Delivery.objects.bulk_update(
                claimed,
                [
                    "attempts",
                    "last_attempt_at",
                    "status",
                    "delivered_at",
                    "dead_at",
                    "last_error",
                    "next_attempt_at",
                ],
            )
        attempted += len(claimed)
    return counts


def _attempt(d: Delivery, now: dt.datetime, timeout: float, counts: Counter[str]) -> None:
    ok, error = _post(d, timeout)
    d.attempts += 1
    d.last_attempt_at = now
    if ok:
        d.status, d.delivered_at, d.last_error = DeliveryStatus.DELIVERED, now, ""
        counts["delivered"] += 1
    elif d.attempts >= d.subscription.max_attempts:
        d.status, d.dead_at, d.last_error = DeliveryStatus.DEAD, now, error
        counts["dead"] += 1
        log.warning("delivery %s dead after %s attempts: %s", d.pk, d.attempts, error)
    else:
        d.last_error = error
        d.next_attempt_at = now + dt.timedelta(seconds=d.subscription.backoff(d.attempts))
        counts["retry"] += 1
