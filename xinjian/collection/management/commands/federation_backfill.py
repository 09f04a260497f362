"""`python manage.py federation_backfill [--again]`: put every stored record into the
record feed once (a `record.backfilled` event each), for an instance that joins a
federation with records stored before they had events — the demo generator's, or a
register loaded in bulk. Harmless to a peer that has them already (ingest is idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinjian.collection.feed import BACKFILLED, backfill
from xinjian.core.models import Event


class Command(BaseCommand):
    help = "将已有记录补入记录变更接口（加入联邦前运行一次）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--again", action="store_true", help="已补入过时仍再补入一次")

    def handle(self, *args: Any, again: bool = False, **options: Any) -> None:
        if Event.objects.filter(type=BACKFILLED).exists() and not again:
            raise CommandError("已补入过（有 record.backfilled 事件）；确需再次补入请加 --again")
        counts = backfill()
        self.stdout.write("backfilled: " + ", ".join(f"{k} {n}" for k, n in counts.items()))
