#!/usr/bin/env python
"""Lists and pushes (issue 7), each beside a bare baseline measured in the same run:

1. the annual-report clock listing N enterprises that did not file (listing, history,
   audit and event rows, under a standing batch decision) vs a bare bulk insert of the
   same N listing rows alone;
2. push delivery of M signed messages to a loopback HTTP receiver through the queue
   (claim in order per enterprise, sign, POST, acknowledge) vs M bare `requests.post`
   calls of the same bodies on one session-less loop.

BENCH_SCALE (default 1.0): N = 100,000 × scale, M = 2,000 × scale.
PostgreSQL: DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432/xinjian_bench_lists
(created if missing; the bench empties its own rows before each run).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/xinjian_bench_lists")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

SCALE = float(os.environ.get("BENCH_SCALE", "1.0"))
N = max(1000, int(100_000 * SCALE))
M = max(200, int(2_000 * SCALE))


def ensure_database(url: str) -> None:
    if not url.startswith("postgres"):
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


class _Ok(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main() -> int:
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    import requests
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0, interactive=False)
    from xinjian.core.actors import CLOCK
    from xinjian.core.events import EventType, emit
    from xinjian.lists.clocks import anomaly_annual_report
    from xinjian.lists.models import AnomalyListing, BatchDecision, ListingHistory
    from xinjian.registry.models import Department, Enterprise
    from xinjian.sharing import actions as sharing_actions
    from xinjian.sharing.models import Delivery, Subscription
    from xinjian.sharing.push import deliver_due, event_message, fanout

    # A clean slate of the bench's own rows (this database belongs to the bench).
    with connection.cursor() as cur:
        for table in (
            "sharing_delivery",
            "sharing_subscription",
            "lists_listinghistory",
            "lists_anomalylisting",
            "lists_batchdecision",
        ):
            cur.execute(f"DELETE FROM {table}")
    have = Enterprise.objects.filter(source="bench-lists").count()
    if have < N:
        Enterprise.objects.bulk_create(
            [
                Enterprise(
                    uscc=f"9144030{i:010d}X",
                    name=f"基准测试企业{i}",
                    legal_representative="张三",
                    established_on=dt.date(2015, 1, 1),
                    region_code="440305",
                    source="bench-lists",
                )
                for i in range(have, N)
            ],
            batch_size=5000,
        )
    Enterprise.objects.filter(source="bench-lists").exclude(
        id__in=Enterprise.objects.filter(source="bench-lists").order_by("id").values("id")[:N]
    ).update(status="cancelled")
    dept = Department.objects.get(division_id="440305")
    BatchDecision.objects.create(
        department=dept, report_year=2025, decision_no="基准〔2026〕1号", decided_on=dt.date(2026, 6, 1)
    )
    others = Enterprise.objects.exclude(source="bench-lists").filter(status="operating").count()

    # 1. Baseline: the same listing rows, bulk-inserted bare.
    ents = list(Enterprise.objects.filter(source="bench-lists", status="operating").order_by("id")[:N])
    t = time.perf_counter()
    with transaction.atomic():
        AnomalyListing.objects.bulk_create(
            [
                AnomalyListing(
                    enterprise=e,
                    ground="annual_report_missing",
                    report_year=2025,
                    status="listed",
                    department=dept,
                    decided_by=dept.name,
                    decision_no="基准〔2026〕1号",
                    proposed_on=dt.date(2026, 6, 30),
                    listing_due=dt.date(2026, 7, 14),
                    listed_on=dt.date(2026, 7, 1),
                )
                for e in ents
            ],
            batch_size=1000,
        )
    bare = time.perf_counter() - t
    AnomalyListing.objects.all().delete()

    t = time.perf_counter()
    listed = anomaly_annual_report(dt.date(2026, 7, 1), actor=CLOCK)
    clock = time.perf_counter() - t
    assert listed == N + others, (listed, N, others)
    assert ListingHistory.objects.count() == listed
    t = time.perf_counter()
    again = anomaly_annual_report(dt.date(2026, 7, 1), actor=CLOCK)
    rerun = time.perf_counter() - t
    assert again == 0
    print(
        f"annual-report clock: {listed:,} enterprises listed in {clock:.2f} s "
        f"(bare insert of the listing rows {bare:.2f} s): {clock / bare:.2f} × baseline; "
        f"{listed / clock:,.0f} listings/s; idempotent re-run {rerun:.2f} s"
    )

    # 2. Pushes to a loopback receiver.
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    fanout()  # the listing events above are not for this subscription: drain them first
    Subscription.objects.all().delete()
    sharing_actions.create_subscription(
        actor="bench",
        name="基准",
        department="基准",
        endpoint=url,
        event_types=["penalty.published"],
        secret="bench-secret",
    )
    with transaction.atomic():
        events = [
            emit(EventType.PENALTY_PUBLISHED, uscc=f"U{i % 97:017d}", region_code="440305", data={"i": i})
            for i in range(M)
        ]
    bodies = [
        json.dumps({"delivery_id": i, "event": event_message(e)}, ensure_ascii=False).encode()
        for i, e in enumerate(events)
    ]
    t = time.perf_counter()
    for b in bodies:
        requests.post(url, data=b, headers={"Content-Type": "application/json"}, timeout=10)
    bare_post = time.perf_counter() - t
    queued = fanout()
    t = time.perf_counter()
    counts = deliver_due(limit=M + 10)
    push = time.perf_counter() - t
    server.shutdown()
    assert (
        queued == M and counts["delivered"] == M and not Delivery.objects.exclude(status="delivered").exists()
    )
    print(
        f"push delivery: {M:,} signed messages in {push:.2f} s (bare POSTs {bare_post:.2f} s): "
        f"{push / bare_post:.2f} × baseline; {M / push:,.0f} messages/s per worker"
    )
    print(f"database: {connection.vendor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
