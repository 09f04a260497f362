"""Anomaly → serious after 3 years is re-checked at every step (issue 12 item 4; Order 44
art. 13: "still has not fulfilled its obligations"), and individual businesses are marked
in the abnormal business state instead of the enterprise anomaly list, never escalated
(item 7). Both sides of each edge, through the real actions and the clocks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from xinjian.collection.models import AnnualReport
from xinjian.core.actors import CLOCK
from xinjian.core.errors import DomainError
from xinjian.core.models import AuditEntry, Event
from xinjian.core.workdays import SHANGHAI
from xinjian.lists import actions, queries
from xinjian.lists.models import AnomalyListing, SeriousListing
from xinjian.registry.identifiers import build_uscc

pytestmark = pytest.mark.django_db
D = dt.date
LISTED = D(2023, 7, 3)
ESCALATED = D(2026, 7, 3)  # three full years


def run(day: dt.date) -> str:
    out = io.StringIO()
    call_command("run_clocks", date=day.isoformat(), stdout=out)
    return out.getvalue()


@pytest.fixture
def officer(staff_factory):
    return staff_factory("440305", ["credit_officer", "approver"])


@pytest.fixture
def approver(staff_factory):
    return staff_factory("440300", ["approver"])


@pytest.fixture
def escalated(listed_anomaly):
    """Listed for the 2022 report on 3 July 2023, proposed for the serious list by the
    clock on 3 July 2026."""

    def make(ground: str = "annual_report_missing", **kw):
        kw.setdefault("report_year", 2022 if ground == "annual_report_missing" else None)
        a = listed_anomaly(LISTED, ground=ground, **kw)
        s = actions.escalate_anomaly(a, actor=CLOCK, on=ESCALATED)
        assert s.status == "proposed"
        return a, s

    return make


def _lapsed(s: SeriousListing) -> bool:
    s.refresh_from_db()
    return s.status == "lapsed"


def _file(a: AnomalyListing, on: dt.date) -> None:
    AnnualReport.objects.create(
        enterprise=a.enterprise, uscc=a.enterprise.uscc, year=a.report_year, filed_on=on, source="t"
    )


@pytest.mark.parametrize(("filed_on", "lapses"), [(D(2026, 7, 7), False), (D(2026, 7, 6), True)])
def test_a_report_filed_before_the_notice_ends_the_proposal_at_the_notice(
    escalated, officer, filed_on, lapses
):
    a, s = escalated()
    _file(a, filed_on)
    actions.notify_party(s, actor=officer, on=D(2026, 7, 6))
    assert _lapsed(s) is lapses
    if lapses:
        assert s.dropped_reason == "已于2026-07-06补报2022年度报告"
        assert s.notified_on is None
        assert Event.objects.filter(type="listing.lapsed", data__listing_id=s.pk).count() == 1
        assert AuditEntry.objects.filter(action="lists.serious.lapse", object_id=str(s.pk)).exists()
        assert s.history.last().reason == s.dropped_reason
    else:
        assert s.status == "notified"


def test_a_changed_address_ends_the_proposal_at_submission(escalated, officer):
    a, s = escalated(ground="unreachable")
    actions.notify_party(s, actor=officer, on=D(2026, 7, 6))
    e = a.enterprise
    e.address = "深圳市南山区新地址1号"
    e.save()
    actions.submit_for_approval(s, actor=officer, on=D(2026, 7, 20))
    assert _lapsed(s) and s.dropped_reason == "已办理住所（经营场所）变更登记"


@pytest.mark.parametrize(("status", "lapses"), [("operating", False), ("cancelled", True)])
def test_a_deregistered_enterprise_ends_the_proposal_at_approval(
    escalated, officer, approver, status, lapses
):
    a, s = escalated()
    actions.notify_party(s, actor=officer, on=D(2026, 7, 6))
    actions.submit_for_approval(s, actor=officer, on=D(2026, 7, 20))
    a.enterprise.status = status
    a.enterprise.save()
    actions.approve_serious(s, actor=approver, on=D(2026, 7, 21))
    assert _lapsed(s) is lapses
    assert (s.dropped_reason == "企业已注销") is lapses


def test_an_anomaly_listing_removed_before_the_decision_ends_the_proposal_there(escalated, officer, approver):
    a, s = escalated(ground="false_info")
    actions.notify_party(s, actor=officer, on=D(2026, 7, 6))
    actions.submit_for_approval(s, actor=officer, on=D(2026, 7, 20))
    actions.approve_serious(s, actor=approver, on=D(2026, 7, 21))
    actions.remove_anomaly(a, actor=officer, reason="info_corrected", on=D(2026, 7, 22))
    actions.decide_serious(s, actor=officer, decision_no="深南严〔2026〕3号", on=D(2026, 7, 22))
    assert _lapsed(s) and s.decision_no == "" and s.decided_on is None
    assert s.dropped_reason == "经营异常名录记录状态为“已移出”"


def test_a_proposal_that_is_no_longer_due_when_made_lapses_at_once(listed_anomaly):
    a = listed_anomaly(LISTED, ground="annual_report_missing", report_year=2022)
    _file(a, D(2026, 7, 2))  # filed; the reaction has not removed the listing yet
    s = actions.escalate_anomaly(a, actor=CLOCK, on=ESCALATED)
    assert _lapsed(s) and "补报2022年度报告" in s.dropped_reason
    assert Event.objects.filter(type="listing.proposed", data__listing_id=s.pk).count() == 1
    assert Event.objects.filter(type="listing.lapsed", data__listing_id=s.pk).count() == 1


@pytest.mark.parametrize(("filed_on", "lapses"), [(D(2026, 7, 11), False), (D(2026, 7, 10), True)])
def test_the_daily_clock_re_checks_open_escalations(escalated, filed_on, lapses):
    a, s = escalated()
    _file(a, filed_on)
    from xinjian.lists.clocks import escalation_recheck

    assert escalation_recheck(D(2026, 7, 10), actor=CLOCK) == int(lapses)
    assert _lapsed(s) is lapses


def test_staff_see_the_reason_on_the_listing_page_the_proposals_and_the_overview(client, escalated, officer):
    a, s = escalated()
    _file(a, D(2026, 7, 6))
    client.force_login(officer)
    with freeze_time(dt.datetime(2026, 7, 7, 10, tzinfo=SHANGHAI)):
        r = client.post(reverse("lists:serious_action", args=[s.pk]), {"action": "recheck"}, follow=True)
        detail = r.content.decode()
        proposals = client.get(reverse("lists:serious_list")).content.decode()
        overview = client.get(reverse("lists:index")).content.decode()
    reason = "已于2026-07-06补报2022年度报告"
    assert "列入程序已终止" in detail and 'id="dropped-reason"' in detail and reason in detail
    assert reason in proposals and reason in overview


def test_other_proposals_are_not_re_checked(enterprise_factory, penalty_factory, officer):
    e = enterprise_factory(status="cancelled")
    s = actions.propose_serious(
        e, actor=officer, ground="food_safety", on=D(2026, 4, 1), penalty=penalty_factory(e)
    )
    actions.notify_party(s, actor=officer, on=D(2026, 4, 1))
    assert s.status == "notified"


# --- individual businesses (USCC 92) --------------------------------------------------------


@pytest.fixture
def individual(enterprise_factory):
    import itertools

    n = itertools.count(500)

    def make(**kw):
        return enterprise_factory(
            uscc=build_uscc("440305", f"MA{next(n):06d}", category="2"),
            name=kw.pop("name", "南山区张记小吃店"),
            entity_type="个体工商户",
            **kw,
        )

    return make


def test_an_individual_business_is_marked_in_the_abnormal_state_never_on_the_enterprise_list(
    individual, listed_anomaly, client, api_client_factory
):
    shop = individual()
    assert shop.uscc[:2] == "92"
    mark = listed_anomaly(LISTED, ground="unreachable", enterprise=shop)
    assert mark.kind == "state" and mark.status == "listed"
    assert Event.objects.get(type="listing.added", data__listing_id=mark.pk).data["list"] == "abnormal_state"
    assert not queries.on_anomaly_list(shop, LISTED) and queries.in_abnormal_state(shop, LISTED)
    with freeze_time(dt.datetime(2026, 7, 3, 10, tzinfo=SHANGHAI)):
        public_list = client.get("/public/lists/anomaly/").content.decode()
        profile = client.get(f"/public/enterprises/{shop.uscc}/").content.decode()
    assert shop.name not in public_list
    assert "经营异常状态" in profile
    _, token = api_client_factory(scopes=["constraints"])
    body = client.get(
        f"/api/v1/enterprises/{shop.uscc}/constraints", HTTP_AUTHORIZATION=f"Bearer {token}"
    ).json()
    assert body["in_abnormal_state"] is True and body["on_anomaly_list"] is False
    item = client.get(f"/api/v1/public/enterprises/{shop.uscc}").json()["anomaly_listings"][0]
    assert item["kind"] == "state" and item["kind_name"] == "经营异常状态"


@pytest.mark.parametrize("day", [D(2026, 7, 2), D(2026, 7, 3), D(2027, 1, 4)])
def test_an_abnormal_state_mark_is_never_escalated_nor_reminded(individual, listed_anomaly, day):
    mark = listed_anomaly(LISTED, ground="annual_report_missing", report_year=2022, enterprise=individual())
    run(day)
    mark.refresh_from_db()
    assert mark.escalated_to is None and mark.reminder_published_on is None
    assert not SeriousListing.objects.exists()
    with pytest.raises(DomainError):
        actions.escalate_anomaly(mark, actor=CLOCK, on=day)


def test_an_enterprise_listed_the_same_day_is_escalated(enterprise_factory, listed_anomaly):
    a = listed_anomaly(
        LISTED, ground="annual_report_missing", report_year=2022, enterprise=enterprise_factory()
    )
    run(D(2026, 7, 2))
    assert not SeriousListing.objects.exists()
    run(D(2026, 7, 3))
    assert SeriousListing.objects.get().anomaly == a


def test_the_annual_report_clock_marks_individual_businesses_and_lists_enterprises(
    individual, enterprise_factory, batch_decision
):
    batch_decision("440305", 2025)
    shop, firm = individual(), enterprise_factory()
    run(D(2026, 7, 1))
    assert AnomalyListing.objects.get(enterprise=shop).kind == "state"
    assert AnomalyListing.objects.get(enterprise=firm).kind == "list"
    assert {e.data["list"] for e in Event.objects.filter(type="listing.added")} == {
        "anomaly",
        "abnormal_state",
    }


def test_filing_the_report_removes_the_mark(individual, batch_decision):
    batch_decision("440305", 2025)
    shop = individual()
    run(D(2026, 7, 1))
    AnnualReport.objects.create(
        enterprise=shop, uscc=shop.uscc, year=2025, filed_on=D(2026, 8, 3), source="t"
    )
    run(D(2026, 8, 3))
    mark = AnomalyListing.objects.get(enterprise=shop)
    assert mark.status == "removed" and mark.kind == "state"
