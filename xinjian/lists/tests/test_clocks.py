"""Every list clock on both sides of its edge (domain.md §9–§10), via `run_clocks --date`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command

from xinjian.collection.models import AnnualReport
from xinjian.core.actors import CLOCK
from xinjian.core.workdays import add_working_days
from xinjian.lists.clocks import serious_revocation
from xinjian.lists.models import AnomalyListing, ListingHistory, SeriousListing
from xinjian.lists.queries import public_serious

pytestmark = pytest.mark.django_db
D = dt.date


def run(day: dt.date) -> str:
    out = io.StringIO()
    call_command("run_clocks", date=day.isoformat(), stdout=out)
    return out.getvalue()


def test_enterprise_without_last_years_report_is_listed_after_30_june_within_10_working_days(
    enterprise_factory, batch_decision
):
    batch_decision("440305", 2025)
    late = enterprise_factory()
    filed = enterprise_factory()
    young = enterprise_factory(established_on=D(2026, 1, 5))
    AnnualReport.objects.create(
        enterprise=filed, uscc=filed.uscc, year=2025, filed_on=D(2026, 5, 1), source="t"
    )

    run(D(2026, 6, 30))
    assert not AnomalyListing.objects.exists()

    run(D(2026, 7, 1))
    listing = AnomalyListing.objects.get()
    assert listing.enterprise == late and listing.status == "listed" and listing.report_year == 2025
    assert listing.decision_no == "深南市监异字〔2026〕1号" and listing.decided_by
    assert listing.listed_on <= add_working_days(D(2026, 6, 30), 10).due == listing.listing_due
    assert not AnomalyListing.objects.filter(enterprise__in=[filed, young]).exists()


def test_run_clocks_is_idempotent_for_a_date(
    enterprise_factory, batch_decision, listed_anomaly, penalty_factory
):
    batch_decision("440305", 2025)
    enterprise_factory()
    listed_anomaly(D(2023, 7, 3))
    run(D(2026, 7, 3))
    rows = (AnomalyListing.objects.count(), SeriousListing.objects.count(), ListingHistory.objects.count())
    second = run(D(2026, 7, 3))
    assert (
        AnomalyListing.objects.count(),
        SeriousListing.objects.count(),
        ListingHistory.objects.count(),
    ) == rows
    mine = [line.split() for line in second.splitlines() if line.startswith(("lists.", "sharing."))]
    assert len(mine) >= 6 and all(int(parts[1]) == 0 for parts in mine), second


def test_without_a_standing_decision_the_clock_prepares_drafts_for_approval(enterprise_factory):
    enterprise_factory()
    run(D(2026, 7, 2))
    listing = AnomalyListing.objects.get()
    assert (
        listing.status == "draft"
        and not listing.listed_on
        and listing.listing_due == add_working_days(D(2026, 6, 30), 10).due
    )


def test_filing_the_missing_report_removes_the_listing_within_5_working_days(
    enterprise_factory, batch_decision
):
    batch_decision("440305", 2025)
    e = enterprise_factory()
    run(D(2026, 7, 1))
    AnnualReport.objects.create(enterprise=e, uscc=e.uscc, year=2025, filed_on=D(2026, 8, 3), source="t")
    run(D(2026, 8, 2))
    assert AnomalyListing.objects.get().status == "listed"
    run(D(2026, 8, 3))
    listing = AnomalyListing.objects.get()
    assert listing.status == "removed" and listing.removal_reason == "report_filed"
    assert listing.removed_on <= add_working_days(D(2026, 8, 3), 5).due


def test_public_reminder_in_the_last_60_days_then_escalation_after_three_years(listed_anomaly):
    listing = listed_anomaly(D(2023, 7, 1))
    run(D(2026, 5, 1))  # 61 days before 2026-07-01
    listing.refresh_from_db()
    assert listing.reminder_published_on is None
    run(D(2026, 5, 2))  # 60 days before
    listing.refresh_from_db()
    assert listing.reminder_published_on == D(2026, 5, 2)
    run(D(2026, 6, 30))
    assert not SeriousListing.objects.exists()
    run(D(2026, 7, 1))
    serious = SeriousListing.objects.get()
    assert (
        serious.ground == "anomaly_three_years"
        and serious.anomaly == listing
        and serious.status == "proposed"
    )
    listing.refresh_from_db()
    assert listing.escalated_to == serious and listing.status == "listed"


def test_serious_listing_is_removed_automatically_after_three_years(published_serious):
    s = published_serious(D(2023, 3, 1))
    assert s.expires_on == D(2026, 3, 1)
    # One convention with penalties: the last day (2026-03-01) is included.
    run(D(2026, 3, 1))
    s.refresh_from_db()
    assert s.status == "published"
    assert public_serious(D(2026, 3, 1)).filter(pk=s.pk).exists()
    assert not public_serious(D(2026, 3, 2)).filter(pk=s.pk).exists()  # even before the clock runs
    run(D(2026, 3, 2))
    s.refresh_from_db()
    assert s.status == "removed" and s.removal_reason == "period_expired" and s.removed_on == D(2026, 3, 2)


def test_serious_listing_stays_while_a_legal_restriction_runs_longer(
    published_serious, penalty_factory, enterprise_factory
):
    e = enterprise_factory()
    p = penalty_factory(
        e, decided_on=D(2023, 3, 1), penalty_types=["practice_restriction"], restriction_until=D(2028, 3, 1)
    )
    s = published_serious(D(2023, 3, 1), penalty=p)
    run(D(2026, 3, 2))
    s.refresh_from_db()
    assert s.status == "published" and s.expires_on == D(2028, 3, 1)


def test_listing_is_revoked_within_3_working_days_of_the_penalty_being_revoked(published_serious):
    s = published_serious(D(2026, 3, 2))
    run(D(2026, 4, 1))
    s.refresh_from_db()
    assert s.status == "published"
    s.penalty.status = "revoked"
    s.penalty.save()
    # The lists' clock alone: disclosure's own withdrawal clock reacts to the same revocation.
    assert serious_revocation(D(2026, 4, 2), actor=CLOCK) == 1
    s.refresh_from_db()
    assert s.status == "revoked" and s.removed_on <= add_working_days(D(2026, 4, 1), 3).due
