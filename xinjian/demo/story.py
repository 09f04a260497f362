"""The demo as a living province (issue 14): after the synthetic history, the platform is
brought to a steady state — every list has entries in every state, published results are
dated after their draw, the drafts are fresh except where the story wants them, today's
open data holds what the day holds, and every demo login has work in its queue.

The story is a list of steps, each one function registered with `@step` and run in order
by `demo --prepare` (`run`). A feature that needs demo data adds one function here (or in
its own module imported below), e.g.::

    @step("hearings", order=56, description="听证：一件严重违法失信名单程序待听证")
    def hearings(s: Story) -> str:
        ...
        return "1 件"

A step acts through the apps' own actions (atomic, audited, evented), dates its work in
the story's past with the actions' `on=` where they take one, and must be idempotent
enough that running `--prepare` on a province that already has its story does no harm.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from xinjian.collection.models import CommitmentRecord, Inspection, Penalty
from xinjian.core.actors import Actor
from xinjian.core.errors import DomainError
from xinjian.core.workdays import SHANGHAI, add_working_days, today
from xinjian.disclosure import policy
from xinjian.disclosure.actions import publish_inspection, publish_penalty
from xinjian.disclosure.exports import export_open_data
from xinjian.inspections import actions as inspection_actions
from xinjian.inspections.models import Assignment, InspectionItem, Task, TaskState
from xinjian.lists import actions as list_actions
from xinjian.lists.models import AnomalyListing, AnomalyStatus, RemovalReason, SeriousListing, TypicalCase
from xinjian.registry.models import Department, Enterprise
from xinjian.repair import actions as repair_actions
from xinjian.repair import eligibility
from xinjian.repair.models import RepairApplication

from .places import Places, demo_places

SOURCE = "demo-story"
DEMO = Actor("demo")


@dataclass
class Story:
    """What a step gets: the day, a seeded random source, output and the logins."""

    on: dt.date
    rng: random.Random
    out: Callable[[str], None]
    stdout: Any = None
    stderr: Any = None
    notes: dict[str, Any] = field(default_factory=dict)

    def user(self, username: str) -> User | None:
        return User.objects.filter(username=username).first()

    def command(self, name: str, *args: str) -> None:
        call_command(name, *args, stdout=self.stdout, stderr=self.stderr)


@dataclass(frozen=True)
class Step:
    name: str
    order: int
    description: str
    fn: Callable[[Story], str | None]


STEPS: dict[str, Step] = {}


def step(name: str, *, order: int, description: str) -> Callable[[Callable[[Story], Any]], Any]:
    def wrap(fn: Callable[[Story], str | None]) -> Callable[[Story], str | None]:
        STEPS[name] = Step(name, order, description, fn)
        return fn

    return wrap


def steps() -> list[Step]:
    return sorted(STEPS.values(), key=lambda s: (s.order, s.name))


def run(
    *,
    on: dt.date | None = None,
    seed: int = 1,
    out: Callable[[str], None],
    stdout: Any = None,
    stderr: Any = None,
) -> None:
    story = Story(on=on or today(), rng=random.Random(seed), out=out, stdout=stdout, stderr=stderr)
    for s in steps():
        out(f"— {s.name}：{s.description}")
        said = s.fn(story)
        if said:
            out(f"  {said}")


# --- the platform's own clocks and models ------------------------------------------------------


@step("run_clocks", order=10, description="运行到期规则（公示、名单、评分、开放数据）")
def clocks(s: Story) -> None:
    s.command("run_clocks")


@step("risk", order=20, description="校准并启用风险分类模型，全量评分")
def risk(s: Story) -> str | None:
    try:
        s.command("calibrate", "--activate")
    except CommandError as e:  # a small province: too few inspections to calibrate on
        s.command("score")
        return f"未校准（{e}），按现行模型评分"
    s.command("score")
    return None


# --- inspections ----------------------------------------------------------------------------------


@step("inspections", order=30, description="已完成的双随机抽查任务：抽取后检查，结果已公示")
def inspections_done(s: Story) -> None:
    s.command("demo_inspections", "--seed", "1")


@step("inspections_in_progress", order=31, description="各演示检查人员所在区的在办抽查任务")
def inspections_in_progress(s: Story) -> str:

    from .users import logins

    made = []
    counties = sorted({x.division for x in logins() if "inspector" in x.roles and x.division})
    item = InspectionItem.objects.filter(code="GS-01").first()
    if item is None:
        return "无通用检查事项，跳过"
    for county in counties:
        department = Department.objects.filter(division_id=county).first()
        if (
            department is None
            or Task.objects.filter(region_code=county, title__endswith="（演示在办）").exists()
        ):
            continue
        start = s.on - dt.timedelta(days=10)
        try:
            with transaction.atomic():
                plan = inspection_actions.create_plan(
                    actor=DEMO,
                    department=department,
                    year=start.year,
                    title=f"{department.name}{start.year}年度双随机抽查计划（演示在办）",
                )
                task = inspection_actions.create_task(
                    plan,
                    actor=DEMO,
                    title=f"{department.name}登记事项双随机抽查（演示在办）",
                    region_code=county,
                    items=[item],
                    key_area_types=[],
                    ratios={"A": "0.1", "B": "0.15", "C": "0.3", "D": "0.6"},
                    starts_on=start,
                    ends_on=s.on + dt.timedelta(days=30),
                    department=department,
                )
                inspection_actions.publish_task(task, actor=DEMO)
                draw = inspection_actions.draw_task(task, actor=DEMO)
                inspection_actions.start_inspections(task, actor=DEMO)
                _backdate(task, draw, start, start + dt.timedelta(days=1))
                # Each inspector has entered a first result; the rest is theirs to do.
                done: set[int] = set()
                for a in Assignment.objects.filter(target__draw=draw).select_related(
                    "inspector__user", "target"
                ):
                    user = a.inspector.user
                    if user is None or user.pk in done or a.target.results.exists():
                        continue
                    inspection_actions.record_result(
                        a.target,
                        item,
                        actor=user,
                        result="no_problem",
                        inspected_on=start + dt.timedelta(days=3),
                    )
                    done.add(user.pk)
        except DomainError as e:
            s.out(f"  {department.name}：{e.message}")
            continue
        task.refresh_from_db()
        if task.state == TaskState.IN_PROGRESS:
            made.append(f"{department.name} {draw.targets.count()} 户")
    return "；".join(made) or "无"


def _backdate(task: Any, draw: Any, published_on: dt.date, drawn_on: dt.date) -> None:
    """Date a demo task's publication, draw and start in the story's past (the actions
    stamp them now): the draw's time and the history rows of those steps."""

    at = dt.datetime.combine(drawn_on, dt.time(9, 30), tzinfo=SHANGHAI)
    type(draw).objects.filter(pk=draw.pk).update(drawn_at=at)
    for action, day in (("publish", published_on), ("draw", drawn_on), ("start", drawn_on)):
        moment = dt.datetime.combine(day, dt.time(9, 0 if action == "publish" else 30), tzinfo=SHANGHAI)
        task.history.filter(action=action).update(on=day, at=moment)


