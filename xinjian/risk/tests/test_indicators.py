"""Indicator computations on hand-made histories, as of a date."""

from __future__ import annotations

import datetime as dt

import pytest

from xinjian.collection.models import AnnualReport
from xinjian.risk.indicators import BY_CODE, CATALOGUE, Dimension, indicators_for
from xinjian.risk.scoring import indicator_matrix

AS_OF = dt.date(2026, 6, 1)


def values_of(enterprise, codes, as_of=AS_OF):
    ids, rows = indicator_matrix([BY_CODE[c] for c in codes], as_of, enterprise_ids=[enterprise.pk])
    assert ids == [enterprise.pk]
    return dict(zip(codes, rows[0], strict=True))


def test_general_model_has_fifteen_indicators_in_all_five_dimensions():
    general = indicators_for("general")
    assert len(general) >= 15
    assert {i.dimension for i in general} == set(Dimension.values)


def test_domain_models_build_on_the_general_model_and_add_their_own():
    general = {i.code for i in indicators_for("general")}
    for domain in ("food", "special_equipment"):
        codes = {i.code for i in indicators_for("x", domain)}
        assert general < codes
        assert len(codes - general) >= 4


def test_every_indicator_declares_names_dimension_and_bins():
    for ind in CATALOGUE:
        assert ind.name and ind.name_en and ind.dimension in Dimension.values
        assert len(ind.edges) == len(ind.default_points) >= 1


@pytest.mark.django_db
def test_penalties_count_only_within_the_window_up_to_the_as_of_date(enterprise_factory, record):
    e = enterprise_factory()
    record("penalty", e, decided_on=dt.date(2025, 1, 10))
    record("penalty", e, decided_on=dt.date(2026, 5, 31), fine_amount=20000)
    record("penalty", e, decided_on=dt.date(2023, 1, 1))  # older than 24 months
    record("penalty", e, decided_on=dt.date(2026, 6, 2))  # after the as-of date: does not count
    record("penalty", e, decided_on=dt.date(2025, 3, 1), status="revoked")  # revoked: does not count
    v = values_of(e, ["penalties_24m", "penalties_60m", "fines_36m"])
    assert v == {"penalties_24m": 2, "penalties_60m": 3, "fines_36m": 25000}
    # The day after, the later penalty counts too.
    assert values_of(e, ["penalties_24m"], as_of=dt.date(2026, 6, 2))["penalties_24m"] == 3


@pytest.mark.django_db
def test_heavier_penalties_are_aggravated_ones_or_those_with_a_heavy_type(enterprise_factory, record):
    e = enterprise_factory()
    record("penalty", e, decided_on=dt.date(2025, 1, 1), penalty_types=["fine", "licence_revocation"])
    record("penalty", e, decided_on=dt.date(2025, 2, 1), aggravated=True)
    record("penalty", e, decided_on=dt.date(2025, 3, 1), penalty_types=["warning"])
    assert values_of(e, ["heavy_penalties_36m"])["heavy_penalties_36m"] == 2


@pytest.mark.django_db
def test_inspection_findings_and_sampling_failures(enterprise_factory, record):
    e = enterprise_factory()
    record("inspection", e, inspected_on=dt.date(2025, 5, 1), result="corrected")
    record("inspection", e, inspected_on=dt.date(2025, 6, 1), result="no_problem")
    record(
        "inspection", e, inspected_on=dt.date(2026, 1, 1), kind="sampling_test", result="sample_unqualified"
    )
    record("inspection", e, inspected_on=dt.date(2026, 7, 1), result="refused")  # after as-of
    v = values_of(
        e,
        [
            "problem_inspections_24m",
            "clean_inspections_24m",
            "problem_share_60m",
            "food_sampling_failures_24m",
        ],
    )
    assert v["problem_inspections_24m"] == 2
    assert v["clean_inspections_24m"] == 1
    assert v["food_sampling_failures_24m"] == 1
    assert v["problem_share_60m"] == pytest.approx(100 * 2 / 4)  # 2 problems / (1 + 3 inspections)


@pytest.mark.django_db
def test_special_equipment_failures_count_equipment_tests_not_food_samples(enterprise_factory, record):
    e = enterprise_factory()
    record(
        "inspection", e, inspected_on=dt.date(2026, 1, 1), kind="sampling_test", result="sample_unqualified"
    )
    record(
        "inspection", e, inspected_on=dt.date(2025, 9, 1), kind="equipment_test", result="test_unqualified"
    )
    record(
        "inspection", e, inspected_on=dt.date(2025, 10, 1), kind="equipment_test", result="test_unqualified"
    )
    record("inspection", e, inspected_on=dt.date(2025, 11, 1), kind="equipment_test", result="test_qualified")
    record(
        "inspection", e, inspected_on=dt.date(2023, 1, 1), kind="equipment_test", result="test_unqualified"
    )
    v = values_of(e, ["se_inspection_failures_24m", "food_sampling_failures_24m", "problem_inspections_24m"])
    assert v["se_inspection_failures_24m"] == 2  # the 2023 test is outside the 24 months
    assert v["food_sampling_failures_24m"] == 1
    assert v["problem_inspections_24m"] == 3  # a failed equipment test is a problem found


