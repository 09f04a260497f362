"""The cold profile path (docs/adr/0034): one query for an enterprise with nothing public,
only the kinds that exist otherwise, and compiled queries never outliving a rule change."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from freezegun import freeze_time

from xinjian.core.actors import SYSTEM
from xinjian.disclosure import actions, queries
from xinjian.disclosure.models import RuleKey

D = dt.date
NOW = "2025-06-01 04:00:00"  # noon in Shanghai


@freeze_time(NOW)
def test_a_cold_profile_of_an_enterprise_with_no_records_is_one_query(
    client, enterprise_factory, django_assert_num_queries
):
    e = enterprise_factory(name="深圳市无记录贸易有限公司")
    client.get(f"/api/v1/public/enterprises/{enterprise_factory().uscc}")  # compile once
    with django_assert_num_queries(1):
        r = client.get(f"/api/v1/public/enterprises/{e.uscc}")
    body = r.json()
    assert r.status_code == 200 and body["name"] == "深圳市无记录贸易有限公司"
    assert body["penalties"] == body["licences"] == body["inspections"] == body["commitments"] == []


@freeze_time(NOW)
def test_a_cold_profile_reads_only_the_kinds_the_enterprise_has(
    enterprise_factory, penalty_factory, inspection_factory, django_assert_num_queries
):
    e = enterprise_factory()
    penalty_factory(e, published_on=D(2025, 1, 10))
    penalty_factory(e, published_on=D(2025, 2, 10))
    inspection_factory(e, published_on=D(2025, 3, 10))
    queries.profile_by_uscc(enterprise_factory().uscc)  # compile once
    with django_assert_num_queries(3):  # enterprise with flags, penalties, inspections
        data = queries.profile_by_uscc(e.uscc)
    assert len(data["penalties"]) == 2 and len(data["inspections"]) == 1


@freeze_time(NOW)
def test_a_new_rule_version_applies_to_the_next_cold_profile(enterprise_factory, penalty_factory):
    e = enterprise_factory(region_code="440305")
    # A 15,000 yuan fine published four months ago: over the default 10,000 threshold it is
    # shown for 3 years; under a 20,000 threshold it is light and its 3 months are over.
    penalty_factory(
        e, penalty_types=["fine"], fine_amount=15000, decided_on=D(2025, 1, 20), published_on=D(2025, 2, 1)
    )
    assert len(queries.profile_by_uscc(e.uscc)["penalties"]) == 1
    actions.add_rule_version(
        key=RuleKey.PENALTY_LOWER_FINE,
        province_code="440000",
        value=Decimal("20000"),
        effective_from=D(2024, 1, 1),
        basis="广东省规定（测试）",
        actor=SYSTEM,
    )
    queries.forget_profile(e.uscc)
    assert queries.profile_by_uscc(e.uscc)["penalties"] == []


@freeze_time(NOW)
def test_the_cold_path_and_the_uncached_builder_give_the_same_profile(
    client, enterprise_factory, penalty_factory, inspection_factory, licence_factory
):
    e = enterprise_factory(legal_representative="李四")
    penalty_factory(e, published_on=D(2025, 1, 10), decision_text="法定代表人李四，电话13812345678")
    penalty_factory(e, penalty_types=["warning"], published_on=D(2025, 1, 10))
    inspection_factory(e, published_on=D(2025, 3, 10))
    inspection_factory(e, kind="complaint", published_on=D(2025, 3, 10))
    licence_factory(e, created_at=dt.datetime(2025, 1, 2, tzinfo=dt.UTC))
    cold = queries.profile_by_uscc(e.uscc)
    assert cold == queries.build_profile(e, queries.today())
    assert len(cold["penalties"]) == 1 and len(cold["inspections"]) == 1 and len(cold["licences"]) == 1
    assert "13812345678" not in str(cold) and "李某" in cold["penalties"][0]["decision_text"]
