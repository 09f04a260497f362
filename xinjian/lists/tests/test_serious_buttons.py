"""Issue 11 §1 / issue 14: every step of the serious-list procedure a person takes on the
listing's page is a button of the one workflow table, shown only to whoever may take it
and performed by the one workflow view (core.workflow_views.take)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from xinjian.core.workdays import SHANGHAI
from xinjian.lists import actions
from xinjian.lists.models import SeriousListing

pytestmark = pytest.mark.django_db
D = dt.date


def _frozen(day: dt.date):
    return freeze_time(dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI))


def _step(s: SeriousListing, action: str) -> str:
    return reverse("workflow_take", args=["lists.serious", s.pk, action])


def _page(client, s: SeriousListing) -> str:
    return client.get(reverse("lists:serious_detail", args=[s.pk])).content.decode()


@pytest.fixture
def officer(staff_factory):
    return staff_factory("440305", ["credit_officer"], "nanshan_credit")


@pytest.fixture
def approver(staff_factory):
    return staff_factory("440300", ["approver"], "shenzhen_signer")


@pytest.fixture
def inspector(staff_factory):
    return staff_factory("440305", ["inspector"], "nanshan_inspector")


@pytest.fixture
def proposed(enterprise_factory, penalty_factory, officer):
    e = enterprise_factory()
    return actions.propose_serious(
        e, actor=officer, ground="food_safety", on=D(2026, 3, 30), penalty=penalty_factory(e)
    )


def test_the_list_manager_notifies_with_the_button_an_inspector_has_none(
    client, proposed, officer, inspector
):
    with _frozen(D(2026, 4, 1)):
        client.force_login(inspector)
        assert 'data-action="notify"' not in _page(client, proposed)
        assert client.post(_step(proposed, "notify")).status_code == 403
        proposed.refresh_from_db()
        assert proposed.status == "proposed"
        client.force_login(officer)
        page = _page(client, proposed)
        assert 'data-action="notify"' in page and 'data-action="drop"' in page
        assert 'data-action="revoke"' not in page  # an open procedure is dropped, not revoked
        r = client.post(_step(proposed, "notify"), follow=True)
        assert "已送达列入告知书" in r.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == "notified" and proposed.notified_on == D(2026, 4, 1)


def test_the_approver_alone_has_approve_and_return_and_returning_sends_it_back(
    client, proposed, officer, approver
):
    actions.notify_party(proposed, actor=officer, on=D(2026, 4, 1))
    actions.submit_for_approval(proposed, actor=officer, on=D(2026, 4, 2), waived=True)
    with _frozen(D(2026, 4, 3)):
        client.force_login(officer)
        page = _page(client, proposed)
        assert 'data-action="approve"' not in page and 'data-action="return"' not in page
        assert client.post(_step(proposed, "approve")).status_code == 403
        client.force_login(approver)
        page = _page(client, proposed)
        assert 'data-action="approve"' in page and 'data-action="return"' in page
        assert 'data-action="notify"' not in page and 'data-action="drop"' not in page
        client.post(_step(proposed, "return"), {"reason": "事实需补充"})
    proposed.refresh_from_db()
    assert proposed.status == "notified"
    assert proposed.history.filter(action="return", reason="事实需补充").exists()


def test_serving_a_decision_takes_a_date_and_a_bad_one_changes_nothing(client, proposed, officer, approver):
    actions.notify_party(proposed, actor=officer, on=D(2026, 4, 1))
    actions.submit_for_approval(proposed, actor=officer, on=D(2026, 4, 2), waived=True)
    actions.approve_serious(proposed, actor=approver, on=D(2026, 4, 3))
    with _frozen(D(2026, 4, 7)):
        client.force_login(officer)
        r = client.post(_step(proposed, "decide"), {"decision_no": "深南市监严〔2026〕30号"}, follow=True)
        assert r.status_code == 200
        proposed.refresh_from_db()
        assert proposed.status == "decided"
        page = _page(client, proposed)
        assert 'data-action="serve"' in page and 'type="date" name="served_on"' in page
        r = client.post(_step(proposed, "serve"), {"served_on": "2026-02-30"}, follow=True)
        assert "决定书送达日期：" in r.content.decode()
        proposed.refresh_from_db()
        assert proposed.decision_served_on is None
        client.post(_step(proposed, "serve"), {"served_on": "2026-04-07"})
        assert 'data-action="serve"' not in _page(client, proposed)  # served once
        client.post(_step(proposed, "publish"))
    proposed.refresh_from_db()
    assert proposed.decision_served_on == D(2026, 4, 7) and proposed.status == "published"


def test_a_hearing_outcome_outside_the_list_is_refused_by_the_form(client, proposed, officer):
    actions.notify_party(proposed, actor=officer, on=D(2026, 4, 1))
    with _frozen(D(2026, 4, 2)):
        actions.request_hearing(proposed, actor=officer)
        client.force_login(officer)
        page = _page(client, proposed)
        assert '<select name="outcome" required>' in page
        r = client.post(_step(proposed, "conclude_hearing"), {"outcome": "bogus"}, follow=True)
        assert "听证结论：" in r.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == "hearing_requested"