@pytest.mark.django_db
def test_annual_reports_late_or_missing_in_the_last_three_due_years(enterprise_factory):
    e = enterprise_factory(established_on=dt.date(2015, 1, 1))
    # As of 2026-06-01 the due years are 2022, 2023, 2024 (2025's deadline is 2026-06-30).
    AnnualReport.objects.create(
        enterprise=e, uscc=e.uscc, year=2024, filed_on=dt.date(2025, 5, 1), source="t"
    )
    AnnualReport.objects.create(
        enterprise=e, uscc=e.uscc, year=2023, filed_on=dt.date(2024, 9, 1), source="t"
    )  # late
    assert values_of(e, ["annual_reports_late_3y"])["annual_reports_late_3y"] == 2
    young = enterprise_factory(established_on=dt.date(2024, 3, 1))  # only 2024 was due
    assert values_of(young, ["annual_reports_late_3y"])["annual_reports_late_3y"] == 1


@pytest.mark.django_db
def test_related_parties_same_legal_representative_listed_and_shared_address(enterprise_factory, record):
    e = enterprise_factory(legal_representative="欧阳某某", address="南山区科技园1号")
    sibling = enterprise_factory(legal_representative="欧阳某某", address="福田区2号")
    record("list_decision", sibling, decided_on=dt.date(2025, 1, 1))
    record("list_decision", e, decided_on=dt.date(2025, 2, 1))  # its own listing is not a related party
    for _ in range(3):
        enterprise_factory(address="南山区科技园1号", legal_representative="李某")
    v = values_of(e, ["rep_other_listed", "enterprises_at_address", "anomaly_listings_36m"])
    assert v == {"rep_other_listed": 1, "enterprises_at_address": 3, "anomaly_listings_36m": 1}
    assert values_of(sibling, ["rep_other_listed"])["rep_other_listed"] == 1


@pytest.mark.django_db
def test_problems_found_among_related_enterprises_as_of_the_date(enterprise_factory, record, licence_factory):
    e = enterprise_factory(legal_representative="欧阳某某", address="南山区创智产业园3栋")
    sibling = enterprise_factory(legal_representative="欧阳某某", address="福田区2号")
    neighbour = enterprise_factory(legal_representative="李某", address="南山区创智产业园3栋")
    record("inspection", sibling, inspected_on=dt.date(2025, 1, 1), result="corrected")
    record("inspection", sibling, inspected_on=dt.date(2025, 3, 1), result="no_problem")
    record("inspection", sibling, inspected_on=dt.date(2026, 7, 1), result="refused")  # after the as-of date
    record("inspection", neighbour, inspected_on=dt.date(2024, 5, 1), result="unreachable")
    record("inspection", e, inspected_on=dt.date(2025, 5, 1), result="follow_up")  # its own: not related
    record("inspection", e, inspected_on=dt.date(2025, 6, 1), result="no_problem")
    codes = ["rep_problem_share_60m", "address_problem_share_60m"]
    assert values_of(e, codes) == pytest.approx(
        {"rep_problem_share_60m": 100 * 1 / (1 + 2), "address_problem_share_60m": 100 * 1 / (1 + 1)}
    )
    # The sibling sees e's inspections through the legal representative, not the address.
    assert values_of(sibling, codes) == pytest.approx(
        {"rep_problem_share_60m": 100 * 1 / (1 + 2), "address_problem_share_60m": 0}
    )
    for holder in (e, neighbour):
        licence_factory(holder, licence_type="food_business", licence_no=f"JY1440305{holder.pk:07d}")
    # Holders of food-business licences: e (1 problem of 2) and neighbour (1 of 1).
    trade = values_of(sibling, ["trade_problem_share_60m"])["trade_problem_share_60m"]
    assert trade == 0  # no licence, no trade
    assert values_of(e, ["trade_problem_share_60m"])["trade_problem_share_60m"] == pytest.approx(
        100 * 2 / (1 + 3)
    )


