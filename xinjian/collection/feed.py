"""The record feed (interfaces.md v1.1, `GET /api/v1/records`): every stored record change
in commit order, in the ingest format, so that another instance ingests it as it is.

The feed is a reading of the event log (core.events): every stored change of a record
writes one event in the transaction that makes it, and event ids become visible in commit
order (the event-log lock), so a cursor that has passed id N never misses a change
committed later with a smaller id. An entry carries the record as it stands when read (a
later change of the same record appears again at its own cursor), which is what a puller
needs: ingesting it is idempotent (an unchanged record counts `unchanged`)."""

from __future__ import annotations

import datetime as dt
import decimal
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q

from xinjian.core.events import EventType, emit_many
from xinjian.core.jurisdiction import territory_prefix
from xinjian.core.models import Event
from xinjian.core.workdays import local_day

from .actions import LICENCE_STATUS_EVENTS
from .ingest.kinds import KINDS, Kind

MAX_LIMIT = 1000


def _event_kinds() -> dict[str, str]:
    """Event type → ingest kind, for every event that reports a stored record change."""
    out: dict[str, str] = {}
    for kind in KINDS.values():
        for t in (kind.created_event, kind.changed_event):
            out[str(t)] = kind.name
    for t in LICENCE_STATUS_EVENTS.values():
        out[str(t)] = "licences"
    out[str(EventType.PENALTY_PUBLISHED)] = "penalties"
    out[str(EventType.PENALTY_WITHDRAWN)] = "penalties"
    out[str(EventType.INSPECTION_PUBLISHED)] = "inspections"
    return out


EVENT_KINDS = _event_kinds()
# Records stored without an event (the demo generator's, a register loaded before the event
# log) enter the feed once through `federation_backfill`; the kind rides in the data.
BACKFILLED = str(EventType.RECORD_BACKFILLED)
# An archived record (`collection.archive_record`) travels too: its event names the model,
# the entry carries the record with `archived` (when, why), and a puller archives its copy.
ARCHIVED = str(EventType.RECORD_ARCHIVED)
MODEL_KINDS = {kind.model._meta.model_name: kind.name for kind in KINDS.values()}  # type: ignore[attr-defined]
# A receipt about a penalty kept here (a peer reported how far it travelled): served only
# to the client that supplied the penalty, whatever its region (ADR 0098).
RECEIPT = str(EventType.PENALTY_RECEIPT_RECORDED)
FEED_TYPES = [*EVENT_KINDS, BACKFILLED, ARCHIVED, RECEIPT]
# Where each event's data names its record (ingest events: "id"; disclosure: "<kind>_id").
_ID_KEYS = ("id", "penalty_id", "inspection_id", "licence_id")


def _amount(value: decimal.Decimal) -> float | str:
    f = float(value)
    return f if decimal.Decimal(repr(f)) == value else str(value)


