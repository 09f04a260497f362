"""`manage.py export_model [--number N] [--out FILE]`: the signed artefact of a version
of the general model (default: the active one), for provinces to adopt (ADR 0097)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinjian.core.actors import Actor
from xinjian.core.errors import DomainError, describe
from xinjian.risk import actions
from xinjian.risk.artefact import GENERAL
from xinjian.risk.models import ModelVersion, RiskModel


class Command(BaseCommand):
    help = "将通用模型的一个版本导出为签名模型文件"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--number", type=int, help="版本号（默认：生效版本）")
        parser.add_argument("--out", help="输出文件或目录（默认：当前目录下按版本命名）")

    def handle(self, *args: Any, **opts: Any) -> None:
        model = RiskModel.objects.get(code=GENERAL)
        if opts["number"]:
            version = ModelVersion.objects.filter(model=model, number=opts["number"]).first()
            if version is None:
                raise CommandError(f"通用模型没有版本 {opts['version']}")
        else:
            version = model.active_version()
            if version is None:
                raise CommandError("通用模型没有生效版本；用 --number 指定")
        try:
            name, data = actions.export_general_model(version, actor=Actor("system:export_model"))
        except DomainError as e:
            raise CommandError(f"[{e.code}] {describe(e)}")
        out = Path(opts["out"] or ".")
        path = out / name if out.is_dir() else out
        path.write_bytes(data)
        self.stdout.write(f"{version.label} → {path}（{len(data)} 字节）")
