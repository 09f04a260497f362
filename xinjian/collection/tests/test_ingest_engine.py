"""The framework's guarantees: atomic chunks, rerun after a crash, concurrent batches."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from freezegun import freeze_time

from xinjian.collection.actions import ingest_records
from xinjian.collection.ingest.engine import Ingestion
from xinjian.collection.ingest.kinds import get_kind
from xinjian.collection.models import BatchStatus, IngestBatch, Penalty, RecordVersion
from xinjian.core.actors import Actor
from xinjian.core.models import AuditEntry, Event

from .helpers import penalty

SYSTEM = Actor("api:test")
# SQLite has one writer at a time (BEGIN IMMEDIATE, config/settings.py): batches cannot
# overlap there, and the COPY path is PostgreSQL's. The logic itself runs on both.
ONLY_PG = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL only: concurrent writers / COPY path"
)


class Boom(RuntimeError):
    pass


@pytest.mark.django_db
@freeze_time("2024-11-20")
def test_a_crash_mid_import_leaves_no_half_chunk_and_a_rerun_completes(enterprise_factory):
    ent = enterprise_factory()
    records = [penalty(ent.uscc) for _ in range(5)]
    run = Ingestion(get_kind("penalties"), source="sys", actor=SYSTEM, chunk_size=2)

    def fail_in_second_chunk(items):
        if items[0][0] == 2:
            raise Boom("power cut")

    run.before_commit = fail_in_second_chunk
    with pytest.raises(Boom):
        run.run(records)
    assert Penalty.objects.count() == 2  # the first chunk, whole; nothing of the second
    assert Event.objects.filter(type="penalty.recorded").count() == 2
    batch = IngestBatch.objects.get()
    assert batch.status == BatchStatus.FAILED and "power cut" in batch.error
    assert (batch.received, batch.created) == (2, 2)

    again, _ = ingest_records("penalties", records, actor=SYSTEM, source="sys")
    assert (again.created, again.unchanged, again.status) == (3, 2, BatchStatus.COMPLETED)
    assert Penalty.objects.count() == 5
    assert Event.objects.filter(type="penalty.recorded").count() == 5


@pytest.mark.django_db
@freeze_time("2024-11-20")
def test_each_chunk_writes_one_audit_entry_with_its_counts(enterprise_factory):
    ent = enterprise_factory()
    run = Ingestion(get_kind("penalties"), source="sys", actor=SYSTEM, chunk_size=3)
    run.run([penalty(ent.uscc) for _ in range(4)] + [{"bad": 1}])
    entries = AuditEntry.objects.filter(action="ingest.penalties").order_by("id")
    assert [(e.after["received"], e.after["created"], e.after["rejected"]) for e in entries] == [
        (3, 3, 0),
        (2, 1, 1),
    ]


@pytest.mark.django_db
@freeze_time("2024-11-20")
def test_the_set_based_path_and_the_orm_path_agree(enterprise_factory):
    # PostgreSQL: COPY + one statement (pgfast); SQLite: executemany + statements (sqlitefast).
    ent = enterprise_factory()
    records = [penalty(ent.uscc) for _ in range(6)] + [penalty("91350100M000100Y43")]
    changed = [{**r, "fine_amount": 7} for r in records[:3]] + records[3:]
    outcomes = {}
    for fast in (True, False):
        src = f"s-{fast}"
        first = Ingestion(get_kind("penalties"), source=src, actor=SYSTEM, fast=fast).run(records)
        second = Ingestion(get_kind("penalties"), source=src, actor=SYSTEM, fast=fast).run(changed)
        outcomes[fast] = [(b.created, b.updated, b.unchanged, b.pending_count) for b in (first, second)]
        assert RecordVersion.objects.filter(batch=second).count() == 3
        assert Event.objects.filter(type="penalty.changed", data__batch_id=str(second.pk)).count() == 3
        assert Penalty.objects.filter(source=src, enterprise__isnull=True).count() == 1
    assert outcomes[True] == outcomes[False] == [(7, 0, 0, 1), (0, 3, 4, 1)]
    fast_events = Event.objects.filter(type="penalty.recorded", data__source="s-True").order_by("id").first()
    orm_events = Event.objects.filter(type="penalty.recorded", data__source="s-False").order_by("id").first()
    assert set(fast_events.data) == set(orm_events.data)
    assert {k: v for k, v in fast_events.data.items() if k not in ("id", "source", "batch_id")} == {
        k: v for k, v in orm_events.data.items() if k not in ("id", "source", "batch_id")
    }
    assert (fast_events.uscc, fast_events.region_code) == (orm_events.uscc, orm_events.region_code)
    stored = {
        src: sorted(
            Penalty.objects.filter(source=src).values_list(
                "source_id", "enterprise_id", "fine_amount", "penalty_types", "decided_on", "aggravated"
            )
        )
        for src in ("s-True", "s-False")
    }
    assert stored["s-True"] == stored["s-False"]
    # A third run of the same records finds nothing to change on either path.
    for fast in (True, False):
        third = Ingestion(get_kind("penalties"), source=f"s-{fast}", actor=SYSTEM, fast=fast).run(changed)
        assert (third.created, third.updated, third.unchanged) == (0, 0, 7)


@pytest.mark.django_db(transaction=True)
@ONLY_PG
def test_two_overlapping_batches_at_the_same_time_make_no_duplicates_and_no_errors(enterprise_factory):
    ent = enterprise_factory()
    shared = [penalty(ent.uscc) for _ in range(150)]
    a = shared + [penalty(ent.uscc) for _ in range(50)]
    b = list(reversed(shared)) + [penalty(ent.uscc) for _ in range(50)]
    errors: list[BaseException] = []
    results: list[IngestBatch] = []
    barrier = threading.Barrier(2)

    def send(records):
        try:
            # No frozen clock here: freezegun patches time for every thread, and psycopg's
            # connect timeout would see the clock jump. The records' dates are in the past.
            barrier.wait()
            for fast in (True, False):  # both writers, same guarantee
                run = Ingestion(
                    get_kind("penalties"), source=f"sys-{fast}", actor=SYSTEM, chunk_size=50, fast=fast
                )
                results.append(run.run(records))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(r,)) for r in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for fast in (True, False):
        assert Penalty.objects.filter(source=f"sys-{fast}").count() == 250
        assert Event.objects.filter(type="penalty.recorded", data__source=f"sys-{fast}").count() == 250
    assert sum(b.created for b in results) == 500
    assert sum(b.unchanged for b in results) == 300
    assert connection.vendor == "postgresql"