# --- lists ------------------------------------------------------------------------------------------


def _decision_no(places: Places, dept_name: str, kind: str, year: int, n: int) -> str:
    province = places.name(places.province)
    short = dept_name.replace("市场监督管理局", "").replace(province, places.abbreviation)[:3]
    return f"{short}市监{kind}〔{year}〕{n}号"


@step("anomaly_list", order=50, description="经营异常名录：年报草稿依期批准，部分已移出；新提请待审批")
def anomaly_list(s: Story) -> str:
    """The annual-report clock drafted listings where no standing decision exists: each was
    approved by its due day (a province in steady state), a share removed since (report
    filed late). Fresh drafts from recent inspections await the approvers of the demo
    city and county."""

    approved = removed = fresh = 0
    places = demo_places()
    province_dept = places.dept(places.province)
    drafts = AnomalyListing.objects.filter(status=AnomalyStatus.DRAFT).select_related(
        "enterprise", "department"
    )
    for i, a in enumerate(drafts.order_by("id")):
        due = a.listing_due or a.proposed_on
        on = min(s.on, max(a.proposed_on, due - dt.timedelta(days=s.rng.randrange(0, 5))))
        dept = a.department.name if a.department else province_dept
        try:
            list_actions.approve_anomaly_draft(
                a, actor=DEMO, decision_no=_decision_no(places, dept, "异字", on.year, i + 1), on=on
            )
            approved += 1
            if s.rng.random() < 0.2:
                later = min(s.on, on + dt.timedelta(days=s.rng.randrange(20, 120)))
                list_actions.note_ground_ceased(a, actor=DEMO, reason=RemovalReason.REPORT_FILED, on=later)
                list_actions.remove_anomaly(a, actor=DEMO, reason=RemovalReason.REPORT_FILED, on=later)
                removed += 1
        except DomainError as e:
            s.out(f"  {a.enterprise.name}：{e.message}")
    # Fresh drafts (unreachable at the registered address) in the demo city's counties.
    from .users import demo_enterprise

    demo_county = places.county
    candidates = (
        Enterprise.objects.filter(source="demo", status="operating", region_code__startswith=demo_county[:4])
        .exclude(anomaly_listings__status__in=[AnomalyStatus.DRAFT, AnomalyStatus.LISTED])
        .order_by("id")
    )
    # Two in the demo county (its credit officer's queue), two elsewhere in the city.
    own = demo_enterprise()
    county = list(candidates.filter(region_code=demo_county).exclude(pk__in=[own.pk] if own else [])[2:40:7])[
        :2
    ]
    others = list(candidates.exclude(region_code=demo_county)[20:200:45])[:2]
    for ent in county + others:
        try:
            list_actions.list_anomaly(
                ent,
                actor=DEMO,
                ground="unreachable",
                on=s.on - dt.timedelta(days=s.rng.randrange(1, 4)),
                draft=True,
                facts="经双随机抽查，通过登记的住所或者经营场所无法联系（演示）",
            )
            fresh += 1
        except DomainError as ex:
            s.out(f"  {ent.name}：{ex.message}")
    return f"批准 {approved}，其中已移出 {removed}；新提请待审批 {fresh}"


