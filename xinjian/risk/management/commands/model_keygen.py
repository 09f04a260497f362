"""`manage.py model_keygen PREFIX`: an Ed25519 key pair for signing general-model
artefacts (ADR 0097): PREFIX.key (private, owner-only: XINJIAN_MODEL_SIGNING_KEY of the
exporting hub) and PREFIX.pub (give it to the provinces: XINJIAN_MODEL_TRUSTED_KEYS)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinjian.risk.artefact import generate_keypair


class Command(BaseCommand):
    help = "生成签名通用模型文件所用的 Ed25519 密钥对"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("prefix", help="密钥文件路径前缀，如 var/keys/hub（生成 hub.key 与 hub.pub）")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            private, public, kid = generate_keypair(Path(opts["prefix"]))
        except FileExistsError as e:
            raise CommandError(f"密钥文件已存在，不覆盖：{e}")
        self.stdout.write(f"私钥 {private}（仅本机保存）\n公钥 {public}\n密钥标识 {kid}")
        self.stdout.write(f"导出方：XINJIAN_MODEL_SIGNING_KEY={private}")
        self.stdout.write(f"导入方：XINJIAN_MODEL_TRUSTED_KEYS={public}")
