"""The one import framework (style.md §8): every channel — API, uploaded file, command —
runs the same steps through `Ingestion`:

1. validate each record on its own (`Kind.validate`), and reject a key seen earlier in the
   same batch;
2. per chunk, in ONE transaction: match each record's enterprise by USCC or old
   registration number (unknown → pending), apply the uploader's jurisdiction, upsert by
   key keeping the previous version of a changed record, write one event per stored
   change, react (tagging, attaching pending records), store rejected records as sent
   with their errors and advance the batch counters.

A crash leaves the chunks before it committed and nothing of the chunk it was in; running
the same records again completes the work (what was stored counts as `unchanged`).
"""

from __future__ import annotations

import itertools
import os
import queue
import socket
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from xinjian.core import audit
from xinjian.core.actors import as_actor
from xinjian.core.events import emit_many
from xinjian.core.models import AuditEntry
from xinjian.core.workdays import today
from xinjian.registry.models import Enterprise
from xinjian.registry.queries import known_in_territory, territory_label

from ..models import BatchStatus, Channel, IngestBatch, RecordVersion, RejectedRecord
from .columns import ColumnJudge, Columns, stored
from .fields import TODAY, safe
from .files import RowBlock
from .kinds import Kind

# PostgreSQL: chunks of every ingest take turns (transaction-scoped advisory lock), so two
# overlapping batches never race between "look up the key" and "insert it", and a record
# arriving for an unknown enterprise cannot slip past the enterprise's arrival. Writers
# take the event-log lock for the rest of the transaction anyway (core.events).
INGEST_LOCK = 7_340_019
MAX_RECORDS = 10_000  # interfaces.md: more in one API call is 413
FOUND_KEPT = 200_000  # enterprises remembered by one batch (~30 MB)


@dataclass
class Row:
    index: int
    raw: Any
    values: dict[str, Any]
    key: tuple[Any, ...]
    enterprise: tuple[int, str, str] | None = None  # (id, uscc, region_code)


