"""`python manage.py pull PEER` or `python manage.py pull --from URL --token TOKEN --source
NAME [--once]` (interfaces.md v1.1 "Federation"): read a peer's record feed from where the
last pull stopped and ingest it here under the source NAME, with a progress bar and a
summary. Each page is one transaction with the cursor's move: a pull killed half-way is
resumed by running it again, and nothing is lost or stored twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinjian.collection.federation import PAGE, Puller, PullError
from xinjian.collection.models import Peer


class Command(BaseCommand):
    help = "从联邦对端的记录变更接口汇聚记录（从上次的游标继续）"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("peer", nargs="?", help="已登记的对端名称（联邦对端）")
        parser.add_argument("--from", dest="url", help="对端地址，如 http://127.0.0.1:8001")
        parser.add_argument("--token", help="对端签发的 share 权限令牌")
        parser.add_argument("--source", help="汇聚来的记录的提供方名称（即对端名称）")
        parser.add_argument("--once", action="store_true", help="只读取一页")
        parser.add_argument("--page-size", type=int, default=PAGE, help="每页记录数（1–1000）")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args: Any, **opts: Any) -> None:
        from tqdm import tqdm

        peer = self._peer(opts)
        if not 1 <= opts["page_size"] <= 1000:
            raise CommandError("--page-size 应在 1–1000 之间")
        bar = tqdm(
            total=max(peer.lag, 1),
            initial=0,
            unit="pos",
            desc=f"pull {peer.name}",
            disable=opts["no_progress"],
            dynamic_ncols=True,
        )
        start = peer.cursor

        def progress(n: int, cursor: int, head: int) -> None:
            bar.total = max(head - start, 1)
            bar.n = cursor - start
            bar.set_postfix(records=puller.summary.received, refresh=False)
            bar.refresh()

        puller = Puller(peer, page_size=opts["page_size"], progress=progress)
        try:
            s = puller.run(once=opts["once"])
        except PullError as e:
            raise CommandError(f"{peer.name}: {e}")
        finally:
            bar.close()
        peer = puller.peer
        kinds = "，".join(f"{k} {n}" for k, n in sorted(s.kinds.items())) or "无"
        self.stdout.write(
            f"{peer.name}: {s.received} records in {s.pages} pages ({kinds}); "
            f"created {s.created}, updated {s.updated}, unchanged {s.unchanged}, "
            f"rejected {s.rejected}, pending {s.pending}, archived {s.archived}, receipts {s.receipts}; cursor {peer.cursor} of {peer.head}"
        )

    def _peer(self, opts: dict[str, Any]) -> Peer:
        name = opts["peer"] or opts["source"]
        if not name:
            raise CommandError("给出对端名称 PEER，或 --from URL --token TOKEN --source NAME")
        if opts["peer"] and opts["source"] and opts["peer"] != opts["source"]:
            raise CommandError("PEER 与 --source 不一致")
        peer = Peer.objects.filter(name=name).first()
        if opts["url"] or opts["token"]:
            if not (opts["url"] and opts["token"]):
                raise CommandError("--from 与 --token 须同时给出")
            # The command line names the peer: it is saved, with its cursor, for the next pull.
            peer, _ = Peer.objects.update_or_create(
                name=name[:100], defaults={"url": opts["url"], "token": opts["token"]}
            )
        if peer is None:
            raise CommandError(f"没有名为 {name!r} 的联邦对端：在管理页面登记，或给出 --from 与 --token")
        if not peer.active:
            raise CommandError(f"联邦对端 {name!r} 已停用")
        return peer
