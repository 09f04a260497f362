import datetime as dt

import pytest

from xinjian.core.models import CalendarDay, CalendarYear
from xinjian.core.workdays import add_working_days, is_working_day, working_days_between

pytestmark = pytest.mark.django_db


def test_twenty_working_days_from_2025_09_26_is_2025_10_30():
    # Skips 1–8 October; counts the shifted working Sunday 28 Sep and Saturday 11 Oct.
    deadline = add_working_days(dt.date(2025, 9, 26), 20)
    assert deadline.due == dt.date(2025, 10, 30)
    assert not deadline.provisional
    assert "2025年10月30日" in deadline.explain()


def test_shifted_weekend_days_are_working_and_holiday_weekdays_are_not():
    assert is_working_day(dt.date(2025, 9, 28))  # Sunday made a working day
    assert not is_working_day(dt.date(2025, 10, 1))  # National Day, a Wednesday
    assert not is_working_day(dt.date(2025, 10, 4))  # plain Saturday


def test_deadline_through_a_year_without_holiday_data_is_provisional():
    assert not CalendarYear.objects.filter(year=2027).exists()
    deadline = add_working_days(dt.date(2026, 12, 10), 20)
    assert deadline.provisional
    assert deadline.provisional_years == (2027,)
    assert "临时期限" in deadline.explain()
    # Monday–Friday counting inside 2027.
    assert deadline.due == dt.date(2027, 1, 7)


def test_entering_next_years_holidays_recomputes_the_deadline():
    before = add_working_days(dt.date(2026, 12, 10), 20)
    CalendarYear.objects.create(year=2027, source="国务院办公厅通知（测试）")
    CalendarDay.objects.create(day=dt.date(2027, 1, 1), is_working=False, name="元旦")
    after = add_working_days(dt.date(2026, 12, 10), 20)
    assert not after.provisional
    assert after.due == before.due + dt.timedelta(days=1)  # Friday 1 Jan no longer counts


def test_deadline_within_a_known_year_is_not_provisional():
    assert not add_working_days(dt.date(2026, 3, 2), 5).provisional


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(dt.date(2025, 9, 26), dt.date(2025, 10, 30)) == 20
    assert working_days_between(dt.date(2025, 10, 30), dt.date(2025, 10, 30)) == 0


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(dt.date(2025, 1, 1), -1)
