"""Reusable reads for double random: rules in force, the population of a task, the
inputs of inspector assignment, publication deadlines and the reports."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext

from xinjian.collection.models import PROBLEM_RESULTS, Inspection, InspectionKind
from xinjian.core.jurisdiction import region_prefix
from xinjian.core.workdays import Deadline, add_working_days, today
from xinjian.registry.models import Enterprise, EnterpriseStatus, KeyAreaTag
from xinjian.risk.queries import current_class_map, draw_ratios

from .models import (
    DEFAULT_CLASS,
    RISK_CLASSES,
    Assignment,
    ConflictOfInterest,
    InspectionRule,
    Inspector,
    RuleCode,
    Target,
    TargetResult,
    Task,
)

SOURCE_PREFIX = "inspections:"

# Defaults used only when the rule table has no row yet (it is seeded by the data migration).
RULE_DEFAULTS: dict[str, Decimal] = {
    RuleCode.INSPECTORS_PER_TARGET: Decimal(2),
    RuleCode.PUBLICATION_WORKING_DAYS: Decimal(20),
    RuleCode.FOOD_FULL_CYCLE_YEARS: Decimal(2),
}


def rule_value(code: str, on: dt.date | None = None) -> Decimal:
    """The value in force on `on` (default today): the latest version effective by then."""
    on = on or today()
    row = InspectionRule.objects.filter(code=code, effective_from__lte=on).order_by("-effective_from").first()
    return row.value if row is not None else RULE_DEFAULTS[code]


def rules_in_force(on: dt.date | None = None) -> list[InspectionRule]:
    on = on or today()
    rows = []
    for code in RuleCode.values:
        row = (
            InspectionRule.objects.filter(code=code, effective_from__lte=on)
            .order_by("-effective_from")
            .first()
        )
        if row is not None:
            rows.append(row)
    return rows


def default_ratios(region_code: str, on: dt.date | None = None) -> dict[str, str]:
    """The default ratio per class for a task in `region_code` starting on `on`: from the
    one table of them, the risk app's supervision measures, for the task's province."""
    ratios = draw_ratios(on or today(), region_code)
    return {c: format(ratios[c].normalize(), "f") for c in RISK_CLASSES}


def risk_classes(enterprise_ids: list[int] | None = None) -> dict[int, str]:
    """Current risk class per enterprise id, from the risk engine's contract
    `xinjian.risk.queries.current_class_map`. Enterprises it does not return have no
    assessment and are stratified as "B" by the caller (ADR 0050)."""

    return current_class_map(enterprise_ids)


def task_population_queryset(task: Task) -> Any:
    """Operating enterprises in the task's region (division-code prefix), holding an
    active tag of one of the task's key-area types when it names any."""
    qs = Enterprise.objects.filter(status=EnterpriseStatus.OPERATING).in_region(task.region_code)
    if task.key_area_types:
        tagged = KeyAreaTag.objects.filter(
            enterprise=OuterRef("pk"), active=True, type_id__in=task.key_area_types
        )
        qs = qs.filter(Exists(tagged))
    return qs


def task_population(task: Task) -> dict[str, list[tuple[str, int]]]:
    """Per risk class, the population as (uscc, enterprise id) sorted by USCC."""
    rows = list(task_population_queryset(task).order_by("uscc").values_list("uscc", "id"))
    # A long id list makes a huge IN (…) (SQLite caps bound variables): above a few
    # thousand, read the whole map once and pick from it.
    classes = (
        (risk_classes([eid for _u, eid in rows]) if len(rows) <= 2000 else risk_classes(None)) if rows else {}
    )
    strata: dict[str, list[tuple[str, int]]] = {c: [] for c in RISK_CLASSES}
    for uscc, eid in rows:
        cls = classes.get(eid, DEFAULT_CLASS)
        strata[cls if cls in strata else DEFAULT_CLASS].append((uscc, eid))
    return strata


