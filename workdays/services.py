import datetime as dt

from django.db import transaction

from workdays import calendar
from workdays.models import CalendarDay, CalendarSource, CalendarYear

# chinesecalendar names holidays in English; the bureau reads them in Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def package_years() -> list[int]:
    """Years the installed chinesecalendar package has a published schedule for."""
    import chinese_calendar

    known = set(chinese_calendar.holidays) | set(chinese_calendar.workdays)
    return sorted({day.year for day in known})


@transaction.atomic
def calendar_load_year(year: int) -> int:
    """Load one year from chinesecalendar; administrator edits for that year are kept. Returns rows written."""
    import chinese_calendar

    if year not in package_years():
        raise ValueError(f"chinesecalendar has no schedule for {year}")
    admin_dates = set(
        CalendarDay.objects.filter(date__year=year, source=CalendarSource.ADMIN).values_list("date", flat=True)
    )
    CalendarDay.objects.filter(date__year=year, source=CalendarSource.PACKAGE).delete()
    rows = []
    day = dt.date(year, 1, 1)
    while day.year == year:
        is_working = chinese_calendar.is_workday(day)
        if is_working != (day.weekday() < 5) and day not in admin_dates:
            _, holiday = chinese_calendar.get_holiday_detail(day)
            name = HOLIDAY_NAMES.get(str(holiday or ""), str(holiday or ""))
            rows.append(CalendarDay(date=day, is_working_day=is_working, name=name, source=CalendarSource.PACKAGE))
        day += dt.timedelta(days=1)
    CalendarDay.objects.bulk_create(rows)
    CalendarYear.objects.update_or_create(year=year, defaults={"source": CalendarSource.PACKAGE})
    transaction.on_commit(calendar.invalidate)
    return len(rows)


@transaction.atomic
def calendar_set_day(day: dt.date, *, is_working_day: bool, name: str = "") -> CalendarDay:
    """An administrator's entry for one day; it marks the year as entered."""
    entry, _ = CalendarDay.objects.update_or_create(
        date=day, defaults={"is_working_day": is_working_day, "name": name, "source": CalendarSource.ADMIN}
    )
    CalendarYear.objects.get_or_create(year=day.year, defaults={"source": CalendarSource.ADMIN})
    transaction.on_commit(calendar.invalidate)
    return entry
