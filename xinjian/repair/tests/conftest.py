"""Builders for repair tests: penalties (published on a given day), listings, and the
Nanshan head who holds both the credit office's and the approver's permissions."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest

_n = itertools.count(1)


@pytest.fixture
def nanshan_head(staff_factory):
    """Credit officer and approver of 南山区 (440305): may accept and decide repairs."""
    return staff_factory("440305", ["credit_officer", "approver"], "nanshan_head")


@pytest.fixture
def baoan_head(staff_factory):
    return staff_factory("440306", ["credit_officer", "approver"], "baoan_head")


@pytest.fixture
def penalty_factory(db):
    """A fulfilled product-quality fine (tests/factories.py, trait `quality`), published on
    `published_on` when given."""
    from tests.factories import PenaltyFactory
    from xinjian.core.actors import SYSTEM
    from xinjian.disclosure.actions import publish_penalty

    def make(enterprise, *, published_on: dt.date | None = None, **fields: Any) -> Any:
        p = PenaltyFactory(enterprise=enterprise, quality=True, **fields)
        return publish_penalty(p, actor=SYSTEM, on=published_on) if published_on is not None else p

    return make


@pytest.fixture
def own_enterprise(enterprise_user):
    return enterprise_user.enterprise_user.enterprise


@pytest.fixture
def listed_anomaly(enterprise_factory):
    from xinjian.core.actors import CLOCK
    from xinjian.lists import actions

    def make(listed_on: dt.date, ground: str = "unreachable", enterprise=None, **kw: Any):
        e = enterprise or enterprise_factory()
        return actions.list_anomaly(
            e,
            actor=CLOCK,
            ground=ground,
            on=listed_on,
            decision_no=f"深南异〔{listed_on.year}〕{next(_n)}号",
            **kw,
        )

    return make


@pytest.fixture
def published_serious(enterprise_factory, penalty_factory):
    """A serious listing taken through the lists procedure, decided and published on `on`."""
    from xinjian.core.actors import SYSTEM
    from xinjian.lists import actions

    def make(on: dt.date, enterprise=None, **penalty_fields: Any):
        e = enterprise or enterprise_factory()
        fields = {
            "decided_on": on,
            "domain": "food_safety",
            "penalty_types": ["fine", "licence_revocation"],
            "fine_amount": 200000,
        }
        fields.update(penalty_fields)
        p = penalty_factory(e, **fields)
        s = actions.propose_serious(e, actor=SYSTEM, ground="food_safety", on=on, penalty=p)
        actions.notify_party(s, actor=SYSTEM, on=on)
        actions.submit_for_approval(s, actor=SYSTEM, on=on, waived=True)
        s.status = "approved"  # the lists tests cover approval one level up
        s.save()
        actions.decide_serious(s, actor=SYSTEM, decision_no=f"深南市监严〔{on.year}〕{next(_n)}号", on=on)
        actions.publish_serious(s, actor=SYSTEM, on=on)
        return s

    return make


APPLY_TEXT = "已全部履行处罚决定，整改完毕，申请信用修复。"


@pytest.fixture
def apply_for():
    """Apply as the enterprise (system-side actor) for one record on a day."""
    from xinjian.repair import actions

    def make(kind: str, target, on: dt.date, actor: Any = "qiye", **kw: Any):
        return actions.apply(
            target.enterprise,
            actor=actor,
            kind=kind,
            target_id=target.pk,
            application_text=kw.pop("application_text", APPLY_TEXT),
            proof_description=kw.pop("proof_description", "罚款缴纳凭证、整改报告"),
            commitment_confirmed=kw.pop("commitment_confirmed", True),
            on=on,
            **kw,
        )

    return make


@pytest.fixture
def untrue_finding(enterprise_factory, county_officer):
    """An untrue-commitment finding made by 南山区 through the commitments actions, with a
    rectification order of 10 working days."""
    from xinjian.collection.models import CommitmentRecord
    from xinjian.commitments import actions as commitments

    def make(on: dt.date = dt.date(2025, 4, 1), enterprise=None):
        e = enterprise or enterprise_factory()
        n = next(_n)
        c = CommitmentRecord.objects.create(
            enterprise=e,
            uscc=e.uscc,
            source="approval-system",
            source_id=f"RC-{n}",
            kind="notification",
            matter="食品生产许可（告知承诺办理）",
            committed_on=on - dt.timedelta(days=30),
        )
        v = commitments.select_for_verification(c, actor=county_officer, reason="投诉线索", on=on)
        commitments.assign(v, actor=county_officer, assignee=county_officer, on=on)
        return commitments.conclude_untrue(
            v,
            actor=county_officer,
            facts="现场核查不具备承诺的生产条件",
            consequences=[{"kind": "rectify", "working_days": 10}],
            finding_no=f"深南核〔2025〕{n}号",
            on=on,
        )

    return make
