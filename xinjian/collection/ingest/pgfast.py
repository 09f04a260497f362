"""PostgreSQL fast path for plain record kinds (penalties, inspections, complaints, list
decisions, commitments): the chunk is COPYed into a temporary table, then ONE statement saves
the previous versions of the rows about to change, upserts with `INSERT … ON CONFLICT
(source, source_id) DO UPDATE … WHERE <changed>` and writes one event per row it inserted
or changed (`RETURNING (xmax = 0)` tells which). Unchanged rows are not touched.

Same results as `engine.write_orm` (tests run both); a hundred times fewer round trips.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, cast

import orjson
from django.db import connection, models
from django.utils import timezone

from xinjian.core import events
from xinjian.core.actors import as_actor
from xinjian.core.models import Event
from xinjian.registry.models import Enterprise

from ..models import IngestBatch, RecordVersion
from .columns import Columns, copy_column, copy_text
from .engine import ChunkResult
from .kinds import Kind


def write_fast(
    kind: Kind,
    cols: Columns,
    *,
    source: str,
    batch: IngestBatch,
    actor: Any,
    timings: dict[str, float] | None = None,
    long_wait: Callable[[], None] = lambda: None,
) -> ChunkResult:
    result = ChunkResult()
    n = len(cols)
    if not n:
        return result
    clock: dict[str, float] = timings if timings is not None else {}
    t = time.perf_counter()
    who = as_actor(actor)
    now = timezone.now()
    model = kind.model
    table = model._meta.db_table
    names = kind.stored_fields()  # record fields + enterprise_id
    cols_list = [_column(model, name) for name in names]
    keep = {_column(model, name) for name, f in kind.fields.items() if f.keep_when_omitted}
    col_list = ", ".join(cols_list)
    q = connection.ops.quote_name
    # The chunk in COPY's text format, built column by column (no Python per row): the
    # lines encoded beside the validation, then the columns the matching decided.
    lines = cols.lines if cols.lines is not None else encode_lines(kind, source, cols)
    matched = [copy_column(cols.values[name], _json) for name in _MATCHED]
    t = _lap(clock, "write.encode", t)
    copy_list = ", ".join(["source"] + [_column(model, name) for name in _stable(kind)] + list(_MATCHED))

    long_wait()  # the database's part of the chunk starts
    with connection.cursor() as cur:
        # A chunk none of whose keys is stored — nothing between its lowest and highest
        # key (a first load of a file in key order) — is COPYed straight into the table,
        # its events written from the rows just stored: no staging table, no upsert.
        # Keys are only ever added under the ingest lock, which this chunk holds.
        ids = cols.values["source_id"]
        if _codepoint_order(cur):  # Python orders text as the database does
            cur.execute(
                f"SELECT %s, %s, EXISTS (SELECT 1 FROM {q(table)} t WHERE t.source = %s "
                f"AND t.source_id BETWEEN %s AND %s)",
                [lo := min(ids), hi := max(ids), source, lo, hi],
            )
        else:
            cur.execute(
                f"SELECT k.lo, k.hi, EXISTS (SELECT 1 FROM {q(table)} t WHERE t.source = %s "
                f"AND t.source_id BETWEEN k.lo AND k.hi) "
                f"FROM (SELECT min(x) AS lo, max(x) AS hi FROM unnest(%s::text[]) x) k",
                [source, ids],
            )
        lo, hi, any_stored = cur.fetchone()
        t = _lap(clock, "write.key_range", t)
        if not any_stored:
            stamp = [
                str(batch.pk),
                now.isoformat(),
                now.isoformat(),
                who.label,
                now.isoformat(),
                who.label,
                "",
                "",
            ]
            events._serialise_writers()  # event ids become visible in commit order (core.events)
            t = _lap(clock, "write.event_lock", t)
            with cur.cursor.copy(
                f"COPY {q(table)} ({copy_list}, batch_id, received_at, created_at, created_by, "
                f"modified_at, modified_by, archived_by, archive_reason) FROM STDIN"
            ) as copy:
                copy.write(copy_text([lines, *matched, ["\t".join(copy_column(stamp, _json))] * n]))
            t = _lap(clock, "write.copy_into_table", t)
            ev_data = "".join(f", '{f}', t.{_column(model, f)}" for f in kind.event_fields)
            cur.execute(
                f"""
                INSERT INTO {q(Event._meta.db_table)} (type, uscc, region_code, occurred_at, data)
                SELECT %(created)s, t.uscc, COALESCE(e.region_code, ''), %(now)s,
                       jsonb_build_object('id', t.id, 'source', t.source, 'source_id', t.source_id,
                                          'batch_id', %(batch_str)s{ev_data})
                FROM {q(table)} t LEFT JOIN {q(Enterprise._meta.db_table)} e ON e.id = t.enterprise_id
                WHERE t.source = %(source)s AND t.source_id BETWEEN %(lo)s AND %(hi)s
                ORDER BY t.id
                """,
                {
                    "created": str(kind.created_event),
                    "now": now,
                    "batch_str": str(batch.pk),
                    "source": source,
                    "lo": lo,
                    "hi": hi,
                },
            )
            _lap(clock, "write.events", t)
            result.created = n
            return result
        # ON COMMIT DROP ends it with the chunk; dropped explicitly too, for callers that run
        # several chunks inside one outer transaction. A temporary table is never WAL-logged.
        cur.execute("DROP TABLE IF EXISTS pg_temp._ingest")
        # `_region` rides along for the events (the enterprise was matched in Python).
        cur.execute(
            f"CREATE TEMP TABLE _ingest ON COMMIT DROP AS SELECT source, {col_list}, "
            f"''::varchar(6) AS _region FROM {q(table)} WITH NO DATA"
        )
        with cur.cursor.copy(f"COPY _ingest ({copy_list}, _region) FROM STDIN") as copy:
            copy.write(copy_text([lines, *matched, copy_column(cols.region or [""] * n, _json)]))
        t = _lap(clock, "write.copy_to_staging", t)

        # The big table is only ever probed by its key index, row by row (`probe`: a
        # LATERAL subquery kept apart by OFFSET 0), whatever its statistics say: a chunk of
        # 10,000 rows must not hash a table of millions. The staging table is not
        # ANALYZEd (that cost ~10 % of a chunk): the planner sizes it from its pages, close
        # enough to hash or sort chunk-sized sets against each other.
        probe = (
            f"CROSS JOIN LATERAL (SELECT * FROM {q(table)} t "
            f"WHERE t.source = s.source AND t.source_id = s.source_id OFFSET 0) t"
        )

        def incoming(alias: str, c: str) -> str:
            # A platform-managed value omitted by the sender is kept (published_on).
            return f"COALESCE({alias}.{c}, t.{c})" if c in keep else f"{alias}.{c}"

        stored = f"ROW({', '.join(f't.{c}' for c in cols_list)})"
        changed = f"{stored} IS DISTINCT FROM ROW({', '.join(incoming('{s}', c) for c in cols_list)})"
        result.unchanged = to_change = 0
        # Unchanged rows leave the staging table first: compared in SQL, read but never
        # locked or rewritten (no dead tuples, no WAL, no event, no turn at the event lock).
        cur.execute(
            f"""
            WITH stored AS (
                SELECT s.ctid AS at, {stored} IS NOT DISTINCT FROM
                       ROW({", ".join(incoming("s", c) for c in cols_list)}) AS same
                FROM _ingest s {probe}
            ), gone AS (
                DELETE FROM _ingest s USING stored WHERE s.ctid = stored.at AND stored.same RETURNING 1
            )
            SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM stored WHERE NOT same)
            """
        )
        result.unchanged, to_change = cur.fetchone()
        t = _lap(clock, "write.unchanged_filter", t)
        if result.unchanged == n:
            cur.execute("DROP TABLE _ingest")
            return result

        events._serialise_writers()  # event ids become visible in commit order (core.events)
        t = _lap(clock, "write.event_lock", t)
        sets = ", ".join(
            f"{c} = {incoming('EXCLUDED', c)}" for c in cols_list if c not in ("source", "source_id")
        )
        ev_fields = "".join(f", '{f}', up.{_column(model, f)}" for f in kind.event_fields)
        ret_fields = "".join(f", t.{_column(model, f)}" for f in kind.event_fields)
        versions = (
            f"""
            old AS (
                -- every sub-statement sees the rows as they were: the previous versions
                SELECT t.id, t.uscc, to_jsonb(t) AS data FROM _ingest s {probe}
                WHERE {changed.format(s="s")}
            ), ver AS (
                INSERT INTO {q(RecordVersion._meta.db_table)} (model, record_id, uscc, data, batch_id, replaced_at)
                SELECT %(label)s, old.id, old.uscc, old.data, %(batch)s, %(now)s FROM old
            ),"""
            if to_change
            else ""
        )
        cur.execute(
            f"""
            WITH {versions} up AS (
                INSERT INTO {q(table)} AS t (source, {col_list}, batch_id, received_at, created_at, created_by,
                                             modified_at, modified_by, archived_by, archive_reason)
                SELECT source, {col_list}, %(batch)s, %(now)s, %(now)s, %(who)s, %(now)s, %(who)s, '', ''
                FROM _ingest
                ON CONFLICT (source, source_id) DO UPDATE SET {sets}, batch_id = EXCLUDED.batch_id,
                    received_at = EXCLUDED.received_at, modified_at = EXCLUDED.modified_at,
                    modified_by = EXCLUDED.modified_by
                WHERE {changed.format(s="EXCLUDED")}
                RETURNING t.id, (t.xmax = 0) AS inserted, t.uscc, t.enterprise_id, t.source, t.source_id{ret_fields}
            ), ev AS (
                INSERT INTO {q(Event._meta.db_table)} (type, uscc, region_code, occurred_at, data)
                SELECT CASE WHEN up.inserted THEN %(created)s ELSE %(changed)s END, up.uscc,
                       s._region, %(now)s,
                       jsonb_build_object('id', up.id, 'source', up.source, 'source_id', up.source_id,
                                          'batch_id', %(batch_str)s{ev_fields})
                FROM up JOIN _ingest s ON s.source_id = up.source_id
                ORDER BY up.id
            )
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM up
            """,
            {
                "batch": batch.pk,
                "batch_str": str(batch.pk),
                "now": now,
                "who": who.label,
                "label": model._meta.label_lower,
                "created": str(kind.created_event),
                "changed": str(kind.changed_event),
            },
        )
        created, updated = cur.fetchone()
        t = _lap(clock, "write.upsert_versions_events", t)
        cur.execute("DROP TABLE _ingest")
    result.created, result.updated = created, updated
    # A row changed by another writer between the filter and the upsert counts as unchanged.
    result.unchanged = n - created - updated
    return result


_MATCHED = ("uscc", "enterprise_id")  # columns that enterprise matching may change


def _stable(kind: Kind) -> list[str]:
    return [name for name in kind.stored_fields() if name not in _MATCHED]


def encode_lines(kind: Kind, source: str, cols: Columns) -> list[str]:
    """Each record's COPY text for `source` and the stored fields that enterprise matching
    leaves alone (tab-separated, escaped); run beside the validation, off the writer."""
    n = len(cols)
    return list(
        map(
            "\t".join,
            zip(
                copy_column([source] * n, _json),
                *(copy_column(cols.values[name], _json) for name in _stable(kind)),
                strict=True,
            ),
        )
    )


_ORDER: dict[str, bool] = {}


def _codepoint_order(cur: Any) -> bool:
    """Whether the database collates text by code point (C, C.UTF-8), as Python compares
    strings; asked once per database."""
    name = str(connection.settings_dict["NAME"])
    if name not in _ORDER:
        cur.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        (collate,) = cur.fetchone()
        _ORDER[name] = collate.split(".")[0] in ("C", "POSIX")
    return _ORDER[name]


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


def _lap(clock: dict[str, float], stage: str, since: float) -> float:
    now = time.perf_counter()
    clock[stage] = clock.get(stage, 0.0) + now - since
    return now


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The concrete field behind a stored name (`enterprise_id` → the `enterprise` FK)."""
    return cast(
        "models.Field[Any, Any]",
        model._meta.get_field(name.removesuffix("_id") if name == "enterprise_id" else name),
    )


def _column(model: type[models.Model], name: str) -> str:
    return str(_field(model, name).column)
