"""Reliability details (issue 13 item 9): a killed ingest is marked interrupted with how to
resume; pushes are at-least-once with a stable delivery id to deduplicate on; the search
rate limit's per-worker count without CACHE_URL is explained where an operator looks."""

from __future__ import annotations

import datetime as dt
import io
import json
import signal
import socket
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests import crafted
from xinjian.collection.actions import mark_interrupted
from xinjian.collection.ingest.engine import Ingestion
from xinjian.collection.ingest.files import read_file
from xinjian.collection.ingest.kinds import get_kind
from xinjian.collection.models import BatchStatus, IngestBatch, Penalty
from xinjian.core.actors import Actor
from xinjian.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _dead_pid() -> int:
    """The pid of a process killed with SIGKILL, as `kill -9` mid-ingest leaves it."""
    p = subprocess.Popen(["sleep", "60"])
    p.send_signal(signal.SIGKILL)
    p.wait()
    return p.pid


def test_a_killed_ingest_is_marked_interrupted_at_the_next_start_and_resumes(tmp_path, enterprise_factory):
    ent = enterprise_factory()
    path = tmp_path / "penalties.csv"
    path.write_bytes(crafted.csv_file(crafted.penalty_rows(ent.uscc, 30)))
    # The first run committed 20 rows, then its process was killed: the batch says running.
    run = Ingestion(
        get_kind("penalties"),
        source="legacy",
        actor=Actor("command:ingest"),
        channel="command",
        file_name=path.name,
    )
    run.chunk_size = 10
    records = list(read_file(get_kind("penalties"), io.BytesIO(path.read_bytes()), path.name).records)
    batch = run.open_batch()
    for chunk in ([(i, r) for i, r in enumerate(records)][k : k + 10] for k in (0, 10)):
        run.process_chunk(chunk)
    IngestBatch.objects.filter(pk=batch.pk).update(worker=f"{socket.gethostname()}:{_dead_pid()}")
    live = Ingestion(get_kind("penalties"), source="live", actor=Actor("api"), channel="api").open_batch()
    assert Penalty.objects.count() == 20

    err = io.StringIO()
    out = io.StringIO()
    call_command(
        "ingest", "penalties", str(path), "--source", "legacy", "--no-progress", stdout=out, stderr=err
    )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and batch.finished_at is not None
    assert f"python manage.py ingest penalties {path.name} --source legacy" in batch.error
    assert "已接收20条" in batch.error and str(batch.id) in err.getvalue()
    assert AuditEntry.objects.filter(action="ingest.interrupted", object_id=str(batch.pk)).exists()
    # running the same command again completed the work: nothing lost, nothing doubled
    assert "接收 30，新增 10，更新 0，未变化 20" in out.getvalue()
    assert Penalty.objects.count() == 30
    # a batch whose process is alive and recent is left alone
    live.refresh_from_db()
    assert live.status == BatchStatus.RUNNING


def test_a_batch_silent_past_the_stale_limit_on_another_host_is_interrupted():
    batch = Ingestion(get_kind("penalties"), source="api-x", actor=Actor("api"), channel="api").open_batch()
    IngestBatch.objects.filter(pk=batch.pk).update(worker="other-host:123")
    assert mark_interrupted(actor=Actor("t")) == []
    later = timezone.now() + IngestBatch.STALE_AFTER + dt.timedelta(seconds=1)
    assert [b.pk for b in mark_interrupted(actor=Actor("t"), now=later)] == [batch.pk]
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FAILED and "由提供方重新发送同一批记录" in batch.error


class SlowReceiver:
    """Takes `delay` seconds to acknowledge the first request: past the platform's
    timeout, so the platform retries a delivery the receiver did get."""

    def __init__(self, delay: float):
        self.seen: list[tuple[str, str, dict]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                receiver.seen.append(
                    (self.headers["X-Xinjian-Delivery"], self.headers["X-Xinjian-Event-Id"], body)
                )
                if len(receiver.seen) == 1:
                    time.sleep(delay)
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def test_a_slow_receiver_gets_a_delivery_twice_with_the_same_delivery_id():
    from xinjian.core.events import EventType, emit
    from xinjian.sharing import actions
    from xinjian.sharing.models import Delivery
    from xinjian.sharing.push import deliver_due, fanout

    rx = SlowReceiver(delay=1.5)
    try:
        sub, _ = actions.create_subscription(
            actor="test",
            name="住建局",
            department="深圳市住房和建设局",
            endpoint=rx.url,
            event_types=["listing.added"],
            secret="s",
        )
        emit(EventType.LISTING_ADDED, uscc="A" * 18, region_code="440305", data={})
        fanout()
        now = timezone.now()
        deliver_due(now=now, timeout=0.5)  # times out: the receiver is still working
        deliver_due(now=now + dt.timedelta(seconds=sub.backoff_seconds), timeout=5)
        assert Delivery.objects.get().status == "delivered"
    finally:
        rx.server.shutdown()
        rx.server.server_close()
    assert len(rx.seen) == 2  # at-least-once: the same message twice
    (d1, e1, b1), (d2, e2, b2) = rx.seen
    assert d1 == d2 == str(b1["delivery_id"]) and e1 == e2 == b1["event"]["cursor"] and b1 == b2


def test_the_api_documents_at_least_once_and_the_rate_limit(client):
    doc = client.get("/api/v1/openapi.json").json()["info"]["description"]
    assert "at-least-once" in doc and "X-Xinjian-Delivery" in doc and "X-Xinjian-Event-Id" in doc
    assert "CACHE_URL" in doc


def test_production_settings_explain_the_per_worker_rate_limit(settings):
    from xinjian.core.checks import shared_cache_for_rate_limits

    settings.CACHE_URL = ""
    [warning] = shared_cache_for_rate_limits(None)
    assert warning.id == "xinjian.W010" and "per worker" in warning.msg
    settings.CACHE_URL = "redis://127.0.0.1:6379/1"
    assert shared_cache_for_rate_limits(None) == []
