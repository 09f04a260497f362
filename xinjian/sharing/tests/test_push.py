"""Pushes to a real HTTP receiver on loopback (domain.md §11): retried until
acknowledged, in order per enterprise, signed, nothing lost; dead letters replayed."""

from __future__ import annotations

import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from xinjian.core.events import EventType, emit
from xinjian.sharing import actions
from xinjian.sharing.models import Delivery
from xinjian.sharing.push import SIGNATURE_HEADER, deliver_due, fanout, verify

pytestmark = pytest.mark.django_db
SECRET = "s3cret-shared-with-receiver"


class Receiver:
    """An HTTP receiver in a thread; refuses (503) the first `down_for` requests."""

    def __init__(self, down_for: int = 0):
        self.down_for = down_for
        self.requests = 0
        self.acknowledged: list[dict] = []
        self.bad_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests += 1
                if not verify(SECRET, body, self.headers.get(SIGNATURE_HEADER, "")):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                elif receiver.requests <= receiver.down_for:
                    self.send_response(503)
                else:
                    receiver.acknowledged.append(json.loads(body))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _emit_changes(usccs: list[str], rounds: int) -> list[int]:
    ids = []
    with transaction.atomic():
        for r in range(rounds):
            for u in usccs:
                t = EventType.LISTING_ADDED if r % 2 == 0 else EventType.LISTING_REMOVED
                ids.append(emit(t, uscc=u, region_code="440305", data={"round": r}).id)
        emit(EventType.COMPLAINT_RECORDED, uscc=usccs[0], region_code="440305")  # never leaves the platform
    return ids


def _subscribe(url: str, **kw):
    sub, _ = actions.create_subscription(
        actor="test",
        name="住建局",
        department="深圳市住房和建设局",
        endpoint=url,
        event_types=["listing.added", "listing.removed"],
        secret=SECRET,
        **kw,
    )
    return sub


def test_every_message_arrives_once_acknowledged_in_order_per_enterprise_with_valid_signatures():
    with Receiver(down_for=5) as rx:
        sub = _subscribe(
            rx.url,
        )
        sub.backoff_seconds = 10
        sub.save()
        ids = _emit_changes(["A" * 18, "B" * 18, "C" * 18], rounds=4)
        fanout()
        assert Delivery.objects.count() == len(ids)
        now = timezone.now()
        for _ in range(40):
            deliver_due(now=now, timeout=5)
            if not Delivery.objects.exclude(status="delivered").exists():
                break
            now += dt.timedelta(minutes=30)
        assert not Delivery.objects.exclude(status="delivered").exists()
        assert rx.bad_signatures == 0 and rx.requests > len(ids)  # the first attempts were refused
        got = [int(m["event"]["cursor"]) for m in rx.acknowledged]
        assert sorted(got) == sorted(ids) and len(set(got)) == len(got)  # nothing lost, once each
        for u in ("A" * 18, "B" * 18, "C" * 18):
            seq = [int(m["event"]["cursor"]) for m in rx.acknowledged if m["event"]["uscc"] == u]
            assert seq == sorted(seq)


def test_retries_back_off_exponentially_and_wait_until_due():
    with Receiver(down_for=100) as rx:
        sub = _subscribe(rx.url)
        _emit_changes(["A" * 18], rounds=1)
        fanout()
        now = timezone.now()
        deliver_due(now=now)
        d = Delivery.objects.get()
        assert d.attempts == 1 and d.next_attempt_at == now + dt.timedelta(seconds=sub.backoff_seconds)
        deliver_due(now=now + dt.timedelta(seconds=sub.backoff_seconds - 1))
        assert Delivery.objects.get().attempts == 1
        deliver_due(now=d.next_attempt_at)
        d.refresh_from_db()
        assert d.attempts == 2 and d.next_attempt_at == now + dt.timedelta(seconds=sub.backoff_seconds * 3)


def test_a_dead_letter_is_replayed_from_the_staff_page_and_later_messages_follow_in_order(
    client, province_officer
):
    with Receiver(down_for=3) as rx:
        sub = _subscribe(rx.url)
        sub.max_attempts, sub.backoff_seconds = 3, 1
        sub.save()
        ids = _emit_changes(["A" * 18], rounds=2)
        fanout()
        now = timezone.now()
        for i in range(6):
            deliver_due(now=now + dt.timedelta(seconds=10 * i))
        first, second = Delivery.objects.order_by("id")
        assert (
            first.status == "dead" and second.status == "pending" and second.attempts == 0
        )  # held back in order
        client.force_login(province_officer)  # a province-wide subscription (issue 13)
        page = client.get(reverse("sharing:deliveries"), {"status": "dead"}).content.decode()
        assert f"delivery-{first.pk}" in page
        r = client.post(reverse("sharing:replay", args=[first.pk]))
        assert r.status_code == 302
        deliver_due(now=timezone.now() + dt.timedelta(seconds=1))
        assert [int(m["event"]["cursor"]) for m in rx.acknowledged] == ids
        assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_endpoints_must_be_https_except_loopback():
    from xinjian.core.errors import DomainError

    with pytest.raises(DomainError):
        _subscribe("http://example.gov.cn/hook")
    assert _subscribe("https://example.gov.cn/hook").pk
