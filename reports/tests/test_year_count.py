"""A year counted in one pass (reports.services.months_counts_store, the background count reports.count_period):
every month's kept counts and top businesses are exactly what counting that month alone gives, on a mixed data
set (the `data` and `years` fixtures, dispatch objections, overdue work orders a few months and a year apart, an
assisting unit's clock, more businesses than the top ten with ties); the year's count in a fixed number of
statements."""

import json
import time

import pytest
from django.db import connection

from reports.models import AnnualCounts, MonthlyCounts, PeriodCount
from reports.periods import Period, period_figures_of
from reports.selectors import Month
from reports.selectors.counting import monthly_counts, months_counts_live, top_businesses
from reports.selectors.kept import counts_encode
from reports.services import monthly_counts_store, months_counts_store, period_count_run
from reports.tests.conftest import YEARS_NOW as NOW
from reports.tests.conftest import at, clock, ticket
from reports.tests.test_objection_figures import objection
from tickets.choices import Clock, ClockStatus
from tickets.models import Business, TicketClock

pytestmark = pytest.mark.django_db
MONTHS = [Month(2026, month) for month in range(1, 13)]


@pytest.fixture
def mixed(org, data, years):
    """Rows that make each window's count depend on more than its own rows."""
    a, b = org.office_a, org.office_b
    # overdue in January 2026 and again in May (the lag is 4 months: May counts it once more in a year, not in
    # a period holding January); the assisting unit's clock (协办) is not the lead unit's figure
    l1 = ticket(org.bureau, a, at(2026, 1, 5))
    clock(l1, Clock.REPLY, at(2026, 1, 15, 23, 59, 59))
    clock(l1, Clock.VERIFICATION, at(2026, 5, 20, 23, 59, 59), met_at=at(2026, 5, 22))
    assisting = clock(l1, Clock.REPLY, at(2026, 3, 3, 23, 59, 59))
    TicketClock.objects.filter(pk=assisting.pk).update(unit=b)
    # overdue in February 2025 and February 2026: a year apart (lag 12), and November 2025 to January 2026 (2)
    l2 = ticket(org.bureau, b, at(2025, 2, 3))
    clock(l2, Clock.FIRST_CONTACT, at(2025, 2, 4, 23, 59, 59), met_at=at(2025, 2, 6))
    clock(l2, Clock.REPLY, at(2026, 2, 10, 23, 59, 59), status=ClockStatus.OPEN)
    l3 = ticket(org.bureau, a, at(2025, 11, 3))
    clock(l3, Clock.REPLY, at(2025, 11, 20, 23, 59, 59))
    clock(l3, Clock.VERIFICATION, at(2026, 1, 8, 23, 59, 59))
    # dispatch objections raised in one month and decided in the next, a year earlier too
    objection(org, a, at(2026, 3, 31, 22), status="rejected", decided_at=at(2026, 4, 1, 3), minutes=300)
    objection(org, b, at(2026, 7, 6, 9), status="upheld", decided_at=at(2026, 7, 7, 9), minutes=480)
    objection(org, a, at(2025, 3, 5, 9), status="upheld", decided_at=at(2025, 3, 5, 11), minutes=120)
    # March 2026: twelve businesses, most with one work order (the top ten cut among equals by name)
    for n in range(12):
        business = Business.objects.create(name=f"商户{n:02d}", ticket_count=n)
        for _ in range(1 + (n == 7)):
            ticket(org.bureau, a if n % 2 else b, at(2026, 3, 10 + n), business=business)


def _round_trip(value):
    return json.loads(json.dumps(value))


def _shown(figures):
    return [
        [(f.numerator, f.denominator, f.display, f.previous_display, f.change_display) for f in line.figures]
        for line in [*figures.lines, figures.total]
    ]


