"""`manage.py risk_worker [--once]`: read the event log from the risk cursor, mark the
enterprises whose records changed, and rescore them incrementally. Stops cleanly on
SIGTERM/SIGINT between batches."""

from __future__ import annotations

import signal
import time
from typing import Any

from django.core.management.base import BaseCommand

from xinjian.core.actors import Actor
from xinjian.risk import actions


class Command(BaseCommand):
    help = "根据新归集的记录增量重评风险分类"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="处理完当前积压后退出")
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument("--sleep", type=float, default=5.0)

    def handle(self, *args: Any, **opts: Any) -> None:
        stop = {"now": False}

        def on_signal(signum: int, frame: Any) -> None:
            stop["now"] = True

        signal.signal(signal.SIGTERM, on_signal)
        signal.signal(signal.SIGINT, on_signal)
        actor = Actor("system:risk_worker")
        while not stop["now"]:
            read = actions.read_events()
            rescored = 0
            while not stop["now"]:
                runs = actions.rescore_marked(actor=actor, limit=opts["batch"])
                if not runs:
                    break
                rescored += max(r.assessed for r in runs)
            if read or rescored or opts["once"]:
                self.stdout.write(f"读取事件 {read} 条，重评 {rescored} 户")
            if opts["once"]:
                return
            time.sleep(opts["sleep"])
