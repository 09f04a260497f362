"""Builders for the integrity tests: two credit officers (writer and approver), an
association of Nanshan enterprises with a login."""

from __future__ import annotations

import pytest


@pytest.fixture
def writer(staff_factory):
    return staff_factory("440305", ["credit_officer"], "writer")


@pytest.fixture
def approver(staff_factory):
    return staff_factory("440305", ["credit_officer"], "approver")


@pytest.fixture
def association(approver, enterprise_factory):
    """An association in Nanshan with two members and a login `assoc` (password
    correct-horse-9); `outsider` is a Nanshan enterprise that is not a member."""
    from xinjian.integrity import actions

    a = actions.save_association(None, actor=approver, name="南山区食品行业协会", region_code="440305")
    a.members_ = [enterprise_factory(name="会员食品甲公司"), enterprise_factory(name="会员食品乙公司")]
    a.outsider = enterprise_factory(name="非会员食品丙公司")
    for e in a.members_:
        actions.add_member(a, e, actor=approver)
    actions.add_association_user(a, actor=approver, username="assoc", password="correct-horse-9")
    return a


@pytest.fixture
def risk_assessment(db):
    """Give an enterprise a real general-model assessment of class `risk_class`."""
    import datetime as dt

    from django.utils import timezone

    from xinjian.risk.models import Assessment, ModelVersion, ScoringRun

    version = ModelVersion.objects.get(model_id="general", status="active")
    run = ScoringRun.objects.create(
        version=version, kind="full", as_of=dt.date(2026, 1, 1), actor_label="test"
    )

    def make(enterprise, risk_class: str):
        return Assessment.objects.create(
            enterprise=enterprise,
            model_id="general",
            version=version,
            run=run,
            as_of=dt.date(2026, 1, 1),
            assessed_at=timezone.now(),
            score=700,
            risk_class=risk_class,
            values_json="[]",
        )

    return make


@pytest.fixture
def penalty_factory(db):
    """A collected penalty, not published (it must stay out of sight)."""
    import datetime as dt

    from xinjian.collection.models import Penalty

    def make(enterprise, **fields):
        defaults = {
            "enterprise": enterprise,
            "uscc": enterprise.uscc,
            "source": "case-system",
            "source_id": f"IP-{enterprise.pk}",
            "decision_no": f"深南市监罚〔2026〕{enterprise.pk}号",
            "decided_on": dt.date(2026, 1, 10),
            "decided_by": "深圳市南山区市场监督管理局",
            "domain": "product_quality",
            "violation": "生产不符合标准的产品",
            "penalty_types": ["fine"],
            "fine_amount": 50000,
            "legal_basis": "《产品质量法》第四十九条",
        }
        defaults.update(fields)
        return Penalty.objects.create(**defaults)

    return make