def test_a_year_in_one_pass_equals_its_months_counted_one_by_one(org, mixed):
    bureau_id = org.bureau.pk
    one_by_one = [
        _round_trip(
            {
                "counts": counts_encode(monthly_counts(bureau_id, month, now=NOW)),
                "businesses": top_businesses(bureau_id, month),
            }
        )
        for month in MONTHS
    ]
    for month in MONTHS:
        monthly_counts_store(bureau_id, month, now=NOW)
    year_from_months = period_figures_of(bureau_id, Period.year(2026), now=NOW)
    MonthlyCounts.objects.all().delete()

    months_counts_store(bureau_id, MONTHS, now=NOW)

    kept = MonthlyCounts.objects.filter(bureau_id=bureau_id).order_by("month")
    assert [_round_trip({"counts": row.counts, "businesses": row.businesses}) for row in kept] == one_by_one
    year_in_one_pass = period_figures_of(bureau_id, Period.year(2026), now=NOW)
    assert year_in_one_pass.source == year_from_months.source == "kept"
    assert _shown(year_in_one_pass) == _shown(year_from_months)
    # the rows cover what the test means to: overdue lags of 2, 4 and 12 months, the top ten cut, objections
    counters = {name for month in one_by_one for unit in month["counts"].values() for name in unit}
    assert {"overdue_after_2", "overdue_after_4", "overdue_after_12", "objection_hours_5"} <= counters
    assert [b["name"] for b in one_by_one[2]["businesses"]] == [
        "商户07",
        *[f"商户{n:02d}" for n in range(7)],
        "商户08",
        "商户09",
    ]


def _encoded(months_counts):
    return _round_trip([counts_encode(counts) for counts in months_counts])


def test_a_settled_year_earlier_month_kept_is_read_not_counted_again(org, mixed):
    import datetime as dt

    bureau_id = org.bureau.pk
    nothing_kept = _encoded(months_counts_live(bureau_id, MONTHS, now=NOW))
    for month in MONTHS:
        monthly_counts_store(bureau_id, month.year_earlier(), now=NOW)  # 2025 kept, long after it ended

    # the same figures: 2025's kept counts stand as 2026's year-earlier ones
    assert _encoded(months_counts_live(bureau_id, MONTHS, now=NOW)) == nothing_kept
    # read, not counted: a work order added to March 2025 after it was kept changes no 2026 month's counts
    ticket(org.bureau, org.office_a, at(2025, 3, 12))
    assert _encoded(months_counts_live(bureau_id, MONTHS, now=NOW)) == nothing_kept
    # a month kept before it settled (the day after it ended) is counted again
    MonthlyCounts.objects.filter(bureau_id=bureau_id, month=dt.date(2025, 3, 1)).update(computed_at=at(2025, 4, 1, 9))
    recounted = _encoded(months_counts_live(bureau_id, MONTHS, now=NOW))
    march_a = f"{org.office_a.pk}:1"
    assert recounted[2][march_a]["received"] == nothing_kept[2].get(march_a, {}).get("received", 0) + 1
    assert recounted[:2] + recounted[3:] == nothing_kept[:2] + nothing_kept[3:]


def test_the_background_count_of_a_year_in_a_fixed_number_of_statements(org, mixed, django_assert_num_queries):
    from workdays.calendar import get_calendar

    PeriodCount.objects.create(bureau=org.bureau, period="2026", requested_at=NOW)
    get_calendar()  # the working-day calendar as a worker has it (kept per process)
    jit = 2 if connection.vendor == "postgresql" else 0  # SET jit and work_mem, RESET them

    # 4: the row, which months are kept, the row running, the year-earlier months kept (none here); 21: the 10
    # aggregates for the 24 months (the objections' in two statements), the progress after each; 3: the top businesses
    # of the 12 months, the 12 kept in one INSERT ... ON CONFLICT, the progress; 17: the annual sections (hotspots 2,
    # returns and callbacks counted 2 and named 3, inspections, training) and their row kept (update_or_create in an
    # atomic block: 8 with the savepoints of the test's transaction), the progress; 2: done, read back. Month by month
    # it was 12 times the 12 aggregate statements, the top businesses and the keeping.
    with django_assert_num_queries(48 + jit):
        row = period_count_run(org.bureau.pk, "2026", now_of=lambda: NOW)

    assert (row.status, row.done, row.total) == ("done", 12, 12)
    assert MonthlyCounts.objects.filter(bureau=org.bureau, month__year=2026).count() == 12
    assert AnnualCounts.objects.filter(bureau=org.bureau, year=2026).count() == 1


