"""The monthly briefing (《每月简报》): the hotline's indicators per unit and month, read in a few aggregates.

How each figure is counted (docs/reports.md says the same for readers of the briefing). Months are
calendar months in Shanghai time; "the unit" of a work order is the unit it is dispatched to now
(`Ticket.unit`, the last dispatch): a work order re-dispatched several times counts once, for the unit
that holds it, and never for the units it passed through. Work orders never dispatched count for no unit.
Returns and callbacks carry the unit they were made against and count for that unit.

Each figure: the date that puts it in a month; what is counted (numerator / denominator).
- work orders: `received_at`; work orders received.
- first-contact rate 先行联系率: the first-contact clock's `due_at`; clocks met by `due_at` / first-contact
  clocks due (not cancelled, not paused; an open clock only once its due time has passed).
- on-time sign-off rate 及时签收率: `dispatched_at` (the last dispatch); signed for (`accepted_at`) by the end
  of the first working day after the dispatch day / work orders dispatched, signed for or past that
  deadline (one never signed for and returned to the platform is left out).
- on-time completion rate 按时办结率: the reply clock's `due_at`; reply clocks met (completed) by `due_at` /
  reply clocks due, counted as for first contact.
- resolution rate 实际解决率: the callback's `called_at`; callbacks "resolved" (partly resolved is not) /
  callbacks that recorded a resolution. Every callback counts (one after a redo as well).
- satisfaction rate 满意率: `called_at`; callbacks satisfied or basically satisfied / callbacks.
- substantiation rate 属实率: the work order's `completed_at`; tracks substantiated or partly substantiated /
  tracks with a finding (a composite work order has two tracks).
- complaint-to-case conversions and rate 诉转案(率): `completed_at`; complaint and composite work orders with
  a case number on a track / complaint and composite work orders completed.
- returns for redo 退回重办: the return's `at`; `reviews.Return` rows, for the unit they were made against.
- unsatisfied callbacks: `called_at`; callbacks "unsatisfied", for the callback's unit.
- overdue 超期: the clock's `due_at`; work orders with at least one clock (of any kind) due that month and
  not met by its due time.

A clock counts in the month it fell due whatever happened later (met late is late); a reopened work
order is out of the completion figures until it is completed again. Year on year compares with the same
calendar month a year earlier: rates by the difference in percentage points, counts by the change in
per cent (none when last year's count was 0). The bureau total adds up the units' numerators and
denominators (never averages their rates).

Every figure is an aggregate in PostgreSQL (GROUP BY unit and period, the two months in one query): eight
queries whatever the number of units or work orders, plus the working-day calendar when it is not cached.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Case, Count, DateTimeField, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce

from reports.selectors.months import Month
from reviews.choices import Resolved, Satisfaction
from reviews.models import Callback, Return
from tickets.choices import Clock, ClockStatus, Finding, Kind, Status
from tickets.models import Ticket, TicketClock, TicketTrack
from workdays.calendar import SHANGHAI, get_calendar

TOP_BUSINESSES = 10


def _window(path: str, months: tuple[Month, Month]) -> Q:
    q = Q()
    for month in months:
        q |= Q(**{f"{path}__gte": month.start, f"{path}__lt": month.end})
    return q


def _period(path: str, month: Month) -> Case:
    # the WHERE keeps only the two months; the later one is "this month" (0), the other a year earlier (1)
    return Case(When(**{f"{path}__gte": month.start}, then=Value(0)), default=Value(1), output_field=IntegerField())


def _sign_off_deadline(months: tuple[Month, Month]) -> Case:
    """The end of the first working day after the dispatch day, for each day of the two months."""
    calendar = get_calendar()
    whens = []
    for month in months:
        for day in month.days():
            start = dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI)
            whens.append(
                When(
                    dispatched_at__gte=start,
                    dispatched_at__lt=start + dt.timedelta(days=1),
                    then=Value(calendar.add_working_days(day, 1).due_at),
                )
            )
    return Case(*whens, default=Value(None), output_field=DateTimeField())


def monthly_counts(bureau_id: int, month: Month, *, now: dt.datetime) -> dict[tuple[int, int], dict[str, int]]:
    """(unit id, period) -> counter -> value, for this month (period 0) and a year earlier (1).

    The briefing's expensive part (six aggregates over the two months' rows): a closed month's result is
    kept in reports.models.MonthlyCounts (reports.services) and read back with `counts_decode`.
    """
    months = (month, month.year_earlier())
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(rows, unit_key: str):
        for row in rows:
            unit_id, period = row.pop(unit_key), row.pop("period")
            if unit_id is None:
                continue
            for key, value in row.items():
                counts[(unit_id, period)][key] += value or 0

    tickets = Ticket.objects.filter(bureau_id=bureau_id, unit__isnull=False)
    add(
        tickets.filter(_window("received_at", months))
        .annotate(period=_period("received_at", month))
        .values("unit_id", "period")
        .annotate(received=Count("id"))
        .order_by(),
        "unit_id",
    )
    signed = Q(accepted_at__isnull=False)
    add(
        tickets.filter(_window("dispatched_at", months))
        .exclude(status=Status.RETURNED_TO_PLATFORM, accepted_at__isnull=True)
        .annotate(period=_period("dispatched_at", month), sign_by=_sign_off_deadline(months))
        .values("unit_id", "period")
        .annotate(
            signed_due=Count("id", filter=signed | Q(sign_by__lt=now)),
            signed_on_time=Count("id", filter=Q(accepted_at__lte=F("sign_by"))),
        )
        .order_by(),
        "unit_id",
    )
    met_in_time = Q(met_at__isnull=False, met_at__lte=F("due_at"))
    add(
        TicketClock.objects.filter(ticket__bureau_id=bureau_id, ticket__unit__isnull=False)
        .filter(_window("due_at", months))
        .exclude(status__in=[ClockStatus.CANCELLED, ClockStatus.PAUSED])
        .filter(Q(status=ClockStatus.MET) | Q(due_at__lt=now))
        .annotate(period=_period("due_at", month))
        .values("ticket__unit_id", "period")
        .annotate(
            contact_due=Count("id", filter=Q(clock=Clock.FIRST_CONTACT)),
            contact_on_time=Count("id", filter=Q(clock=Clock.FIRST_CONTACT) & met_in_time),
            reply_due=Count("id", filter=Q(clock=Clock.REPLY)),
            reply_on_time=Count("id", filter=Q(clock=Clock.REPLY) & met_in_time),
            overdue=Count("ticket_id", distinct=True, filter=~met_in_time),
        )
        .order_by(),
        "ticket__unit_id",
    )
    complaint_kinds = [Kind.COMPLAINT, Kind.COMPOSITE]
    add(
        TicketTrack.objects.filter(ticket__bureau_id=bureau_id, ticket__unit__isnull=False)
        .filter(_window("ticket__completed_at", months))
        .annotate(period=_period("ticket__completed_at", month))
        .values("ticket__unit_id", "period")
        .annotate(
            findings=Count("id", filter=~Q(finding="")),
            substantiated=Count("id", filter=Q(finding__in=[Finding.SUBSTANTIATED, Finding.PARTLY])),
            complaints_completed=Count("ticket_id", distinct=True, filter=Q(ticket__kind__in=complaint_kinds)),
            conversions=Count(
                "ticket_id", distinct=True, filter=Q(ticket__kind__in=complaint_kinds) & ~Q(case_number="")
            ),
        )
        .order_by(),
        "ticket__unit_id",
    )
    add(
        Callback.objects.filter(ticket__bureau_id=bureau_id)
        .filter(_window("called_at", months))
        .annotate(period=_period("called_at", month), unit_key=Coalesce("unit_id", "ticket__unit_id"))
        .values("unit_key", "period")
        .annotate(
            callbacks=Count("id"),
            resolution_asked=Count("id", filter=~Q(resolved="")),
            resolved=Count("id", filter=Q(resolved=Resolved.RESOLVED)),
            satisfied=Count(
                "id", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED])
            ),
            unsatisfied=Count("id", filter=Q(satisfaction=Satisfaction.UNSATISFIED)),
        )
        .order_by(),
        "unit_key",
    )
    add(
        Return.objects.filter(unit__bureau_id=bureau_id)
        .filter(_window("at", months))
        .annotate(period=_period("at", month))
        .values("unit_id", "period")
        .annotate(returns=Count("id"))
        .order_by(),
        "unit_id",
    )
    return counts


def top_businesses(bureau_id: int, month: Month, *, unit_id: int | None = None) -> list[dict]:
    """The businesses with the most work orders received in the month (of one unit's, when given), as dicts
    of Business's fields (kept as they are with a closed month's counts)."""
    businesses = Ticket.objects.filter(
        bureau_id=bureau_id, business__isnull=False, received_at__gte=month.start, received_at__lt=month.end
    )
    if unit_id is not None:
        businesses = businesses.filter(unit_id=unit_id)
    return [
        {
            "id": row["business_id"],
            "name": row["business__name"],
            "tickets": row["n"],
            "tickets_all_time": row["all_time"],
        }
        for row in businesses.values("business_id", "business__name")
        .annotate(n=Count("id"), all_time=F("business__ticket_count"))
        .order_by("-n", "business__name", "business_id")[:TOP_BUSINESSES]
    ]
