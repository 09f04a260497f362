"""Pulling a peer's record feed (interfaces.md v1.1 "Federation", ADR 0095).

Each page of the peer's feed is ingested through the one import framework
(`ingest.engine.Ingestion`), under the peer's source name, and the peer's cursor is
advanced in the same transaction: a crash anywhere in a page leaves neither its records
nor the cursor's move, and the next pull reads the page again. Re-reading is harmless:
a record stored already counts `unchanged`.

Record keys: a feed entry names the record's source on the peer, and its `source_id` is
unique within that source; stored here under the peer's name, the key becomes
(`peer`, `<source on the peer>/<source_id>`), unique too, and says where it came from.

Receipts: a page also carries what the peer knows about the penalties this instance
supplied to it (arrival, arrival in the registration province, publication there); they
are kept in the page's transaction (`actions.record_receipts`, ADR 0098)."""

from __future__ import annotations

import hashlib
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from django.db import transaction
from django.utils import timezone

from xinjian.core.actors import Actor

from .actions import record_receipts
from .ingest.engine import Ingestion
from .ingest.kinds import KINDS
from .models import Channel, Peer

PAGE = 500
TIMEOUT = 60
SOURCE_ID_MAX = 100


class PullError(Exception):
    """The peer could not be read (network, HTTP status, a body that is not a feed page)."""


@dataclass
class Summary:
    pages: int = 0
    received: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    pending: int = 0
    archived: int = 0
    receipts: int = 0  # receipts that told something new about a penalty supplied here
    kinds: Counter[str] = field(default_factory=Counter)

    def add(self, kind: str, batch: Any) -> None:
        self.kinds[kind] += batch.received
        self.created += batch.created
        self.updated += batch.updated
        self.unchanged += batch.unchanged
        self.rejected += batch.rejected_count
        self.pending += batch.pending_count


def feed_url(url: str) -> str:
    """The feed's address from a peer's base address (or the feed's own)."""
    url = url.rstrip("/")
    return url if url.endswith("/api/v1/records") else url + "/api/v1/records"


def local_source_id(source: str, source_id: str) -> str:
    composed = f"{source}/{source_id}"
    if len(composed) <= SOURCE_ID_MAX:
        return composed
    return f"{source[:40]}/#" + hashlib.sha256(composed.encode()).hexdigest()[:48]


