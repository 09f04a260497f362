"""`manage.py calibrate [--activate]`: learn new versions of the models from the
inspection history, print their validation figures, activate them with --activate."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xinjian.core.actors import Actor
from xinjian.risk import actions
from xinjian.risk.calibration import NotEnoughHistory
from xinjian.risk.models import RiskModel


def summary_lines(version: Any) -> list[str]:
    r = version.validation
    v = r["validation"]
    lines = [
        f"{version.label}（{version.model.name}）  验证期 {v['as_of']} → {v['window_end']}，"
        f"检查 {v['inspections']} 次，发现问题 {v['problems']} 次"
    ]
    lines.append(
        f"  AUC {v.get('auc')}  KS {v.get('ks')}  训练期 AUC {r['training'].get('auc')}  "
        f"PSI（上次评分）{r.get('psi_vs_previous_run')}  PSI（训练期）{r.get('psi_vs_training')}"
    )
    rates = "  ".join(
        f"{c}: {b['problems']}/{b['inspections']}={b['rate']}" for c, b in v["by_class"].items()
    )
    lines.append(f"  各类检查发现问题率  {rates}  D/A = {v.get('d_over_a')}")
    d = v["draw"]
    lines.append(
        f"  按类加权抽查 {d['size']} 户：预计发现 {d['weighted_problems']}，等量随机 {d['uniform_problems']}，"
        f"提升 {d['lift']} 倍"
    )
    t = r["targets"]
    lines.append(
        "  目标："
        + "  ".join(f"{k} {x['value']} ≥ {x['target']} {'✓' if x['met'] else '✗'}" for k, x in t.items())
    )
    if r.get("active_version"):
        a = r["active_version"]
        lines.append(f"  对照现行 {a['label']}：AUC {a['auc']} D/A {a['d_over_a']} 提升 {a['lift']}")
    return lines


class Command(BaseCommand):
    help = "用检查历史校准风险分类模型并输出验证指标"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--activate", action="store_true", help="校准后启用新版本")
        parser.add_argument("--model", action="append", help="只校准指定模型（可重复）")
        parser.add_argument("--snapshots", type=int, default=2, help="训练快照个数（每个 12 个月）")

    def handle(self, *args: Any, **opts: Any) -> None:
        actor = Actor("system:calibrate")
        done = 0
        for model in RiskModel.objects.all():
            if opts["model"] and model.code not in opts["model"]:
                continue
            try:
                version = actions.draft_version(model, actor=actor, train_snapshots=opts["snapshots"])
            except NotEnoughHistory as e:
                self.stderr.write(f"{model.name}: {e}")
                continue
            done += 1
            for line in summary_lines(version):
                self.stdout.write(line)
            if opts["activate"]:
                actions.activate_version(version, actor=actor, reason="manage.py calibrate --activate")
                self.stdout.write(f"  已启用 {version.label}")
        if not done:
            raise CommandError("没有模型完成校准")
