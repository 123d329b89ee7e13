"""Chinese working days: "is this a working day" and "the deadline N working days after this moment".

The rule (docs/domain.md, "Deadlines in working days"): count the working days strictly after the moment's
calendar day in Asia/Shanghai; the deadline is the end (23:59:59) of the Nth. Working days follow
the State Council's schedule, make-up weekends included. A year with no schedule entered falls
back to Monday-Friday and the answer says so; nothing here raises for a date out of range.

The whole calendar is a few hundred exception rows, loaded in one query and kept per process for
CACHE_SECONDS; an edit in this process clears it at once (`invalidate`).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
CACHE_SECONDS = 60
END_OF_DAY = dt.time(23, 59, 59)


@dataclass(frozen=True)
class Deadline:
    due_at: dt.datetime
    # Years the count crossed for which no schedule is entered (Monday-Friday was assumed).
    missing_years: tuple[int, ...] = ()

    @property
    def warning(self) -> str:
        if not self.missing_years:
            return ""
        years = ", ".join(str(y) for y in self.missing_years)
        return f"no calendar data for {years}: Monday-Friday assumed"


@dataclass
class WorkCalendar:
    exceptions: dict[dt.date, bool] = field(default_factory=dict)
    known_years: frozenset[int] = frozenset()

    @classmethod
    def from_database(cls) -> WorkCalendar:
        from workdays.models import CalendarDay, CalendarYear

        exceptions = dict(CalendarDay.objects.values_list("date", "is_working_day"))
        years = frozenset(CalendarYear.objects.values_list("year", flat=True))
        return cls(exceptions=exceptions, known_years=years)

    def is_working_day(self, day: dt.date) -> bool:
        override = self.exceptions.get(day)
        if override is not None:
            return override
        return day.weekday() < 5

    def has_year(self, year: int) -> bool:
        return year in self.known_years

    def add_working_days(self, moment: dt.datetime | dt.date, days: int) -> Deadline:
        """The end of the Nth working day strictly after the moment's calendar day."""
        if days < 0:
            raise ValueError("days must not be negative")
        start = local_date(moment)
        day = start
        missing: set[int] = set()
        if not self.has_year(day.year):
            missing.add(day.year)
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if not self.has_year(day.year):
                missing.add(day.year)
            if self.is_working_day(day):
                counted += 1
        due_at = dt.datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)
        return Deadline(due_at=due_at, missing_years=tuple(sorted(missing)))

    def working_days_between(self, first: dt.date, last: dt.date) -> int:
        """Working days from first to last, both included (0 when last is before first)."""
        count = 0
        day = first
        while day <= last:
            if self.is_working_day(day):
                count += 1
            day += dt.timedelta(days=1)
        return count

    def add_working_hours(self, moment: dt.datetime, hours: float) -> dt.datetime:
        """The moment `hours` working hours after `moment`: working time is every hour of a working day (its whole
        calendar day in Shanghai); the hours of rest days and holidays do not count. 24 working hours from a
        Friday 10:00 (the weekend off) end on Monday 10:00."""
        if hours < 0:
            raise ValueError("hours must not be negative")
        left = dt.timedelta(hours=hours)
        cursor = _aware(moment).astimezone(SHANGHAI)
        for _day in range(3700):  # ten years of days: never reached for a window of hours
            day_end = dt.datetime.combine(cursor.date() + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
            if self.is_working_day(cursor.date()):
                if left <= day_end - cursor:
                    return cursor + left
                left -= day_end - cursor
            cursor = day_end
        return cursor

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """The working time (the hours of working days, as add_working_hours counts) from start to end (zero when
        end is not after start)."""
        cursor, end = _aware(start).astimezone(SHANGHAI), _aware(end).astimezone(SHANGHAI)
        total = dt.timedelta()
        while cursor < end:
            day_end = dt.datetime.combine(cursor.date() + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)
            if self.is_working_day(cursor.date()):
                total += min(day_end, end) - cursor
            cursor = day_end
        return total

    def nth_working_day_before(self, last: dt.date, n: int) -> dt.date:
        """The working day that is the nth counting back from `last` (n=1: last itself, if working)."""
        day = last
        counted = 0
        while True:
            if self.is_working_day(day):
                counted += 1
                if counted >= n:
                    return day
            day -= dt.timedelta(days=1)


def local_date(moment: dt.datetime | dt.date) -> dt.date:
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            raise ValueError("an aware datetime is required")
        return moment.astimezone(SHANGHAI).date()
    return moment


def _aware(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return moment


_lock = threading.Lock()
_cached: tuple[float, WorkCalendar] | None = None


def get_calendar() -> WorkCalendar:
    global _cached
    with _lock:
        if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
            return _cached[1]
    calendar = WorkCalendar.from_database()
    with _lock:
        _cached = (time.monotonic(), calendar)
    return calendar


def invalidate() -> None:
    global _cached
    with _lock:
        _cached = None


def is_working_day(day: dt.date) -> bool:
    return get_calendar().is_working_day(day)


def add_working_days(moment: dt.datetime | dt.date, days: int) -> Deadline:
    return get_calendar().add_working_days(moment, days)


def add_working_hours(moment: dt.datetime, hours: float) -> dt.datetime:
    return get_calendar().add_working_hours(moment, hours)


def working_time_between(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    return get_calendar().working_time_between(start, end)


def missing_years(years) -> list[int]:
    calendar = get_calendar()
    return [year for year in years if not calendar.has_year(year)]
