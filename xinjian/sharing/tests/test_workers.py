"""The worker commands, and several push workers side by side on PostgreSQL."""

from __future__ import annotations

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction

from xinjian.core.events import EventType, emit
from xinjian.sharing import actions
from xinjian.sharing.models import Delivery
from xinjian.sharing.push import deliver_due, fanout

from .test_push import SECRET, Receiver


@pytest.mark.django_db
def test_push_worker_once_queues_and_delivers():
    with Receiver() as rx:
        actions.create_subscription(
            actor="t",
            name="税务",
            department="税务局",
            endpoint=rx.url,
            event_types=["listing.added"],
            secret=SECRET,
        )
        with transaction.atomic():
            emit(EventType.LISTING_ADDED, uscc="A" * 18, region_code="440305")
        out = io.StringIO()
        call_command("push_worker", "--once", stdout=out)
        assert "delivered 1" in out.getvalue() and len(rx.acknowledged) == 1


@pytest.mark.django_db
def test_lists_worker_once_runs_the_reactions(enterprise_factory):
    out = io.StringIO()
    call_command("lists_worker", "--once", stdout=out)
    assert "list changes from events: 0" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_on_postgresql_never_send_a_message_twice():
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED claims: PostgreSQL only (SQLite runs one worker)")
    with Receiver() as rx:
        actions.create_subscription(
            actor="t",
            name="银保",
            department="金融监管局",
            endpoint=rx.url,
            event_types=["listing.added"],
            secret=SECRET,
        )
        with transaction.atomic():
            for i in range(30):
                emit(EventType.LISTING_ADDED, uscc=f"{i % 10:018d}", region_code="440305")
        fanout()

        def work():
            try:
                deliver_due()
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work) for _ in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        deliver_due()
        cursors = [m["event"]["cursor"] for m in rx.acknowledged]
        assert len(cursors) == 30 == len(set(cursors))
        assert set(Delivery.objects.values_list("status", flat=True)) == {"delivered"}
        for u in {m["event"]["uscc"] for m in rx.acknowledged}:
            seq = [int(m["event"]["cursor"]) for m in rx.acknowledged if m["event"]["uscc"] == u]
            assert seq == sorted(seq)
