"""`manage.py demo_commitments [--seed S]`: commitments from a (demo) approval system and
their verification — a random sample of notification-and-commitment approvals, a few
commitments found kept, a few untrue with consequences (one rectification overdue) — on
whatever enterprises the register holds. The `demo --prepare` path calls it. Idempotent:
once the demo commitments exist it does nothing."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from xinjian.collection.models import CommitmentKind, CommitmentRecord
from xinjian.commitments import actions, clocks
from xinjian.commitments.models import Verification
from xinjian.core.actors import CLOCK, Actor
from xinjian.core.errors import DomainError
from xinjian.core.models import CalendarYear
from xinjian.core.workdays import today, working_days_between
from xinjian.registry.models import Enterprise

from ...places import demo_places

DEMO = Actor("demo")
SOURCE = "demo-approval"
MATTERS = [
    ("notification", "食品生产许可（告知承诺办理）"),
    ("notification", "食品生产许可延续（告知承诺办理）"),
    ("notification", "特种设备生产许可（告知承诺办理）"),
    ("registration", "企业设立登记住所（经营场所）承诺"),
    ("public", "食品安全主体责任主动公开承诺"),
]


def _days_into_unknown_year(start: dt.date, usual: int = 15) -> int:
    """Working days from `start` to a few days into the first year without holiday data
    (so the demo shows a provisional deadline), or `usual` when that is too far off."""

    year = start.year + 1
    while CalendarYear.objects.filter(year=year).exists():
        year += 1
    n = working_days_between(start, dt.date(year, 1, 8))
    return n if usual <= n <= 60 else usual


class Command(BaseCommand):
    help = "生成演示用信用承诺及其核查：随机抽取告知承诺、承诺属实与承诺不实（含处理措施）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--seed", type=int, default=1, help="随机种子")

    def handle(self, *args: Any, seed: int, **options: Any) -> None:
        if CommitmentRecord.objects.filter(source=SOURCE).exists():
            self.stdout.write("演示承诺已存在，跳过。")
            return
        operating = Enterprise.objects.filter(status="operating").order_by("id")
        places = demo_places()
        county = list(operating.filter(region_code=places.county)[:30])
        others = list(operating.exclude(region_code=places.county)[:60])
        if not county and not others:
            self.stdout.write("登记库中没有企业，跳过演示承诺。")
            return
        rng = random.Random(seed)
        day = today()
        with transaction.atomic():
            made = self._commitments(county + others, rng, day)
        sample = self._sample(day, seed)
        concluded = self._verify(county, day)
        flagged = clocks.rectification_overdue(day, actor=CLOCK)
        self.stdout.write(
            self.style.SUCCESS(
                f"演示承诺 {made} 件；随机抽取 {sample}；核查结论 {concluded} 件；逾期未整改标记 {flagged} 件。"
            )
        )

    def _commitments(self, enterprises: list[Enterprise], rng: random.Random, day: dt.date) -> int:
        rows = []
        now = timezone.now()
        for i, e in enumerate(enterprises):
            kind, matter = MATTERS[i % len(MATTERS)] if i % 3 else MATTERS[0]
            committed = day - dt.timedelta(days=rng.randint(75, 200))
            rows.append(
                CommitmentRecord(
                    enterprise=e,
                    uscc=e.uscc,
                    source=SOURCE,
                    source_id=f"CN-{i + 1:05d}",
                    received_at=now,
                    kind=kind,
                    matter=matter,
                    committed_on=committed,
                    content="申请人承诺已符合告知的许可条件，所填信息真实、准确。"
                    if kind == CommitmentKind.NOTIFICATION
                    else "",
                    application_no=f"SQ{committed:%Y%m%d}{i + 1:04d}"
                    if kind == CommitmentKind.NOTIFICATION
                    else "",
                    created_by="demo",
                    modified_by="demo",
                )
            )
        CommitmentRecord.objects.bulk_create(rows)
        return len(rows)

    def _sample(self, day: dt.date, seed: int) -> str:

        try:
            s = actions.draw_sample(
                actor=DEMO,
                period_from=day - dt.timedelta(days=200),
                period_to=day - dt.timedelta(days=60),
                percent=10,
                seed=f"demo-{seed}",
                region_code=demo_places().province,
                on=day - dt.timedelta(days=30),
            )
        except DomainError as exc:
            return f"未抽取（{exc.message}）"
        return f"{s.selected}/{s.population} 件"

    def _verify(self, county: list[Enterprise], day: dt.date) -> int:
        """Three commitments of the demo county found kept, three untrue."""
        officer = get_user_model().objects.filter(username="demo_nanshan").first()
        candidates = list(
            CommitmentRecord.objects.filter(
                source=SOURCE, kind=CommitmentKind.NOTIFICATION, enterprise__in=county
            )
            .exclude(id__in=Verification.objects.values("commitment_id"))
            .select_related("enterprise")
            .order_by("id")[:6]
        )
        plans: list[tuple[str, int, int, list[dict[str, Any]] | None]] = [
            ("kept", 70, 55, None),
            ("kept", 40, 30, None),
            ("kept", 20, 10, None),
            # concluded long ago with 20 working days to rectify: overdue by now
            ("untrue", 80, 60, [{"kind": "rectify", "working_days": 20}]),
            (
                "untrue",
                30,
                5,
                [
                    # runs into the first year whose holidays are not entered yet, when
                    # that is within reach: shown as a provisional deadline (domain.md §14)
                    {"kind": "rectify", "working_days": _days_into_unknown_year(day - dt.timedelta(days=5))},
                    {"kind": "penalty", "decision_no": "深南市监罚〔2026〕88号"},
                ],
            ),
            (
                "untrue",
                50,
                40,
                [
                    {"kind": "terminate"},
                    {"kind": "revoke_decision", "decision_no": "深南市监撤字〔2026〕3号"},
                ],
            ),
        ]
        done = 0
        for c, (result, selected_ago, concluded_ago, consequences) in zip(candidates, plans, strict=False):
            selected_on = day - dt.timedelta(days=selected_ago)
            concluded_on = day - dt.timedelta(days=concluded_ago)
            v = actions.select_for_verification(
                c, actor=officer or DEMO, reason="日常核查（演示）", on=selected_on
            )
            if officer is not None:
                actions.assign(v, actor=officer, assignee=officer, on=selected_on)
            else:
                continue
            if result == "kept":
                actions.conclude_kept(
                    v,
                    actor=officer,
                    facts="经现场核查，企业生产条件与承诺一致，承诺属实。",
                    documents="现场核查笔录 1 份",
                    on=concluded_on,
                )
            else:
                actions.conclude_untrue(
                    v,
                    actor=officer,
                    facts=f"经现场核查，{c.enterprise.name if c.enterprise else ''}实际生产场所与承诺不符，"
                    "未配备承诺的检验设备，承诺不实。联系电话：13800138000。",
                    documents="现场核查笔录、照片 6 张",
                    finding_no=f"深南市监核〔{concluded_on.year}〕{done + 1}号",
                    consequences=consequences or [],
                    on=concluded_on,
                )
            done += 1
        return done
