"""`manage.py demo_repair`: credit-repair applications for the demo province, one at each
step of the workflow (submitted, overdue, accepted, done), on records that are eligible
today — the demo enterprise user's own records first. `demo --prepare` calls it.
Idempotent: once demo applications exist it does nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from xinjian.collection.models import Penalty
from xinjian.core.actors import CLOCK, Actor
from xinjian.core.errors import DomainError
from xinjian.core.workdays import today, working_days_between
from xinjian.disclosure import policy
from xinjian.lists.models import AnomalyListing, AnomalyStatus, SeriousListing, SeriousStatus
from xinjian.repair import actions, clocks, eligibility
from xinjian.repair.models import RepairApplication, RepairKind

from ...places import demo_places
from ...users import demo_enterprise

DEMO = Actor("demo")
TEXT = "本企业已全部履行行政处罚决定（或已消除列入事由），完成整改并消除不良影响，特申请信用修复。"
PROOF = "罚没款缴纳凭证、整改报告、情况说明（演示材料说明）"


def _candidates(limit: int) -> list[tuple[str, Any]]:
    """Eligible records today, the demo enterprise's first."""
    day = today()
    found: list[tuple[str, Any]] = []
    own = demo_enterprise()
    if own is not None:
        found += [(k, t) for k, t, c in eligibility.candidates(own, day) if c.eligible]
    penalties = policy.visible_penalties(Penalty.objects.filter(enterprise__source="demo"), day)
    # The demo county's officers (demo_nanshan) should find work in their own queue.
    county = demo_places().county
    for qs in (
        penalties.filter(enterprise__region_code=county),
        penalties.exclude(enterprise__region_code=county),
    ):
        for p in qs.select_related("enterprise").order_by("id")[:300]:
            if len(found) >= limit:
                break
            if eligibility.for_penalty(p, day).eligible:
                found.append((RepairKind.PENALTY_PUBLICATION, p))
    for a in AnomalyListing.objects.filter(status=AnomalyStatus.LISTED).select_related("enterprise")[:50]:
        if eligibility.for_anomaly(a, day).eligible:
            found.append((RepairKind.ANOMALY, a))
            break
    for s in SeriousListing.objects.filter(status=SeriousStatus.PUBLISHED).select_related("enterprise")[:50]:
        if eligibility.for_serious(s, day).eligible:
            found.append((RepairKind.SERIOUS, s))
            break
    seen: set[tuple[str, int]] = set()
    unique = []
    for k, t in found:
        if (k, t.pk) not in seen:
            seen.add((k, t.pk))
            unique.append((k, t))
    return unique[:limit]


class Command(BaseCommand):
    help = "生成演示用信用修复申请：已提交、受理超期、已受理、已办结"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--count", type=int, default=6, help="申请份数上限")

    def handle(self, *args: Any, count: int, **options: Any) -> None:
        if RepairApplication.objects.filter(submitted_by=DEMO.label).exists():
            self.stdout.write("演示信用修复申请已存在，跳过。")
            return
        day = today()
        made = 0
        for i, (kind, target) in enumerate(_candidates(count)):
            step = i % 4
            # The "overdue" one was submitted some working days ago and not yet accepted.
            on = day
            if step == 1:
                on = next(
                    (
                        day.fromordinal(day.toordinal() - d)
                        for d in range(4, 12)
                        if working_days_between(day.fromordinal(day.toordinal() - d), day) >= 3
                    ),
                    day,
                )
            try:
                with transaction.atomic():
                    app = actions.apply(
                        target.enterprise,
                        actor=DEMO,
                        kind=kind,
                        target_id=target.pk,
                        application_text=TEXT,
                        proof_description=PROOF,
                        commitment_confirmed=True,
                        on=on,
                    )
                    if step >= 2:
                        actions.accept(app, actor=DEMO, on=day)
                    if step == 3 and not app.onsite_required:
                        actions.approve(
                            app,
                            actor=DEMO,
                            decision_no=f"演示信修〔{day.year}〕{i + 1}号",
                            confirmed=True,
                            on=day,
                        )
                        actions.update_publication(app, actor=DEMO, on=day)
            except DomainError as e:
                self.stdout.write(f"跳过 {target}：{e.message}")
                continue
            made += 1
        flagged = clocks.flag_overdue(day, actor=CLOCK)
        self.stdout.write(self.style.SUCCESS(f"演示信用修复申请 {made} 份（超期标记 {flagged} 份）。"))
