"""Every list-rule lookup takes the province (issue 11 §3): a province's own version of
the rules applies to its enterprises, the national one to the others."""

from __future__ import annotations

import datetime as dt

import pytest

from xinjian.collection.models import Penalty
from xinjian.lists import rules
from xinjian.lists.models import AnomalyListing, AnomalyStatus, ListRuleSet

pytestmark = pytest.mark.django_db
D = dt.date


def _guangdong_rules(**fields):
    base = {
        **rules.DEFAULT_RULES,
        "province_code": "440000",
        "effective_from": D(2024, 1, 1),
        "note": "广东省规定",
    }
    base.update(fields)
    return ListRuleSet.objects.create(**base)


def test_a_heavier_penalty_is_judged_by_the_rules_of_the_enterprise_province(enterprise_factory):
    _guangdong_rules(heavier_penalty_types=["closure"])
    shenzhen = enterprise_factory(region_code="440305")
    nanning = enterprise_factory(region_code="450102")
    on = D(2025, 6, 1)

    def revocation(e):
        return Penalty(enterprise=e, uscc=e.uscc, penalty_types=["licence_revocation"], aggravated=False)

    assert not rules.is_heavier_penalty(revocation(shenzhen), on)  # Guangdong's list
    assert rules.is_heavier_penalty(revocation(nanning), on)  # the national list
    pending = Penalty(uscc=nanning.uscc, penalty_types=["licence_revocation"], aggravated=False)
    assert rules.is_heavier_penalty(pending, on)  # region read from the USCC


def test_a_listing_escalates_after_its_province_period(enterprise_factory):
    _guangdong_rules(anomaly_escalation_years=4)
    listing = AnomalyListing.objects.create(
        enterprise=enterprise_factory(region_code="440305"),
        ground="unreachable",
        status=AnomalyStatus.LISTED,
        proposed_on=D(2024, 3, 1),
        listed_on=D(2024, 3, 4),
    )
    assert listing.escalation_date() == D(2028, 3, 4)
    assert rules.rules_on(D(2025, 1, 1), "450102").anomaly_escalation_years == 3
    assert rules.instance_rules_on(D(2025, 1, 1)).anomaly_escalation_years == 4  # XINJIAN_PROVINCE 440000