@step("serious_list", order=55, description="严重违法失信名单：已公示、待审批、已告知、已提出")
def serious_list(s: Story) -> str:
    """Serious-violation listings at each step, on fined food, quality and special-equipment
    penalties decided by county bureaus (the city approves them): the open procedures in
    the demo county (its enforcement officer carries them on), the one awaiting approval
    in the demo city (its approver signs), the published ones wherever found."""

    places = demo_places()
    demo_county = places.county
    if SeriousListing.objects.filter(facts__endswith="（演示）").exists():
        return "已存在"
    approver = s.user("demo_approver")
    if approver is None:
        return "无审批人"
    grounds = {
        "food_safety": "food_safety",
        "product_quality": "quality_safety",
        "special_equipment": "quality_safety",
    }
    pool = list(
        Penalty.objects.filter(
            source="demo",
            enterprise__status="operating",
            decided_by__contains="区",
            domain__in=list(grounds),
            fine_amount__gte=Decimal("5000"),
            decided_on__gte=s.on - dt.timedelta(days=1000),
            decided_on__lte=s.on - dt.timedelta(days=60),
        )
        .select_related("enterprise")
        .order_by("-fine_amount", "id")[:400]
    )
    city = demo_county[:4]

    def rank(p: Any, target: str) -> tuple[bool, bool]:
        region = p.enterprise.region_code
        if target in ("proposed", "notified"):
            return (region != demo_county, region[:4] != city)
        if target == "pending_approval":
            return (region[:4] != city, False)
        return (region[:4] != city, region == demo_county)

    plans = ["pending_approval", "notified", "proposed", "published", "published", "published"]
    made: dict[str, int] = {}
    seen: set[int | None] = set()
    for target in plans:
        candidates = sorted((p for p in pool if p.enterprise_id not in seen), key=lambda p: rank(p, target))
        if not candidates:
            break
        p = candidates[0]
        seen.add(p.enterprise_id)
        company = p.enterprise
        assert company is not None  # demo penalties always name their enterprise
        start = p.decided_on + dt.timedelta(days=20)
        if target != "published":
            start = s.on - dt.timedelta(days=s.rng.randrange(3, 8))
        try:
            with transaction.atomic():
                facts = f"{p.decided_on}，{p.decided_by}以{p.decision_no}对其“{p.violation}”作出较重行政处罚（演示）"
                listing = list_actions.propose_serious(
                    company, actor=DEMO, ground=grounds[p.domain], on=start, penalty=p, facts=facts
                )
                if target != "proposed":
                    list_actions.notify_party(listing, actor=DEMO, on=start)
                if target in ("pending_approval", "published"):
                    list_actions.submit_for_approval(listing, actor=DEMO, on=start, waived=True)
                if target == "published":
                    approved = add_working_days(start, 2).due
                    list_actions.approve_serious(listing, actor=approver, on=approved, reason="同意列入")
                    decided = add_working_days(approved, 1).due
                    dept = listing.department.name if listing.department else places.dept(places.city)
                    list_actions.decide_serious(
                        listing,
                        actor=DEMO,
                        decision_no=_decision_no(
                            places, dept, "严字", decided.year, made.get("published", 0) + 1
                        ),
                        on=decided,
                    )
                    list_actions.publish_serious(listing, actor=DEMO, on=add_working_days(decided, 2).due)
        except DomainError as e:
            s.out(f"  {company.name}：{e.message}")
            continue
        made[target] = made.get(target, 0) + 1
    return "，".join(f"{k} {v}" for k, v in made.items()) or "无合适的处罚"


