"""Double-submitted list steps: listed and published once, `listing.added` once."""

from __future__ import annotations

import datetime as dt

from xinjian.core.actors import SYSTEM
from xinjian.core.models import Event
from xinjian.core.tests.concurrency import concurrent, double_submit, one_success
from xinjian.lists import actions
from xinjian.lists.models import AnomalyListing, ListingHistory, SeriousListing, TypicalCase

pytestmark = concurrent
D = dt.date(2026, 4, 1)


def test_a_double_submitted_publish_publishes_once_and_emits_listing_added_once(
    enterprise_factory, penalty_factory
):
    e = enterprise_factory()
    s = actions.propose_serious(
        e, actor=SYSTEM, ground="food_safety", on=D, penalty=penalty_factory(e, decided_on=D)
    )
    actions.notify_party(s, actor=SYSTEM, on=D)
    actions.submit_for_approval(s, actor=SYSTEM, on=D, waived=True)
    SeriousListing.objects.filter(pk=s.pk).update(status="approved")
    actions.decide_serious(
        SeriousListing.objects.get(pk=s.pk), actor=SYSTEM, decision_no="深南严〔2026〕1号", on=D
    )

    out = double_submit(
        lambda: SeriousListing.objects.get(pk=s.pk),
        lambda listing: actions.publish_serious(listing, actor=SYSTEM, on=D),
    )

    one_success(out)
    assert Event.objects.filter(type="listing.added", data__listing_id=s.pk).count() == 1
    assert ListingHistory.objects.filter(serious_id=s.pk, action="publish").count() == 1


def test_a_double_submitted_approval_of_a_draft_lists_once(enterprise_factory):
    draft = actions.list_anomaly(enterprise_factory(), actor=SYSTEM, ground="unreachable", on=D, draft=True)

    out = double_submit(
        lambda: AnomalyListing.objects.get(pk=draft.pk),
        lambda listing: actions.approve_anomaly_draft(
            listing, actor=SYSTEM, decision_no="深南异〔2026〕1号", on=D
        ),
    )

    one_success(out)
    assert Event.objects.filter(type="listing.added", data__listing_id=draft.pk).count() == 1
    assert ListingHistory.objects.filter(anomaly_id=draft.pk, action="list").count() == 1


def test_a_double_submitted_case_publication_publishes_once(staff_factory):
    writer = staff_factory("440305", ["credit_officer"])
    reviewer = staff_factory("440305", ["credit_officer"])
    case = actions.save_case(
        None, actor=writer, title="典型案例", body="正文", region_code="440305", enterprises=[]
    )
    actions.move_case(case, "review", actor=reviewer)

    out = double_submit(
        lambda: TypicalCase.objects.get(pk=case.pk),
        lambda c: actions.move_case(c, "publish", actor=reviewer),
    )

    one_success(out)
    assert Event.objects.filter(type="case.published", data__case_id=case.pk).count() == 1
    assert [h.action for h in TypicalCase.objects.get(pk=case.pk).history.all()] == [
        "write",
        "review",
        "publish",
    ]


# --- the hearing and the re-check (issue 12 items 3 and 4) ----------------------------------


def _notified(enterprise_factory, penalty_factory, **kw):
    e = kw.pop("enterprise", None) or enterprise_factory()
    s = actions.propose_serious(
        e, actor=SYSTEM, ground="food_safety", on=D, penalty=penalty_factory(e, decided_on=D), **kw
    )
    actions.notify_party(s, actor=SYSTEM, on=D)
    return s


def test_a_double_submitted_hearing_request_is_recorded_once(enterprise_factory, penalty_factory):
    s = _notified(enterprise_factory, penalty_factory)

    out = double_submit(
        lambda: SeriousListing.objects.get(pk=s.pk),
        lambda listing: actions.request_hearing(listing, actor=SYSTEM, on=D),
    )

    one_success(out)
    assert Event.objects.filter(type="listing.hearing_requested", data__listing_id=s.pk).count() == 1
    assert ListingHistory.objects.filter(serious_id=s.pk, action="request_hearing").count() == 1


def test_a_double_submitted_hearing_schedule_notifies_the_party_once(enterprise_factory, penalty_factory):
    s = _notified(enterprise_factory, penalty_factory)
    actions.request_hearing(s, actor=SYSTEM, on=D)

    out = double_submit(
        lambda: SeriousListing.objects.get(pk=s.pk),
        lambda listing: actions.schedule_hearing(
            listing, actor=SYSTEM, hearing_on=dt.date(2026, 4, 15), place="听证室", host="李四", on=D
        ),
    )

    one_success(out)
    assert Event.objects.filter(type="listing.hearing_scheduled", data__listing_id=s.pk).count() == 1
    assert ListingHistory.objects.filter(serious_id=s.pk, action="schedule_hearing").count() == 1


def test_a_double_submitted_hearing_outcome_is_entered_once(enterprise_factory, penalty_factory):
    s = _notified(enterprise_factory, penalty_factory)
    actions.request_hearing(s, actor=SYSTEM, on=D)
    actions.schedule_hearing(
        s, actor=SYSTEM, hearing_on=dt.date(2026, 4, 15), place="听证室", host="李四", on=D
    )

    out = double_submit(
        lambda: SeriousListing.objects.get(pk=s.pk),
        lambda listing: actions.conclude_hearing(
            listing, actor=SYSTEM, outcome="list", record="笔录", on=dt.date(2026, 4, 15)
        ),
    )

    one_success(out)
    assert Event.objects.filter(type="listing.hearing_concluded", data__listing_id=s.pk).count() == 1


def test_a_double_submitted_re_check_ends_the_escalation_once(enterprise_factory):
    from xinjian.core.actors import CLOCK
    from xinjian.registry.models import Enterprise

    e = enterprise_factory()
    a = actions.list_anomaly(
        e, actor=CLOCK, ground="unreachable", on=dt.date(2023, 4, 3), decision_no="深南异〔2023〕1号"
    )
    s = actions.escalate_anomaly(a, actor=CLOCK, on=dt.date(2026, 4, 3))
    Enterprise.objects.filter(pk=e.pk).update(status="cancelled")

    out = double_submit(
        lambda: SeriousListing.objects.get(pk=s.pk),
        lambda listing: actions.recheck_escalation(listing, actor=SYSTEM, on=dt.date(2026, 4, 7)),
    )

    assert sorted(out) == [False, True], out  # one ended it, the other found it ended
    assert Event.objects.filter(type="listing.lapsed", data__listing_id=s.pk).count() == 1
    assert SeriousListing.objects.get(pk=s.pk).status == "lapsed"


def test_a_double_submitted_service_is_recorded_once(enterprise_factory, penalty_factory):
    s = _notified(enterprise_factory, penalty_factory)
    actions.submit_for_approval(s, actor=SYSTEM, on=D, waived=True)
    SeriousListing.objects.filter(pk=s.pk).update(status="approved")
    actions.decide_serious(
        SeriousListing.objects.get(pk=s.pk), actor=SYSTEM, decision_no="深南严〔2026〕5号", on=D
    )

    out = double_submit(
        lambda: SeriousListing.objects.get(pk=s.pk),
        lambda listing: actions.serve_decision(listing, actor=SYSTEM, served_on=D, on=D),
    )

    one_success(out)
    assert Event.objects.filter(type="listing.decision_served", data__listing_id=s.pk).count() == 1
