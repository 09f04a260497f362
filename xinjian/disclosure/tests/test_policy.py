"""The disclosure policy (domain.md §5, Order 45): periods, exceptions, and the SQL form
agreeing with the Python form on every case."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xinjian.collection.models import Complaint, Penalty
from xinjian.core.actors import SYSTEM
from xinjian.disclosure import actions, policy
from xinjian.disclosure.models import RuleKey

D = dt.date
ONE = dt.timedelta(days=1)


@pytest.fixture
def ent(enterprise_factory):
    return enterprise_factory()


def visible_both(p: Penalty, on: dt.date) -> bool:
    """Python and SQL must say the same thing; return it."""
    py = policy.visible(p, on)
    sql = policy.visible_penalties(Penalty.objects.filter(pk=p.pk), on).exists()
    assert py == sql, f"policy disagrees with its SQL form for {p.penalty_types} on {on}"
    return py


def test_add_months_clamps_to_month_end():
    assert policy.add_months(D(2025, 1, 10), 3) == D(2025, 4, 10)
    assert policy.add_months(D(2024, 11, 30), 3) == D(2025, 2, 28)
    assert policy.add_months(D(2024, 2, 29), 36) == D(2027, 2, 28)


def test_penalty_with_only_criticism_disappears_after_three_months(ent, penalty_factory):
    p = penalty_factory(ent, penalty_types=["criticism"], fine_amount=None, published_on=D(2025, 1, 10))
    assert policy.disclosed_until(p) == D(2025, 4, 10)
    assert visible_both(p, D(2025, 1, 10))
    assert visible_both(p, D(2025, 4, 10))  # the last day is shown
    assert not visible_both(p, D(2025, 4, 11))  # the day after expiry it is gone
    assert not visible_both(p, D(2025, 1, 9))  # not before publication


def test_lower_amount_fine_is_shown_three_months_and_the_threshold_is_inclusive(ent, penalty_factory):
    low = penalty_factory(
        ent, penalty_types=["warning", "fine"], fine_amount=Decimal("10000"), published_on=D(2025, 1, 10)
    )
    high = penalty_factory(
        ent, penalty_types=["fine"], fine_amount=Decimal("10000.01"), published_on=D(2025, 1, 10)
    )
    assert policy.disclosed_until(low) == D(2025, 4, 10)
    assert not visible_both(low, D(2025, 4, 11))
    assert policy.disclosed_until(high) == D(2028, 1, 10)
    assert visible_both(high, D(2025, 4, 11))


def test_other_penalties_are_shown_three_years(ent, penalty_factory):
    p = penalty_factory(
        ent, penalty_types=["fine", "confiscation"], fine_amount=5000, published_on=D(2025, 1, 10)
    )
    assert policy.disclosed_until(p) == D(2028, 1, 10)
    assert visible_both(p, D(2028, 1, 10))
    assert not visible_both(p, D(2028, 1, 11))


def test_a_fine_without_an_amount_is_not_lower_and_gets_three_years(ent, penalty_factory):
    p = penalty_factory(ent, penalty_types=["fine"], fine_amount=None, published_on=D(2025, 1, 10))
    assert policy.disclosed_until(p) == D(2028, 1, 10)
    assert visible_both(p, D(2027, 6, 1))


def test_a_restriction_longer_than_three_years_keeps_the_penalty_public_until_it_ends(ent, penalty_factory):
    p = penalty_factory(
        ent,
        penalty_types=["fine", "practice_restriction"],
        published_on=D(2025, 1, 10),
        restriction_until=D(2030, 6, 30),
    )
    assert policy.disclosed_until(p) == D(2030, 6, 30)
    assert visible_both(p, D(2030, 6, 30))
    assert not visible_both(p, D(2030, 7, 1))
    shorter = penalty_factory(
        ent,
        penalty_types=["business_restriction"],
        published_on=D(2025, 1, 10),
        restriction_until=D(2026, 1, 1),
    )
    assert policy.disclosed_until(shorter) == D(2028, 1, 10)


def test_warning_only_penalty_is_never_public(ent, penalty_factory):
    p = penalty_factory(ent, penalty_types=["warning"], fine_amount=None, published_on=D(2025, 1, 10))
    assert not visible_both(p, D(2025, 1, 10))
    assert not policy.publishable(p)


@pytest.mark.parametrize("exception", ["privacy", "national_security", "state_secret", "public_interest"])
def test_a_disclosure_exception_is_never_public(ent, penalty_factory, exception):
    p = penalty_factory(ent, disclosure_exception=exception, published_on=D(2025, 1, 10))
    assert not visible_both(p, D(2025, 2, 1))


def test_a_revoked_decision_disappears_at_once_even_before_it_is_withdrawn(ent, penalty_factory):
    p = penalty_factory(ent, published_on=D(2025, 1, 10))
    assert visible_both(p, D(2025, 2, 1))
    p.status = "revoked"
    p.save()
    assert not visible_both(p, D(2025, 2, 1))


def test_a_withdrawn_penalty_disappears_on_the_withdrawal_day(ent, penalty_factory):
    p = penalty_factory(ent, published_on=D(2025, 1, 10), withdrawn_on=D(2025, 3, 1))
    assert visible_both(p, D(2025, 2, 28))
    assert not visible_both(p, D(2025, 3, 1))


def test_early_stop_by_credit_repair_hides_the_penalty_from_that_day(ent, penalty_factory):
    p = penalty_factory(ent, published_on=D(2025, 1, 10))
    actions.stop_publication(p, actor=SYSTEM, reason="信用修复", on=D(2025, 9, 1))
    p.refresh_from_db()
    assert visible_both(p, D(2025, 8, 31))
    assert not visible_both(p, D(2025, 9, 1))
    actions.resume_publication(p, actor=SYSTEM, reason="以欺骗手段取得信用修复，撤销修复决定")
    p.refresh_from_db()
    assert visible_both(p, D(2025, 9, 1))


def test_unpublished_unmatched_and_archived_penalties_are_not_public(ent, penalty_factory):
    assert not visible_both(penalty_factory(ent), D(2025, 2, 1))  # not published yet
    pending = penalty_factory(ent, published_on=D(2025, 1, 10))
    pending.enterprise = None
    pending.save()
    assert not visible_both(pending, D(2025, 2, 1))


def test_province_threshold_applies_from_its_effective_date(enterprise_factory, penalty_factory):
    gd = enterprise_factory(region_code="440305")
    sh = enterprise_factory(region_code="310101")
    actions.add_rule_version(
        key=RuleKey.PENALTY_LOWER_FINE,
        province_code="440000",
        value=Decimal("50000"),
        effective_from=D(2022, 1, 1),
        basis="广东省规定（测试）",
        actor=SYSTEM,
    )
    after = penalty_factory(gd, fine_amount=30000, decided_on=D(2022, 3, 1), published_on=D(2022, 3, 5))
    before = penalty_factory(gd, fine_amount=30000, decided_on=D(2021, 12, 1), published_on=D(2021, 12, 5))
    elsewhere = penalty_factory(sh, fine_amount=30000, decided_on=D(2022, 3, 1), published_on=D(2022, 3, 5))
    assert policy.disclosed_until(after) == D(2022, 6, 5)
    assert policy.disclosed_until(before) == D(2024, 12, 5)
    assert policy.disclosed_until(elsewhere) == D(2025, 3, 5)
    for p in (after, before, elsewhere):
        for on in (D(2022, 6, 5), D(2022, 6, 6), D(2024, 12, 5), D(2024, 12, 6)):
            visible_both(p, on)


def test_the_sql_filter_agrees_with_the_policy_over_a_grid(enterprise_factory, penalty_factory):
    actions.add_rule_version(
        key=RuleKey.PENALTY_LOWER_FINE,
        province_code="440000",
        value=Decimal("20000"),
        effective_from=D(2024, 7, 1),
        basis="测试",
        actor=SYSTEM,
    )
    ents = [enterprise_factory(region_code="440305"), enterprise_factory(region_code="310101")]
    kinds = [
        ["warning"],
        ["criticism"],
        ["fine"],
        ["warning", "fine"],
        ["criticism", "fine"],
        ["confiscation"],
        ["fine", "suspension"],
        ["licence_revocation"],
        ["other"],
    ]
    made = []
    for e in ents:
        for i, types in enumerate(kinds):
            for amount in (None, 8000, 15000, 60000):
                made.append(
                    penalty_factory(
                        e,
                        penalty_types=types,
                        fine_amount=amount,
                        decided_on=D(2024, 5 + i % 4, 28),
                        published_on=D(2024, 11, 30) if i % 3 else D(2024, 8, 31),
                        restriction_until=D(2029, 1, 1) if i == 6 else None,
                        withdrawn_on=D(2025, 2, 1) if (i == 5 and amount == 8000) else None,
                        disclosure_exception="privacy" if (i == 7 and amount is None) else "",
                    )
                )
    days = [
        D(2024, 11, 29),
        D(2024, 11, 30),
        D(2024, 11, 30) + ONE,
        D(2025, 2, 28),
        D(2025, 3, 1),
        D(2025, 1, 31),
        D(2025, 2, 1),
        D(2027, 8, 31),
        D(2027, 9, 1),
        D(2027, 11, 30),
        D(2027, 12, 1),
        D(2028, 12, 31),
        D(2029, 1, 2),
    ]
    for on in days:
        sql = set(policy.visible_penalties(Penalty.objects.all(), on).values_list("pk", flat=True))
        py = {p.pk for p in made if policy.visible(p, on)}
        assert sql == py, on


def test_complaints_are_never_public(ent, complaint_factory):
    c = complaint_factory(ent)
    with pytest.raises(policy.NeverPublic):
        policy.visible(c, D(2025, 2, 1))
    with pytest.raises(policy.NeverPublic):
        policy.filter_visible(Complaint.objects.all(), D(2025, 2, 1))


def test_inspection_results_are_public_once_published_except_complaint_checks(ent, inspection_factory):
    i = inspection_factory(ent, published_on=D(2025, 3, 10))
    assert not policy.visible(i, D(2025, 3, 9))
    assert policy.visible(i, D(2025, 3, 10))
    assert policy.visible(i, D(2035, 3, 10))
    c = inspection_factory(ent, kind="complaint", published_on=D(2025, 3, 10))
    assert not policy.visible(c, D(2025, 3, 10))
    from xinjian.collection.models import Inspection

    on = D(2025, 3, 10)
    assert set(policy.visible_inspections(Inspection.objects.all(), on)) == {i}