def test_the_working_day_index_counts_as_the_calendar(calendar_2026):
    import datetime as dt

    from reports.selectors.counting import _working_day_index, working_days_after
    from workdays.calendar import get_calendar

    calendar = get_calendar()
    days = [dt.date(2025, 12, 20) + dt.timedelta(days=n) for n in range(0, 420, 3)]
    spans = [(first, last) for first in days[::7] for last in days]
    index = _working_day_index(calendar, spans)

    assert [index[last] - index[first] if last > first else 0 for first, last in spans] == [
        working_days_after(calendar, first, last) for first, last in spans
    ]
    assert _working_day_index(calendar, [(dt.date(2026, 5, 1), dt.date(2026, 5, 1))]) == {}


@pytest.mark.django_db(transaction=True)
def test_the_aggregates_side_by_side_count_as_one_after_the_other(org, mixed):
    """The background count's aggregates on two connections at once (PostgreSQL, outside a transaction): the same
    counts, none of the aggregates on the caller's connection, every thread's connection closed."""
    if connection.vendor != "postgresql":
        pytest.skip("side by side only on PostgreSQL (SQLite counts one after the other on one connection)")
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from reports.selectors.counting import window_counts_steps

    def connected() -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
            return cursor.fetchone()[0]

    bureau_id = org.bureau.pk
    one_after_the_other = _encoded(months_counts_live(bureau_id, MONTHS, now=NOW))
    before = connected()  # this one, and a live server's if a browser test ran before
    steps = []
    with CaptureQueriesContext(connections["default"]) as on_callers:
        side_by_side = months_counts_live(bureau_id, MONTHS, now=NOW, parallel=True, step=lambda: steps.append(1))

    assert _encoded(side_by_side) == one_after_the_other
    assert len(steps) == window_counts_steps(kept=True)
    # the caller's connection read only which year-earlier months are kept; the aggregates ran on the others
    assert len(on_callers.captured_queries) == 1
    # the threads' connections closed: a backend leaves pg_stat_activity a moment after its client has gone
    for _ in range(50):
        if connected() <= before:
            break
        time.sleep(0.1)
    assert connected() == before


@pytest.mark.django_db(transaction=True)
def test_the_background_count_side_by_side_keeps_what_one_after_the_other_keeps(org, mixed):
    """The Celery task's path on PostgreSQL (outside a transaction): the aggregates on connections of their own;
    the same months and sections kept as counted one after the other (inside a transaction)."""
    if connection.vendor != "postgresql":
        pytest.skip("side by side only on PostgreSQL (SQLite counts one after the other on one connection)")
    from django.db import transaction

    def kept():
        months = MonthlyCounts.objects.filter(bureau=org.bureau, month__year=2026).order_by("month")
        return (
            _round_trip([(str(row.month), row.counts, row.businesses) for row in months]),
            _round_trip(AnnualCounts.objects.get(bureau=org.bureau, year=2026).data),
        )

    PeriodCount.objects.create(bureau=org.bureau, period="2026", requested_at=NOW)
    side_by_side = period_count_run(org.bureau.pk, "2026", now_of=lambda: NOW)
    assert (side_by_side.status, side_by_side.done, side_by_side.total) == ("done", 12, 12)
    counted_side_by_side = kept()
    MonthlyCounts.objects.all().delete()
    AnnualCounts.objects.all().delete()
    with transaction.atomic():  # one after the other on this connection
        period_count_run(org.bureau.pk, "2026", now_of=lambda: NOW)

    assert kept() == counted_side_by_side
    assert len(counted_side_by_side[0]) == 12 and counted_side_by_side[1]["businesses"]
