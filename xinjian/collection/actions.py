"""State changes of collected records that do not come through ingest (which writes in
bulk through `collection.ingest`): staff corrections and the licence-expiry clock."""

from __future__ import annotations

import datetime as dt
import os
import socket
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.errors import Conflict, DomainError, field_error
from xinjian.core.events import EventType, emit, emit_many
from xinjian.core.models import AuditEntry

from .ingest.engine import Ingestion
from .ingest.kinds import get_kind
from .models import (
    CollectedRecord,
    CommitmentRecord,
    Complaint,
    CrossingReceipt,
    Inspection,
    Licence,
    LicenceStatus,
    ListDecision,
    Penalty,
)
from .tagging import apply_licence_changes

LICENCE_STATUS_EVENTS = {
    LicenceStatus.VALID: EventType.LICENCE_GRANTED,
    LicenceStatus.CANCELLED: EventType.LICENCE_CANCELLED,
    LicenceStatus.REVOKED: EventType.LICENCE_REVOKED,
    LicenceStatus.EXPIRED: EventType.LICENCE_EXPIRED,
}


def licence_event_data(lic: Licence) -> dict[str, Any]:
    return {
        "licence_no": lic.licence_no,
        "licence_type": lic.licence_type,
        "status": lic.status,
        "valid_until": lic.valid_until.isoformat() if lic.valid_until else None,
        "source": lic.source,
        "source_id": lic.source_id,
    }


@transaction.atomic
def change_licence_status(
    licence: Licence, status: str, *, actor: Any, reason: str, on: dt.date | None = None
) -> Licence:
    """A licence is cancelled, revoked (or restored) — tags follow the same day."""
    if status not in LicenceStatus.values:
        raise DomainError(
            gettext("许可状态无效"),
            code="invalid_choice",
            details=[{"field": "status", "code": "invalid_choice", "message": gettext("许可状态无效")}],
        )
    if licence.status == status:
        return licence
    who = as_actor(actor)
    before = audit.snapshot(licence, ["status"])
    licence.status = status
    licence.touch(who.label)
    licence.save(update_fields=["status", "modified_at", "modified_by", "created_by"])
    audit.record(
        "licence.status_changed",
        licence,
        actor=who,
        before=before,
        after={"status": status},
        reason=reason,
        uscc=licence.uscc,
    )
    region = licence.enterprise.region_code if licence.enterprise else ""
    emit(
        LICENCE_STATUS_EVENTS[LicenceStatus(status)],
        uscc=licence.uscc,
        region_code=region,
        data=licence_event_data(licence),
    )
    apply_licence_changes([licence], actor=who, on=on)
    return licence


# Collected records a department may archive (architecture rule 7: archived, never deleted),
# by model name as the staff page addresses them.
ARCHIVABLE: dict[str, type[CollectedRecord]] = {
    model._meta.model_name: model  # type: ignore[misc]
    for model in (Licence, Penalty, Inspection, Complaint, ListDecision, CommitmentRecord)
}


@transaction.atomic
def archive_record(record: CollectedRecord, *, actor: Any, reason: str) -> CollectedRecord:
    """A record received in error (wrong enterprise, duplicate, sent by mistake) is archived
    with a reason instead of deleted: every read that counts, shows or publishes records
    leaves archived ones out, the row and its history stay (architecture rule 7)."""
    reason = (reason or "").strip()
    if not reason:
        message = gettext("请填写归档原因")
        raise DomainError(
            message, code="reason_required", details=[field_error("reason", "required", message)]
        )
    model = type(record)
    record = model.objects.select_for_update().get(pk=record.pk)
    if record.archived_at is not None:
        raise Conflict(gettext("该记录已归档"), code="already_archived")
    who = as_actor(actor)
    record.archived_at, record.archived_by, record.archive_reason = timezone.now(), who.label, reason
    record.touch(who.label)
    record.save(
        update_fields=[
            "archived_at",
            "archived_by",
            "archive_reason",
            "modified_at",
            "modified_by",
            "created_by",
        ]
    )
    audit.record(
        "record.archived",
        record,
        actor=who,
        before={"archived": False},
        after={"archived": True},
        reason=reason,
        uscc=record.uscc,
    )
    emit(
        EventType.RECORD_ARCHIVED,
        uscc=record.uscc,
        region_code=record.enterprise.region_code if record.enterprise else "",
        data={"record": model._meta.model_name, "source": record.source, "source_id": record.source_id},
    )
    return record


