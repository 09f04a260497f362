"""`manage.py demo --enterprises N [--seed S] [--if-empty]`: a synthetic province."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinjian.demo.generator import generate
from xinjian.demo.integrity import demo_integrity
from xinjian.demo.users import ensure_demo_users
from xinjian.registry.models import Enterprise


class Command(BaseCommand):
    help = "生成确定性的演示省份：企业、许可、五年监管历史与演示账号（同一种子生成相同数据）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--enterprises", type=int, default=3000, help="企业数量")
        parser.add_argument("--seed", type=int, default=1, help="随机种子")
        parser.add_argument("--if-empty", action="store_true", help="登记库已有企业时不生成")
        parser.add_argument(
            "--province",
            default=None,
            help="省级区划代码（如 320000），企业分布在该省的市县；默认本平台的 XINJIAN_PROVINCE",
        )
        parser.add_argument("--chunk", type=int, default=50_000, help="每批企业数（影响内存与确定性）")
        parser.add_argument(
            "--prepare",
            action="store_true",
            help="生成后按演示情节推进到稳定运行状态：到期规则、风险模型与评分、抽查任务、名单、承诺、信用修复，"
            "每个演示账号都有待办",
        )

    def handle(
        self,
        *args: Any,
        enterprises: int,
        seed: int,
        if_empty: bool,
        chunk: int,
        prepare: bool = False,
        **options: Any,
    ) -> None:
        if enterprises < 1:
            raise CommandError("--enterprises 至少为 1")
        from django.conf import settings

        province = options.get("province")
        if province and settings.XINJIAN_PROVINCE not in ("000000", province):
            raise CommandError(
                f"--province {province} 不在本平台辖区（XINJIAN_PROVINCE={settings.XINJIAN_PROVINCE}）内"
            )
        existing = Enterprise.objects.count()
        if if_empty and existing:
            self.stdout.write(f"登记库已有 {existing} 家企业，跳过演示数据生成（--if-empty）。")
            return
        started = time.monotonic()
        try:
            stats = generate(
                enterprises,
                seed,
                chunk=chunk,
                province=options.get("province"),
                progress=lambda msg: self.stdout.write(f"  {msg}") if options["verbosity"] > 1 else None,
            )
        except RuntimeError as exc:  # no divisions: the database is not migrated
            raise CommandError(str(exc)) from exc
        ensure_demo_users()
        demo_integrity()  # 诚信建设 and an industry association (seed 十四)
        counts = "，".join(f"{k} {v}" for k, v in stats.counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"演示省份已生成（种子 {seed}）：{counts}；用时 {time.monotonic() - started:.1f} 秒。"
            )
        )
        if prepare:
            self._prepare()

    def _prepare(self) -> None:
        """Bring the fresh province to the state a running platform would be in (issue 14:
        a living province): the story's steps (`xinjian.demo.story`) — due clocks, risk
        models, inspections done and in progress, lists in every state, commitments,
        repairs, and work in every demo login's queue."""
        from xinjian.demo import story

        story.run(out=self.stdout.write, stdout=self.stdout, stderr=self.stderr)