@step("typical_cases", order=57, description="典型案例：已发布两件，一件待审核")
def typical_cases(s: Story) -> str:

    if TypicalCase.objects.filter(title__endswith="（演示）").exists():
        return "已存在"
    listings = list(SeriousListing.objects.filter(status="published").select_related("enterprise")[:3])
    if not listings:
        return "无已公示的严重违法失信名单，跳过"
    writer, reviewer = Actor("demo:writer"), Actor("demo:reviewer")
    n = 0
    for i, listing in enumerate(listings):
        case = list_actions.save_case(
            None,
            actor=writer,
            title=f"{listing.enterprise.name}{listing.ground_name()}案（演示）",
            body=(
                f"{listing.facts}。{listing.department.name if listing.department else ''}依法将其列入严重违法失信名单，"
                "实施联合惩戒。本案提示：经营者应当落实主体责任，守法诚信经营。"
            ),
            region_code=listing.enterprise.region_code,
            enterprises=[listing.enterprise],
        )
        if i < 2:
            list_actions.move_case(case, "review", actor=reviewer, on=s.on - dt.timedelta(days=10 - i))
            list_actions.move_case(case, "publish", actor=reviewer, on=s.on - dt.timedelta(days=9 - i))
        n += 1
    return f"{n} 件"


# --- commitments, repair, exposure ---------------------------------------------------------------


@step("commitments", order=40, description="信用承诺及其核查（含今日作出的承诺）")
def commitments(s: Story) -> str:

    s.command("demo_commitments", "--seed", "1")
    # Today's open data holds a commitment made today (an approval system's feed).
    if CommitmentRecord.objects.filter(source=SOURCE).exists():
        return "今日承诺已存在"
    from django.utils import timezone

    e = Enterprise.objects.filter(source="demo", status="operating").order_by("id").first()
    if e is None:
        return "无企业"
    CommitmentRecord.objects.create(
        enterprise=e,
        uscc=e.uscc,
        source=SOURCE,
        source_id=f"CN-TODAY-{s.on:%Y%m%d}",
        received_at=timezone.now(),
        kind="notification",
        matter="食品经营许可（告知承诺办理）",
        committed_on=s.on,
        content="申请人承诺已符合告知的许可条件，所填信息真实、准确。",
        application_no=f"SQ{s.on:%Y%m%d}9001",
        created_by="demo",
        modified_by="demo",
    )
    return f"今日承诺：{e.name}"


@step("repair", order=60, description="信用修复申请（已提交、超期、已受理待决定、已办结）")
def repair(s: Story) -> str:
    s.command("demo_repair")
    return _approver_repair(s)


def _approver_repair(s: Story) -> str:
    """An application accepted and awaiting the decision of the demo approver's own
    department (repairs are decided by the department that made the decision)."""

    approver = s.user("demo_approver")
    dept = getattr(getattr(approver, "staff_profile", None), "department", None)
    if dept is None:
        return "无审批人"
    if RepairApplication.objects.filter(department=dept, status="accepted").exists():
        return "审批人已有待决定的申请"
    day = s.on
    for p in (
        policy.visible_penalties(Penalty.objects.filter(enterprise__source="demo", decided_by=dept.name), day)
        .select_related("enterprise")
        .order_by("id")[:300]
    ):
        if p.enterprise is None or not eligibility.for_penalty(p, day).eligible:
            continue
        try:
            with transaction.atomic():
                app = repair_actions.apply(
                    p.enterprise,
                    actor=DEMO,
                    kind="penalty_publication",
                    target_id=p.pk,
                    application_text="本企业已全部履行行政处罚决定，完成整改并消除不良影响，特申请信用修复。",
                    proof_description="罚没款缴纳凭证、整改报告（演示材料说明）",
                    commitment_confirmed=True,
                    on=day - dt.timedelta(days=3),
                )
                repair_actions.accept(app, actor=DEMO, on=day - dt.timedelta(days=2))
        except DomainError:
            continue
        if app.department_id == dept.pk:
            return f"{dept.name}待决定：{app.number}"
    # None in the generated history: a fine of the city's decided eight months ago, paid.

    company = (
        Enterprise.objects.filter(
            source="demo", status="operating", region_code__startswith=dept.division_id[:4]
        )
        .exclude(pk__in=Penalty.objects.filter(enterprise__isnull=False).values("enterprise_id"))
        .exclude(anomaly_listings__isnull=False)
        .exclude(serious_listings__isnull=False)
        .order_by("id")[10:11]
        .first()
    )
    if company is None:
        return f"{dept.name}无可修复的处罚"
    decided = day - dt.timedelta(days=245)
    p = Penalty.objects.create(
        enterprise=company,
        uscc=company.uscc,
        source=SOURCE,
        source_id=f"{company.uscc}-CITY",
        decision_no=f"深市监罚〔{decided.year}〕{600}号",
        decided_on=decided,
        decided_by=dept.name,
        domain="competition",
        violation="虚假商业宣传",
        penalty_types=["fine"],
        fine_amount=Decimal("80000"),
        legal_basis="《中华人民共和国反不正当竞争法》第二十条",
        fulfilled_on=decided + dt.timedelta(days=15),
    )
    publish_penalty(p, actor=DEMO, on=add_working_days(decided, 5).due)
    with transaction.atomic():
        app = repair_actions.apply(
            company,
            actor=DEMO,
            kind="penalty_publication",
            target_id=p.pk,
            application_text="本企业已全部履行行政处罚决定，完成整改并消除不良影响，特申请信用修复。",
            proof_description="罚没款缴纳凭证、整改报告（演示材料说明）",
            commitment_confirmed=True,
            on=day - dt.timedelta(days=3),
        )
        repair_actions.accept(app, actor=DEMO, on=day - dt.timedelta(days=2))
    return f"{dept.name}待决定：{app.number}"