_RECEIPT_DATES = ("received_on", "delivered_on", "published_on")


def _receipt_dates(r: dict[str, Any], i: int) -> dict[str, dt.date | None]:
    out: dict[str, dt.date | None] = {}
    for name in _RECEIPT_DATES:
        value = r.get(name)
        try:
            out[name] = dt.date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            message = gettext("日期格式应为 YYYY-MM-DD")
            raise DomainError(
                gettext("回执日期无效"),
                code="invalid_receipt",
                details=[field_error(f"receipts[{i}].{name}", "invalid_date", message)],
            ) from None
    if out["received_on"] is None:
        message = gettext("缺少对端收到日期")
        raise DomainError(
            message,
            code="invalid_receipt",
            details=[field_error(f"receipts[{i}].received_on", "required", message)],
        )
    return out


@transaction.atomic
def record_receipts(peer: str, receipts: list[dict[str, Any]], *, actor: Any) -> int:
    """Keep what a peer reported back about the penalties this instance supplied to it
    (the `receipts` of its record feed, ADR 0098): the receipt names the penalty by the key
    the peer stored it under — (this instance's source, its source_id) composed as the
    peer's puller composes it. A date once known is kept (a later withdrawal does not undo
    a publication that happened). Returns the number of receipts that changed something;
    each change is audited and reported (`penalty.receipt_recorded`), so that the hub
    passes the registration province's receipt on to the deciding province."""
    from .federation import local_source_id

    wanted = [(i, r) for i, r in enumerate(receipts) if r.get("kind") == "penalties" and r.get("uscc")]
    if not wanted:
        return 0
    parsed = {i: _receipt_dates(r, i) for i, r in wanted}
    by_key: dict[tuple[str, str], Penalty] = {}
    for p in Penalty.objects.filter(uscc__in={str(r["uscc"]) for _, r in wanted}).select_related(
        "enterprise"
    ):
        by_key[(p.uscc, local_source_id(p.source, p.source_id))] = p
    kept = {
        k.penalty_id: k
        for k in CrossingReceipt.objects.select_for_update().filter(
            peer=peer, penalty_id__in=[p.pk for p in by_key.values()]
        )
    }
    who = as_actor(actor)
    changed = 0
    for i, r in wanted:
        found = by_key.get((str(r["uscc"]), str(r.get("source_id", ""))))
        if found is None:
            continue  # not (or no longer) held here: nothing to keep
        p = found
        dates = parsed[i]
        row = kept.get(p.pk)
        before = {n: getattr(row, n) for n in _RECEIPT_DATES} if row else {n: None for n in _RECEIPT_DATES}
        after = {n: dates[n] or before[n] for n in _RECEIPT_DATES}
        if row is not None and after == before:
            continue
        if row is None:
            received = after["received_on"]
            assert received is not None  # required by _receipt_dates
            row = kept[p.pk] = CrossingReceipt(penalty=p, peer=peer, received_on=received)
        for n in _RECEIPT_DATES:
            setattr(row, n, after[n])
        row.save()
        audit.record(
            "penalty.receipt_recorded",
            p,
            actor=who,
            before=audit.jsonable(before),
            after=audit.jsonable(after),
            reason=peer,
            uscc=p.uscc,
        )
        emit(
            EventType.PENALTY_RECEIPT_RECORDED,
            uscc=p.uscc,
            region_code=p.enterprise.region_code if p.enterprise else "",
            data={
                "penalty_id": p.pk,
                "peer": peer,
                **{n: v.isoformat() if v else None for n, v in after.items()},
            },
        )
        changed += 1
    return changed


def expire_licences(on: dt.date, *, actor: Any, dry_run: bool = False) -> int:
    """Clock: a licence whose validity ended before `on` is expired and untags its
    enterprise that day. Idempotent: an expired licence is not touched again."""
    due = Licence.objects.filter(status=LicenceStatus.VALID, valid_until__lt=on).select_related("enterprise")
    if dry_run:
        return due.count()
    who = as_actor(actor)
    total = 0
    while True:
        with transaction.atomic():
            batch = list(due.select_for_update(of=("self",))[:2000]) if _pg() else list(due[:2000])
            if not batch:
                break
            now = timezone.now()
            for lic in batch:
                lic.status = LicenceStatus.EXPIRED
                lic.modified_at, lic.modified_by = now, who.label
            Licence.objects.bulk_update(batch, ["status", "modified_at", "modified_by"])
            AuditEntry.objects.bulk_create(
                [
                    AuditEntry(
                        actor_label=who.label,
                        action="licence.expired",
                        object_type="collection.licence",
                        object_id=str(lic.pk),
                        uscc=lic.uscc,
                        before={"status": "valid"},
                        after={"status": "expired"},
                        reason=f"有效期至{lic.valid_until}届满",
                        at=now,
                    )
                    for lic in batch
                ]
            )
            emit_many(
                (
                    EventType.LICENCE_EXPIRED,
                    lic.uscc,
                    lic.enterprise.region_code if lic.enterprise else "",
                    licence_event_data(lic),
                )
                for lic in batch
            )
            apply_licence_changes(batch, actor=who, on=on)
            total += len(batch)
    return total


