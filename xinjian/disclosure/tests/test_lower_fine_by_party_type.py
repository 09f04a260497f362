"""The lower-amount fine threshold differs by the party's type (issue 12 item 7; Order 45
art. 13): legal person, other organisation, individual business — one rule key each,
editable per province. Both sides of each threshold, Python and SQL forms agreeing."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from xinjian.collection.models import Penalty
from xinjian.core.actors import SYSTEM
from xinjian.disclosure import actions, policy, rules
from xinjian.disclosure.models import DisclosureRule, RuleKey
from xinjian.registry.identifiers import build_uscc, party_type

pytestmark = pytest.mark.django_db
D = dt.date
PUBLISHED = D(2026, 1, 5)
SHORT_END = D(2026, 4, 5)  # 3 months from publication: the last day shown
_n = itertools.count(800)


def visible_both(p: Penalty, on: dt.date) -> bool:
    py = policy.visible(p, on)
    sql = policy.visible_penalties(Penalty.objects.filter(pk=p.pk), on).exists()
    assert py == sql, (p.enterprise.uscc, p.fine_amount, on)
    return py


@pytest.fixture
def parties(enterprise_factory):
    return {
        "legal_person": enterprise_factory(entity_type="有限责任公司（自然人投资或控股）"),
        "other_organisation": enterprise_factory(entity_type="普通合伙企业"),
        "individual_business": enterprise_factory(
            uscc=build_uscc("440305", f"MA{next(_n):06d}", category="2"), entity_type="个体工商户"
        ),
    }


def test_party_types_from_the_register(parties):
    for kind, e in parties.items():
        assert party_type(e.uscc, e.entity_type) == kind


def test_the_national_defaults_are_frozen_rule_data_with_a_citation():
    rows = {
        r.key: r
        for r in DisclosureRule.objects.filter(province_code="", key__startswith="penalty.lower_fine")
    }
    assert {k: int(r.value) for k, r in rows.items()} == {
        "penalty.lower_fine_threshold": 10000,
        "penalty.lower_fine_threshold.other_organisation": 10000,
        "penalty.lower_fine_threshold.individual_business": 1000,
    }
    assert all("第十三条" in r.basis and r.assumed for r in rows.values())


@pytest.mark.parametrize(
    ("kind", "threshold"),
    [("legal_person", 10000), ("other_organisation", 10000), ("individual_business", 1000)],
)
def test_each_party_type_has_its_own_threshold(parties, penalty_factory, kind, threshold):
    e = parties[kind]
    at = penalty_factory(e, penalty_types=["fine"], fine_amount=threshold, published_on=PUBLISHED)
    above = penalty_factory(e, penalty_types=["fine"], fine_amount=threshold + 1, published_on=PUBLISHED)
    assert visible_both(at, SHORT_END) and not visible_both(at, SHORT_END + dt.timedelta(days=1))
    assert visible_both(above, SHORT_END + dt.timedelta(days=1))


def test_a_province_sets_the_individual_business_threshold_from_its_date(parties, penalty_factory):
    actions.add_rule_version(
        key=RuleKey.PENALTY_LOWER_FINE_INDIVIDUAL,
        province_code="440000",
        value=Decimal("5000"),
        effective_from=D(2025, 7, 1),
        basis="广东省规定（测试）",
        actor=SYSTEM,
    )
    rules.invalidate()
    shop, firm = parties["individual_business"], parties["legal_person"]
    before = penalty_factory(
        shop, penalty_types=["fine"], fine_amount=3000, decided_on=D(2025, 6, 30), published_on=PUBLISHED
    )
    after = penalty_factory(
        shop, penalty_types=["fine"], fine_amount=3000, decided_on=D(2025, 7, 1), published_on=PUBLISHED
    )
    company = penalty_factory(
        firm, penalty_types=["fine"], fine_amount=3000, decided_on=D(2025, 7, 1), published_on=PUBLISHED
    )
    day = SHORT_END + dt.timedelta(days=1)
    assert visible_both(before, day)  # 3,000 > 1,000: the 3-year class
    assert not visible_both(after, day)  # 3,000 ≤ 5,000 under the province's rule
    assert not visible_both(company, day)  # the legal-person threshold is untouched