@dataclass
class Reject:
    index: int
    source_id: str | None
    raw: Any
    errors: list[dict[str, str]]

    def as_dict(self, with_record: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {"index": self.index, "source_id": self.source_id, "errors": self.errors}
        if with_record:
            d["record"] = self.raw
        return d


@dataclass
class ChunkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejects: list[Reject] = field(default_factory=list)
    pending: list[dict[str, Any]] = field(default_factory=list)


def _err(fieldname: str, code: str, message: str) -> dict[str, str]:
    return {"field": fieldname, "code": code, "message": message}


class Ingestion:
    """One batch of one kind from one source."""

    def __init__(
        self,
        kind: Kind,
        *,
        source: str,
        actor: Any,
        channel: str = Channel.API,
        region_prefix: str | None = None,
        outside_code: str = "out_of_jurisdiction",
        region_code: str = "",
        file_name: str = "",
        uploaded_by: Any = None,
        batch: IngestBatch | None = None,
        keep_results: bool = True,
        chunk_size: int | None = None,
        fast: bool | None = None,
    ):
        self.kind = kind
        self.source = source
        self.actor = as_actor(actor)
        self.channel = channel
        # Uploads by staff and writes by a regional API client (then `outside_region`,
        # issue 13): records must concern enterprises inside this division prefix.
        self.region_prefix = region_prefix
        self.outside_code = outside_code
        self.region_code = region_code
        self.file_name = file_name
        self.uploaded_by = uploaded_by
        self.batch = batch
        self.keep_results = keep_results
        self.pg = connection.vendor == "postgresql"
        # Set-based writes (pgfast, sqlitefast) for the kinds without side effects, whose
        # chunks are judged column by column (columns.py).
        self.fast = (kind.fast_path if fast is None else fast) and kind.columnar
        self.judge = ColumnJudge(kind) if self.fast else None
        self.seen_ids: dict[str, int] = {}  # source_id → first index (columnar batches)
        self.chunk_size = chunk_size or (10_000 if self.fast else 2_000)
        self.seen: dict[tuple[Any, ...], int] = {}
        self.found: dict[str, tuple[int, str, str]] = {}  # USCC or registration no. → enterprise
        self.rejects: list[Reject] = []
        self.pending: list[dict[str, Any]] = []
        # Tests inject a failure here to prove a crash leaves no half-written chunk.
        self.before_commit: Any = None
        self._permit: threading.Semaphore | None = None  # see _judged_chunks
        # Seconds spent in each stage (ADR 0067): read, validate, lock, resolve, write, …
        self.timings: dict[str, float] = defaultdict(float)

    # --- the batch ----------------------------------------------------------------------
    def open_batch(self) -> IngestBatch:
        if self.batch is None:
            self.batch = IngestBatch.objects.create(
                kind=self.kind.name,
                source=self.source,
                channel=self.channel,
                actor_label=self.actor.label,
                uploaded_by=self.uploaded_by,
                region_code=self.region_code,
                file_name=self.file_name[:200],
                worker=this_worker(),
                heartbeat_at=timezone.now(),
            )
        else:
            IngestBatch.objects.filter(pk=self.batch.pk).update(
                status=BatchStatus.RUNNING, worker=this_worker(), heartbeat_at=timezone.now()
            )
        return self.batch

    def run(self, records: Iterable[Any], progress: Any = None) -> IngestBatch:
        batch = self.open_batch()
        try:
            for items, judged in self._judged_chunks(records):
                self.process_chunk(items, judged=judged)
                if progress is not None:
                    progress(len(items))
        except BaseException as exc:
            IngestBatch.objects.filter(pk=batch.pk).update(
                status=BatchStatus.FAILED,
                error=f"{type(exc).__name__}: {exc}"[:2000],
                finished_at=timezone.now(),
            )
            raise
        IngestBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.COMPLETED, finished_at=timezone.now(), payload=None
        )
        batch.refresh_from_db()
        return batch

    def _judged_chunks(
        self, records: Iterable[Any]
    ) -> Iterator[tuple[list[tuple[int, Any]], tuple[list[Row], list[Reject]]]]:
        """Chunks with their validation. A batch of one chunk (an API call) is judged in
        line; a longer one is read and judged one chunk ahead in a thread, so parsing and
        validation (Python) overlap the previous chunk's transaction (the database). The
        thread never touches the database; writes stay on the caller's connection."""
        blocks = getattr(records, "blocks", None)
        if blocks is not None and self.judge is not None:
            source: Iterator[Any] = blocks(self.chunk_size)  # a file read column by column
        else:
            source = _chunks(enumerate(records), self.chunk_size)
        first = next(source, None)
        if first is None:
            return
        judged = self._timed_validate(first)
        second = next(source, None) if len(first) >= self.chunk_size or blocks is not None else None
        if second is None:
            yield first, judged
            return
        source = itertools.chain([second], source)
        ahead: queue.Queue[Any] = queue.Queue(maxsize=2)
        stop = threading.Event()
        language = translation.get_language()
        done = object()
        # Set-based chunks: the reader judges the next chunk while the writer waits on the
        # database's longest statement (`permit`, released there by the writers), not while
        # the writer runs Python between statements: a thread holding the GIL through a
        # long C call would hold up every return from the database.
        permit = threading.Semaphore(0) if self.judge is not None else None
        self._permit = permit

        def produce() -> None:
            translation.activate(language) if language else translation.deactivate_all()
            try:
                while not stop.is_set():
                    if permit is not None and not permit.acquire(timeout=0.1):
                        continue
                    t = time.perf_counter()
                    items = next(source, None)
                    self.timings["read"] += time.perf_counter() - t
                    if items is None:
                        break
                    out = (items, self._timed_validate(items))
                    while not stop.is_set():
                        try:
                            ahead.put(out, timeout=0.1)
                            break
                        except queue.Full:
                            continue
            except BaseException as exc:  # handed to the writer, which re-raises it
                ahead.put(exc)
                return
            ahead.put(done)

        thread = threading.Thread(target=produce, name="ingest-validate", daemon=True)
        thread.start()
        try:
            yield first, judged
            while True:
                t = time.perf_counter()
                if permit is not None and ahead.empty():
                    permit.release()
                got = ahead.get()
                self.timings["wait_for_validation"] += time.perf_counter() - t
                if got is done:
                    break
                if isinstance(got, BaseException):
                    raise got
                yield got
        finally:
            stop.set()
            thread.join()
            self._permit = None

    def _timed_validate(self, items: list[tuple[int, Any]]) -> tuple[list[Row], list[Reject]]:
        t = time.perf_counter()
        try:
            return self.validate(items)
        finally:
            self.timings["validate"] += time.perf_counter() - t

    # --- step 1: each record on its own ---------------------------------------------------
    def validate(self, items: list[tuple[int, Any]]) -> tuple[Any, list[Reject]]:
        """The chunk's valid records — `Columns` for the set-based kinds, else `Row`s —
        and its rejected ones."""
        if self.judge is not None:
            return self.validate_columns(items)
        return self.validate_rows(items)

    def validate_rows(self, items: list[tuple[int, Any]]) -> tuple[list[Row], list[Reject]]:
        rows: list[Row] = []
        rejects: list[Reject] = []
        day = today()
        token = TODAY.set(day)  # "not in the future" is judged against one day per chunk
        try:
            self._validate_items(items, rows, rejects, self.kind.compiled(day))
        finally:
            TODAY.reset(token)
        return rows, rejects

    def validate_columns(self, items: list[tuple[int, Any]]) -> tuple[Columns, list[Reject]]:
        """Step 1 over whole columns (columns.py); the reference judges the doubtful."""
        assert self.judge is not None
        kind = self.kind
        make = None
        if isinstance(items, RowBlock):  # a file's rows, read column by column
            index = list(range(items.start, items.start + len(items)))
            raws: list[Any] = items.rows
            make = items.record
            given, n = items.columns, len(items)
        else:
            index = [i for i, _ in items]
            raws = [r for _, r in items]
        rejects: list[Reject] = []
        dropped: set[int] = set()

        def raw(p: int) -> Any:
            return make(raws[p]) if make is not None else raws[p]

        token = TODAY.set(today())
        try:
            if make is not None:
                values, suspects = self.judge.judge_columns(
                    lambda name: given[name] if name in given else [None] * n, set()
                )
            else:
                values, suspects = self.judge.judge(raws)
            for p in suspects:
                clean, errors = kind.validate(raw(p))
                if clean is None:
                    rejects.append(Reject(index[p], kind.source_id_of(raw(p)), raw(p), errors))
                    dropped.add(p)
                else:
                    for name, col in values.items():
                        col[p] = stored(clean[name])
        finally:
            TODAY.reset(token)
        # A key seen earlier in the batch: one look-up per chunk when there is none.
        ids = values["source_id"]
        seen = self.seen_ids
        kept = [p for p in range(len(items)) if p not in dropped] if dropped else list(range(len(items)))
        mine = {ids[p]: index[p] for p in kept}
        if len(mine) == len(kept) and seen.keys().isdisjoint(mine):
            seen.update(mine)
        else:
            unique: list[int] = []
            for p in kept:
                first = seen.get(ids[p])
                if first is None:
                    seen[ids[p]] = index[p]
                    unique.append(p)
                    continue
                rejects.append(
                    Reject(
                        index[p],
                        kind.source_id_of(raw(p)),
                        raw(p),
                        [
                            _err(
                                kind.key[-1],
                                "duplicate_key",
                                gettext("与本批第%(first)s条记录的键重复（%(join)s）")
                                % {"first": first, "join": "、".join((self.source, str(ids[p])))},
                            )
                        ],
                    )
                )
            kept = unique
        cols = Columns(index, raws, values, make)
        cols.keep(kept)
        if self.pg and len(cols):
            from .pgfast import encode_lines

            cols.lines = encode_lines(kind, self.source, cols)
        return cols, rejects

    def _validate_items(
        self, items: list[tuple[int, Any]], rows: list[Row], rejects: list[Reject], validate: Any
    ) -> None:
        kind = self.kind
        for index, raw in items:
            values, errors = validate(raw)
            if values is None:
                rejects.append(Reject(index, kind.source_id_of(raw), raw, errors))
                continue
            key = kind.key_of(values, self.source)
            first = self.seen.get(key)
            if first is not None:
                rejects.append(
                    Reject(
                        index,
                        kind.source_id_of(raw),
                        raw,
                        [
                            _err(
                                kind.key[-1],
                                "duplicate_key",
                                gettext("与本批第%(first)s条记录的键重复（%(join)s）")
                                % {"first": first, "join": "、".join(map(str, key[-2:]))},
                            )
                        ],
                    )
                )
                continue
            self.seen[key] = index
            rows.append(Row(index, raw, values, key))

    # --- step 2a: whose record is it ----------------------------------------------------
    def resolve(self, rows: list[Row]) -> tuple[list[Row], list[Reject], list[dict[str, Any]]]:
        kind = self.kind
        rejects: list[Reject] = []
        pending: list[dict[str, Any]] = []
        if kind.resolves_enterprise:
            # Enterprises found by earlier chunks of this batch are not looked up again (a
            # USCC never changes owner); one not found is asked for again in every chunk,
            # so a record still attaches to an enterprise that arrived meanwhile.
            found = self.found
            wanted = {r.values["uscc"] for r in rows} - found.keys()
            if len(found) + len(wanted) > FOUND_KEPT:
                found.clear()
                wanted = {r.values["uscc"] for r in rows}
            if wanted:
                found.update(_enterprises(wanted))
            for r in rows:
                ent = found.get(r.values["uscc"])
                r.enterprise = ent
                r.values["enterprise_id"] = ent[0] if ent else None
                if ent:
                    r.values["uscc"] = ent[1]  # matched by the old registration number
        known: set[str] = set()
        if not kind.resolves_enterprise:
            # interfaces.md v1.1 "Territory": the register holds the enterprises of this
            # instance's territory, under a division it knows.
            known = known_in_territory({r.values["region_code"] for r in rows})
        held: dict[str, str] = {}
        if self.region_prefix is not None and not kind.resolves_enterprise:
            # An enterprise record may not move an enterprise registered elsewhere into
            # the writer's region either.
            held = dict(
                Enterprise.objects.filter(uscc__in={r.values["uscc"] for r in rows}).values_list(
                    "uscc", "region_code"
                )
            )
        kept: list[Row] = []
        for r in rows:
            if not kind.resolves_enterprise and r.values["region_code"] not in known:
                rejects.append(
                    Reject(
                        r.index,
                        kind.source_id_of(r.raw),
                        r.raw,
                        [
                            _err(
                                "region_code",
                                "outside_territory",
                                gettext("区划代码%(code)s不是本平台辖区（%(territory)s）内的行政区划")
                                % {"code": r.values["region_code"], "territory": territory_label()},
                            )
                        ],
                    )
                )
                continue
            if self.region_prefix is not None:
                region = kind.scope_region(r.values, r.enterprise)
                fieldname = "region_code" if not kind.resolves_enterprise else "uscc"
                elsewhere = held.get(r.values["uscc"])
                if elsewhere is not None and not elsewhere.startswith(self.region_prefix):
                    fieldname, region = "uscc", elsewhere
                if not region.startswith(self.region_prefix):
                    rejects.append(
                        Reject(
                            r.index,
                            kind.source_id_of(r.raw),
                            r.raw,
                            [_err(fieldname, self.outside_code, self._outside_message())],
                        )
                    )
                    continue
            if kind.resolves_enterprise and r.enterprise is None:
                pending.append(
                    {"index": r.index, "source_id": kind.source_id_of(r.raw), "reason": "unknown_enterprise"}
                )
            kept.append(r)
        return kept, rejects, pending

    def _read_ahead(self) -> None:
        """The writer is about to wait on its longest statement: the reader may judge the
        next chunk meanwhile."""
        if self._permit is not None:
            self._permit.release()

    def _outside_message(self) -> str:
        return (
            gettext("该记录所属主体不在本令牌的区域内")
            if self.outside_code == "outside_region"
            else gettext("该记录所属主体不在本部门辖区内，不能由本部门导入")
        )

    def resolve_columns(self, cols: Columns) -> tuple[list[Reject], list[dict[str, Any]]]:
        """`resolve` over whole columns (the set-based kinds resolve enterprises by USCC
        and have no territory or conflict rules of their own)."""
        kind = self.kind
        usccs = cols.values["uscc"]
        found = self.found
        wanted = set(usccs) - found.keys()
        if len(found) + len(wanted) > FOUND_KEPT:
            found.clear()
            wanted = set(usccs)
        if wanted:
            found.update(_enterprises(wanted))
        ents = list(map(found.get, usccs))
        rejects: list[Reject] = []
        if self.region_prefix is not None:
            prefix = self.region_prefix
            kept: list[int] = []
            for p, (u, e) in enumerate(zip(usccs, ents, strict=True)):
                if kind.scope_region({"uscc": u}, e).startswith(prefix):
                    kept.append(p)
                    continue
                raw = cols.raw(p)
                rejects.append(
                    Reject(
                        cols.index[p],
                        kind.source_id_of(raw),
                        raw,
                        [_err("uscc", self.outside_code, self._outside_message())],
                    )
                )
            if rejects:
                cols.keep(kept)
                ents = [ents[p] for p in kept]
                usccs = cols.values["uscc"]
        pending: list[dict[str, Any]] = []
        if None in ents:
            cols.values["enterprise_id"] = [e[0] if e else None for e in ents]
            cols.values["uscc"] = [e[1] if e else u for e, u in zip(ents, usccs, strict=True)]
            cols.region = [e[2] if e else "" for e in ents]
            pending = [
                {
                    "index": cols.index[p],
                    "source_id": kind.source_id_of(cols.raw(p)),
                    "reason": "unknown_enterprise",
                }
                for p, e in enumerate(ents)
                if e is None
            ]
        elif ents:
            ids, matched, regions = zip(*ents, strict=True)  # type: ignore[misc]
            cols.values["enterprise_id"], cols.values["uscc"], cols.region = (
                list(ids),
                list(matched),
                list(regions),
            )
        else:
            cols.values["enterprise_id"], cols.region = [], []
        return rejects, pending

    # --- step 2: one chunk, one transaction ------------------------------------------------
    def process_chunk(
        self, items: list[tuple[int, Any]], judged: tuple[list[Row], list[Reject]] | None = None
    ) -> ChunkResult:
        rows, rejects = judged if judged is not None else self._timed_validate(items)
        batch = self.open_batch() if self.batch is None else self.batch
        clock = self.timings
        t = time.perf_counter()
        with transaction.atomic():
            if self.pg:
                with connection.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", [INGEST_LOCK])
            t = _lap(clock, "lock", t)
            if isinstance(rows, Columns):
                more, pending = self.resolve_columns(rows)
                rejects += more
                t = _lap(clock, "resolve", t)
                if self.pg:
                    from .pgfast import write_fast

                    result = write_fast(
                        self.kind,
                        rows,
                        source=self.source,
                        batch=batch,
                        actor=self.actor,
                        timings=clock,
                        long_wait=self._read_ahead,
                    )
                else:
                    from .sqlitefast import write_sqlite

                    result = write_sqlite(
                        self.kind,
                        rows,
                        source=self.source,
                        batch=batch,
                        actor=self.actor,
                        timings=clock,
                        long_wait=self._read_ahead,
                    )
            else:
                rows, more, pending = self.resolve(rows)
                rejects += more
                t = _lap(clock, "resolve", t)
                clashes = self.kind.conflicts(rows)
                if clashes:
                    rejects += [
                        Reject(r.index, self.kind.source_id_of(r.raw), r.raw, [clashes[r.index]])
                        for r in rows
                        if r.index in clashes
                    ]
                    rows = [r for r in rows if r.index not in clashes]
                result = write_orm(self.kind, rows, source=self.source, batch=batch, actor=self.actor)
            t = _lap(clock, "write", t)
            rejects += result.rejects
            if result.rejects:
                dropped = {r.index for r in result.rejects}
                pending = [p for p in pending if p["index"] not in dropped]
            result.rejects = sorted(rejects, key=lambda r: r.index)
            result.pending = pending
            RejectedRecord.objects.bulk_create(
                [
                    RejectedRecord(
                        batch=batch,
                        index=r.index,
                        source_id=safe(r.source_id or ""),
                        record=_jsonable_raw(r.raw),
                        errors=safe(r.errors),
                    )
                    for r in result.rejects
                ],
                batch_size=1000,
            )
            room = max(0, IngestBatch.PENDING_KEPT - len(self.pending))
            self.pending.extend(pending[:room])
            IngestBatch.objects.filter(pk=batch.pk).update(
                received=F("received") + len(items),
                created=F("created") + result.created,
                updated=F("updated") + result.updated,
                unchanged=F("unchanged") + result.unchanged,
                rejected_count=F("rejected_count") + len(result.rejects),
                pending_count=F("pending_count") + len(pending),
                pending=self.pending,
                heartbeat_at=timezone.now(),
            )
            AuditEntry.objects.create(
                actor_user=self.actor.user,
                actor_label=self.actor.label,
                action=f"ingest.{self.kind.name}",
                object_type="collection.ingestbatch",
                object_id=str(batch.pk),
                after={
                    "first_index": items[0][0] if items else None,
                    "received": len(items),
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                    "rejected": len(result.rejects),
                    "pending": len(pending),
                },
                reason=f"{self.kind.label}归集（{self.source}）",
            )
            t = _lap(clock, "rejects_counters_audit", t)
            if self.before_commit is not None:
                self.before_commit(items)
        _lap(clock, "commit", t)
        if self.keep_results:
            self.rejects.extend(result.rejects)
        return result

    # --- preview (uploads): the same judgement, nothing written ---------------------------
    def preview(self, records: Iterable[Any]) -> dict[str, Any]:
        items = list(enumerate(records))
        rows, rejects = self.validate_rows(items)
        rows, more, pending = self.resolve(rows)
        self.seen.clear()
        self.found.clear()
        rejects = sorted(rejects + more, key=lambda r: r.index)
        return {"received": len(items), "valid": len(rows), "rejects": rejects, "pending": pending}


