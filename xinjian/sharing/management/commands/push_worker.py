"""python manage.py push_worker [--once] [--interval S]

Queues new shareable events for every matching subscription, then POSTs every due
delivery (signed, in order per enterprise); failures are retried with exponential
backoff and dead-lettered after the subscription's last attempt. Several workers may run
on PostgreSQL (SKIP LOCKED); one on SQLite. SIGTERM finishes the current pass."""

import signal
import time

from django.core.management.base import BaseCommand

from xinjian.sharing.push import deliver_due, fanout


class Command(BaseCommand):
    help = "Deliver pushes to subscribers (--once: one pass, then exit)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0)
        parser.add_argument("--timeout", type=float, default=10.0, help="HTTP timeout per POST (s)")

    def handle(self, *args, once=False, interval=5.0, timeout=10.0, **options):
        stop = False

        def on_term(*_):
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, on_term)
        while True:
            queued = fanout()
            counts = deliver_due(timeout=timeout)
            self.stdout.write(
                f"queued {queued} deliveries; delivered {counts['delivered']}, "
                f"retry {counts['retry']}, dead {counts['dead']}"
            )
            if once or stop:
                return
            time.sleep(interval)
