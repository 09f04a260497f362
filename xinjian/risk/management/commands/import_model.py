"""`manage.py import_model FILE [--bands own|hub]` or `import_model --from-peer NAME`: a
signed general-model artefact becomes a draft version of this province's general model,
validated on its own history; activate it on the version page (ADR 0097). A refused
artefact stores nothing and exits non-zero naming the field and code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinjian.core.actors import Actor
from xinjian.core.errors import DomainError
from xinjian.risk import actions


def fetch_from_peer(name: str) -> bytes:
    """The latest artefact a peer (collection.Peer: address and share token) serves."""
    import requests

    from xinjian.collection.models import Peer

    peer = Peer.objects.filter(name=name).first()
    if peer is None:
        raise CommandError(f"没有名为 {name} 的联邦对端")
    base = peer.url.rstrip("/").removesuffix("/api/v1/records")
    url = f"{base}/api/v1/models/general/latest"
    try:
        answer = requests.get(url, headers={"Authorization": f"Bearer {peer.token}"}, timeout=60)
    except requests.RequestException as e:
        raise CommandError(f"无法连接 {url}：{e}")
    if answer.status_code != 200:
        raise CommandError(f"{url} 返回 {answer.status_code}：{answer.text[:500]}")
    return answer.content


class Command(BaseCommand):
    help = "导入签名的通用模型文件，生成本省通用模型的草稿版本"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", nargs="?", help="模型文件")
        parser.add_argument("--from-peer", help="从联邦对端（如全国中心）获取其最新生效的通用模型")
        parser.add_argument(
            "--bands",
            choices=actions.BAND_CHOICES,
            default="own",
            help="own：沿用本省分类区间（默认）；hub：采用模型文件中的分类区间",
        )
        parser.add_argument("--note", default="", help="说明")

    def handle(self, *args: Any, **opts: Any) -> None:
        if bool(opts["file"]) == bool(opts["from_peer"]):
            raise CommandError("请给出模型文件，或用 --from-peer 指定对端（二选一）")
        data = fetch_from_peer(opts["from_peer"]) if opts["from_peer"] else Path(opts["file"]).read_bytes()
        try:
            version = actions.import_general_model(
                data, actor=Actor("system:import_model"), bands=opts["bands"], note=opts["note"]
            )
        except DomainError as e:
            details = "；".join(f"{d['field']} [{d['code']}] {d['message']}" for d in e.details)
            raise CommandError(f"[{e.code}] {e.message}" + (f"（{details}）" if details else ""))
        o = version.origin
        self.stdout.write(
            f"已导入 {o['source_province']} 的 {o['version']}（{o['sha256'][:12]}）为草稿 {version.label}"
        )
        v = (version.validation or {}).get("validation") or {}
        if v:
            self.stdout.write(
                f"  本省验证期 {v['as_of']} → {v['window_end']}：AUC {v.get('auc')} D/A {v.get('d_over_a')} "
                f"提升 {(v.get('draw') or {}).get('lift')}"
            )
        else:
            self.stdout.write("  本省尚无检查记录，未能在本省数据上验证")
        self.stdout.write(
            f"  分类区间：{'采用模型文件的区间' if o['bands']['choice'] == 'hub' else '沿用本省'}"
        )
