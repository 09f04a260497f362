"""The list procedures of issue 12 (items 3, 4, 7) in the demo province, each through the
real actions so that its history, audit and events are those of the platform:

- a serious listing whose party asked for a hearing, scheduled and not yet held (the
  procedure stands still until it is);
- one whose hearing was held and concluded, then approved one level up, decided with the
  answer to the party, served and published: its listing decision document (列入决定书)
  prints with the remedies' last days;
- an escalation from the anomaly list after 3 years that the re-check ended (lapsed) with
  its reason: the enterprise registered a new address;
- an individual business (USCC 92) marked in the abnormal business state (经营异常状态),
  not on the enterprise anomaly list.

`demo_list_procedures(on)` is the one entry point; the generator calls it at its end.
Idempotent: once it has run (its audit entry exists) it does nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from xinjian.collection.models import Penalty
from xinjian.core import audit
from xinjian.core.actors import CLOCK, Actor
from xinjian.core.models import AuditEntry
from xinjian.lists import actions, rules
from xinjian.lists.models import SeriousListing
from xinjian.registry.identifiers import build_uscc
from xinjian.registry.models import Enterprise

from .places import demo_places
from .users import ensure_demo_users

DEMO = Actor("demo")
DONE = "demo.list_procedures"


def _days(on: dt.date, n: int) -> dt.date:
    return on + dt.timedelta(days=n)


def _enterprises(n: int, on: dt.date) -> list[Enterprise]:
    """Operating demo enterprises (not individual businesses) of the demo county, older
    than 4 years, with no list entry yet."""
    qs = (
        Enterprise.objects.filter(
            source="demo",
            region_code=demo_places().county,
            status="operating",
            established_on__lte=rules.add_years(on, -4),
        )
        .exclude(uscc__startswith="92")
        .filter(serious_listings__isnull=True, anomaly_listings__isnull=True)
        .order_by("-id")
    )
    return list(qs[:n])


def _heavier_penalty(enterprise: Enterprise, on: dt.date) -> Penalty | None:
    for p in Penalty.objects.filter(enterprise=enterprise, status="in_force").order_by("-decided_on"):
        if rules.serious_ground_for_penalty(p.domain, p.decided_on) and rules.is_heavier_penalty(
            p, p.decided_on
        ):
            return p
    return None


def _propose(e: Enterprise, officer: Any, on: dt.date, facts: str) -> SeriousListing:
    penalty = _heavier_penalty(e, on)
    ground = "food_safety"
    if penalty is not None:
        g = rules.serious_ground_for_penalty(penalty.domain, penalty.decided_on)
        ground = g.code if g else ground
    return actions.propose_serious(e, actor=officer, ground=ground, on=on, penalty=penalty, facts=facts)


@transaction.atomic
def demo_list_procedures(on: dt.date) -> dict[str, int]:
    """Make the four cases above as of `on` (the demo's today); returns counts."""
    if AuditEntry.objects.filter(action=DONE).exists():
        return {}
    if not User.objects.filter(username="demo_approver").exists():
        ensure_demo_users()
    officer = User.objects.filter(username="demo_nanshan").first()
    approver = User.objects.filter(username="demo_approver").first()
    if officer is None or approver is None:
        return {}
    places = demo_places()
    picked = _enterprises(3, on)
    if len(picked) < 3:
        return {}
    waiting, heard, escalated = picked
    made: dict[str, Any] = {}

    # 1. A hearing requested and scheduled: the procedure waits for it.
    s = _propose(
        waiting, officer, _days(on, -12), "经查，当事人生产经营超范围使用食品添加剂的食品，货值金额较大。"
    )
    actions.notify_party(s, actor=officer, on=_days(on, -10))
    actions.record_statement(
        s,
        actor=officer,
        statement="当事人认为涉案产品已全部召回，要求举行听证。",
        hearing=True,
        on=_days(on, -9),
    )
    actions.schedule_hearing(
        s, actor=officer, hearing_on=_days(on, 5), time="09:30", place=f"{places.dept(places.county)}三楼听证室",
        host="王主持", on=_days(on, -8),
    )  # fmt: skip
    made["hearing_scheduled"] = s.pk

    # 2. A hearing held and concluded; approved, decided with the answer, published.
    s = _propose(heard, officer, _days(on, -60), "经查，当事人多次生产不符合食品安全标准的食品，情节严重。")
    actions.notify_party(s, actor=officer, on=_days(on, -58))
    actions.request_hearing(s, actor=officer, on=_days(on, -57), note="当事人书面要求听证")
    actions.schedule_hearing(
        s, actor=officer, hearing_on=_days(on, -48), time="14:30", place=f"{places.dept(places.county)}三楼听证室",
        host="王主持", on=_days(on, -56),
    )  # fmt: skip
    actions.conclude_hearing(
        s,
        actor=officer,
        outcome="list",
        record="当事人称已整改并召回产品；执法人员出示抽检报告和销售记录，当事人对事实无异议。",
        held_on=_days(on, -48),
        on=_days(on, -48),
    )
    actions.submit_for_approval(s, actor=officer, on=_days(on, -47))
    actions.approve_serious(s, actor=approver, on=_days(on, -46), reason="同意列入")
    actions.decide_serious(
        s,
        actor=officer,
        decision_no=f"{places.short}市监严列〔{_days(on, -45).year}〕{s.pk}号",
        reply_to_party="当事人所称整改、召回属实，但不影响违法行为的认定和情节严重的判断，不予采纳。",
        on=_days(on, -45),
    )
    actions.serve_decision(s, actor=officer, served_on=_days(on, -44), on=_days(on, -44))
    actions.publish_serious(s, actor=officer, on=_days(on, -44))
    made["decided_after_hearing"] = s.pk

    # 3. Anomaly → serious after 3 years, ended by the re-check (the address was changed).
    listed_on = rules.add_years(_days(on, -20), -3)
    anomaly = actions.list_anomaly(
        escalated,
        actor=CLOCK,
        ground="unreachable",
        on=listed_on,
        decision_no=f"{places.short}市监异〔{listed_on.year}〕{escalated.pk}号",
        facts="通过登记的住所无法联系",
    )
    s = actions.escalate_anomaly(anomaly, actor=CLOCK, on=_days(on, -20))
    actions.notify_party(s, actor=officer, on=_days(on, -18))
    escalated.address = f"{escalated.address or places.county_full}（已变更至科技园路{escalated.pk}号）"
    escalated.save()
    actions.recheck_escalation(s, actor=officer, on=_days(on, -6))
    made["lapsed"] = s.pk

    # 4. An individual business marked in the abnormal business state.
    n = Enterprise.objects.filter(uscc__startswith="92").count() + 1
    shop = Enterprise.objects.create(
        uscc=build_uscc(places.county, f"MA9{n:05d}", category="2"),
        name=f"{places.county_full}陈记{n}号粮油店",
        legal_representative="陈小明",
        established_on=dt.date(2018, 5, 8),
        region_code=places.county,
        entity_type="个体工商户",
        address=f"{places.county_full}人民路1号",
        source="demo",
    )
    mark = actions.list_anomaly(
        shop,
        actor=officer,
        ground="unreachable",
        on=_days(on, -30),
        decision_no=f"{places.short}市监异〔{_days(on, -30).year}〕G{shop.pk}号",
        facts="通过登记的经营场所无法联系",
    )
    made["abnormal_state"] = mark.pk

    audit.record(
        DONE, actor=DEMO, object_type="demo", object_id=on.isoformat(), after=made, reason="演示名单程序"
    )
    return {"list_procedures": len(made)}