def as_ingest(kind: Kind, obj: Any) -> dict[str, Any]:
    """A stored record in the ingest format of its kind (optional empty fields omitted)."""
    out: dict[str, Any] = {}
    for name in kind.fields:
        value = getattr(obj, name)
        if value is None or value == "" or value == []:
            continue
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, decimal.Decimal):
            value = _amount(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[name] = value
    return out


def _record_of(kind: Kind, obj: Any) -> tuple[str, str]:
    """(source, region) of a stored record: who supplied it and its enterprise's division
    ("" while pending)."""
    if kind.name == "enterprises":
        return obj.source, obj.region_code
    enterprise = obj.enterprise
    return obj.source, enterprise.region_code if enterprise is not None else ""


def acknowledge(client: str, cursor: int) -> None:
    """A whole-territory reader asked for the records after `cursor`: it holds every one
    up to it. Kept once per advance (the forwarding clock reads when a record was passed)."""
    from .models import FeedAck

    last = FeedAck.objects.filter(client=client).order_by("-cursor").values_list("cursor", flat=True).first()
    if last is None or cursor > last:
        FeedAck.objects.create(client=client, cursor=cursor)


def head() -> int:
    """The newest cursor of this instance (the lag of a puller is measured against it)."""
    return int(Event.objects.aggregate(m=Max("id"))["m"] or 0)


@dataclass
class Page:
    entries: list[dict[str, Any]]
    next: int
    head: int
    receipts: list[dict[str, Any]] = field(default_factory=list)


def read(
    after: int, limit: int, *, region_prefix: str | None = None, exclude_source: str = ""
) -> tuple[list[dict[str, Any]], int, int]:
    """`read_page` without the receipts: (entries, next, head)."""
    page = read_page(after, limit, region_prefix=region_prefix, client=exclude_source)
    return page.entries, page.next, page.head


def _receipts(penalties: list[Any]) -> list[dict[str, Any]]:
    """What this instance can tell the supplier of each penalty about it: the day it
    arrived here, and — kept here when this province registers the party, else as a peer
    reported it — the day it reached the registration province and the day that one
    published it."""
    from .models import CrossingReceipt

    reported: dict[int, list[tuple[Any, Any]]] = defaultdict(list)
    relayed = [p.pk for p in penalties if not (p.enterprise_id is not None and territory_prefix())]
    if relayed:
        for pid, d, pub in CrossingReceipt.objects.filter(penalty_id__in=relayed).values_list(
            "penalty_id", "delivered_on", "published_on"
        ):
            reported[pid].append((d, pub))
    out = []
    for p in penalties:
        received = local_day(p.created_at)
        delivered: dt.date | None
        if p.enterprise_id is not None and territory_prefix():
            delivered, published = received, p.published_on
        else:
            got = reported.get(p.pk, [])
            delivered = min((d for d, _ in got if d), default=None)
            published = min((x for _, x in got if x), default=None)
        r = {
            "kind": "penalties",
            "source_id": p.source_id,
            "uscc": p.uscc,
            "received_on": received.isoformat(),
            "delivered_on": delivered.isoformat() if delivered else None,
            "published_on": published.isoformat() if published else None,
        }
        out.append(r)
    return out


def read_page(after: int, limit: int, *, region_prefix: str | None = None, client: str = "") -> Page:
    """The next page of the feed: entries `{"cursor", "kind", "source", "record"}`, the
    cursor to continue from and the instance's head. `region_prefix` limits it to records
    about enterprises of a division (pending records have none and are left out). The
    records whose source is the reading `client` itself are left out, so a record never
    travels back to where it came from; of those, a penalty becomes a receipt instead
    (`receipts`: how far it has travelled, for the Order 45 clocks of the deciding side),
    whatever its region.

    A short page means the reader has seen every change up to the head read BEFORE the
    page (ids are visible in commit order), so `next` moves to that head: a regional
    reader whose region saw no change lately is still caught up."""
    newest = head()
    qs = Event.objects.filter(id__gt=after, type__in=FEED_TYPES).order_by("id")
    if region_prefix:
        qs = qs.filter(Q(region_code__startswith=region_prefix) | Q(type=RECEIPT))
    events = list(qs.values_list("id", "type", "uscc", "data")[:limit])
    short = len(events) < limit
    if not events:
        return Page([], max(after, newest) if short else after, newest)
    wanted: dict[str, set[int]] = defaultdict(set)
    by_key: dict[str, set[tuple[str, str]]] = defaultdict(set)
    refs: list[tuple[int, str, Any, bool]] = []
    for event_id, type_, uscc, data in events:
        only_receipt = type_ == RECEIPT
        kind = (
            "penalties"
            if only_receipt
            else EVENT_KINDS.get(type_) or (data.get("kind") if isinstance(data, dict) else None)
        )
        if type_ == ARCHIVED and isinstance(data, dict):
            kind = MODEL_KINDS.get(str(data.get("record")))
        if kind not in KINDS:
            continue
        ref: Any = next((data[k] for k in _ID_KEYS if isinstance(data, dict) and data.get(k)), None)
        if ref is not None:
            wanted[kind].add(int(ref))
        elif kind == "enterprises":
            ref = ("uscc", uscc)
        elif isinstance(data, dict) and data.get("source_id"):
            ref = (str(data.get("source")), str(data["source_id"]))
            by_key[kind].add(ref)
        else:
            continue
        refs.append((event_id, kind, ref, only_receipt))
    loaded = _load(wanted, by_key, {r[2][1] for r in refs if isinstance(r[2], tuple) and r[2][0] == "uscc"})
    # One entry per record in a page, at the cursor of its last change in the page. Of a
    # record the client supplied itself, only what makes a receipt counts: a change of a
    # penalty this province registers the party of, or a receipt kept here (the hub
    # relays those; its own arrival the supplier knows from its acknowledgements).
    province = bool(territory_prefix())
    last: dict[tuple[str, int], int] = {}
    rows: list[tuple[int, str, Any]] = []
    for event_id, kind, ref, only_receipt in refs:
        obj = loaded.get((kind, ref))
        if obj is None:
            continue
        if client and obj.source == client:
            if kind != "penalties" or not (only_receipt or (province and obj.enterprise_id is not None)):
                continue
        elif only_receipt:
            continue
        last[(kind, obj.pk)] = event_id
        rows.append((event_id, kind, obj))
    entries: list[dict[str, Any]] = []
    crossing: list[tuple[int, Any]] = []
    for event_id, kind, obj in rows:
        if last[(kind, obj.pk)] != event_id:
            continue
        k = KINDS[kind]
        source, region = _record_of(k, obj)
        if client and source == client:
            crossing.append((event_id, obj))
            continue
        if region_prefix and not region.startswith(region_prefix):
            continue  # the enterprise moved out of the client's region since
        entry = {"cursor": str(event_id), "kind": kind, "source": source, "record": as_ingest(k, obj)}
        if getattr(obj, "archived_at", None) is not None:
            entry["archived"] = {"at": obj.archived_at.isoformat(), "reason": obj.archive_reason}
        entries.append(entry)
    receipts = [
        {"cursor": str(i), "source": client, **r}
        for i, r in zip([c[0] for c in crossing], _receipts([c[1] for c in crossing]), strict=True)
    ]
    nxt = events[-1][0]
    return Page(entries, max(nxt, newest) if short else nxt, max(newest, nxt), receipts)


def _load(
    wanted: dict[str, set[int]], by_key: dict[str, set[tuple[str, str]]], usccs: Iterable[str]
) -> dict[tuple[str, Any], Any]:
    out: dict[tuple[str, Any], Any] = {}
    for name, ids in wanted.items():
        model = KINDS[name].model
        qs = model.objects.filter(pk__in=ids)  # type: ignore[attr-defined]
        if name != "enterprises":
            qs = qs.select_related("enterprise")
        for obj in qs:
            out[(name, obj.pk)] = obj
    for name, keys in by_key.items():
        model = KINDS[name].model
        ids_by_source: dict[str, set[str]] = defaultdict(set)
        for source, source_id in keys:
            ids_by_source[source].add(source_id)
        for source, source_ids in ids_by_source.items():
            for obj in model.objects.filter(source=source, source_id__in=source_ids).select_related(  # type: ignore[attr-defined]
                "enterprise"
            ):
                out[(name, (obj.source, obj.source_id))] = obj
    usccs = set(usccs)
    if usccs:
        for obj in KINDS["enterprises"].model.objects.filter(uscc__in=usccs):  # type: ignore[attr-defined]
            out[("enterprises", ("uscc", obj.uscc))] = obj
    return out


def backfill(*, chunk: int = 5000, progress: Any = None) -> dict[str, int]:
    """One `record.backfilled` event per stored record of every kind (enterprises first,
    each kind in id order), written in chunks, each with the event-log lock like any
    writer: afterwards a peer reading the feed from 0 receives the whole register."""
    from django.db import transaction

    counts: dict[str, int] = {}
    for name, kind in KINDS.items():
        model = kind.model
        qs = model.objects.order_by("pk")  # type: ignore[attr-defined]
        if name != "enterprises":
            qs = qs.select_related("enterprise")
        last = 0
        counts[name] = 0
        while True:
            rows = list(qs.filter(pk__gt=last)[:chunk])
            if not rows:
                break
            with transaction.atomic():
                emit_many(
                    (BACKFILLED, obj.uscc, _record_of(kind, obj)[1], {"kind": name, "id": obj.pk})
                    for obj in rows
                )
            last = rows[-1].pk
            counts[name] += len(rows)
            if progress is not None:
                progress(len(rows))
    return counts