@pytest.mark.django_db
def test_domain_licence_expired_or_expiring_within_ninety_days(enterprise_factory, record):
    e = enterprise_factory()
    record("licence", e, valid_until=dt.date(2026, 8, 1))  # within 90 days
    record("licence", e, licence_no="SC10144030000012", valid_until=dt.date(2030, 1, 1))
    assert values_of(e, ["food_licence_expiring", "valid_licences"]) == {
        "food_licence_expiring": 1,
        "valid_licences": 2,
    }


@pytest.mark.django_db
def test_age_and_capital_come_from_the_register(enterprise_factory):
    e = enterprise_factory(established_on=dt.date(2025, 1, 1), registered_capital=30)
    assert values_of(e, ["age_years", "registered_capital"]) == {"age_years": 1, "registered_capital": 30}


@pytest.mark.django_db
def test_complaints_recent_and_substantiated(enterprise_factory, record):
    e = enterprise_factory()
    record("complaint", e, received_on=dt.date(2026, 1, 1), substantiated=True)
    record("complaint", e, received_on=dt.date(2025, 1, 1), substantiated=False)
    record("complaint", e, received_on=dt.date(2026, 7, 1), substantiated=True)  # after as-of
    assert values_of(e, ["complaints_12m", "substantiated_complaints_24m", "food_complaints_24m"]) == {
        "complaints_12m": 1,
        "substantiated_complaints_24m": 1,
        "food_complaints_24m": 2,
    }


@pytest.mark.django_db
def test_untrue_commitments_count_from_the_finding_date(enterprise_factory, county_officer):
    """A finding reached through the commitments workflow counts from its conclusion date,
    for 36 months; a kept commitment and an open verification do not count."""
    from xinjian.collection.models import CommitmentRecord
    from xinjian.commitments import actions

    e = enterprise_factory()

    def verification(n: int, on: dt.date):
        c = CommitmentRecord.objects.create(
            enterprise=e,
            uscc=e.uscc,
            source="approval-system",
            source_id=f"RISK-{n}",
            kind="notification",
            matter="食品生产许可（告知承诺办理）",
            committed_on=on - dt.timedelta(days=30),
        )
        v = actions.select_for_verification(c, actor=county_officer, reason="投诉线索", on=on)
        return actions.assign(v, actor=county_officer, assignee=county_officer, on=on)

    actions.conclude_untrue(
        verification(1, dt.date(2026, 5, 20)),
        actor=county_officer,
        facts="承诺的检验设备不存在",
        consequences=[{"kind": "terminate"}],
        on=dt.date(2026, 5, 20),
    )
    actions.conclude_untrue(  # older than 36 months at the as-of date
        verification(2, dt.date(2023, 1, 10)),
        actor=county_officer,
        facts="承诺的场所不存在",
        consequences=[{"kind": "terminate"}],
        on=dt.date(2023, 1, 10),
    )
    actions.conclude_kept(
        verification(3, dt.date(2026, 5, 25)), actor=county_officer, facts="属实", on=dt.date(2026, 5, 25)
    )
    verification(4, dt.date(2026, 5, 26))  # still open
    assert values_of(e, ["untrue_commitments_36m"])["untrue_commitments_36m"] == 1
    assert values_of(e, ["untrue_commitments_36m"], as_of=dt.date(2026, 5, 19))["untrue_commitments_36m"] == 0
    assert values_of(e, ["untrue_commitments_36m"], as_of=dt.date(2025, 1, 1))["untrue_commitments_36m"] == 1
    assert BY_CODE["untrue_commitments_36m"].dimension == Dimension.SUPERVISION


def test_every_indicator_explains_itself_in_both_languages():
    from django.utils import translation

    from xinjian.risk.indicators import REASONS_EN

    assert set(REASONS_EN) == {i.code for i in CATALOGUE}
    assert all("{value}" in text for text in REASONS_EN.values())
    ind = BY_CODE["penalties_24m"]
    with translation.override("en"):
        assert ind.explain(3) == "3 administrative penalties in the last 24 months"
        assert ind.display_name() == "Penalties in 24 months"
    with translation.override("zh-hans"):
        assert ind.explain(3) == "近两年受到 3 次行政处罚"
        assert ind.display_name() == "近两年行政处罚次数"


