"""The hearing on the serious list and the listing decision document (issue 12 item 3;
domain.md §10): a hearing asked for within the statement period stops the procedure until
its record and outcome are entered; the decision answers the party and is a numbered
document, printable and as PDF. Every edge on both sides, through the real actions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from freezegun import freeze_time

from xinjian.core.errors import DomainError, InvalidTransition
from xinjian.core.models import AuditEntry, Event
from xinjian.core.workdays import SHANGHAI
from xinjian.lists import actions
from xinjian.lists.models import SeriousListing

pytestmark = pytest.mark.django_db
D = dt.date
# Notified Wednesday 1 April 2026: 5 working days, skipping the Qingming holiday
# (4–6 April 2026), run to Thursday 9 April — the last day to state a case or ask for a
# hearing, included.
NOTIFIED = D(2026, 4, 1)
LAST_DAY = D(2026, 4, 9)


def _frozen(day: dt.date):
    return freeze_time(dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI))


@pytest.fixture
def officer(staff_factory):
    return staff_factory("440305", ["credit_officer", "approver"])


@pytest.fixture
def approver(staff_factory):
    return staff_factory("440300", ["approver"])


@pytest.fixture
def notified(enterprise_factory, penalty_factory, officer):
    e = enterprise_factory()
    s = actions.propose_serious(
        e, actor=officer, ground="food_safety", on=D(2026, 3, 30), penalty=penalty_factory(e)
    )
    actions.notify_party(s, actor=officer, on=NOTIFIED)
    return s


def _events(s: SeriousListing, type: str) -> int:
    return Event.objects.filter(type=type, data__listing_id=s.pk).count()


def test_the_statement_period_is_the_derived_deadline_with_its_last_day(notified):
    assert notified.statement_due == LAST_DAY


@pytest.mark.parametrize(("day", "allowed"), [(LAST_DAY, True), (LAST_DAY + dt.timedelta(days=1), False)])
def test_a_hearing_may_be_asked_for_until_the_last_day_of_the_period_included(
    notified, officer, day, allowed
):
    if allowed:
        actions.request_hearing(notified, actor=officer, on=day)
        assert notified.status == "hearing_requested" and notified.hearing_requested_on == day
        assert _events(notified, "listing.hearing_requested") == 1
        assert AuditEntry.objects.filter(action="lists.serious.request_hearing").count() == 1
    else:
        with pytest.raises(DomainError) as e:
            actions.request_hearing(notified, actor=officer, on=day)
        assert e.value.code == "hearing_request_late"
        assert SeriousListing.objects.get(pk=notified.pk).status == "notified"


def test_a_statement_with_a_hearing_request_stops_the_procedure(notified, officer):
    actions.record_statement(
        notified, actor=officer, statement="我方无主观故意", hearing=True, on=D(2026, 4, 2)
    )
    assert notified.status == "hearing_requested"
    assert _events(notified, "listing.statement_recorded") == 1
    assert _events(notified, "listing.hearing_requested") == 1
    # Even long after the statement period and with a written waiver: no submission.
    with pytest.raises(InvalidTransition):
        actions.submit_for_approval(notified, actor=officer, on=D(2026, 6, 1), waived=True)


@pytest.mark.parametrize(("hearing_on", "allowed"), [(D(2026, 4, 10), False), (D(2026, 4, 11), True)])
def test_the_party_is_told_of_the_hearing_at_least_7_days_ahead(notified, officer, hearing_on, allowed):
    actions.request_hearing(notified, actor=officer, on=D(2026, 4, 2))
    step = dict(actor=officer, hearing_on=hearing_on, place="南山局三楼听证室", host="李四", on=D(2026, 4, 4))
    if allowed:
        actions.schedule_hearing(notified, **step)
        assert notified.status == "hearing_scheduled" and notified.hearing_notified_on == D(2026, 4, 4)
        assert _events(notified, "listing.hearing_scheduled") == 1
    else:
        with pytest.raises(DomainError) as e:
            actions.schedule_hearing(notified, **step)
        assert e.value.code == "hearing_notice_too_short"
        assert e.value.details[0]["field"] == "hearing_on"


HEARING_DAY = D(2026, 4, 20)


def _scheduled(s, officer, hearing_on=HEARING_DAY):
    actions.request_hearing(s, actor=officer, on=D(2026, 4, 2))
    actions.schedule_hearing(
        s, actor=officer, hearing_on=hearing_on, place="听证室", host="李四", on=D(2026, 4, 3)
    )
    return s


@pytest.mark.parametrize(("on", "allowed"), [(D(2026, 4, 19), False), (D(2026, 4, 20), True)])
def test_the_hearing_record_is_entered_only_once_it_was_held(notified, officer, on, allowed):
    _scheduled(notified, officer)
    step = dict(actor=officer, outcome="list", record="当事人称……；执法人员称……", on=on)
    if allowed:
        actions.conclude_hearing(notified, **step)
        assert notified.status == "hearing_concluded" and notified.hearing_held_on == on
        assert _events(notified, "listing.hearing_concluded") == 1
    else:
        with pytest.raises(DomainError) as e:
            actions.conclude_hearing(notified, **step)
        assert e.value.code == "hearing_not_held"


def test_approval_waits_for_the_hearing_and_follows_its_outcome(notified, officer, approver):
    _scheduled(notified, officer)
    with pytest.raises(InvalidTransition):  # scheduled, not held
        actions.submit_for_approval(notified, actor=officer, on=D(2026, 4, 21))
    with pytest.raises(DomainError) as e:
        actions.conclude_hearing(notified, actor=officer, outcome="list", record="", on=D(2026, 4, 20))
    assert e.value.code == "record_required"
    actions.conclude_hearing(notified, actor=officer, outcome="list", record="笔录要点", on=D(2026, 4, 20))
    actions.submit_for_approval(notified, actor=officer, on=D(2026, 4, 21))
    actions.approve_serious(notified, actor=approver, on=D(2026, 4, 22))
    assert notified.status == "approved"
    # The decision must answer what the party said.
    with pytest.raises(DomainError) as e:
        actions.decide_serious(
            notified, actor=officer, decision_no="深南市监严〔2026〕8号", on=D(2026, 4, 23)
        )
    assert e.value.code == "reply_required"
    actions.decide_serious(
        notified,
        actor=officer,
        decision_no="深南市监严〔2026〕8号",
        reply_to_party="当事人称无主观故意，但未提供证据，不予采纳。",
        on=D(2026, 4, 23),
    )
    assert notified.status == "decided"


def test_a_hearing_concluded_against_listing_leaves_only_not_listing(notified, officer):
    _scheduled(notified, officer)
    actions.conclude_hearing(
        notified, actor=officer, outcome="not_list", record="证据不足", on=D(2026, 4, 20)
    )
    with pytest.raises(DomainError) as e:
        actions.submit_for_approval(notified, actor=officer, on=D(2026, 4, 21))
    assert e.value.code == "hearing_outcome_not_list"
    actions.drop_serious(notified, actor=officer, reason="听证后认定证据不足", on=D(2026, 4, 21))
    assert notified.status == "dropped" and notified.dropped_reason == "听证后认定证据不足"


def test_a_withdrawn_request_concludes_without_a_record_but_the_period_still_runs(notified, officer):
    actions.request_hearing(notified, actor=officer, on=D(2026, 4, 2))
    actions.conclude_hearing(notified, actor=officer, outcome="withdrawn", on=D(2026, 4, 3))
    assert notified.status == "hearing_concluded" and notified.hearing_held_on is None
    with pytest.raises(DomainError) as e:
        actions.submit_for_approval(notified, actor=officer, on=LAST_DAY)
    assert e.value.code == "statement_period_running"
    actions.submit_for_approval(notified, actor=officer, on=LAST_DAY + dt.timedelta(days=1))
    assert notified.status == "pending_approval"


# --- pages ------------------------------------------------------------------------------


def _step(listing, action: str) -> str:
    """The one workflow view's URL for a step (the page's button posts there)."""
    return reverse("workflow_take", args=["lists.serious", listing.pk, action])


def test_staff_take_the_hearing_steps_through_the_workflow_buttons_and_bad_input_is_a_message(
    client, notified, officer
):
    client.force_login(officer)
    url = reverse("lists:serious_detail", args=[notified.pk])
    with _frozen(D(2026, 4, 2)):
        page = client.get(url).content.decode()
        assert 'data-action="request_hearing"' in page
        r = client.post(_step(notified, "request_hearing"), {"note": "书面申请"})
        assert r.status_code == 302
    notified.refresh_from_db()
    assert notified.status == "hearing_requested"
    with _frozen(D(2026, 4, 3)):
        page = client.get(url).content.decode()
        assert 'id="hearing-blocks"' in page and 'data-action="schedule_hearing"' in page
        assert 'data-action="submit"' not in page
        # Missing place and a malformed date: a message per field, no change, no 500.
        r = client.post(
            _step(notified, "schedule_hearing"),
            {"hearing_on": "2026-13-01", "host": "李四"},
            follow=True,
        )
        text = r.content.decode()
        assert r.status_code == 200 and "听证日期：" in text
        r = client.post(
            _step(notified, "schedule_hearing"), {"hearing_on": "2026-04-20", "host": "李四"}, follow=True
        )
        assert "请填写听证地点和主持人" in r.content.decode()
        notified.refresh_from_db()
        assert notified.status == "hearing_requested"
        # Too soon (6 days' notice): refused with the earliest day.
        r = client.post(
            _step(notified, "schedule_hearing"),
            {"hearing_on": "2026-04-09", "place": "听证室", "host": "李四"},
            follow=True,
        )
        assert "2026-04-10" in r.content.decode()
        client.post(
            _step(notified, "schedule_hearing"),
            {
                "hearing_on": "2026-04-20",
                "time": "09:30",
                "place": "听证室",
                "host": "李四",
            },
        )
    notified.refresh_from_db()
    assert notified.status == "hearing_scheduled"
    with _frozen(D(2026, 4, 3)):
        notice = client.get(reverse("lists:serious_hearing_notice", args=[notified.pk])).content.decode()
        assert "听证通知书" in notice and "2026年4月20日 09:30" in notice and f"听通-{notified.pk}" in notice
    with _frozen(D(2026, 4, 20)):
        client.post(
            _step(notified, "conclude_hearing"),
            {"outcome": "list", "held_on": "2026-04-20", "record": "笔录"},
        )
    notified.refresh_from_db()
    assert notified.status == "hearing_concluded" and notified.hearing_outcome == "list"


def test_an_inspector_cannot_take_a_hearing_step(client, inspector, notified):
    client.force_login(inspector)
    assert (
        'data-action="request_hearing"'
        not in client.get(reverse("lists:serious_detail", args=[notified.pk])).content.decode()
    )
    r = client.post(_step(notified, "request_hearing"), {})
    assert r.status_code == 403
    notified.refresh_from_db()
    assert notified.status == "notified"


# --- the decision document ----------------------------------------------------------------


DECIDED = D(2026, 4, 23)


def _decided(s, officer, approver, on=DECIDED):
    actions.record_statement(s, actor=officer, statement="我方已整改", on=D(2026, 4, 2))
    actions.submit_for_approval(s, actor=officer, on=D(2026, 4, 10))
    actions.approve_serious(s, actor=approver, on=D(2026, 4, 13))
    actions.decide_serious(
        s,
        actor=officer,
        decision_no="深南市监严〔2026〕12号",
        reply_to_party="整改不影响列入，不予采纳。",
        on=on,
    )
    return s


def test_the_decision_document_states_ground_facts_basis_measures_removal_and_remedies(
    client, notified, officer, approver
):
    _decided(notified, officer, approver)
    client.force_login(officer)
    with _frozen(D(2026, 4, 23)):
        html = client.get(reverse("lists:serious_decision_document", args=[notified.pk])).content.decode()
        pdf = client.get(reverse("lists:serious_decision_document", args=[notified.pk]) + "?format=pdf")
    for part in (
        "列入严重违法失信名单决定书",
        "深南市监严〔2026〕12号",
        notified.enterprise.uscc,
        "一、违法事实",
        "食品安全领域严重违法失信行为",
        "总局令第44号第六条",
        "我方已整改",
        "整改不影响列入，不予采纳。",
        "2026年4月9日（含当日）",
        "不适用告知承诺制",
        "2029年4月23日（含当日）",
        "2027年4月23日",
        "六十日内",
        "六个月内",
        "行政复议",
        "行政诉讼",
    ):
        assert part in html, part
    assert "临时期限" not in html  # 2026's calendar is known
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF") and len(pdf.content) > 2000


def test_the_decision_document_marks_a_provisional_statement_period(
    enterprise_factory, penalty_factory, officer, approver, client
):
    """Notified 28 December 2026: the statement period runs into 2027, whose holidays are
    not in the calendar — the document says so."""
    e = enterprise_factory()
    s = actions.propose_serious(
        e, actor=officer, ground="food_safety", on=D(2026, 12, 28), penalty=penalty_factory(e)
    )
    actions.notify_party(s, actor=officer, on=D(2026, 12, 28))
    actions.submit_for_approval(s, actor=officer, on=D(2026, 12, 28), waived=True)
    actions.approve_serious(s, actor=approver, on=D(2026, 12, 29))
    actions.decide_serious(s, actor=officer, decision_no="深南市监严〔2026〕99号", on=D(2026, 12, 30))
    client.force_login(officer)
    html = client.get(reverse("lists:serious_decision_document", args=[s.pk])).content.decode()
    assert "（含当日）" in html and "临时期限" in html


def test_no_decision_document_before_the_decision(client, notified, officer):
    client.force_login(officer)
    assert client.get(reverse("lists:serious_decision_document", args=[notified.pk])).status_code == 404


def test_the_workbench_lists_hearings_to_schedule_and_to_conclude(client, notified, officer):
    client.force_login(officer)
    actions.request_hearing(notified, actor=officer, on=D(2026, 4, 2))
    with _frozen(D(2026, 4, 3)):
        assert "安排听证并通知当事人" in client.get("/staff/").content.decode()
    _scheduled_only = actions.schedule_hearing(
        notified, actor=officer, hearing_on=HEARING_DAY, place="听证室", host="李四", on=D(2026, 4, 3)
    )
    with _frozen(D(2026, 4, 20)):
        page = client.get("/staff/").content.decode()
    assert "听证后登记听证笔录和结论" in page and "安排听证并通知当事人" not in page
    assert _scheduled_only.status == "hearing_scheduled"


# --- service of the decision and the remedies' deadlines --------------------------------------


@pytest.mark.parametrize(
    ("served_on", "reconsideration", "lawsuit"),
    [
        # +60 days is Wednesday 30 September 2026, a working day: that day.
        (D(2026, 8, 1), D(2026, 9, 30), D(2027, 2, 1)),
        # +60 days is 1 October 2026 (National Day, 1–7 October): moved to Thursday 8 October.
        (D(2026, 8, 2), D(2026, 10, 8), D(2027, 2, 2)),
    ],
)
def test_the_remedies_run_from_service_and_a_last_day_on_a_holiday_moves(
    enterprise_factory, penalty_factory, officer, approver, served_on, reconsideration, lawsuit
):
    e = enterprise_factory()
    s = actions.propose_serious(
        e, actor=officer, ground="food_safety", on=D(2026, 7, 1), penalty=penalty_factory(e)
    )
    actions.notify_party(s, actor=officer, on=D(2026, 7, 1))
    actions.submit_for_approval(s, actor=officer, on=D(2026, 7, 1), waived=True)
    actions.approve_serious(s, actor=approver, on=D(2026, 7, 2))
    actions.decide_serious(s, actor=officer, decision_no="深南市监严〔2026〕30号", on=D(2026, 7, 31))
    with pytest.raises(DomainError) as err:
        actions.serve_decision(
            s, actor=officer, served_on=D(2026, 7, 30), on=D(2026, 8, 3)
        )  # before the decision
    assert err.value.code == "invalid_served_on"
    actions.serve_decision(s, actor=officer, served_on=served_on, on=D(2026, 8, 3))
    assert (s.reconsideration_due, s.lawsuit_due) == (reconsideration, lawsuit)
    assert _events(s, "listing.decision_served") == 1
    with pytest.raises(InvalidTransition):
        actions.serve_decision(s, actor=officer, served_on=served_on, on=D(2026, 8, 3))
    # The 6-month period ends in 2027, whose holidays the calendar lacks: provisional.
    from xinjian.core import deadlines
    from xinjian.lists import documents

    assert deadlines.provisional(s, "lawsuit_due") and not deadlines.provisional(s, "reconsideration_due")
    text = "".join(p for sec in documents.decision(s).sections for p in sec.paragraphs)
    assert (
        f"申请行政复议的期限至{reconsideration.year}年{reconsideration.month}月{reconsideration.day}日（含当日）"
        in text
    )
    assert "为临时期限" in text


def test_staff_record_service_on_the_page(client, notified, officer, approver):
    _decided(notified, officer, approver)
    client.force_login(officer)
    with _frozen(D(2026, 4, 24)):
        r = client.post(
            _step(notified, "serve"),
            {"served_on": "2026-04-24"},
            follow=True,
        )
    page = r.content.decode()
    assert 'id="reconsideration-due"' in page and "2026年6月23日" in page and "（含当日）" in page


def test_entering_next_years_calendar_recomputes_the_remedies_deadline(
    enterprise_factory, penalty_factory, officer, approver
):
    """Served 2 August 2026: the lawsuit deadline (6 months) is Tuesday 2 February 2027,
    provisional. Once 2027 is entered with that day a holiday, it moves to the 3rd."""
    from xinjian.core import deadlines
    from xinjian.core.actors import SYSTEM
    from xinjian.core.models import CalendarDay, CalendarYear

    e = enterprise_factory()
    s = actions.propose_serious(
        e, actor=officer, ground="food_safety", on=D(2026, 7, 1), penalty=penalty_factory(e)
    )
    actions.notify_party(s, actor=officer, on=D(2026, 7, 1))
    actions.submit_for_approval(s, actor=officer, on=D(2026, 7, 1), waived=True)
    actions.approve_serious(s, actor=approver, on=D(2026, 7, 2))
    actions.decide_serious(s, actor=officer, decision_no="深南市监严〔2026〕31号", on=D(2026, 7, 31))
    actions.serve_decision(s, actor=officer, served_on=D(2026, 8, 2), on=D(2026, 8, 3))
    assert s.lawsuit_due == D(2027, 2, 2) and deadlines.provisional(s, "lawsuit_due")
    CalendarYear.objects.create(year=2027, source="test")
    CalendarDay.objects.create(day=D(2027, 2, 2), is_working=False, name="test")
    moved = deadlines.recompute([2027], actor=SYSTEM, reason="2027")
    s.refresh_from_db()
    assert s.lawsuit_due == D(2027, 2, 3) and not deadlines.provisional(s, "lawsuit_due")
    assert any(m.object.pk == s.pk and m.field == "lawsuit_due" for m in moved)
