"""Small display helpers of the ticket pages: due colours, remaining working days, the calendar note."""

import datetime as dt
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from tickets import deadlines
from tickets.choices import ClockStatus
from workdays import calendar
from workdays.calendar import local_date

SOON_WORKING_DAYS = 3  # the first reminder tier: three working days or fewer left


def _days_left(due_at: dt.datetime) -> int:
    """Working days from today (inclusive) to the due day (inclusive); negative when overdue."""
    today = timezone.localdate()
    due_day = local_date(due_at)
    cal = calendar.get_calendar()
    if today <= due_day:
        return cal.working_days_between(today, due_day)
    return -cal.working_days_between(due_day + dt.timedelta(days=1), today)


def due_class(due_at) -> str:
    """The row colour of a list: overdue, due today, due within three working days, or nothing."""
    if due_at is None:
        return ""
    if due_at < timezone.now():
        return "due-overdue"
    if local_date(due_at) == timezone.localdate():
        return "due-today"
    if _days_left(due_at) <= SOON_WORKING_DAYS:
        return "due-soon"
    return ""


def due_badge(due_at) -> str:
    return {"due-overdue": "badge-danger", "due-today": "badge-warn", "due-soon": "badge-warn"}.get(
        due_class(due_at), "badge-muted"
    )


def clock_days_left(clock):
    return deadlines.remaining_working_days(clock)


def clock_badge(clock) -> str:
    if clock.status == ClockStatus.MET:
        return "badge-ok"
    if clock.status in (ClockStatus.PAUSED, ClockStatus.CANCELLED):
        return "badge-muted"
    return due_badge(clock.due_at)


def calendar_warning(warning: str) -> str:
    """The calendar stores an English note naming the years it had no holiday schedule for; show it translated."""
    match = re.match(r"no calendar data for ([\d, ]+):", warning or "")
    if not match:
        return warning
    return _("No holiday schedule entered for %(years)s: counted Monday to Friday.") % {"years": match.group(1).strip()}
