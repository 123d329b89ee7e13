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
- dispatch objections 派单异议: for the unit that objected; raised by `raised_at`, upheld and rejected (and the
  working hours the decision took) by `decided_at`.

A clock counts in the month it fell due whatever happened later (met late is late); a reopened work
order is out of the completion figures until it is completed again. Year on year compares with the same
calendar month a year earlier: rates by the difference in percentage points, counts by the change in
per cent (none when last year's count was 0). The bureau total adds up the units' numerators and
denominators (never averages their rates).

Every figure is an aggregate in PostgreSQL (GROUP BY unit and period, the two months in one query): thirteen
queries whatever the number of units or work orders, plus the working-day calendar when it is not cached. The
same aggregates count any number of months at once (months_counts_live: a year and the year before it in one
statement each), each month's counts exactly what counting it alone gives.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from contextlib import contextmanager

from django.db import DatabaseError, connection
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber, TruncDate, TruncMonth

from reports.models import MonthlyCounts
from reports.selectors.kept import COUNTS_VERSION, counts_decode, counts_version, is_settled
from reports.selectors.months import Month
from reviews.choices import Resolved, Satisfaction
from reviews.models import Callback, Return
from tickets.choices import Clock, ClockStatus, Finding, Kind, ObjectionStatus, Status
from tickets.models import DispatchObjection, Ticket, TicketClock, TicketEvent, TicketTrack
from workdays.calendar import END_OF_DAY, SHANGHAI, get_calendar

TOP_BUSINESSES = 10
Windows = list[tuple[dt.datetime, dt.datetime]]


def _spans(windows: Windows) -> Windows:
    """The windows' union as few [start, end) spans as possible: a year's months and the same months a year
    earlier are two years end to end, one range for the index instead of 24 OR'ed ones (the CASE of `_period`
    still numbers each row by its own window)."""
    spans: Windows = []
    for start, end in sorted(windows):
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    return spans


def _window(path: str, windows: Windows) -> Q:
    q = Q()
    for start, end in _spans(windows):
        q |= Q(**{f"{path}__gte": start, f"{path}__lt": end})
    return q


def _period(path: str, windows: Windows) -> Case:
    # the WHERE keeps only the windows' rows (they never overlap); each row is numbered by its window
    whens = [
        When(**{f"{path}__gte": start, f"{path}__lt": end}, then=Value(n)) for n, (start, end) in enumerate(windows)
    ]
    return Case(*whens, default=Value(None), output_field=IntegerField())


# A deadline is the end of a day (workdays.calendar.END_OF_DAY, 23:59:59): a moment is by the end of day D exactly when
# that moment plus this shift still falls on day D or before (times are kept to the microsecond)
_BY_END_OF_DAY = dt.datetime.combine(dt.date.min, dt.time.max) - dt.datetime.combine(dt.date.min, END_OF_DAY)


def _sign_off(tickets, windows: Windows, *, now: dt.datetime) -> list:
    """On-time sign-off (及时签收率): work orders dispatched in each window, signed for by the end of the first
    working day after the dispatch day / those signed for or past that deadline (one never signed for and
    returned to the platform is left out). One GROUP BY unit, window, dispatch day and sign-off day; each dispatch
    day's deadline from the calendar (a loop over days, never over work orders)."""
    calendar = get_calendar()
    rows = (
        tickets.filter(_window("dispatched_at", windows))
        .exclude(status=Status.RETURNED_TO_PLATFORM, accepted_at__isnull=True)
        .annotate(
            period=_period("dispatched_at", windows),
            dispatched_day=TruncDate("dispatched_at", tzinfo=SHANGHAI),
            signed_day=TruncDate(
                ExpressionWrapper(F("accepted_at") + Value(_BY_END_OF_DAY), output_field=DateTimeField()),
                tzinfo=SHANGHAI,
            ),
        )
        .values("unit_id", "period", "dispatched_day", "signed_day")
        .annotate(n=Count("id"))
        .order_by()
    )
    deadlines: dict[dt.date, dt.datetime] = {}
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        day = row["dispatched_day"]
        if day not in deadlines:
            deadlines[day] = calendar.add_working_days(day, 1).due_at
        due_at, signed_day = deadlines[day], row["signed_day"]
        counters = counts[(row["unit_id"], row["period"])]
        # both counters are set for every unit and window with a dispatch, 0 or not (as Count(filter=...) set them)
        counters["signed_due"] += row["n"] if signed_day is not None or due_at < now else 0
        counters["signed_on_time"] += row["n"] if signed_day is not None and signed_day <= due_at.date() else 0
    return list(counts.items())


WITHOUT_JIT_SQL = "SET jit = off; SET work_mem = '64MB'"


@contextmanager
def without_jit():
    """PostgreSQL's JIT compilation off for this connection while the block runs (on other databases nothing).

    A long period's aggregates carry large CASE expressions (a window number per month, a sign-off deadline per
    span of days): their estimated cost passes jit_above_cost and PostgreSQL spends seconds compiling them for
    a statement that runs in a fraction of that (EXPLAIN ANALYZE of a year's count at 100,000 work orders: 4.4 s
    of JIT for 1.8 s of execution; docs/bench.md). And work_mem at 64 MB: a year's clocks (2,000,000 rows at
    1,000,000 work orders) were sorted on disk for their distinct count with the default 4 MB. Used by the
    background count (reports.services.period_count_run); a SET, not SET LOCAL: the task runs its statements
    outside a transaction."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute(WITHOUT_JIT_SQL)
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("RESET jit; RESET work_mem")
        except DatabaseError:  # an aborted transaction: its rollback undoes the SET as well
            pass


def monthly_counts(bureau_id: int, month: Month, *, now: dt.datetime) -> dict[tuple[int, int], dict[str, int]]:
    """(unit id, period) -> counter -> value, for this month (period 0) and a year earlier (1).

    The briefing's expensive part (the aggregates over the two months' rows): a closed month's result is
    kept in reports.models.MonthlyCounts (reports.services) and read back with `counts_decode`. With the
    counters that add up month by month to any longer period (reports.periods): the overdue work orders
    by how many months before they were last overdue (`overdue_after_<n>`) and the completed work orders
    by working days from dispatch to completion (`days_<n>`).
    """
    return months_counts_live(bureau_id, [month], now=now)[0]


def months_counts_live(
    bureau_id: int, months: list[Month], *, now: dt.datetime, step=None, parallel: bool = False
) -> list[dict[tuple[int, int], dict[str, int]]]:
    """monthly_counts of each of these months, counted together in one pass (window_counts over each month
    and the same month a year earlier: a year's 24 windows in one statement per aggregate); `step` as
    window_counts' (and `parallel`).

    A month a year earlier whose counts are kept and settled (reports.models.MonthlyCounts, counted long enough
    after it ended: kept.is_settled) is not counted again: its kept counts are its figures, the same that its own
    briefing shows, and they stand as this month's year-earlier counts. In a running system every closed month
    is kept by the hourly task, so a year counted for the first time reads one year of rows, not two."""
    earlier_kept = _earlier_months_kept(bureau_id, months)
    windows: Windows = []
    places: list[tuple[int, int]] = []  # window number -> (month index, 0: the month / 1: a year earlier)
    for index, month in enumerate(months):
        windows.append((month.start, month.end))
        places.append((index, 0))
        if index not in earlier_kept:
            earlier = month.year_earlier()
            windows.append((earlier.start, earlier.end))
            places.append((index, 1))
    live = window_counts(bureau_id, windows, now=now, kept=True, step=step, parallel=parallel)
    result: list[dict[tuple[int, int], dict[str, int]]] = [{} for _month in months]
    for index, kept in earlier_kept.items():
        for (unit_id, which), counters in kept.items():
            if which == 0:  # the kept month's own counts (its 1 is the year before it)
                result[index][(unit_id, 1)] = dict(counters)
    for (unit_id, window), counters in live.items():
        index, which = places[window]
        result[index][(unit_id, which)] = counters
    return result


def _earlier_months_kept(bureau_id: int, months: list[Month]) -> dict[int, dict[tuple[int, int], dict[str, int]]]:
    """Month index -> the kept counts of the same month a year earlier, where they are of the current version and
    settled (one query; the months whose year-earlier month is one of `months` itself are left out)."""
    counted = {month.start for month in months}
    wanted = {}  # the year-earlier month's first day -> the month's index
    for index, month in enumerate(months):
        earlier = month.year_earlier()
        if earlier.start not in counted:
            wanted[earlier.start.date()] = index
    if not wanted:
        return {}
    kept = {}
    for row in MonthlyCounts.objects.filter(bureau_id=bureau_id, month__in=list(wanted)):
        index = wanted[row.month]
        if counts_version(row.counts) >= COUNTS_VERSION and is_settled(months[index].year_earlier(), row.computed_at):
            kept[index] = counts_decode(row.counts)
    return kept


def window_counts_steps(*, kept: bool = False) -> int:
    """How many times window_counts calls its `step` (once after each aggregate): the background count's
    progress (reports.services.period_count_run) is written after each."""
    return 10 if kept else 9


def window_counts(
    bureau_id: int, windows: Windows, *, now: dt.datetime, kept: bool = False, step=None, parallel: bool = False
) -> dict[tuple[int, int], dict[str, int]]:
    """(unit id, window number) -> counter -> value, for each of the windows ([start, end), never overlapping).

    Each aggregate is one statement over all the windows together (GROUP BY unit and window number): a year's
    twelve months and the same months a year earlier read each table once, not 24 times. Every window's counts
    are what a count of that window alone gives (reports/tests: a year in one pass equals its months one by one).

    `kept`: each window is a calendar month whose counts are kept; adds the overdue work orders by the
    months since their last earlier overdue clock (`overdue_after_<n>`, one query), so that months add up.
    `step`: called with no argument after each aggregate (window_counts_steps(kept=...) times).
    `parallel`: the aggregates may run on several connections at once (aggregates_run; the background count).
    """
    tickets = Ticket.objects.filter(bureau_id=bureau_id, unit__isnull=False)
    met_in_time = Q(met_at__isnull=False, met_at__lte=F("due_at"))
    clocks_due = (
        # the lead unit's clocks: an assisting unit's clock (协办, TicketClock.unit) is not the lead's figure
        TicketClock.objects.filter(ticket__bureau_id=bureau_id, ticket__unit__isnull=False, unit__isnull=True)
        .exclude(status__in=[ClockStatus.CANCELLED, ClockStatus.PAUSED])
        .filter(Q(status=ClockStatus.MET) | Q(due_at__lt=now))
    )
    clock_counters = {
        "contact_due": Count("id", filter=Q(clock=Clock.FIRST_CONTACT)),
        "contact_on_time": Count("id", filter=Q(clock=Clock.FIRST_CONTACT) & met_in_time),
        "reply_due": Count("id", filter=Q(clock=Clock.REPLY)),
        "reply_on_time": Count("id", filter=Q(clock=Clock.REPLY) & met_in_time),
    }
    if not kept:  # kept: the overdue work orders are the lags' rows added up (_overdue_after)
        clock_counters["overdue"] = Count("ticket_id", distinct=True, filter=~met_in_time)
    complaint_kinds = [Kind.COMPLAINT, Kind.COMPOSITE]
    satisfied = [Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED]
    # each job gives ((unit id, window), counters) pairs; the longest first (they may run side by side)
    jobs = []
    if kept:
        overdue = clocks_due.filter(_window("due_at", windows)).exclude(met_in_time)
        jobs.append(_grouped(lambda: _overdue_after(overdue, windows), "ticket__unit_id"))
    jobs += [
        lambda: _completions(tickets, windows),
        _per_window(clocks_due, "due_at", windows, "ticket__unit_id", **clock_counters),
        _per_window(
            TicketEvent.objects.filter(ticket__bureau_id=bureau_id, ticket__unit__isnull=False, code="reply_submitted"),
            "at",
            windows,
            "ticket__unit_id",
            replies=Count("ticket_id"),  # ticket_id, not id: the partial index (at, ticket) answers alone
        ),
        _per_window(
            TicketTrack.objects.filter(ticket__bureau_id=bureau_id, ticket__unit__isnull=False),
            "ticket__completed_at",
            windows,
            "ticket__unit_id",
            findings=Count("id", filter=~Q(finding="")),
            substantiated=Count("id", filter=Q(finding__in=[Finding.SUBSTANTIATED, Finding.PARTLY])),
            complaints_completed=Count("ticket_id", distinct=True, filter=Q(ticket__kind__in=complaint_kinds)),
            conversions=Count(
                "ticket_id", distinct=True, filter=Q(ticket__kind__in=complaint_kinds) & ~Q(case_number="")
            ),
        ),
        _per_window(
            Callback.objects.filter(ticket__bureau_id=bureau_id).annotate(
                unit_key=Coalesce("unit_id", "ticket__unit_id")
            ),
            "called_at",
            windows,
            "unit_key",
            callbacks=Count("id"),
            resolution_asked=Count("id", filter=~Q(resolved="")),
            resolved=Count("id", filter=Q(resolved=Resolved.RESOLVED)),
            satisfied=Count("id", filter=Q(satisfaction__in=satisfied)),
            unsatisfied=Count("id", filter=Q(satisfaction=Satisfaction.UNSATISFIED)),
        ),
        lambda: _sign_off(tickets, windows, now=now),
        # received_at, not id, counted: ticket_bureau_received_idx holds it with the unit (an index-only scan)
        _per_window(tickets, "received_at", windows, "unit_id", received=Count("received_at")),
        _per_window(Return.objects.filter(unit__bureau_id=bureau_id), "at", windows, "unit_id", returns=Count("id")),
        lambda: list(objection_counts(bureau_id, windows).items()),
    ]
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    step = step or (lambda: None)
    for pairs in aggregates_run(jobs, parallel=parallel):
        for key, counters in pairs:
            into = counts[key]
            for name, value in counters.items():
                into[name] += value or 0
        step()
    return counts


def _per_window(queryset, path: str, windows: Windows, unit_key: str, **counters):
    """A job of window_counts: `counters` of the queryset's rows by unit and window (the window of `path`)."""
    return _grouped(
        lambda: (
            queryset.filter(_window(path, windows))
            .annotate(period=_period(path, windows))
            .values(unit_key, "period")
            .annotate(**counters)
            .order_by()
        ),
        unit_key,
    )


def _grouped(rows_of, unit_key: str):
    """A job of window_counts: the rows of a GROUP BY unit and window as ((unit id, window), counters) pairs."""

    def job():
        pairs = []
        for row in rows_of():
            unit_id, period = row.pop(unit_key), row.pop("period")
            if unit_id is not None:
                pairs.append(((unit_id, period), row))
        return pairs

    return job


COUNT_CONNECTIONS = 2  # the background count's aggregates side by side on this many connections (PostgreSQL)


def aggregates_run(jobs, *, parallel: bool = False):
    """Each job's result, one at a time as they finish. `parallel` on PostgreSQL outside a transaction (the
    background count, which sees only committed rows anyway): COUNT_CONNECTIONS jobs at once, each on a
    connection of its own thread (JIT off and work_mem as without_jit sets them, closed after the job). Several
    of the aggregates run mostly on one core whatever PostgreSQL's parallel workers do (a subquery per overdue
    clock, the completions' EXISTS, evaluated by the leader): side by side they use the second core. Otherwise
    (SQLite, a transaction, a test) one after the other on the caller's connection."""
    if not _side_by_side(parallel):
        for job in jobs:
            yield job()
        return
    from concurrent.futures import ThreadPoolExecutor, as_completed

    with ThreadPoolExecutor(max_workers=COUNT_CONNECTIONS) as pool:
        futures = [pool.submit(_on_own_connection, job) for job in jobs]
        for future in as_completed(futures):
            yield future.result()


def jobs_run(jobs, *, parallel: bool = False) -> list:
    """Each job's result, in the jobs' order, under aggregates_run's conditions (side by side, or one after the
    other on the caller's connection). The background count's work after the aggregates: the top businesses
    of the months and the annual report's sections, a single-core statement each."""
    if not _side_by_side(parallel):
        return [job() for job in jobs]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=COUNT_CONNECTIONS) as pool:
        return list(pool.map(_on_own_connection, jobs))