@step("exposure", order=65, description="屡罚不改曝光（一家仍在曝光，一家公示期已届满）")
def exposure(s: Story) -> None:
    s.command("demo_exposure")


@step("demo_enterprise", order=70, description="演示企业：可申请修复的处罚、小额罚款、可说明的检查结果")
def demo_enterprise_records(s: Story) -> str:
    """The demo enterprise user's own records: a fine published seven months ago and paid
    (early stop of publication may be applied for), a small fine (leaves public view by
    itself after three months) and a published inspection result it may comment on."""

    from .users import demo_enterprise

    e = demo_enterprise()
    if e is None:
        return "无演示企业"
    if Penalty.objects.filter(source=SOURCE, enterprise=e).exists():
        return "已存在"
    dept = demo_places().dept(e.region_code)
    plans = [
        # (days ago decided, fine, types, domain, violation)
        (
            230,
            Decimal("30000"),
            ["fine", "confiscation"],
            "product_quality",
            "销售不符合保障人体健康安全标准的产品",
        ),
        (40, Decimal("2000"), ["fine"], "registration", "未按规定公示年度报告以外的即时信息"),
    ]
    for i, (ago, amount, types, domain, violation) in enumerate(plans):
        decided = s.on - dt.timedelta(days=ago)
        p = Penalty.objects.create(
            enterprise=e,
            uscc=e.uscc,
            source=SOURCE,
            source_id=f"{e.uscc}-P{i}",
            decision_no=f"深南市监罚〔{decided.year}〕{700 + i}号",
            decided_on=decided,
            decided_by=dept,
            domain=domain,
            violation=violation,
            penalty_types=types,
            fine_amount=amount,
            legal_basis="《中华人民共和国产品质量法》第四十九条"
            if i == 0
            else "《企业信息公示暂行条例》第十八条",
            fulfilled_on=decided + dt.timedelta(days=12),
        )
        publish_penalty(p, actor=DEMO, on=add_working_days(decided, 5).due)
    inspected = s.on - dt.timedelta(days=15)
    ins = Inspection.objects.create(
        enterprise=e,
        uscc=e.uscc,
        source=SOURCE,
        source_id=f"{e.uscc}-I0",
        inspected_on=inspected,
        inspected_by=dept,
        kind="random",
        result="corrected",
        item_code="GS-01",
        findings="部分进货查验记录不完整，已当场责令改正",
        received_at=dt.datetime.combine(inspected, dt.time(18), tzinfo=dt.UTC),
        created_by="demo",
        modified_by="demo",
    )
    publish_inspection(ins, actor=DEMO, on=add_working_days(inspected, 3).due)
    return f"{e.name}：处罚 2 件（1 件可申请提前停止公示），检查结果 1 件"


# --- the day's open data ---------------------------------------------------------------------------


@step("open_data", order=90, description="重新生成当日开放数据（含今日的承诺与名单）")
def open_data(s: Story) -> str:

    files = export_open_data(s.on, actor=DEMO)
    return f"{len(files)} 个文件"
