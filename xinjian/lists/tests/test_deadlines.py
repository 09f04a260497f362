"""Statutory deadlines are derived from start + rule + calendar, carry `provisional` where
they are shown, and gate each step on their current value (issue 12 item 2). 2027 has no
holiday data in the shipped calendar, as on the day the issue was filed.

The arrangement loaded below is a test fixture shaped like a Spring Festival (the week of
8 February 2027 off, Saturday 13 February worked), not the State Council's notice.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from freezegun import freeze_time

from xinjian.core import deadlines
from xinjian.core.actions import load_calendar
from xinjian.core.actors import SYSTEM
from xinjian.core.errors import DomainError
from xinjian.core.models import AuditEntry, CalendarDay, CalendarYear
from xinjian.core.workdays import SHANGHAI
from xinjian.lists import actions
from xinjian.lists.models import SeriousListing

pytestmark = pytest.mark.django_db
D = dt.date

SPRING_2027 = """date,kind
2027-01-01,holiday
2027-02-05,holiday
2027-02-08,holiday
2027-02-09,holiday
2027-02-10,holiday
2027-02-11,holiday
2027-02-13,workday
"""


def _at(day: dt.date):
    return freeze_time(dt.datetime.combine(day, dt.time(9), tzinfo=SHANGHAI))


@pytest.fixture
def notified(enterprise_factory, penalty_factory):
    """A serious-list proposal whose party was notified on Wednesday 3 February 2027: the
    5-working-day statement period runs through the (then unknown) Spring Festival."""
    e = enterprise_factory()
    p = penalty_factory(e, decided_on=D(2027, 1, 20))
    with _at(D(2027, 2, 3)):
        s = actions.propose_serious(e, actor=SYSTEM, ground="food_safety", penalty=p)
        actions.notify_party(s, actor=SYSTEM)
    return s


def test_a_deadline_into_a_year_without_holiday_data_is_provisional_and_shown_so(
    notified, client, county_officer
):
    assert not CalendarYear.objects.filter(year=2027).exists()
    dl = deadlines.compute(notified, "statement_due")
    # Monday–Friday counting: 4, 5, 8, 9, 10 February.
    assert (dl.due, dl.provisional, dl.provisional_years) == (D(2027, 2, 10), True, (2027,))
    assert notified.statement_due == dl.due  # the stored copy, for the clocks' queries
    client.force_login(county_officer)
    notice = client.get(reverse("lists:serious_notice", args=[notified.pk])).content.decode()
    assert "2027年2月10日（含当日）之前" in notice and "临时期限" in notice
    detail = client.get(reverse("lists:serious_detail", args=[notified.pk])).content.decode()
    assert "（含当日）" in detail and "属临时期限" in detail


def test_loading_the_year_recomputes_audits_and_moves_the_approval_gate(notified, client, county_officer):
    result = load_calendar(SPRING_2027, actor=SYSTEM, source="test")
    assert result.years == [2027]
    # 4 Feb; 5 and 8–11 off; 12 Feb; Saturday 13 worked; 15, 16 Feb.
    s = SeriousListing.objects.get(pk=notified.pk)
    assert s.statement_due == D(2027, 2, 16)
    assert not deadlines.provisional(s, "statement_due")
    [moved] = [m for m in result.moved if m.object.pk == s.pk and m.field == "statement_due"]
    assert (moved.before, moved.after) == (D(2027, 2, 10), D(2027, 2, 16))
    entry = AuditEntry.objects.get(action="core.deadline_recomputed", object_id=str(s.pk))
    assert entry.before["statement_due"] == "2027-02-10"
    assert entry.after["statement_due"] == "2027-02-16"
    # The party's real last day: approval is refused on it, allowed the day after.
    with _at(D(2027, 2, 16)), pytest.raises(DomainError) as e:
        actions.submit_for_approval(s, actor=SYSTEM)
    assert e.value.code == "statement_period_running"
    with _at(D(2027, 2, 17)):
        actions.submit_for_approval(s, actor=SYSTEM)
    assert SeriousListing.objects.get(pk=s.pk).status == "pending_approval"
    # Loading the same arrangement again moves nothing.
    assert load_calendar(SPRING_2027, actor=SYSTEM, source="test").moved == []


def test_the_gate_reads_the_current_deadline_not_the_stored_copy(notified):
    # The calendar changes without the copy being refreshed (e.g. a row entered by hand in
    # an older version): the gate still follows the law as the calendar now gives it.
    CalendarYear.objects.create(year=2027, source="test")
    CalendarDay.objects.bulk_create(
        [CalendarDay(day=D(2027, 2, d), is_working=False) for d in (5, 8, 9, 10, 11)]
        + [CalendarDay(day=D(2027, 2, 13), is_working=True)]
    )
    assert SeriousListing.objects.get(pk=notified.pk).statement_due == D(2027, 2, 10)  # stale
    with _at(D(2027, 2, 11)), pytest.raises(DomainError):
        actions.submit_for_approval(notified, actor=SYSTEM)
    with _at(D(2027, 2, 16)), pytest.raises(DomainError):
        actions.submit_for_approval(notified, actor=SYSTEM)
    with _at(D(2027, 2, 17)):
        actions.submit_for_approval(notified, actor=SYSTEM)


def test_before_the_year_is_loaded_the_provisional_last_day_is_still_refused(notified):
    with _at(D(2027, 2, 10)), pytest.raises(DomainError):
        actions.submit_for_approval(notified, actor=SYSTEM)
    with _at(D(2027, 2, 11)):
        actions.submit_for_approval(notified, actor=SYSTEM)


def test_load_calendar_command_reports_every_wrong_line_and_stores_nothing(tmp_path, notified):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "date,kind\n2027-02-05,holiday\n2027-02-30,holiday\n2027-02-13,party\n2027-02-05,workday\n"
    )
    with pytest.raises(CommandError) as e:
        call_command("load_calendar", str(bad))
    text = str(e.value)
    assert "line 3" in text and "line 4" in text and "line 5" in text
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(day__year=2027).exists()
    with pytest.raises(CommandError):
        call_command("load_calendar", str(tmp_path / "missing.csv"))
    good = tmp_path / "2027.csv"
    good.write_text(SPRING_2027)
    from io import StringIO

    out = StringIO()
    call_command("load_calendar", str(good), stdout=out)
    assert "loaded 7 days for 2027" in out.getvalue()
    assert "statement_due: 2027-02-10 -> 2027-02-16" in out.getvalue()
    assert CalendarYear.objects.get(year=2027).source == "load_calendar 2027.csv"


def test_the_admin_imports_a_year_through_the_same_action(admin_client, notified):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = reverse("admin:core_calendaryear_import")
    assert admin_client.get(url).status_code == 200
    r = admin_client.post(url, {"file": SimpleUploadedFile("bad.csv", b"2027-13-01,holiday\n")})
    assert r.status_code == 200 and "line 1" in r.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    r = admin_client.post(url, {"file": SimpleUploadedFile("2027.csv", SPRING_2027.encode())})
    assert r.status_code == 302
    assert SeriousListing.objects.get(pk=notified.pk).statement_due == D(2027, 2, 16)
    assert AuditEntry.objects.filter(action="core.calendar_loaded", object_id="2027").exists()
    # Rows are never edited one by one (that would skip the recomputation).
    assert admin_client.get(reverse("admin:core_calendarday_add")).status_code == 403
