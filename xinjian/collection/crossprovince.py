"""Penalties that cross a province border (Order 45; domain.md §5): when the party is
registered in another province, the deciding department forwards the penalty within 10
working days of the decision and the registration province publishes it within another
10 working days. In the federation the hub carries it: the deciding province's feed is
pulled by the hub (forwarding), the registration province pulls it from the hub with a
token limited to its region and publishes it.

Both clocks, as each side can know them:
- deciding side: the forwarding clock ends on the day a whole-territory reader (the hub)
  first asked for records past the penalty's cursor (`FeedAck`), or the day the hub
  reports it arrived there; the publication clock runs from the day the registration
  province received it and ends with its publication, both as reported back through the
  hub (`CrossingReceipt`, ADR 0098) — until then it is estimated from the forwarding day
  and marked as kept by the registration province;
- registration side: the penalty arrived (was forwarded) on the day it was first stored
  here; the publication clock runs from that day and ends with `published_on`."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import F

from xinjian.core.events import EventType
from xinjian.core.jurisdiction import territory_prefix
from xinjian.core.models import Event
from xinjian.core.workdays import Deadline, add_working_days, local_day, today

from .models import CrossingReceipt, FeedAck, Peer, Penalty

FORWARD_DAYS = 10  # Order 45: forwarded to the registration province within 10 working days
PUBLISH_DAYS = 10  # ... which publishes it within another 10


@dataclass
class Clock:
    deadline: Deadline
    done_on: dt.date | None
    known: bool = True  # False: the other province keeps this clock

    @property
    def state(self) -> str:
        if not self.known:
            return "elsewhere"
        if self.done_on is not None:
            return "late" if self.done_on > self.deadline.due else "on_time"
        return "overdue" if today() > self.deadline.due else "running"


@dataclass
class Crossing:
    penalty: Penalty
    forward: Clock
    publish: Clock | None  # None: not forwarded yet, so the publication clock has not started


def _forwarded_on(penalty: Penalty) -> dt.date | None:
    first = (
        Event.objects.filter(type=EventType.PENALTY_RECORDED, uscc=penalty.uscc, data__id=penalty.pk)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    if first is None:
        return None
    ack = (
        FeedAck.objects.filter(cursor__gte=first)
        .order_by("cursor", "at")
        .values_list("at", flat=True)
        .first()
    )
    return local_day(ack) if ack else None


def _registered_elsewhere(uscc: str, prefix: str) -> bool:
    region = uscc[2:8] if len(uscc) == 18 else uscc[:6]
    return bool(prefix) and not region.startswith(prefix)


def outgoing(limit: int = 100) -> list[Crossing]:
    """Deciding side: penalties decided here about parties registered in another province
    (held pending: this register does not hold them)."""
    prefix = territory_prefix()
    if not prefix:
        return []  # the national hub carries penalties, it does not decide them here
    out = []
    qs = Penalty.objects.filter(enterprise__isnull=True, archived_at__isnull=True).order_by(
        "-decided_on", "-id"
    )
    crossings = [p for p in qs[: limit * 5] if _registered_elsewhere(p.uscc, prefix)][:limit]
    reported: dict[int, list[CrossingReceipt]] = {}
    for r in CrossingReceipt.objects.filter(penalty__in=crossings):
        reported.setdefault(r.penalty_id, []).append(r)
    for p in crossings:
        got = reported.get(p.pk, [])
        days = [d for d in (_forwarded_on(p), *(r.received_on for r in got)) if d]
        forwarded = min(days) if days else None
        delivered = min((r.delivered_on for r in got if r.delivered_on), default=None)
        published = min((r.published_on for r in got if r.published_on), default=None)
        forward = Clock(add_working_days(p.decided_on, FORWARD_DAYS), forwarded)
        if delivered:
            publish: Clock | None = Clock(add_working_days(delivered, PUBLISH_DAYS), published)
        elif forwarded:
            publish = Clock(add_working_days(forwarded, PUBLISH_DAYS), None, known=False)
        else:
            publish = None
        out.append(Crossing(p, forward, publish))
    return out


def incoming(limit: int = 100) -> list[Crossing]:
    """Registration side: penalties decided in another province about enterprises of this
    register, received from a peer (the hub)."""
    if not territory_prefix():
        return []
    peers = list(Peer.objects.values_list("name", flat=True))
    qs = (
        Penalty.objects.filter(source__in=peers, enterprise__isnull=False, archived_at__isnull=True)
        .select_related("enterprise")
        .order_by("-created_at", "-id")
    )
    out = []
    for p in qs[:limit]:
        arrived = local_day(p.created_at)
        out.append(
            Crossing(
                p,
                Clock(add_working_days(p.decided_on, FORWARD_DAYS), arrived),
                Clock(add_working_days(arrived, PUBLISH_DAYS), p.published_on),
            )
        )
    return out


def relayed(limit: int = 100) -> list[Crossing]:
    """The hub: penalties one peer supplied about an enterprise another peer registers
    (the hub carries them from the deciding province to the registration province). The
    forwarding clock ends when the registration province received it, the publication clock
    when it published it — both as its receipt reported (`CrossingReceipt`); until then
    they run."""
    if territory_prefix():
        return []
    peers = list(Peer.objects.values_list("name", flat=True))
    crossings = list(
        Penalty.objects.filter(source__in=peers, enterprise__source__in=peers, archived_at__isnull=True)
        .exclude(enterprise__source=F("source"))
        .select_related("enterprise")
        .order_by("-created_at", "-id")[:limit]
    )
    reported: dict[int, list[CrossingReceipt]] = {}
    for r in CrossingReceipt.objects.filter(penalty__in=crossings):
        reported.setdefault(r.penalty_id, []).append(r)
    out = []
    for p in crossings:
        got = reported.get(p.pk, [])
        delivered = min((r.delivered_on for r in got if r.delivered_on), default=None)
        published = min((r.published_on for r in got if r.published_on), default=None)
        forward = Clock(add_working_days(p.decided_on, FORWARD_DAYS), delivered)
        publish = Clock(add_working_days(delivered, PUBLISH_DAYS), published) if delivered else None
        out.append(Crossing(p, forward, publish))
    return out
