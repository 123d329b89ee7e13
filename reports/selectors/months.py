"""Calendar months in Shanghai time, as the briefing counts and names them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from workdays.calendar import SHANGHAI

EARLIEST_YEAR = 2000


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, self.month, 1, tzinfo=SHANGHAI)

    @property
    def end(self) -> dt.datetime:
        return self.next().start

    def next(self) -> Month:
        return Month(self.year + (self.month == 12), self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def year_earlier(self) -> Month:
        return Month(self.year - 1, self.month)

    def days(self) -> list[dt.date]:
        first = self.start.date()
        return [first + dt.timedelta(days=n) for n in range((self.end.date() - first).days)]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def of(cls, moment: dt.datetime) -> Month:
        local = moment.astimezone(SHANGHAI)
        return cls(local.year, local.month)


MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def month_parse(text: str, *, now: dt.datetime | None = None) -> Month:
    """YYYY-MM, from EARLIEST_YEAR up to the current month; ValueError with a message otherwise."""
    match = MONTH_RE.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(_("Give a month as YYYY-MM, e.g. 2026-09."))
    month = Month(int(match.group(1)), int(match.group(2)))
    if month.year < EARLIEST_YEAR or month > Month.of(now or timezone.now()):
        raise ValueError(_("Choose a month between %(first)s and this month.") % {"first": f"{EARLIEST_YEAR}-01"})
    return month


def month_default(*, now: dt.datetime | None = None) -> Month:
    """The last complete month."""
    return Month.of(now or timezone.now()).previous()


def month_with_data(bureau_id: int | None, *, now: dt.datetime | None = None) -> Month:
    """The month the briefing opens on: the last complete month, or the latest month before it in which the bureau
    received work orders when that month has none; the month in progress when only it has any (a new bureau, the
    demo). One or two reads of the (bureau, -received_at) index."""
    from tickets.models import Ticket

    now = now or timezone.now()
    last = month_default(now=now)
    if bureau_id is None:
        return last
    tickets = Ticket.objects.filter(bureau_id=bureau_id)
    latest = tickets.filter(received_at__lt=last.end).order_by("-received_at").values_list("received_at", flat=True)
    received = latest.first()
    if received is not None:
        return min(Month.of(received), last)
    if tickets.filter(received_at__gte=last.end).exists():
        return Month.of(now)
    return last
