"""`manage.py score`: classify every enterprise with the active models (interfaces.md)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand

from xinjian.core.actors import Actor
from xinjian.risk import actions


class Command(BaseCommand):
    help = "用生效的模型对全部市场主体进行信用风险分类"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", type=dt.date.fromisoformat, help="评分基准日（默认今天）")
        parser.add_argument("--model", action="append", help="只运行指定模型（可重复）")

    def handle(self, *args: Any, **opts: Any) -> None:
        runs = actions.score_all(actor=Actor("system:score"), as_of=opts["as_of"], models=opts["model"])
        if not runs:
            self.stdout.write("没有生效的模型版本")
        for run in runs:
            counts = " ".join(f"{c}={n}" for c, n in run.counts.items())
            self.stdout.write(
                f"{run.version.label}: {run.assessed} 户 {counts} 类别变化 {run.changes} "
                f"耗时 {run.duration_ms / 1000:.2f} s"
            )
