"""Issue 14: an anomaly draft awaiting approval offers the approver its steps on its own
page (the one workflow table's buttons), and an approval is public at once."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from xinjian.core.actors import SYSTEM
from xinjian.lists import actions
from xinjian.lists.models import AnomalyStatus

pytestmark = pytest.mark.django_db
NOW = "2026-03-10 10:00:00+08:00"
D = dt.date(2026, 3, 10)


@pytest.fixture
def approver(staff_factory):
    return staff_factory("440300", ["approver"], "shenzhen_signer")


@freeze_time(NOW)
def test_the_approver_approves_a_draft_from_its_page_and_the_public_sees_it(
    client, approver, enterprise_factory
):
    draft = actions.list_anomaly(enterprise_factory(), actor=SYSTEM, ground="unreachable", on=D, draft=True)
    client.force_login(approver)
    page = client.get(f"/staff/lists/anomaly/{draft.pk}/").content.decode()
    assert 'data-action="list"' in page and 'data-action="drop"' in page
    response = client.post(
        f"/staff/workflow/lists.anomaly/{draft.pk}/list/",
        {"decision_no": "深市监异字〔2026〕5号"},
        follow=True,
    )
    assert "已批准列入" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == AnomalyStatus.LISTED and draft.listed_on == D
    client.logout()
    public = client.get("/public/lists/anomaly/").content.decode()
    assert draft.enterprise.name in public


@freeze_time(NOW)
def test_an_approval_without_a_decision_number_changes_nothing_and_says_why(
    client, approver, enterprise_factory
):
    draft = actions.list_anomaly(enterprise_factory(), actor=SYSTEM, ground="unreachable", on=D, draft=True)
    client.force_login(approver)
    response = client.post(
        f"/staff/workflow/lists.anomaly/{draft.pk}/list/", {"decision_no": ""}, follow=True
    )
    assert "列入决定需要决定书文号" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == AnomalyStatus.DRAFT


@freeze_time(NOW)
def test_an_inspector_has_no_approval_button_and_cannot_post_one(client, staff_factory, enterprise_factory):
    inspector = staff_factory("440305", ["inspector"], "nanshan_inspector")
    e = enterprise_factory()
    draft = actions.list_anomaly(e, actor=SYSTEM, ground="unreachable", on=D, draft=True)
    client.force_login(inspector)
    assert 'data-action="list"' not in client.get(f"/staff/lists/anomaly/{draft.pk}/").content.decode()
    assert (
        client.post(f"/staff/workflow/lists.anomaly/{draft.pk}/list/", {"decision_no": "X"}).status_code
        == 403
    )
    draft.refresh_from_db()
    assert draft.status == AnomalyStatus.DRAFT


@freeze_time(NOW)
def test_a_step_input_goes_through_a_form_an_oversize_one_changes_nothing(
    client, approver, enterprise_factory
):
    """Issue 13 §7: the generic workflow view validates its inputs with a Django form."""
    draft = actions.list_anomaly(enterprise_factory(), actor=SYSTEM, ground="unreachable", on=D, draft=True)
    client.force_login(approver)
    response = client.post(
        f"/staff/workflow/lists.anomaly/{draft.pk}/list/", {"decision_no": "号" * 501}, follow=True
    )
    assert response.status_code == 200 and "列入决定书文号：" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == AnomalyStatus.DRAFT
    response = client.post(
        f"/staff/workflow/lists.anomaly/{draft.pk}/list/",
        {"decision_no": "深市监异字〔2026〕6号", "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == f"/staff/lists/anomaly/{draft.pk}/"
