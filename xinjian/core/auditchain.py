"""The audit trail is tamper-evident (issue 13 item 6): each entry carries the SHA-256 of
its own content and of the entry before it, so an SQL UPDATE or DELETE anywhere in the
trail breaks the chain at that point, and `manage.py audit_verify` names the first
altered or missing entry.

Order: entries are chained in id order, and ids become visible in commit order because
every writer of the trail takes the same transaction-scoped lock as the event log
(`core.events`) before it reads the current head and inserts. So the head a writer reads
is the last committed entry and nobody can slip an entry in behind it.

What a chain cannot prove on its own: that nobody rewrote the whole tail and recomputed
every hash after it. That is why the head is published each day in the open data
(`audit_chain_head.json`): an outsider keeps those, and `audit_verify` checks that every
published head is still in the chain.

This module imports no models (core.models uses it while it is being imported)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.db import connection

GENESIS = "0" * 64

# The event log's lock (core.events): one lock orders every writer of either log.
LOG_LOCK = 7_340_017


def serialise_log_writers() -> None:
    """Hold the log lock until the transaction ends (PostgreSQL). SQLite has one writer
    at a time already (BEGIN IMMEDIATE)."""
    if not connection.in_atomic_block:
        raise RuntimeError("the audit trail and the event log are written inside a transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_xact_lock(%s)", [LOG_LOCK])


def _canonical(value: Any) -> Any:
    """The value as it reads back from any database: JSON numbers without a fraction are
    integers (PostgreSQL's jsonb writes 1.0 back as 1.0 but 1e16 as 10000000000000000)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def _instant(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


CHAINED_FIELDS = (
    "at",
    "actor_user_id",
    "actor_label",
    "action",
    "object_type",
    "object_id",
    "uscc",
    "before",
    "after",
    "reason",
)


def digest(prev_hash: str, values: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the entry's content, as canonical JSON."""
    content = [prev_hash] + [
        _instant(values["at"]) if name == "at" else _canonical(values[name]) for name in CHAINED_FIELDS
    ]
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def link(model: Any, entries: list[Any]) -> None:
    """Give `entries` (unsaved, in insertion order) their place in the chain. Call inside
    the transaction that inserts them; takes the log lock first."""
    rows = [{name: getattr(entry, name) for name in CHAINED_FIELDS} for entry in entries]
    prevs, hashes = chain_columns(model, rows)
    for entry, prev_hash, hash_ in zip(entries, prevs, hashes, strict=True):
        entry.prev_hash, entry.hash = prev_hash, hash_


def chain_columns(model: Any, rows: list[dict[str, Any]]) -> tuple[list[str], list[str]]:
    """(prev_hash, hash) of entries in insertion order, after the trail's current head:
    `link` uses it for objects, the demo's bulk loader for columns. `rows` hold the values as
    Python objects (an aware `at`, `before`/`after` as dicts), in insertion order; call
    inside the transaction that inserts them."""
    serialise_log_writers()
    prev = model._base_manager.order_by("-id").values_list("hash", flat=True).first() or GENESIS
    prevs: list[str] = []
    hashes: list[str] = []
    for values in rows:
        prevs.append(prev)
        prev = digest(prev, values)
        hashes.append(prev)
    return prevs, hashes


@dataclass(frozen=True)
class Break:
    """The first place the chain does not hold."""

    entry_id: int
    problem: str  # "altered" | "missing_before" | "head_missing" | "head_altered"
    detail: str

    def __str__(self) -> str:
        return f"audit entry #{self.entry_id}: {self.detail}"


def walk(rows: Iterable[dict[str, Any]]) -> Iterator[Break | tuple[int, str]]:
    """Check rows (id order, with prev_hash and hash) one by one: yields (id, hash) of
    each good entry, and stops at the first break."""
    prev, prev_id = GENESIS, None
    for row in rows:
        if row["prev_hash"] != prev:
            after = f"#{prev_id}" if prev_id is not None else "the start of the trail"
            yield Break(
                row["id"],
                "missing_before",
                f"does not follow {after}: an entry between them was deleted, or {after} was altered",
            )
            return
        if digest(prev, row) != row["hash"]:
            yield Break(row["id"], "altered", "its content no longer matches its hash (altered)")
            return
        prev, prev_id = row["hash"], row["id"]
        yield row["id"], row["hash"]