def _pg() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def ingest_records(
    kind: str,
    records: Any,
    *,
    actor: Any,
    source: str,
    channel: str = "api",
    region_prefix: str | None = None,
    outside_code: str = "out_of_jurisdiction",
    region_code: str = "",
    file_name: str = "",
    uploaded_by: Any = None,
    batch: Any = None,
    keep_results: bool = True,
    progress: Any = None,
    timings: dict[str, float] | None = None,
    chunk_size: int | None = None,
) -> tuple[Any, list[Any]]:
    """Store a batch of records of `kind` from `source` (interfaces.md "Ingest"); every
    channel — API, upload, command — comes through here. Returns the batch and its
    rejected records. Each chunk is atomic with its events and audit entry."""

    run = Ingestion(
        get_kind(kind),
        source=source,
        actor=actor,
        channel=channel,
        region_prefix=region_prefix,
        outside_code=outside_code,
        region_code=region_code,
        file_name=file_name,
        uploaded_by=uploaded_by,
        batch=batch,
        keep_results=keep_results,
        chunk_size=chunk_size,
    )
    result = run.run(records, progress=progress)
    if timings is not None:
        timings.update(run.timings)
    return result, run.rejects


def _process_gone(worker: str) -> bool:
    """Whether `worker` ("host:pid") was a process of this host that no longer runs."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's process: alive
        return False
    return False


def mark_interrupted(*, actor: Any, now: dt.datetime | None = None) -> list[Any]:
    """Batches left "running" by a process that was killed (kill -9, a lost host) are
    marked interrupted, with how to resume; called whenever an ingest starts and by the
    daily clocks. A batch counts as abandoned when its process is gone from this host,
    or when no chunk committed for STALE_AFTER. The chunks it committed stay: the same
    records sent again complete it (stored ones count as unchanged)."""
    from .models import BatchStatus, Channel, IngestBatch

    now = now or timezone.now()
    marked = []
    running = IngestBatch.objects.filter(status=BatchStatus.RUNNING).only(
        "id", "kind", "source", "channel", "file_name", "worker", "heartbeat_at", "started_at", "received"
    )
    for batch in running:
        last = batch.heartbeat_at or batch.started_at
        if not (_process_gone(batch.worker) or last < now - IngestBatch.STALE_AFTER):
            continue
        if batch.channel == Channel.COMMAND:
            how = gettext(
                "重新运行 python manage.py ingest %(kind)s %(file)s --source %(source)s 即可继续"
            ) % {
                "kind": batch.kind,
                "file": batch.file_name or "FILE",
                "source": batch.source,
            }
        elif batch.channel == Channel.UPLOAD:
            how = gettext("重新上传同一文件并确认导入即可补全")
        else:
            how = gettext("由提供方重新发送同一批记录即可补全")
        error = gettext(
            "导入进程在完成前终止（%(worker)s，已接收%(received)s条，最近进展%(last)s）；已提交的分块保留，%(how)s"
        ) % {
            "worker": batch.worker or "?",
            "received": batch.received,
            "last": timezone.localtime(last).strftime("%Y-%m-%d %H:%M:%S"),
            "how": how,
        }
        with transaction.atomic():
            if not IngestBatch.objects.filter(pk=batch.pk, status=BatchStatus.RUNNING).update(
                status=BatchStatus.FAILED, error=error, finished_at=now
            ):
                continue  # finished or marked meanwhile
            audit.record(
                "ingest.interrupted",
                batch,
                actor=actor,
                before={"status": BatchStatus.RUNNING},
                after={"status": BatchStatus.FAILED, "worker": batch.worker},
                reason=error,
            )
        batch.status, batch.error = BatchStatus.FAILED, error
        marked.append(batch)
    return marked
