import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from workdays.models import CalendarDay, CalendarYear


@pytest.mark.django_db
def test_load_calendar_one_year_stores_holidays_and_make_up_days(capsys):
    call_command("load_calendar", "--year", "2026")

    assert CalendarYear.objects.get().year == 2026
    national_day = CalendarDay.objects.get(date=dt.date(2026, 10, 1))
    assert (national_day.is_working_day, national_day.name) == (False, "国庆节")
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 10)).is_working_day is True
    assert "Loaded 1 year(s) 2026-2026" in capsys.readouterr().out


@pytest.mark.django_db
def test_load_calendar_twice_keeps_one_row_per_day_and_admin_entries():
    CalendarDay.objects.create(date=dt.date(2026, 10, 12), is_working_day=False, name="台风", source="admin")
    call_command("load_calendar", "--year", "2026")
    count = CalendarDay.objects.count()

    call_command("load_calendar", "--year", "2026")

    assert CalendarDay.objects.count() == count
    assert CalendarDay.objects.get(date=dt.date(2026, 10, 12)).name == "台风"


@pytest.mark.django_db
def test_load_calendar_for_a_year_the_package_lacks_is_a_clear_error():
    with pytest.raises(CommandError, match="no schedule for 2027"):
        call_command("load_calendar", "--year", "2027")
