"""`python manage.py ingest KIND FILE [--source NAME]`: load a large CSV/XLSX/JSONL file
through the same ingest as the API, streamed chunk by chunk, with a progress bar and a
summary. Rerunning after an interruption completes the work (stored records count as
unchanged)."""

from __future__ import annotations

import signal
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinjian.collection.actions import ingest_records
from xinjian.collection.ingest.files import BlockSource, FileFormatError, read_file
from xinjian.collection.ingest.kinds import KINDS, get_kind
from xinjian.core.actors import Actor


class Command(BaseCommand):
    help = "导入一个大文件（CSV/XLSX/JSONL）的归集记录"
    # The system checks import every URLconf (seconds on a loaded machine) and check
    # nothing this command uses; `manage.py check` and CI run them.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:

        parser.add_argument("kind", choices=sorted(KINDS))
        parser.add_argument("file")
        parser.add_argument("--source", default="", help="提供方名称（默认 import:<文件名>）")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入")
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument("--timings", action="store_true", help="在标准错误输出各阶段用时")
        parser.add_argument("--chunk-size", type=int, default=None, help="每个事务的记录数（默认按数据库）")

    def handle(self, *args: Any, **opts: Any) -> None:
        from tqdm import tqdm

        from xinjian.collection.actions import mark_interrupted
        from xinjian.collection.ingest.files import COMMAND_LIMITS

        path = Path(opts["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        kind = get_kind(opts["kind"])
        source = opts["source"] or f"import:{path.stem}"[:100]
        actor = Actor("command:ingest")
        for old in mark_interrupted(actor=actor):
            self.stderr.write(f"批次 {old.id} 上次未完成，已标记为中断：{old.error}")
        stop = {"now": False}

        def on_term(signum: int, frame: Any) -> None:
            stop["now"] = True  # finish the chunk in hand, then stop cleanly

        previous = signal.signal(signal.SIGTERM, on_term)
        started = time.monotonic()
        with path.open("rb") as fh:
            try:
                sheet = read_file(kind, fh, path.name, COMMAND_LIMITS)
            except FileFormatError as e:
                raise CommandError(str(e))
            for note in sheet.notes:
                self.stderr.write(note)
            bar = tqdm(unit="条", disable=opts["no_progress"], mininterval=0.5, desc=kind.label)

            def records() -> Any:
                for rec in sheet.records:
                    if stop["now"]:
                        break
                    yield rec

            # A CSV file reaches the set-based kinds a block of rows at a time, column by
            # column (ADR 0067); SIGTERM stops the reading between blocks.
            feed = BlockSource(sheet.blocks, lambda: stop["now"]) if sheet.blocks is not None else records()

            if opts["dry_run"]:
                total = bad = 0
                try:
                    for rec in records():
                        total += 1
                        _, errors = kind.validate(rec)
                        bad += bool(errors)
                        bar.update(1)
                except FileFormatError as e:
                    raise CommandError(f"第{total + 1}条之后停止：{e}")
                bar.close()
                self.stdout.write(f"校验 {total} 条：{total - bad} 条有效，{bad} 条有误（未写入）")
                return
            timings: dict[str, float] = {}
            try:
                batch, _ = ingest_records(
                    kind.name,
                    feed,
                    timings=timings,
                    chunk_size=opts["chunk_size"],
                    actor=actor,
                    source=source,
                    channel="command",
                    file_name=path.name,
                    keep_results=False,
                    progress=bar.update,
                )
            except FileFormatError as e:
                # The chunks before the damage are stored; the batch is marked failed.
                raise CommandError(f"{e}；此前的分块已写入，修正文件后重新运行即可继续")
            bar.close()
        signal.signal(signal.SIGTERM, previous)
        elapsed = time.monotonic() - started
        if opts["timings"]:
            for stage, seconds in sorted(timings.items(), key=lambda kv: -kv[1]):
                self.stderr.write(f"  {stage:<34} {seconds:8.2f} s")
        rate = batch.received / elapsed if elapsed else 0
        self.stdout.write(
            f"批次 {batch.id}：接收 {batch.received}，新增 {batch.created}，更新 {batch.updated}，"
            f"未变化 {batch.unchanged}，拒收 {batch.rejected_count}，待关联 {batch.pending_count}；"
            f"用时 {elapsed:.1f} 秒（{rate:,.0f} 条/秒）"
            + ("；已按SIGTERM提前停止，重新运行即可继续" if stop["now"] else "")
        )
