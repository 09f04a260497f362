"""Issue 11 §1 / issue 14: a listed anomaly entry's steps (ground ceased, removal,
revocation) are the workflow table's buttons; the reason is chosen from those that end
*this* listing's ground, and the step's form refuses any other."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from xinjian.core.actors import CLOCK
from xinjian.lists import actions
from xinjian.lists.models import AnomalyListing, AnomalyStatus

pytestmark = pytest.mark.django_db
NOW = "2026-05-06 10:00:00+08:00"


@pytest.fixture
def listing(enterprise_factory):
    return actions.list_anomaly(
        enterprise_factory(),
        actor=CLOCK,
        ground="unreachable",
        on=dt.date(2026, 3, 2),
        decision_no="深南异1号",
    )


def _step(listing: AnomalyListing, action: str) -> str:
    return reverse("workflow_take", args=["lists.anomaly", listing.pk, action])


def _page(client, listing: AnomalyListing) -> str:
    return client.get(reverse("lists:anomaly_detail", args=[listing.pk])).content.decode()


@freeze_time(NOW)
def test_the_list_manager_chooses_a_reason_of_this_ground_an_inspector_has_no_buttons(
    client, staff_factory, listing
):
    inspector = staff_factory("440305", ["inspector"], "nanshan_inspector")
    client.force_login(inspector)
    page = _page(client, listing)
    assert 'data-action="note_ground_ceased"' not in page and 'data-action="remove"' not in page
    assert client.post(_step(listing, "note_ground_ceased"), {"reason": "reachable"}).status_code == 403

    client.force_login(staff_factory("440305", ["credit_officer"], "nanshan_credit"))
    page = _page(client, listing)
    for action in ("note_ground_ceased", "remove", "revoke"):
        assert f'data-action="{action}"' in page
    # The unreachable ground ends by an address change or by being reachable — not by a report.
    assert '<option value="address_changed">' in page and '<option value="report_filed">' not in page
    r = client.post(_step(listing, "note_ground_ceased"), {"reason": "report_filed"}, follow=True)
    assert "情形：" in r.content.decode()
    listing.refresh_from_db()
    assert listing.ground_ceased_on is None

    client.post(_step(listing, "note_ground_ceased"), {"reason": "address_changed"})
    listing.refresh_from_db()
    assert listing.ground_ceased_on == dt.date(2026, 5, 6) and listing.ceased_reason == "address_changed"
    page = _page(client, listing)
    assert 'data-action="note_ground_ceased"' not in page and 'data-action="remove"' in page

    r = client.post(_step(listing, "remove"), {"reason": "address_changed"}, follow=True)
    assert "已移出" in r.content.decode()
    listing.refresh_from_db()
    assert listing.status == AnomalyStatus.REMOVED and listing.removal_reason == "address_changed"
    assert listing.removal_decision_no == "深南异1号-移"


@freeze_time(NOW)
def test_revoking_a_listing_made_in_error_through_its_button(client, staff_factory, listing):
    client.force_login(staff_factory("440305", ["credit_officer"], "nanshan_credit"))
    client.post(_step(listing, "revoke"), {"reason": "列入错误", "decision_no": "深南撤〔2026〕2号"})
    listing.refresh_from_db()
    assert listing.status == AnomalyStatus.REVOKED
    assert listing.history.filter(action="revoke", document_no="深南撤〔2026〕2号").exists()