def this_worker() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _lap(clock: dict[str, float], stage: str, since: float) -> float:
    now = time.perf_counter()
    clock[stage] += now - since
    return now


def _chunks(
    it: Iterator[tuple[int, Any]] | Iterable[tuple[int, Any]], size: int
) -> Iterator[list[tuple[int, Any]]]:
    it = iter(it)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _jsonable_raw(raw: Any) -> Any:
    """Keep what was sent; spreadsheet cells (dates, numbers) become JSON-safe and text
    the database cannot hold (NUL, lone surrogates) is made storable."""
    return safe(audit.jsonable(raw))


def _enterprises(keys: set[str]) -> dict[str, tuple[int, str, str]]:
    """USCC or old registration number → (id, uscc, region_code)."""
    found: dict[str, tuple[int, str, str]] = {}
    usccs = [k for k in keys if len(k) == 18]
    regnos = [k for k in keys if len(k) == 15]
    if connection.vendor == "postgresql":
        # One array parameter instead of an IN list of thousands of placeholders: an API
        # call naming 10,000 enterprises spent ~400 ms building and planning that list.
        table = connection.ops.quote_name(Enterprise._meta.db_table)
        with connection.cursor() as cur:
            if usccs:
                cur.execute(f"SELECT id, uscc, region_code FROM {table} WHERE uscc = ANY(%s)", [usccs])
                for pk, uscc, region in cur.fetchall():
                    found[uscc] = (pk, uscc, region)
            if regnos:
                cur.execute(
                    f"SELECT id, uscc, region_code, registration_no FROM {table} WHERE registration_no = ANY(%s)",
                    [regnos],
                )
                for pk, uscc, region, regno in cur.fetchall():
                    found[str(regno)] = (pk, uscc, region)
        return found
    for part in _slices(usccs, 5000):
        for pk, uscc, region in Enterprise.objects.filter(uscc__in=part).values_list(
            "id", "uscc", "region_code"
        ):
            found[uscc] = (pk, uscc, region)
    for part in _slices(regnos, 5000):
        for pk, uscc, region, regno in Enterprise.objects.filter(registration_no__in=part).values_list(
            "id", "uscc", "region_code", "registration_no"
        ):
            found[str(regno)] = (pk, uscc, region)
    return found


