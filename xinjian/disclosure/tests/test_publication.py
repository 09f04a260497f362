"""The publication step: clocks publish collected records, withdraw revoked ones, and
the staff see the backlog with its legal deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from freezegun import freeze_time

from xinjian.collection.models import Penalty
from xinjian.core.actors import CLOCK, SYSTEM
from xinjian.core.clocks import all_clocks
from xinjian.core.errors import Conflict, NotAllowed
from xinjian.core.models import AuditEntry, Event
from xinjian.disclosure import actions, policy
from xinjian.disclosure.queries import build_profile

D = dt.date


@pytest.fixture
def ent(enterprise_factory):
    return enterprise_factory()


def test_disclosure_clocks_are_registered():
    names = {c.name for c in all_clocks()}
    assert {
        "disclosure.publish",
        "disclosure.withdraw",
        "disclosure.search_index",
        "disclosure.open_data",
    } <= names


def test_publish_clock_publishes_new_penalties_and_results_with_events(
    ent, penalty_factory, inspection_factory
):
    p = penalty_factory(ent, decided_on=D(2025, 1, 6))
    i = inspection_factory(ent, inspected_on=D(2025, 1, 7))
    warning = penalty_factory(ent, penalty_types=["warning"], fine_amount=None)
    secret = penalty_factory(ent, disclosure_exception="state_secret")
    revoked = penalty_factory(ent, status="revoked")
    complaint_check = inspection_factory(ent, kind="complaint")
    future = penalty_factory(ent, decided_on=D(2025, 2, 1))
    assert actions.publish_due(D(2025, 1, 10), actor=CLOCK, dry_run=True) == 2
    assert actions.publish_due(D(2025, 1, 10), actor=CLOCK) == 2
    for r in (p, i, warning, secret, revoked, complaint_check, future):
        r.refresh_from_db()
    assert p.published_on == D(2025, 1, 10) and i.published_on == D(2025, 1, 10)
    assert all(r.published_on is None for r in (warning, secret, revoked, complaint_check, future))
    ev = Event.objects.get(type="penalty.published")
    assert ev.uscc == ent.uscc and ev.data["disclosed_until"] == "2028-01-10"
    assert Event.objects.filter(type="inspection.published").count() == 1
    assert AuditEntry.objects.filter(action="penalty.publish", object_id=str(p.pk)).exists()
    assert actions.publish_due(D(2025, 1, 10), actor=CLOCK) == 0  # idempotent


def test_a_penalty_whose_period_would_have_ended_is_not_published_late(ent, penalty_factory):
    old = penalty_factory(ent, decided_on=D(2021, 12, 1))
    assert actions.publish_due(D(2025, 1, 10), actor=CLOCK) == 0
    old.refresh_from_db()
    assert old.published_on is None


def test_publishing_by_hand_refuses_a_warning_and_a_second_publication(ent, penalty_factory):
    with pytest.raises(NotAllowed):
        actions.publish_penalty(
            penalty_factory(ent, penalty_types=["warning"]), actor=SYSTEM, on=D(2025, 1, 10)
        )
    p = actions.publish_penalty(penalty_factory(ent), actor=SYSTEM, on=D(2025, 1, 10))
    with pytest.raises(Conflict):
        actions.publish_penalty(p, actor=SYSTEM)


def test_withdraw_clock_takes_down_penalties_revoked_at_the_source(ent, penalty_factory):
    p = penalty_factory(ent, published_on=D(2025, 1, 10))
    Penalty.objects.filter(pk=p.pk).update(status="revoked")
    assert actions.withdraw_revoked(D(2025, 2, 3), actor=CLOCK) == 1
    p.refresh_from_db()
    assert p.withdrawn_on == D(2025, 2, 3)
    ev = Event.objects.get(type="penalty.withdrawn")
    assert ev.data["decision_no"] == p.decision_no
    assert actions.withdraw_revoked(D(2025, 2, 4), actor=CLOCK) == 0


@freeze_time("2025-02-20 02:00:00")
def test_backlog_shows_the_twenty_working_day_deadline_and_marks_overdue(
    client, county_officer, ent, penalty_factory
):
    # 20 working days from 2025-01-06 skip the Spring Festival (28 Jan – 4 Feb) and count
    # the shifted working Sunday 26 Jan and Saturday 8 Feb.
    penalty_factory(ent, decided_on=D(2025, 1, 6), decision_no="逾期〔2025〕1号")
    penalty_factory(ent, decided_on=D(2025, 2, 10), decision_no="未逾期〔2025〕2号")
    client.force_login(county_officer)
    r = client.get("/public/staff/backlog/")
    assert r.status_code == 200
    html = r.content.decode()
    row = html.split("逾期〔2025〕1号")[1].split("</tr>")[0]
    assert "2025-02-08" in row and "已逾期" in row
    row2 = html.split("未逾期〔2025〕2号")[1].split("</tr>")[0]
    assert "已逾期" not in row2


def test_staff_publish_from_the_backlog(client, county_officer, ent, penalty_factory):
    p = penalty_factory(ent)
    client.force_login(county_officer)
    assert client.post(f"/public/staff/publish/penalty/{p.pk}/").status_code == 302
    p.refresh_from_db()
    assert p.published_on is not None


def test_backlog_needs_the_disclosure_permission(client, inspector):
    client.force_login(inspector)
    assert client.get("/public/staff/backlog/").status_code == 403


# --- Order 45 art. 13: the period is the longer of 3 years and the restriction --------


def test_a_late_penalty_whose_restriction_still_runs_is_published_until_its_last_day(ent, penalty_factory):
    """Decided 2021, restriction to 2026-03-10, first collected in 2025 (past 36 months
    from the decision): published, shown through the restriction's last day."""
    kw = {"decided_on": D(2021, 12, 1), "penalty_types": ["business_restriction"], "fine_amount": None}
    ended = penalty_factory(ent, restriction_until=D(2025, 1, 9), **kw)
    running = penalty_factory(ent, restriction_until=D(2025, 1, 10), **kw)
    long_running = penalty_factory(ent, restriction_until=D(2030, 6, 30), **kw)
    assert actions.publish_due(D(2025, 1, 10), actor=CLOCK) == 2
    for p in (ended, running, long_running):
        p.refresh_from_db()
    assert ended.published_on is None
    assert running.published_on == D(2025, 1, 10) and long_running.published_on == D(2025, 1, 10)
    # 3 years from publication (2028-01-10) is longer than the restriction for one, shorter for the other.
    assert policy.penalty_disclosed_until(running) == D(2028, 1, 10)
    assert policy.penalty_disclosed_until(long_running) == D(2030, 6, 30)
    for day, shown in ((D(2030, 6, 30), True), (D(2030, 7, 1), False)):
        assert policy.penalty_visible(long_running, day) is shown
        assert policy.visible_penalties(Penalty.objects.filter(pk=long_running.pk), day).exists() is shown
    assert long_running.decision_no in str(build_profile(ent, D(2030, 6, 30))["penalties"])
    assert long_running.decision_no not in str(build_profile(ent, D(2030, 7, 1))["penalties"])


