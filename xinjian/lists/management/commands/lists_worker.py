"""python manage.py lists_worker [--once] [--interval S]

Reads the event log from the lists' cursor and makes collected facts take effect
(heavier penalties → proposals, revoked penalties → revocations, filed reports →
removals, inspection findings → drafts, list decisions → applied). `run_clocks` runs the
same step, so nothing waits for this worker forever."""

import signal
import time

from django.core.management.base import BaseCommand

from xinjian.core.workdays import today
from xinjian.lists.reactions import apply_list_decisions, react


class Command(BaseCommand):
    help = "Apply list consequences of new events (--once: one pass, then exit)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--interval", type=float, default=5.0)

    def handle(self, *args, once=False, interval=5.0, **options):
        stop = False

        def on_term(*_):
            nonlocal stop
            stop = True

        signal.signal(signal.SIGTERM, on_term)
        while True:
            n = react()
            m = apply_list_decisions(today())
            self.stdout.write(f"list changes from events: {n}, list decisions applied: {m}")
            if once or stop:
                return
            time.sleep(interval)