def _slices(items: list[str], n: int) -> Iterator[list[str]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


def write_orm(kind: Kind, rows: list[Row], *, source: str, batch: IngestBatch, actor: Any) -> ChunkResult:
    """Upsert through the ORM in bulk (SQLite, and kinds with side effects on PostgreSQL).
    Called inside the chunk's transaction, after the ingest lock."""
    result = ChunkResult()
    if not rows:
        return result
    who = as_actor(actor)
    now = timezone.now()
    existing = kind.existing([r.key for r in rows], source)
    fields = kind.stored_fields()
    keep = {n for n, f in kind.fields.items() if f.keep_when_omitted}
    label = kind.model._meta.label_lower
    new: list[Any] = []
    changed: list[tuple[Any, dict[str, Any]]] = []
    versions: list[RecordVersion] = []
    update_fields: set[str] = set()
    for r in rows:
        values = {f: r.values[f] for f in fields if f in r.values}
        obj = existing.get(r.key)
        if obj is None:
            new.append(kind.new_object(values, source=source, batch=batch, now=now, label=who.label))
            continue
        diff = [f for f, v in values.items() if not (f in keep and v is None) and getattr(obj, f) != v]
        if not diff:
            result.unchanged += 1
            continue
        if kind.owned_by_source and obj.source != source:
            # domain.md §4: only the source that provided a record may change it.
            result.rejects.append(
                Reject(
                    r.index,
                    kind.source_id_of(r.raw),
                    r.raw,
                    [
                        _err(
                            kind.key[0],
                            "other_source",
                            gettext("该记录由“%(source)s”提供，只有提供方可以修改") % {"source": obj.source},
                        )
                    ],
                )
            )
            continue
        old = {k: str(v) if isinstance(v, uuid.UUID) else v for k, v in audit.snapshot(obj).items()}
        versions.append(
            RecordVersion(
                model=label, record_id=obj.pk, uscc=obj.uscc, data=old, batch=batch, replaced_at=now
            )
        )
        for f in diff:
            setattr(obj, f, values[f])
        update_fields.update(diff)
        update_fields.update(kind.stamp(obj, batch=batch, now=now, label=who.label))
        changed.append((obj, old))
    if new:
        kind.model.objects.bulk_create(new, batch_size=1000)  # type: ignore[attr-defined]
    if changed:
        kind.model.objects.bulk_update([o for o, _ in changed], sorted(update_fields), batch_size=1000)  # type: ignore[attr-defined]
        RecordVersion.objects.bulk_create(versions, batch_size=1000)
    result.created, result.updated = len(new), len(changed)
    batch_id = str(batch.pk)
    regions = _regions([o for o in new] + [o for o, _ in changed], kind)
    emit_many(
        [(kind.event_type(None, o), o.uscc, regions.get(o.pk, ""), kind.event_data(o, batch_id)) for o in new]
        + [
            (kind.event_type(old, o), o.uscc, regions.get(o.pk, ""), kind.event_data(o, batch_id))
            for o, old in changed
        ]
    )
    kind.after_write(new + [o for o, _ in changed], actor=who)
    return result


def _regions(objs: list[Any], kind: Kind) -> dict[int, str]:
    if kind.name == "enterprises":
        return {o.pk: o.region_code for o in objs}
    ids = {o.enterprise_id for o in objs if o.enterprise_id}
    region_of = dict(Enterprise.objects.filter(id__in=ids).values_list("id", "region_code")) if ids else {}
    return {o.pk: region_of.get(o.enterprise_id, "") for o in objs}