def eligible_inspector_ids(task: Task) -> list[int]:
    """Active inspectors of the task's department or below, qualified for every item of
    the task (the inspector directory, domain.md §8)."""
    needed = task.required_qualifications()
    prefix = region_prefix(task.department.division_id)
    rows = Inspector.objects.filter(active=True, department__division__code__startswith=prefix).values_list(
        "id", "qualifications"
    )
    return sorted(i for i, quals in rows if needed <= set(quals or []))


def _chunks(ids: list[int], size: int = 5000) -> list[list[int]]:
    """Keep IN (…) lists under the database's bound-variable limit (SQLite)."""
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def conflicts_for(enterprise_ids: list[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(enterprise_ids):
        for eid, iid in ConflictOfInterest.objects.filter(active=True, enterprise_id__in=chunk).values_list(
            "enterprise_id", "inspector_id"
        ):
            out[eid].add(iid)
    return out


def previous_inspectors(
    enterprise_ids: list[int], *, exclude_task: Task | None = None
) -> dict[int, set[int]]:
    """The inspectors of each enterprise's most recent check drawn on the platform (in a
    draw still in force), for rotation."""
    latest: dict[int, Any] = {}
    out: dict[int, set[int]] = defaultdict(set)
    for chunk in _chunks(enterprise_ids):
        qs = Assignment.objects.filter(
            target__enterprise_id__in=chunk, target__draw__superseded_at__isnull=True
        )
        if exclude_task is not None:
            qs = qs.exclude(target__draw__task=exclude_task)
        for eid, draw_id, iid in qs.order_by("-target__draw__drawn_at", "-target__draw_id").values_list(
            "target__enterprise_id", "target__draw_id", "inspector_id"
        ):
            if eid not in latest:
                latest[eid] = draw_id
            if latest[eid] == draw_id:
                out[eid].add(iid)
    return out


def publication_deadline(result_day: dt.date) -> Deadline:
    """Inspection results are published within 20 working days of the result
    (domain.md §5, §8; the number is the `publication_working_days` rule)."""
    n = int(rule_value(RuleCode.PUBLICATION_WORKING_DAYS, result_day))
    return add_working_days(result_day, n)


@dataclass
class OverdueRow:
    inspection: Inspection
    deadline: Deadline
    task_code: str


def unpublished_results(user: Any) -> list[OverdueRow]:
    """Results of tasks not yet published, with their deadline; overdue first."""
    rows = []
    qs = (
        Inspection.objects.visible_to(user)
        .filter(source__startswith=SOURCE_PREFIX, published_on__isnull=True, archived_at__isnull=True)
        .select_related("enterprise")
        .order_by("inspected_on", "id")
    )
    for ins in qs:
        rows.append(
            OverdueRow(ins, publication_deadline(ins.inspected_on), ins.source.removeprefix(SOURCE_PREFIX))
        )
    return rows


def overdue_results(user: Any, on: dt.date | None = None) -> list[OverdueRow]:
    on = on or today()
    return [r for r in unpublished_results(user) if r.deadline.due < on]


@dataclass
class RateRow:
    label: str
    inspected: int
    with_problem: int

    @property
    def rate(self) -> float | None:
        return self.with_problem / self.inspected if self.inspected else None


def discovery_rates(task: Task) -> tuple[RateRow, list[RateRow]]:
    """Problem-discovery rate of a task's current draw: targets with a result, and those
    where any item found a problem (collection.PROBLEM_RESULTS); overall and per risk
    class (staff only: classes are internal)."""
    draw = task.current_draw()
    per_class = {c: RateRow(c, 0, 0) for c in RISK_CLASSES}
    if draw is None:
        return RateRow(gettext("合计"), 0, 0), list(per_class.values())
    found: dict[int, bool] = {}
    for target_id, result in TargetResult.objects.filter(target__draw=draw).values_list(
        "target_id", "result"
    ):
        found[target_id] = found.get(target_id, False) or result in PROBLEM_RESULTS
    for target_id, cls in Target.objects.filter(draw=draw).values_list("id", "risk_class"):
        if target_id in found:
            per_class[cls].inspected += 1
            per_class[cls].with_problem += found[target_id]
    total = RateRow(
        gettext("合计"),
        sum(r.inspected for r in per_class.values()),
        sum(r.with_problem for r in per_class.values()),
    )
    return total, list(per_class.values())


def discovery_rates_by_class(user: Any, since: dt.date | None = None) -> list[RateRow]:
    """Across every draw in force in the user's jurisdiction: the figure the risk model is
    measured against (domain.md §7)."""
    per_class = {c: RateRow(c, 0, 0) for c in RISK_CLASSES}
    qs = TargetResult.objects.filter(target__draw__superseded_at__isnull=True).filter(
        target__in=Target.objects.visible_to(user)
    )
    if since:
        qs = qs.filter(inspected_on__gte=since)
    found: dict[int, tuple[str, bool]] = {}
    for target_id, cls, result in qs.values_list("target_id", "target__risk_class", "result"):
        prev = found.get(target_id, (cls, False))
        found[target_id] = (cls, prev[1] or result in PROBLEM_RESULTS)
    for cls, problem in found.values():
        per_class[cls].inspected += 1
        per_class[cls].with_problem += problem
    return list(per_class.values())


FULL_INSPECTION_KINDS = (InspectionKind.RANDOM, InspectionKind.KEY, InspectionKind.ROUTINE)
# Results that mean the enterprise was not actually inspected on site.
NOT_INSPECTED_RESULTS = ("unreachable", "no_activity", "closed")


def food_producers_not_fully_inspected(user: Any, on: dt.date | None = None) -> Any:
    """Food producers (active `food_production` tag) without a full inspection (random,
    key or routine supervision check actually carried out) in the last N years
    (domain.md §8: every food producer at least once every 2 years; N is a rule)."""
    on = on or today()
    years = int(rule_value(RuleCode.FOOD_FULL_CYCLE_YEARS, on))
    try:
        since = on.replace(year=on.year - years)
    except ValueError:  # 29 February
        since = on.replace(year=on.year - years, day=28)
    inspected = Inspection.objects.filter(
        enterprise=OuterRef("pk"),
        kind__in=FULL_INSPECTION_KINDS,
        inspected_on__gt=since,
        inspected_on__lte=on,
        archived_at__isnull=True,
    ).exclude(result__in=NOT_INSPECTED_RESULTS)
    food = KeyAreaTag.objects.filter(enterprise=OuterRef("pk"), active=True, type_id="food_production")
    return (
        Enterprise.objects.visible_to(user)
        .filter(status=EnterpriseStatus.OPERATING)
        .filter(Exists(food))
        .exclude(Exists(inspected))
        .order_by("region_code", "uscc")
    ), since


def public_tasks() -> Any:
    return Task.objects.exclude(state="draft").select_related("plan", "department")


def visible_targets(user: Any) -> Any:
    return Target.objects.visible_to(user)


def assignment_rows(draw: Any) -> list[dict[str, Any]]:
    """The assignment list of a draw: target, stratum, class, inspectors, results entered."""
    targets = list(
        Target.objects.filter(draw=draw)
        .select_related("enterprise", "stratum")
        .order_by("stratum__name", "rank")
    )
    inspectors: dict[int, list[Inspector]] = defaultdict(list)
    for a in Assignment.objects.filter(target__draw=draw).select_related("inspector").order_by("position"):
        inspectors[a.target_id].append(a.inspector)
    done: dict[int, int] = defaultdict(int)
    for tid in TargetResult.objects.filter(target__draw=draw).values_list("target_id", flat=True):
        done[tid] += 1
    return [{"target": t, "inspectors": inspectors[t.id], "results": done[t.id]} for t in targets]


def inspections_of_task(task: Task) -> Q:
    return Q(source=f"{SOURCE_PREFIX}{task.code}")
