"""Eligibility (domain.md §12) on hand-made histories, at both sides of each threshold:
6 months of publication, 1 year for food/drug/special equipment, doubled on the stricter
path; the kinds never repaired early; the serious list's one year (two when strict)."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from xinjian.repair import eligibility
from xinjian.repair.eligibility import MET, NOT_MET, TO_VERIFY

D = dt.date
pytestmark = pytest.mark.django_db


def state(check, code):
    return next(c for c in check.conditions if c.code == code).state


def test_a_product_quality_penalty_may_stop_publication_after_six_months_not_a_day_earlier(
    enterprise_factory, penalty_factory
):
    p = penalty_factory(enterprise_factory(), published_on=D(2025, 1, 15))
    before = eligibility.for_penalty(p, D(2025, 7, 14))
    on_the_day = eligibility.for_penalty(p, D(2025, 7, 15))
    assert state(before, "min_period") == NOT_MET and not before.eligible
    assert "2025年7月15日起可申请" in next(c for c in before.conditions if c.code == "min_period").detail
    assert state(on_the_day, "min_period") == MET and on_the_day.eligible
    assert on_the_day.earliest == D(2025, 7, 15) and not on_the_day.strict


@pytest.mark.parametrize("domain", ["food_safety", "drug", "special_equipment"])
def test_food_drug_and_special_equipment_penalties_wait_one_year(enterprise_factory, penalty_factory, domain):
    p = penalty_factory(enterprise_factory(), published_on=D(2025, 1, 15), domain=domain)
    assert not eligibility.for_penalty(p, D(2025, 7, 15)).eligible
    assert not eligibility.for_penalty(p, D(2026, 1, 14)).eligible
    assert eligibility.for_penalty(p, D(2026, 1, 15)).eligible


def test_two_penalties_of_the_same_kind_in_three_years_double_the_wait_and_need_an_onsite_check(
    enterprise_factory, penalty_factory
):
    e = enterprise_factory()
    penalty_factory(e, published_on=D(2023, 6, 1), decided_on=D(2023, 5, 20))  # same domain, earlier
    p = penalty_factory(e, published_on=D(2025, 1, 15))
    at_six_months = eligibility.for_penalty(p, D(2025, 7, 15))
    assert at_six_months.strict and at_six_months.onsite_required
    assert "产品质量领域行政处罚2次" in at_six_months.strict_reasons[0]
    assert not at_six_months.eligible
    assert not eligibility.for_penalty(p, D(2026, 1, 14)).eligible
    assert eligibility.for_penalty(p, D(2026, 1, 15)).eligible


def test_a_penalty_of_another_kind_or_outside_three_years_does_not_make_it_strict(
    enterprise_factory, penalty_factory
):
    e = enterprise_factory()
    penalty_factory(e, published_on=D(2021, 6, 1), decided_on=D(2021, 5, 20))  # more than 3 years before
    penalty_factory(e, published_on=D(2024, 6, 1), decided_on=D(2024, 5, 20), domain="consumer_rights")
    p = penalty_factory(e, published_on=D(2025, 1, 15))
    check = eligibility.for_penalty(p, D(2025, 7, 15))
    assert not check.strict and check.eligible


def test_repaired_within_the_last_year_makes_the_next_application_strict(
    enterprise_factory, penalty_factory, apply_for
):
    from xinjian.repair import actions

    e = enterprise_factory()
    first = penalty_factory(e, published_on=D(2024, 1, 10), decided_on=D(2024, 1, 5), domain="competition")
    app = apply_for("penalty_publication", first, D(2024, 8, 1))
    actions.accept(app, actor="system", on=D(2024, 8, 2))
    actions.approve(app, actor="system", decision_no="深南信修〔2024〕1号", confirmed=True, on=D(2024, 8, 5))
    p = penalty_factory(e, published_on=D(2025, 1, 15))
    check = eligibility.for_penalty(p, D(2025, 7, 15))
    assert check.strict and "已获信用修复" in check.strict_reasons[0]
    assert not check.eligible  # 12 months now
    assert eligibility.for_penalty(p, D(2025, 8, 5)).strict  # the last day of that year
    later = eligibility.for_penalty(p, D(2025, 8, 6))  # a year and a day after that repair
    assert not later.strict and later.eligible


@pytest.mark.parametrize(
    "types,amount",
    [(["warning", "fine"], 5000), (["criticism"], None), (["fine"], 10000)],
)
def test_warnings_criticism_and_lower_fines_are_not_repaired_they_expire_after_three_months(
    enterprise_factory, penalty_factory, types, amount
):
    p = penalty_factory(
        enterprise_factory(), published_on=D(2025, 1, 15), penalty_types=types, fine_amount=amount
    )
    check = eligibility.for_penalty(p, D(2025, 2, 1))
    assert state(check, "not_light") == NOT_MET and not check.eligible


@pytest.mark.parametrize(
    "kind",
    [
        "suspension",
        "business_restriction",
        "practice_restriction",
        "qualification_downgrade",
        "licence_revocation",
        "business_licence_revocation",
    ],
)
def test_suspension_restriction_downgrade_and_revocation_are_never_repaired_early(
    enterprise_factory, penalty_factory, kind
):
    p = penalty_factory(enterprise_factory(), published_on=D(2023, 1, 15), penalty_types=["fine", kind])
    check = eligibility.for_penalty(p, D(2025, 7, 15))  # long after any waiting period
    assert state(check, "repairable_type") == NOT_MET and not check.eligible


def test_a_new_penalty_of_the_same_kind_or_a_listing_bars_the_repair(
    enterprise_factory, penalty_factory, listed_anomaly
):
    e = enterprise_factory()
    p = penalty_factory(e, published_on=D(2025, 1, 15))
    penalty_factory(e, decided_on=D(2025, 5, 1))
    check = eligibility.for_penalty(p, D(2025, 7, 15))
    assert state(check, "no_new_same_kind") == NOT_MET
    e2 = enterprise_factory()
    p2 = penalty_factory(e2, published_on=D(2025, 1, 15))
    listed_anomaly(D(2025, 3, 1), enterprise=e2)
    check2 = eligibility.for_penalty(p2, D(2025, 7, 15))
    assert state(check2, "not_listed") == NOT_MET and "经营异常名录" in check2.failed[0].detail


def test_unfulfilled_obligations_and_harm_are_left_to_the_department_to_verify(
    enterprise_factory, penalty_factory
):
    p = penalty_factory(enterprise_factory(), published_on=D(2025, 1, 15), fulfilled_on=None)
    check = eligibility.for_penalty(p, D(2025, 7, 15))
    assert state(check, "obligations_fulfilled") == TO_VERIFY
    assert state(check, "harm_eliminated") == TO_VERIFY
    assert check.eligible


def test_an_unpublished_penalty_has_nothing_to_stop(enterprise_factory, penalty_factory):
    p = penalty_factory(enterprise_factory())
    check = eligibility.for_penalty(p, D(2025, 7, 15))
    assert state(check, "published") == NOT_MET and not check.eligible


def test_early_removal_from_the_serious_list_after_one_year_two_when_strict(
    enterprise_factory, penalty_factory, published_serious
):
    s = published_serious(D(2025, 3, 3))
    assert not eligibility.for_serious(s, D(2026, 3, 2)).eligible
    ok = eligibility.for_serious(s, D(2026, 3, 3))
    assert ok.eligible and ok.earliest == D(2026, 3, 3)

    e = enterprise_factory()
    penalty_factory(e, decided_on=D(2024, 1, 10), domain="food_safety", published_on=D(2024, 1, 15))
    strict = published_serious(D(2025, 3, 3), enterprise=e)
    assert eligibility.for_serious(strict, D(2026, 3, 3)).strict
    assert not eligibility.for_serious(strict, D(2027, 3, 2)).eligible
    assert eligibility.for_serious(strict, D(2027, 3, 3)).eligible


def test_a_running_restriction_or_a_later_heavier_penalty_keeps_the_serious_listing(
    enterprise_factory, penalty_factory, published_serious
):
    s = published_serious(D(2025, 3, 3), restriction_until=D(2026, 9, 1))
    assert not eligibility.for_serious(s, D(2026, 8, 31)).eligible
    assert eligibility.for_serious(s, D(2026, 9, 1)).eligible
    s2 = published_serious(D(2025, 3, 3))
    penalty_factory(
        s2.enterprise, decided_on=D(2025, 10, 1), domain="competition", penalty_types=["suspension"]
    )
    check = eligibility.for_serious(s2, D(2026, 3, 3))
    assert state(check, "no_further_heavier") == NOT_MET


def test_anomaly_listing_ground_ceased(enterprise_factory, listed_anomaly):
    from xinjian.collection.models import AnnualReport

    e = enterprise_factory()
    missing = listed_anomaly(D(2025, 7, 2), ground="annual_report_missing", enterprise=e, report_year=2024)
    assert state(eligibility.for_anomaly(missing, D(2025, 8, 1)), "ground_ceased") == NOT_MET
    AnnualReport.objects.create(enterprise=e, uscc=e.uscc, year=2024, filed_on=D(2025, 8, 10), source="test")
    filed = eligibility.for_anomaly(missing, D(2025, 8, 11))
    assert state(filed, "ground_ceased") == MET and "2025年8月10日" in filed.conditions[1].detail

    moved = listed_anomaly(D(2025, 3, 1), enterprise=enterprise_factory(address="旧址1号"))
    assert state(eligibility.for_anomaly(moved, D(2025, 4, 1)), "ground_ceased") == TO_VERIFY
    moved.enterprise.address = "新址2号"
    moved.enterprise.save()
    assert state(eligibility.for_anomaly(moved, D(2025, 4, 1)), "ground_ceased") == MET


@freeze_time("2025-07-15 10:00:00+08:00")
def test_the_enterprise_sees_each_condition_explained_before_applying(
    client, enterprise_user, own_enterprise, penalty_factory
):
    penalty_factory(own_enterprise, published_on=D(2025, 1, 15), decision_no="深南市监罚〔2025〕901号")
    penalty_factory(
        own_enterprise,
        published_on=D(2025, 3, 1),
        decided_on=D(2025, 2, 20),
        domain="food_safety",
        decision_no="深南市监罚〔2025〕902号",
        violation="食品",
    )
    client.force_login(enterprise_user)
    page = client.get("/public/my/repair/").content.decode()
    assert "深南市监罚〔2025〕901号" in page and "深南市监罚〔2025〕902号" in page
    assert "符合申请条件" in page and "暂不符合申请条件" in page
    assert "2026年3月1日起可申请" in page  # the food penalty: one year from publication


def test_a_province_rule_version_changes_the_wait_from_its_effective_date(
    enterprise_factory, penalty_factory
):
    from xinjian.repair.models import RepairRuleSet
    from xinjian.repair.rules import DEFAULT_RULES

    RepairRuleSet.objects.create(
        **{
            **DEFAULT_RULES,
            "effective_from": D(2025, 6, 1),
            "province_code": "440000",
            "penalty_min_months": 4,
            "note": "广东省",
        }
    )
    p = penalty_factory(enterprise_factory(), published_on=D(2025, 1, 15))
    assert not eligibility.for_penalty(p, D(2025, 5, 31)).eligible  # the national 6 months still apply
    assert eligibility.for_penalty(p, D(2025, 6, 1)).eligible  # 4 months under the province's version
    other = penalty_factory(enterprise_factory(region_code="110105"), published_on=D(2025, 1, 15))
    assert not eligibility.for_penalty(other, D(2025, 6, 1)).eligible
