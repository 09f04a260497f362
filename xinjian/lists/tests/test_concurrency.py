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
