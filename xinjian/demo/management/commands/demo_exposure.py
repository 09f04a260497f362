"""`manage.py demo_exposure`: the repeat-offender exposure as the public sees it today
(issue 12 item 1), on two demo enterprises of the demo county:

- one with three published food-safety penalties in the window, still disclosed: exposed;
- one with three small fines (the 3-month class) whose first left the record: all three
  are within the 2-year window, but only what is still disclosed counts, so it no longer
  appears on /public/lists/ or at GET /api/v1/public/exposure.

`demo --prepare` calls it. Idempotent: once its penalties exist it does nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction

from xinjian.collection.models import Penalty
from xinjian.core.actors import Actor
from xinjian.core.workdays import today
from xinjian.disclosure import actions as disclosure
from xinjian.disclosure import policy
from xinjian.registry.models import Enterprise

from ...places import demo_places

DEMO = Actor("demo")
SOURCE = "demo-exposure"


class Command(BaseCommand):
    help = "Demo: one repeat offender still exposed and one whose penalties' disclosure ended."

    @transaction.atomic
    def handle(self, *args, **options):
        if Penalty.objects.filter(source=SOURCE).exists():
            self.stdout.write("演示曝光数据已存在，跳过。")
            return
        day = today()
        places = demo_places()
        counted = Penalty.objects.values("enterprise_id")
        pair = list(
            Enterprise.objects.filter(source="demo", region_code=places.county, status="operating")
            .exclude(pk__in=counted)
            .order_by("id")[:2]
        )
        if len(pair) < 2:
            self.stdout.write("演示县企业不足，跳过。")
            return
        exposed, expired = pair
        # Days before today, all within the 2-year window.
        plans = [
            (exposed, ["fine", "confiscation"], Decimal("60000"), [400, 250, 120]),  # 3-year class
            (expired, ["fine"], Decimal("3000"), [150, 60, 30]),  # 3-month class: the first has ended
        ]
        n = 0
        for ent, types, amount, ago in plans:
            for i, days in enumerate(ago):
                decided = day - dt.timedelta(days=days)
                p = Penalty.objects.create(
                    enterprise=ent,
                    uscc=ent.uscc,
                    source=SOURCE,
                    source_id=f"{ent.uscc}-{i}",
                    decision_no=f"{places.short}市监食罚〔{decided.year}〕{900 + n}号",
                    decided_on=decided,
                    decided_by=places.dept(places.county),
                    domain="food_safety",
                    violation="经营超过保质期的食品",
                    penalty_types=types,
                    fine_amount=amount,
                    legal_basis="《食品安全法》第一百二十四条",
                    fulfilled_on=decided + dt.timedelta(days=10),
                )
                disclosure.publish_penalty(p, actor=DEMO, on=decided)
                n += 1
        shown = {row["enterprise"].pk for row in policy.exposure(day)}
        self.stdout.write(
            f"曝光演示：{exposed.name}（{exposed.uscc}）{'在' if exposed.pk in shown else '不在'}曝光名单；"
            f"{expired.name}（{expired.uscc}）的小额罚款公示期已届满，"
            f"{'仍在' if expired.pk in shown else '不再出现在'}曝光名单。"
        )