def local_records(entries: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """A page's entries as ingest batches per kind (enterprises first, so that the other
    records of the page find them), each record once (its last state in the page)."""
    by_kind: dict[str, dict[Any, dict[str, Any]]] = defaultdict(dict)
    for e in entries:
        kind = e.get("kind")
        record = e.get("record")
        if kind not in KINDS or not isinstance(record, dict):
            raise PullError(f"not a feed entry: {str(e)[:200]}")
        if "archived" in e and not isinstance(e["archived"], dict):
            raise PullError(f"not a feed entry: {str(e)[:200]}")
        record = dict(record)
        if "source_id" in KINDS[kind].fields and record.get("source_id") is not None:
            record["source_id"] = local_source_id(str(e.get("source", "")), str(record["source_id"]))
            key: Any = record["source_id"]
        elif kind == "annual-reports":
            key = (record.get("uscc"), record.get("year"))
        else:
            key = record.get("uscc")
        by_kind[kind].pop(key, None)
        by_kind[kind][key] = record
    return [(k, list(by_kind[k].values())) for k in KINDS if by_kind.get(k)]


def archive_copies(peer: str, entries: list[dict[str, Any]], *, actor: Actor) -> int:
    """Archive here the records the peer's feed says it archived (entries with `archived`),
    through `actions.archive_record` with the peer's reason, so the copy leaves every public
    and counting read as the original did (event `record.archived`, audited). A copy already
    archived, or never stored (rejected), is left as it is. Returns how many were archived."""
    from .actions import ARCHIVABLE, archive_record

    done = 0
    for e in entries:
        archived, kind, record = e.get("archived"), KINDS[e["kind"]], e["record"]
        if not archived or kind.model not in ARCHIVABLE.values() or record.get("source_id") is None:
            continue
        sid = local_source_id(str(e.get("source", "")), str(record["source_id"]))
        copy = kind.model.objects.filter(source=peer, source_id=sid, archived_at__isnull=True).first()  # type: ignore[attr-defined]
        if copy is not None:
            reason = str(archived.get("reason") or "").strip() or f"{peer}: {archived.get('at', '')}"
            archive_record(copy, actor=actor, reason=reason)
            done += 1
    return done


class Puller:
    """Reads one peer's feed from its saved cursor and ingests it here."""

    def __init__(
        self,
        peer: Peer,
        *,
        page_size: int = PAGE,
        session: requests.Session | None = None,
        progress: Callable[[int, int, int], None] | None = None,
    ):
        self.peer = peer
        self.page_size = page_size
        self.session = session or requests.Session()
        self.progress = progress  # (entries in the page, cursor, head)
        self.summary = Summary()
        # Tests inject a failure here (inside a chunk's transaction) to prove that a pull
        # killed half-way loses and duplicates nothing.
        self.before_commit: Callable[[Any], None] | None = None

    def fetch(self, after: int) -> dict[str, Any]:
        try:
            resp = self.session.get(
                feed_url(self.peer.url),
                params={"after": str(after), "limit": str(self.page_size)},
                headers={"Authorization": f"Bearer {self.peer.token}", "Accept": "application/json"},
                timeout=TIMEOUT,
            )
        except requests.RequestException as e:
            raise PullError(f"{type(e).__name__}: {e}") from e
        if resp.status_code != 200:
            try:
                err = resp.json().get("error", {})
                detail = f"{err.get('code')}: {err.get('message')}"
            except ValueError:
                detail = resp.text[:200]
            raise PullError(f"HTTP {resp.status_code} {detail}")
        try:
            data = resp.json()
            int(data["next"])
            if not isinstance(data["records"], list):
                raise TypeError("records")
            if not isinstance(data.get("receipts", []), list) or not all(
                isinstance(r, dict) for r in data.get("receipts", [])
            ):
                raise TypeError("receipts")
        except (ValueError, KeyError, TypeError) as e:
            raise PullError(f"not a feed page: {e}") from e
        return dict(data)

    def pull_page(self) -> int:
        """Read and store one page; the number of entries read (0: caught up)."""
        data = self.fetch(self.peer.cursor)
        entries, nxt = data["records"], int(data["next"])
        head = int(data.get("head") or nxt)
        batches = local_records(entries)
        with transaction.atomic():
            peer = Peer.objects.select_for_update().get(pk=self.peer.pk)
            if peer.cursor != self.peer.cursor:
                # Another worker stored this page meanwhile: start again from its cursor.
                self.peer = peer
                return -1
            actor = Actor(f"peer:{peer.name}")
            for kind, records in batches:
                run = Ingestion(
                    KINDS[kind], source=peer.name, actor=actor, channel=Channel.FEDERATION, keep_results=False
                )
                run.before_commit = self.before_commit
                self.summary.add(kind, run.run(records))
            self.summary.archived += archive_copies(peer.name, entries, actor=actor)
            if data.get("receipts"):
                self.summary.receipts += record_receipts(peer.name, data["receipts"], actor=actor)
            now = timezone.now()
            peer.cursor = max(nxt, peer.cursor)
            peer.head = max(head, peer.cursor)
            peer.pulled += len(entries)
            peer.last_pull_at = now
            if peer.cursor >= peer.head:
                peer.caught_up_at = now
            peer.last_error = ""
            peer.save()
        self.peer = peer
        self.summary.pages += 1
        self.summary.received += len(entries)
        if self.progress is not None:
            self.progress(len(entries), peer.cursor, peer.head)
        return len(entries)

    def run(self, *, once: bool = False) -> Summary:
        """Pull until caught up (`once`: one page only). An error is saved on the peer (the
        staff page shows it) and raised."""
        try:
            while True:
                before = self.peer.cursor
                n = self.pull_page()
                if n < 0:
                    continue  # another worker moved the cursor: read from there
                if once or self.peer.cursor >= self.peer.head or self.peer.cursor == before:
                    break
        except Exception as e:
            Peer.objects.filter(pk=self.peer.pk).update(
                last_error=f"{type(e).__name__}: {e}"[:2000], last_error_at=timezone.now()
            )
            raise
        return self.summary


def pull_all(*, idle: float = 0, stop: Callable[[], bool] | None = None, log: Any = None) -> None:
    """The federation worker's loop: every active peer in turn until caught up, then wait
    `idle` seconds; an error on one peer is saved on it and does not stop the others."""
    while True:
        for peer in Peer.objects.filter(active=True):
            try:
                s = Puller(peer).run()
                if log and (s.received or s.receipts):
                    log(
                        f"{peer.name}: {s.received} records, {s.receipts} receipts, "
                        f"cursor {Peer.objects.get(pk=peer.pk).cursor}"
                    )
            except Exception as e:  # saved on the peer by Puller.run
                if log:
                    log(f"{peer.name}: {type(e).__name__}: {e}")
        if stop is None or stop():
            return
        time.sleep(idle)
