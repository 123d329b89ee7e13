import datetime as dt

import pytest

from workdays import calendar
from workdays.calendar import SHANGHAI, WorkCalendar
from workdays.services import calendar_set_day


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.django_db
def test_add_working_days_across_national_day_counts_make_up_saturday(calendar_2026):
    # Oct 1-7 are holidays; Oct 8, 9, 10 (make-up Saturday), 12, 13, 14, 15 are the seven working days.
    deadline = calendar.add_working_days(at(2026, 9, 30, 10, 0), 7)

    assert deadline.due_at == at(2026, 10, 15, 23, 59, 59)
    assert deadline.missing_years == ()
    assert deadline.due_at.isoformat() == "2026-10-15T23:59:59+08:00"


@pytest.mark.django_db
def test_add_working_days_across_spring_festival(calendar_2026):
    # Feb 14 (Saturday) is a make-up working day; Feb 16-23 are holidays.
    deadline = calendar.add_working_days(at(2026, 2, 13, 16, 0), 5)

    assert deadline.due_at == at(2026, 2, 27, 23, 59, 59)


@pytest.mark.django_db
def test_add_working_days_into_year_without_data_falls_back_and_warns(calendar_2026):
    deadline = calendar.add_working_days(at(2026, 12, 28, 9, 0), 7)

    # Dec 29, 30, 31, then Monday-Friday in 2027: Jan 1, 4, 5, 6.
    assert deadline.due_at == at(2027, 1, 6, 23, 59, 59)
    assert deadline.missing_years == (2027,)
    assert deadline.warning == "no calendar data for 2027: Monday-Friday assumed"


@pytest.mark.django_db
def test_add_working_days_far_outside_any_data_never_raises():
    deadline = calendar.add_working_days(at(2031, 3, 1, 9, 0), 15)

    assert deadline.due_at == at(2031, 3, 21, 23, 59, 59)
    assert deadline.missing_years == (2031,)


@pytest.mark.django_db
def test_moment_is_counted_on_its_shanghai_calendar_day(calendar_2026):
    # 2026-09-29 17:00 UTC is already 2026-09-30 01:00 in Shanghai.
    moment = dt.datetime(2026, 9, 29, 17, 0, tzinfo=dt.UTC)

    assert calendar.add_working_days(moment, 7).due_at == at(2026, 10, 15, 23, 59, 59)


@pytest.mark.django_db
def test_administrator_override_changes_the_answer(calendar_2026):
    assert calendar.add_working_days(at(2026, 9, 30, 10, 0), 7).due_at == at(2026, 10, 15, 23, 59, 59)

    # The bureau closes on Oct 12 (say, a typhoon day entered by the administrator).
    calendar_set_day(dt.date(2026, 10, 12), is_working_day=False, name="台风停工")
    calendar.invalidate()  # on_commit does not run inside a test transaction

    assert calendar.is_working_day(dt.date(2026, 10, 12)) is False
    assert calendar.add_working_days(at(2026, 9, 30, 10, 0), 7).due_at == at(2026, 10, 16, 23, 59, 59)


@pytest.mark.django_db
def test_administrator_entering_a_day_of_a_new_year_marks_that_year_known(calendar_2026):
    calendar_set_day(dt.date(2027, 1, 1), is_working_day=False, name="元旦")
    calendar.invalidate()

    deadline = calendar.add_working_days(at(2026, 12, 28, 9, 0), 7)

    assert deadline.missing_years == ()
    assert deadline.due_at == at(2027, 1, 7, 23, 59, 59)


@pytest.mark.django_db
def test_is_working_day_knows_make_up_weekends_and_holidays(calendar_2026):
    assert calendar.is_working_day(dt.date(2026, 10, 10)) is True  # make-up Saturday
    assert calendar.is_working_day(dt.date(2026, 10, 1)) is False  # National Day
    assert calendar.is_working_day(dt.date(2026, 10, 11)) is False  # ordinary Sunday
    assert calendar.is_working_day(dt.date(2026, 10, 8)) is True


def test_working_days_between_counts_both_ends():
    cal = WorkCalendar(exceptions={dt.date(2026, 10, 1): False}, known_years=frozenset({2026}))

    assert cal.working_days_between(dt.date(2026, 9, 28), dt.date(2026, 10, 2)) == 4
    assert cal.working_days_between(dt.date(2026, 10, 2), dt.date(2026, 10, 1)) == 0


def test_zero_working_days_is_end_of_the_same_day():
    cal = WorkCalendar(known_years=frozenset({2026}))

    assert cal.add_working_days(at(2026, 10, 14, 8, 0), 0).due_at == at(2026, 10, 14, 23, 59, 59)


def test_naive_datetime_is_refused():
    with pytest.raises(ValueError):
        WorkCalendar().add_working_days(dt.datetime(2026, 1, 1, 9, 0), 1)


def test_working_hours_skip_the_weekend():
    cal = WorkCalendar()  # Monday-Friday
    # Friday 2026-03-06 10:00: 14 hours left that day, the weekend does not count, 10 on Monday.
    assert cal.add_working_hours(at(2026, 3, 6, 10, 0), 24) == at(2026, 3, 9, 10, 0)
    assert cal.working_time_between(at(2026, 3, 6, 10, 0), at(2026, 3, 9, 10, 0)) == dt.timedelta(hours=24)
    # a moment on a rest day starts counting at the next working day's midnight
    assert cal.add_working_hours(at(2026, 3, 7, 15, 0), 2) == at(2026, 3, 9, 2, 0)
    assert cal.working_time_between(at(2026, 3, 9, 10, 0), at(2026, 3, 6, 10, 0)) == dt.timedelta()


def test_working_hours_follow_holidays_and_make_up_days():
    # Saturday 2026-03-07 made a working day, Monday 2026-03-09 a holiday
    cal = WorkCalendar(exceptions={dt.date(2026, 3, 7): True, dt.date(2026, 3, 9): False})
    assert cal.add_working_hours(at(2026, 3, 6, 10, 0), 24) == at(2026, 3, 7, 10, 0)
    assert cal.add_working_hours(at(2026, 3, 6, 10, 0), 48) == at(2026, 3, 10, 10, 0)
    assert cal.working_time_between(at(2026, 3, 6, 22, 0), at(2026, 3, 10, 1, 30)) == dt.timedelta(hours=27.5)