def _side_by_side(parallel: bool) -> bool:
    return parallel and connection.vendor == "postgresql" and not connection.in_atomic_block and COUNT_CONNECTIONS > 1


def _on_own_connection(job):
    """job() on this thread's own connection (JIT off and work_mem as without_jit sets them), closed after it."""
    from django.db import connections

    try:
        with connections["default"].cursor() as cursor:
            cursor.execute(WITHOUT_JIT_SQL)
        return job()
    finally:
        connections.close_all()  # this thread's


def objection_counts(bureau_id: int, windows: Windows) -> dict[tuple[int, int], dict[str, int]]:
    """Dispatch objections (派单异议, docs/dispatch.md) of each objecting unit: (unit id, window number) ->
    `objections` (raised in the window, by `raised_at`), and, by `decided_at`, `objections_upheld`,
    `objections_rejected`, `objections_decided`, `objection_minutes` (the working minutes the decisions took,
    added up) and `objection_hours_<n>` (decisions by whole working hours taken: the median adds up month by
    month). Two GROUP BY queries; the working minutes were worked out once, when each was decided."""
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    objections = DispatchObjection.objects.filter(ticket__bureau_id=bureau_id)
    raised = (
        objections.filter(_window("raised_at", windows))
        .annotate(period=_period("raised_at", windows))
        .values("unit_id", "period")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in raised:
        counts[(row["unit_id"], row["period"])]["objections"] += row["n"]
    decided = (
        objections.filter(_window("decided_at", windows), decision_working_minutes__isnull=False)
        .annotate(
            period=_period("decided_at", windows),
            hours=ExpressionWrapper(F("decision_working_minutes") / 60, output_field=IntegerField()),
        )
        .values("unit_id", "period", "hours")
        .annotate(
            upheld=Count("id", filter=Q(status=ObjectionStatus.UPHELD)),
            rejected=Count("id", filter=Q(status=ObjectionStatus.REJECTED)),
            minutes=Sum("decision_working_minutes"),
        )
        .order_by()
    )
    for row in decided:
        counters = counts[(row["unit_id"], row["period"])]
        n = row["upheld"] + row["rejected"]
        counters["objections_upheld"] += row["upheld"]
        counters["objections_rejected"] += row["rejected"]
        counters["objections_decided"] += n
        counters["objection_minutes"] += row["minutes"] or 0
        counters[f"objection_hours_{int(row['hours'])}"] += n
    return counts


OVERDUE_LAGS = 12  # a period is at most a year: lags of 12 months or more (or none) count in any period


def _overdue_after(overdue_clocks, windows: Windows):
    """The overdue work orders of each window by how many calendar months before the window (1..11) the
    work order was last overdue, 12 meaning a year or more or never: `overdue_after_<n>`.

    One query for all the windows: each overdue clock is numbered by its window, and a subquery finds the
    month of its work order's last overdue clock due before that window's start; the lag in months is
    worked out here from the window's month and that month (a work order has one such clock per window, so
    the distinct counts by (unit, window, month) add up to the distinct counts by lag).

    A period of whole months counts a work order once, in the first of its months where it was overdue:
    month i of the period (0 for the first) counts the work orders whose lag is more than i.

    Each row also adds its work orders to the window's `overdue`: a work order has one lag per window, so the rows
    add up to the window's distinct overdue work orders. The clocks' aggregate then needs no distinct count of its
    own (a distinct count made PostgreSQL sort a year's 1,100,000 clocks instead of aggregating them by hash in
    parallel, at 1,000,000 work orders)."""
    for row in _overdue_earlier(overdue_clocks, windows):
        lag = OVERDUE_LAGS
        if row["earlier"] is not None:
            window, earlier = Month.of(windows[row["period"]][0]), Month.of(row["earlier"])
            months = (window.year - earlier.year) * 12 + window.month - earlier.month
            lag = min(max(months, 1), OVERDUE_LAGS)
        yield {
            "ticket__unit_id": row["ticket__unit_id"],
            "period": row["period"],
            "overdue": row["n"],
            f"overdue_after_{lag}": row["n"],
        }


def _overdue_earlier(overdue_clocks, windows: Windows):
    """(unit, window, month of the work order's last overdue clock before the window, or None) -> work orders, for
    the overdue clocks due in the windows: a subquery per overdue clock finds its work order's last overdue clock
    before the window's start. (Measured against one window function over the windows' clocks and the year before
    them, LAG by work order, for a year at 1,000,000 work orders: no faster, 2.1 s against 1.8 s; not kept.)"""
    window_start = Case(
        *[When(due_at__gte=start, due_at__lt=end, then=Value(start)) for start, end in windows],
        default=Value(None),
        output_field=DateTimeField(),
    )
    # the latest of the work order's overdue clocks due before the window: the window's start is compared inside
    # the MAX, not in the WHERE, so that the only index condition is the work order's (a handful of clocks): with
    # `due_at < <the window's start>` in the WHERE, a planner without statistics chose to AND the work order's
    # index with the due-time index, reading millions of index entries for every overdue clock (1,000,000 work
    # orders, before ANALYZE: hours for one month)
    earlier = (
        TicketClock.objects.filter(ticket_id=OuterRef("ticket_id"), unit__isnull=True)
        .exclude(status__in=[ClockStatus.CANCELLED, ClockStatus.PAUSED])
        .exclude(met_at__isnull=False, met_at__lte=F("due_at"))
        .order_by()
        .values("ticket_id")
        .annotate(last=Max(Case(When(due_at__lt=OuterRef("window_start"), then=F("due_at")))))
        .values("last")
    )
    # A work order received in the window has no clock due before the window's start (a clock falls due after the
    # receipt: deadlines count from it, and the platform's reply deadline must come after it): the subquery runs
    # only for the clocks of work orders received before the window (a year and the year before at 1,000,000 work
    # orders: 80,810 of 472,488 overdue clocks; CASE evaluates its branches lazily)
    last_before = Case(
        When(ticket__received_at__gte=F("window_start"), then=Value(None)),
        default=Subquery(earlier),
        output_field=DateTimeField(),
    )
    return (
        overdue_clocks.annotate(period=_period("due_at", windows), window_start=window_start)
        .annotate(earlier=TruncMonth(last_before, tzinfo=SHANGHAI))
        .values("ticket__unit_id", "period", "earlier")
        .annotate(n=Count("ticket_id", distinct=True))
        .order_by()
    )


def _completions(tickets, windows: Windows) -> list:
    """Work orders completed in each window: how many, how many after a redo (a return or a reopening),
    how many substantiated and of those how many called back, and by working days from dispatch to
    completion (`days_<n>`): one GROUP BY unit, window, dispatch day and completion day; the working days
    of each pair of days come from the calendar (a loop over day pairs, never over work orders)."""
    calendar = get_calendar()
    substantiated_track = TicketTrack.objects.filter(
        ticket_id=OuterRef("pk"), finding__in=[Finding.SUBSTANTIATED, Finding.PARTLY]
    )
    called_back = Callback.objects.filter(ticket_id=OuterRef("pk"))
    reopened = TicketEvent.objects.filter(ticket_id=OuterRef("pk"), code="reopened")
    rows = (
        tickets.filter(_window("completed_at", windows))
        .annotate(
            period=_period("completed_at", windows),
            dispatched_day=TruncDate("dispatched_at", tzinfo=SHANGHAI),
            completed_day=TruncDate("completed_at", tzinfo=SHANGHAI),
            is_substantiated=Exists(substantiated_track),
            is_called_back=Exists(called_back),
            is_reopened=Exists(reopened),
        )
        .values("unit_id", "period", "dispatched_day", "completed_day")
        .annotate(
            completed=Count("id"),
            redone=Count("id", filter=Q(return_count__gt=0) | Q(is_reopened=True)),
            substantiated_completed=Count("id", filter=Q(is_substantiated=True)),
            called_back=Count("id", filter=Q(is_substantiated=True, is_called_back=True)),
        )
        .order_by()
    )
    rows = list(rows)
    spans = [(row["dispatched_day"], row["completed_day"]) for row in rows if row["dispatched_day"] is not None]
    index = _working_day_index(calendar, spans)
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        counters = counts[(row["unit_id"], row["period"])]
        for key in ("completed", "redone", "substantiated_completed", "called_back"):
            counters[key] += row[key]
        first, last = row["dispatched_day"], row["completed_day"]
        if first is not None:
            days = index[last] - index[first] if last > first else 0  # working_days_after(calendar, first, last)
            counters[f"days_{days}"] += row["completed"]
    return list(counts.items())


def _working_day_index(calendar, spans: list[tuple[dt.date, dt.date]]) -> dict[dt.date, int]:
    """Each day from the earliest first day to the latest last day of the spans -> the working days after the
    earliest up to it: the working days after `first` up to `last` are index[last] - index[first] (what
    working_days_after counts, one calendar look-up a day instead of one a day per pair of days)."""
    spans = [(first, last) for first, last in spans if last > first]
    if not spans:
        return {}
    day, end = min(first for first, _last in spans), max(last for _first, last in spans)
    index, count = {day: 0}, 0
    while day < end:
        day += dt.timedelta(days=1)
        count += calendar.is_working_day(day)
        index[day] = count
    return index


def working_days_after(calendar, first: dt.date, last: dt.date) -> int:
    """Working days after `first` up to `last` (a work order dispatched and completed on one day: 0)."""
    if last <= first:
        return 0
    return calendar.working_days_between(first + dt.timedelta(days=1), last)


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
        # received_at, not id, counted: ticket_bureau_received_idx holds it with the business (an index-only scan)
        .annotate(n=Count("received_at"), all_time=F("business__ticket_count"))
        .order_by("-n", "business__name", "business_id")[:TOP_BUSINESSES]
    ]


def top_businesses_of_months(bureau_id: int, months: list[Month]) -> list[list[dict]]:
    """top_businesses(bureau_id, month) of each of these months, in one query (each month's businesses ranked
    by a window function, the first TOP_BUSINESSES of each kept)."""
    windows = [(month.start, month.end) for month in months]
    ranked = (
        Ticket.objects.filter(_window("received_at", windows), bureau_id=bureau_id, business__isnull=False)
        .annotate(period=_period("received_at", windows))
        .values("period", "business_id", "business__name")
        # received_at, not id, counted: ticket_bureau_received_idx holds it with the business (an index-only scan)
        .annotate(n=Count("received_at"), all_time=F("business__ticket_count"))
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("period")],
                order_by=[F("n").desc(), F("business__name").asc(), F("business_id").asc()],
            )
        )
        .filter(rank__lte=TOP_BUSINESSES)
        .order_by("period", "rank")
    )
    result: list[list[dict]] = [[] for _month in months]
    for row in ranked:
        result[row["period"]].append(
            {
                "id": row["business_id"],
                "name": row["business__name"],
                "tickets": row["n"],
                "tickets_all_time": row["all_time"],
            }
        )
    return result
