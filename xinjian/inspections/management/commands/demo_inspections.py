"""`manage.py demo_inspections`: a published double-random task with its draw, inspector
assignment and results, on whatever enterprises the register holds (the `demo` command
may call it after building the synthetic province). Idempotent: a region that already
has a demo task is left alone."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xinjian.collection.models import Inspection
from xinjian.core.actors import Actor
from xinjian.core.errors import DomainError
from xinjian.core.workdays import SHANGHAI, today
from xinjian.disclosure import policy
from xinjian.disclosure.actions import publish_inspection
from xinjian.inspections import actions
from xinjian.inspections.models import InspectionItem, InspectionRule, Inspector, KeySupervisionItem, Task
from xinjian.inspections.seeding import load_defaults
from xinjian.registry.models import Department, Enterprise, EnterpriseStatus, KeyAreaTag

DEMO = Actor("demo")
MARK = "（演示）"
# Result mix of a typical random check (mostly no problem found).
RESULT_WEIGHTS = [
    ("no_problem", 70),
    ("corrected", 12),
    ("follow_up", 6),
    ("unpublished_info", 4),
    ("unreachable", 4),
    ("no_activity", 2),
    ("false_info", 1),
    ("refused", 1),
]
SCOPES = [  # key-area types, item, inspector qualification
    (["food_production"], "SC-01", "food"),
    (["special_equipment_production"], "TS-01", "special_equipment"),
    ([], "GS-01", "general"),
]


def _backdate(task: Task, draw: Any, published_on: dt.date, drawn_on: dt.date) -> None:
    """Date the demo task's publication, draw and start in the story's past (the actions
    stamp them now): the draw's time and the history rows of those steps."""
    at = dt.datetime.combine(drawn_on, dt.time(9, 30), tzinfo=SHANGHAI)
    type(draw).objects.filter(pk=draw.pk).update(drawn_at=at)
    for action, day in (("publish", published_on), ("draw", drawn_on), ("start", drawn_on)):
        moment = dt.datetime.combine(day, dt.time(9, 0 if action == "publish" else 30), tzinfo=SHANGHAI)
        task.history.filter(action=action).update(on=day, at=moment)


class Command(BaseCommand):
    help = "Create a published double-random task with its draw and results (demo data)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--seed", type=int, default=7, help="randomness of the demo results (not of the draw)"
        )
        parser.add_argument(
            "--region",
            help="division code of the department that runs the task (default: the "
            "city or county with most food producers)",
        )

    def handle(self, *args: Any, seed: int = 7, region: str | None = None, **opts: Any) -> None:
        rng = random.Random(seed)
        if not Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).exists():
            raise CommandError("the register holds no operating enterprise: run `manage.py demo` first")
        # The shipped item lists and rules (idempotent; normally there from the migration).
        load_defaults(
            InspectionRule=InspectionRule,
            InspectionItem=InspectionItem,
            KeySupervisionItem=KeySupervisionItem,
        )
        department = self._department(region)
        if Task.objects.filter(region_code=department.division_id, title__endswith=MARK).exists():
            self.stdout.write(f"{department.name} already has a demo task; nothing to do")
            return
        types, item_code, qualification = self._scope(department)
        with transaction.atomic():
            self._inspectors(department, qualification)
            start = today() - dt.timedelta(days=60)
            plan = actions.create_plan(
                actor=DEMO,
                department=department,
                year=start.year,
                title=f"{department.name}{start.year}年度双随机抽查计划{MARK}",
            )
            ratios = {"A": "0.05", "B": "0.1", "C": "0.3", "D": "0.6"}
            task = actions.create_task(
                plan,
                actor=DEMO,
                title=f"{department.name}{InspectionItem.objects.get(code=item_code).name}{MARK}",
                region_code=department.division_id,
                items=[InspectionItem.objects.get(code=item_code)],
                key_area_types=types,
                ratios=ratios,
                starts_on=start,
                ends_on=today() + dt.timedelta(days=60),
            )
            actions.publish_task(task, actor=DEMO)
            try:
                draw = actions.draw_task(task, actor=DEMO)
            except DomainError as e:
                raise CommandError(e.message) from e
            actions.start_inspections(task, actor=DEMO)
            # The story: published on the first day, drawn and started the next — results
            # come after the draw and are published within the 20 working days.
            drawn_on = start + dt.timedelta(days=1)
            _backdate(task, draw, start, drawn_on)
            item = task.items.get()
            names = [n for n, _w in RESULT_WEIGHTS]
            weights = [w for _n, w in RESULT_WEIGHTS]
            targets = list(draw.targets.order_by("stratum__name", "rank"))
            last = today() - dt.timedelta(days=8)
            span = max(1, (last - drawn_on).days)
            for t in targets:
                row = actions.record_result(
                    t,
                    item,
                    actor=DEMO,
                    result=rng.choices(names, weights)[0],
                    inspected_on=drawn_on + dt.timedelta(days=1 + rng.randrange(span)),
                    findings="",
                )
                ins = Inspection.objects.get(pk=row.inspection_id)
                if policy.inspection_publishable(ins):
                    publish_inspection(
                        ins,
                        actor=DEMO,
                        on=min(today(), ins.inspected_on + dt.timedelta(days=rng.randrange(2, 8))),
                    )
            actions.complete_results(task, actor=DEMO)
        task.refresh_from_db()
        self.stdout.write(
            self.style.SUCCESS(
                f"task {task.code} ({task.get_state_display()}): draw {draw.draw_id}, {len(targets)} targets with results"
            )
        )

    def _department(self, region: str | None) -> Department:
        if region:
            dept = Department.objects.filter(division_id=region).first()
            if dept is None:
                raise CommandError(f"no department for division {region}")
            return dept
        # The city (its department covers its counties) with most operating food producers.
        counts: dict[str, int] = {}
        tagged = KeyAreaTag.objects.filter(
            active=True, type_id="food_production", enterprise__status=EnterpriseStatus.OPERATING
        )
        codes = (
            tagged.values_list("enterprise__region_code", flat=True)
            if tagged.exists()
            else Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).values_list(
                "region_code", flat=True
            )
        )
        for code in codes:
            counts[code[:4] + "00"] = counts.get(code[:4] + "00", 0) + 1
        # A small register: the province's department draws over the whole province.
        for city in sorted((c for c in counts if counts[c] >= 30), key=lambda c: (-counts[c], c)):
            dept = Department.objects.filter(division_id=city).first()
            if dept is not None:
                return dept
        dept = Department.objects.filter(division__level="province").first()
        if dept is None:
            raise CommandError("no department for the enterprises in the register")
        return dept

    def _scope(self, department: Department) -> tuple[list[str], str, str]:
        region = Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).in_region(
            department.division_id
        )
        for types, item, qualification in SCOPES:
            if (
                not types
                or KeyAreaTag.objects.filter(active=True, type_id__in=types, enterprise__in=region).exists()
            ):
                return types, item, qualification
        raise CommandError("unreachable")  # the last scope has no types

    def _inspectors(self, department: Department, qualification: str) -> None:
        have = [
            i
            for i in Inspector.objects.filter(department=department, active=True)
            if qualification in i.qualifications
        ]
        surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭"
        for n in range(len(have), 8):
            actions.add_inspector(
                actor=DEMO,
                department=department,
                name=f"{surnames[n % len(surnames)]}{'建明晓丽国强海燕'[n % 8]}",
                badge_no=f"{department.division_id}{qualification[:2].upper()}{n + 1:03d}",
                qualifications=sorted({qualification, "general"}),
            )