@pytest.mark.django_db
def test_two_hops_out_and_other_records_of_the_representative_as_of_the_date(enterprise_factory, record):
    old = dt.date(2015, 1, 1)
    e = enterprise_factory(legal_representative="欧阳某某", address="南山区创智产业园3栋", established_on=old)
    sibling = enterprise_factory(legal_representative="欧阳某某", address="福田区2号", established_on=old)
    at_sibling = enterprise_factory(legal_representative="李某", address="福田区2号")  # two hops via the rep
    beyond = enterprise_factory(legal_representative="李某", address="罗湖区9号")  # three hops: not counted
    neighbour = enterprise_factory(legal_representative="张某", address="南山区创智产业园3栋")
    neighbour_other = enterprise_factory(
        legal_representative="张某", address="宝安区5号"
    )  # two hops via the address
    record("inspection", sibling, inspected_on=dt.date(2025, 1, 1), result="corrected")
    record("inspection", sibling, inspected_on=dt.date(2025, 3, 1), result="no_problem")
    record("inspection", at_sibling, inspected_on=dt.date(2024, 5, 1), result="unreachable")
    record(
        "inspection", at_sibling, inspected_on=dt.date(2026, 7, 1), result="refused"
    )  # after the as-of date
    record("inspection", beyond, inspected_on=dt.date(2025, 1, 1), result="follow_up")
    record("inspection", neighbour, inspected_on=dt.date(2025, 2, 1), result="no_problem")
    record("inspection", neighbour_other, inspected_on=dt.date(2025, 2, 1), result="corrected")
    record("inspection", e, inspected_on=dt.date(2025, 5, 1), result="follow_up")  # its own: excluded
    record("inspection", e, inspected_on=dt.date(2025, 6, 1), result="no_problem")
    codes = [
        "rep_network_problem_share_60m",
        "address_network_problem_share_60m",
        "rep_other_problem_inspections_60m",
        "rep_other_clean_inspections_60m",
    ]
    # Via the representative: the addresses 创智 3栋 and 福田区2号 hold e, neighbour, sibling
    # and at_sibling — 2 problems in 4 inspections besides e's own; `beyond` is not reached.
    # Via the address: the representatives 欧阳某某 and 张某 run e, sibling, neighbour and
    # neighbour_other — 2 problems in 4 inspections besides e's own.
    assert values_of(e, codes) == pytest.approx(
        {
            "rep_network_problem_share_60m": 100 * 2 / (1 + 4),
            "address_network_problem_share_60m": 100 * 2 / (1 + 4),
            "rep_other_problem_inspections_60m": 1,
            "rep_other_clean_inspections_60m": 1,
        }
    )
    # As of a date before any inspection, the network has found nothing.
    assert set(values_of(e, codes, as_of=dt.date(2024, 1, 1)).values()) == {0}
    # Other records of the representative's other enterprise: one substantiated complaint
    # (per 100 other enterprises: 100), and of the 3 reports it owed (2022–2024) one on time.
    record("complaint", sibling, received_on=dt.date(2025, 6, 1), substantiated=True)
    record("complaint", sibling, received_on=dt.date(2025, 7, 1), substantiated=False)
    record("complaint", e, received_on=dt.date(2025, 6, 1), substantiated=True)  # its own
    AnnualReport.objects.create(
        enterprise=sibling, uscc=sibling.uscc, year=2024, filed_on=dt.date(2025, 5, 1), source="t"
    )
    AnnualReport.objects.create(
        enterprise=e, uscc=e.uscc, year=2024, filed_on=dt.date(2025, 5, 1), source="t"
    )
    v = values_of(e, ["rep_other_complaints_per_enterprise", "rep_other_reports_late_share"])
    assert v == pytest.approx(
        {"rep_other_complaints_per_enterprise": 100.0, "rep_other_reports_late_share": 100 * 2 / (1 + 3)}
    )


@pytest.mark.django_db
def test_problems_found_among_enterprises_with_the_same_business_scope(enterprise_factory, record):
    scope = "餐饮服务；预包装食品销售"
    e = enterprise_factory(business_scope=scope)
    peer = enterprise_factory(business_scope=scope)
    other_trade = enterprise_factory(business_scope="软件开发")
    record("inspection", peer, inspected_on=dt.date(2025, 1, 1), result="corrected")
    record("inspection", peer, inspected_on=dt.date(2025, 2, 1), result="no_problem")
    record("inspection", peer, inspected_on=dt.date(2026, 8, 1), result="corrected")  # after the as-of date
    record("inspection", other_trade, inspected_on=dt.date(2025, 1, 1), result="corrected")
    record("inspection", e, inspected_on=dt.date(2025, 3, 1), result="follow_up")  # its own: excluded
    assert values_of(e, ["scope_problem_share_60m"]) == pytest.approx(
        {"scope_problem_share_60m": 100 * 1 / 3}
    )
    assert values_of(peer, ["scope_problem_share_60m"]) == pytest.approx(
        {"scope_problem_share_60m": 100 * 1 / 2}
    )
    blank = enterprise_factory(business_scope="")
    assert values_of(blank, ["scope_problem_share_60m"]) == {"scope_problem_share_60m": 0}