def test_a_late_light_penalty_whose_short_period_ended_is_not_published(ent, penalty_factory):
    # 3 months from a 2024-09-09 decision end on 2024-12-09: collected on the 10th, too late.
    late = penalty_factory(ent, decided_on=D(2024, 9, 9), penalty_types=["criticism"], fine_amount=None)
    timely = penalty_factory(ent, decided_on=D(2024, 9, 10), penalty_types=["criticism"], fine_amount=None)
    assert actions.publish_due(D(2024, 12, 10), actor=CLOCK) == 1
    late.refresh_from_db()
    timely.refresh_from_db()
    assert late.published_on is None and timely.published_on == D(2024, 12, 10)


# --- v1.1 `procedure`: simplified-procedure decisions are collected, never published ---


def test_a_simplified_procedure_penalty_is_never_published(ent, penalty_factory):
    simplified = penalty_factory(ent, procedure="simplified", penalty_types=["fine"], fine_amount=200)
    ordinary = penalty_factory(ent, procedure="ordinary")
    assert actions.publish_due(D(2025, 1, 10), actor=CLOCK) == 1
    simplified.refresh_from_db()
    assert simplified.published_on is None
    with pytest.raises(NotAllowed):
        actions.publish_penalty(simplified, actor=SYSTEM, on=D(2025, 1, 10))
    # Even with a publication date migrated from an earlier system it is not shown.
    Penalty.objects.filter(pk=simplified.pk).update(published_on=D(2025, 1, 10))
    simplified.refresh_from_db()
    assert not policy.penalty_visible(simplified, D(2025, 2, 1))
    assert list(policy.visible_penalties(Penalty.objects.filter(enterprise=ent), D(2025, 2, 1))) == [ordinary]
