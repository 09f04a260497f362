"""`manage.py export_open_data [--date YYYY-MM-DD]`: write the day's open-data files
(CSV, JSON Lines, data dictionary, SHA-256 checksums). Idempotent: a day is rewritten."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from xinjian.core.actors import CLOCK
from xinjian.core.workdays import today
from xinjian.disclosure.exports import export_dir, export_open_data


class Command(BaseCommand):
    help = "生成开放数据文件（当日处于公示期内的全部公示信息）"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--date", help="数据日期 YYYY-MM-DD（默认今天，北京时间）")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        try:
            on = dt.date.fromisoformat(opts["date"]) if opts["date"] else today()
        except ValueError:
            raise CommandError("--date 应为 YYYY-MM-DD")
        files = export_open_data(on, actor=CLOCK)
        for f in files:
            self.stdout.write(f"{f.sha256}  {f.filename}  ({f.rows} rows, {f.size} bytes)")
        self.stdout.write(f"{len(files)} files in {export_dir(on)}")
