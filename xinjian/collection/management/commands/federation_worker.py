"""`python manage.py federation_worker [--once] [--idle S]`: the production loop of
federation — pull every active peer (the "联邦对端" table) until caught up, wait, repeat.
An error on one peer is saved on it (the staff page shows it) and the others go on.
SIGTERM finishes the round in hand."""

from __future__ import annotations

import signal
from typing import Any

from django.core.management.base import BaseCommand

from xinjian.collection.federation import pull_all


class Command(BaseCommand):
    help = "持续从各联邦对端汇聚记录（--once：只轮询一遍）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument("--idle", type=float, default=30.0, help="追平后等待的秒数")

    def handle(self, *args: Any, once: bool = False, idle: float = 30.0, **options: Any) -> None:
        stop = {"now": once}

        def on_term(*_: Any) -> None:
            stop["now"] = True

        signal.signal(signal.SIGTERM, on_term)
        pull_all(idle=idle, stop=lambda: stop["now"], log=self.stdout.write)
