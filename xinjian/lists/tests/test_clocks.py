"""Every list clock on both sides of its edge (domain.md §9–§10), via `run_clocks --date`."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from xinjian.collection.models import AnnualReport
from xinjian.core.actors import CLOCK
from xinjian.core.workdays import add_working_days
from xinjian.lists.clocks import serious_revocation
from xinjian.lists.models import AnomalyListing, BatchDecision, ListingHistory, SeriousListing
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


@pytest.mark.parametrize(("decided_on", "listed"), [(D(2026, 6, 30), False), (D(2026, 7, 1), True)])
def test_a_standing_batch_decision_counts_only_if_made_after_the_filing_window(
    enterprise_factory, batch_decision, decided_on, listed
):
    """A decision dated on or before 30 June 2026 decided on 2025 reports that could still
    be filed: the clock prepares drafts for approval instead of listing under it."""
    bd = batch_decision("440305", 2025)
    BatchDecision.objects.filter(pk=bd.pk).update(decided_on=decided_on)
    enterprise_factory()
    run(D(2026, 7, 1))
    listing = AnomalyListing.objects.get()
    assert (listing.status == "listed") is listed
    assert (listing.decision_no == bd.decision_no) is listed


def test_staff_cannot_record_a_batch_decision_before_the_filing_window_closes(client, county_officer):
    client.force_login(county_officer)
    for day, stored in (("2026-06-30", False), ("2026-07-01", True)):
        client.post(
            "/staff/lists/rules/batch-decisions/",
            {"report_year": "2025", "decided_on": day, "decision_no": f"深南市监异字〔2026〕{day}号"},
        )
        assert BatchDecision.objects.filter(decided_on=dt.date.fromisoformat(day)).exists() is stored


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


# --- Anomaly Measures art. 4 (2): only after an order to publish has lapsed -------------


def _unpublished_info_found(e, on):
    from django.db import transaction

    from xinjian.collection.models import Inspection
    from xinjian.core.events import EventType, emit
    from xinjian.lists.reactions import react

    Inspection.objects.create(
        enterprise=e,
        uscc=e.uscc,
        source="t",
        source_id=f"I-{e.pk}",
        inspected_on=on,
        inspected_by="南山局",
        kind="random",
        result="unpublished_info",
    )
    with transaction.atomic():
        emit(EventType.INSPECTION_RECORDED, uscc=e.uscc, region_code=e.region_code, data={})
    react()


def test_unpublished_information_gets_an_order_and_a_listing_only_after_the_limit_lapses(
    enterprise_factory,
):
    from xinjian.lists.models import PublicationOrder

    e = enterprise_factory()
    _unpublished_info_found(e, D(2026, 4, 1))
    order = PublicationOrder.objects.get(enterprise=e)
    assert not AnomalyListing.objects.exists()  # no listing on the finding itself
    assert order.time_limit_days == 10 and order.due_on() == D(2026, 4, 11)
    run(D(2026, 4, 11))  # the last day to publish
    assert not AnomalyListing.objects.exists()
    run(D(2026, 4, 12))
    listing = AnomalyListing.objects.get()
    assert listing.status == "draft" and listing.ground == "unpublished_info"
    assert listing.proposed_on == D(2026, 4, 12) and "2026-04-11" in listing.facts
    order.refresh_from_db()
    assert order.listing == listing
    run(D(2026, 4, 13))
    assert AnomalyListing.objects.count() == 1  # idempotent


def test_publishing_within_the_limit_means_no_listing(enterprise_factory, client, county_officer):
    from xinjian.core.models import AuditEntry
    from xinjian.lists.models import PublicationOrder

    e = enterprise_factory()
    _unpublished_info_found(e, D(2026, 4, 1))
    order = PublicationOrder.objects.get(enterprise=e)
    client.force_login(county_officer)
    page = client.get("/staff/lists/publication-orders/")
    assert (
        page.status_code == 200 and e.name in page.content.decode() and "2026-04-11" in page.content.decode()
    )
    with freeze_time("2026-04-11 15:00:00+08:00"):
        r = client.post(f"/staff/lists/publication-orders/{order.pk}/fulfil/", {"fulfilled_on": "2026-04-11"})
    assert r.status_code == 302
    order.refresh_from_db()
    assert order.fulfilled_on == D(2026, 4, 11)
    assert AuditEntry.objects.filter(action="lists.publication_order_fulfilled").exists()
    from xinjian.core.models import Event

    assert [ev.type for ev in Event.objects.filter(type__startswith="publication_order.").order_by("id")] == [
        "publication_order.issued",
        "publication_order.fulfilled",
    ]
    run(D(2026, 4, 12))
    assert not AnomalyListing.objects.exists()


def test_an_inspector_cannot_record_fulfilment(enterprise_factory, client, inspector):
    from xinjian.lists.models import PublicationOrder

    e = enterprise_factory()
    _unpublished_info_found(e, D(2026, 4, 1))
    order = PublicationOrder.objects.get(enterprise=e)
    client.force_login(inspector)
    r = client.post(f"/staff/lists/publication-orders/{order.pk}/fulfil/", {"fulfilled_on": "2026-04-02"})
    assert r.status_code == 403
