import datetime as dt

import pytest

from reports.models import MonthlyCounts
from reports.selectors import Month
from reports.services import monthly_counts_current, monthly_counts_settle
from reports.tests.conftest import at, ticket

pytestmark = pytest.mark.django_db
SEPTEMBER = Month(2026, 9)


def test_closed_month_is_counted_and_kept_once(org, calendar_2026, django_assert_num_queries):
    ticket(org.bureau, org.office_a, at(2026, 9, 8, 9), dispatched_at=at(2026, 9, 8, 10))
    kept = monthly_counts_current(org.bureau.pk, SEPTEMBER, now=at(2026, 10, 2))

    with django_assert_num_queries(1):
        again = monthly_counts_current(org.bureau.pk, SEPTEMBER, now=at(2026, 10, 5))

    assert again.pk == kept.pk
    assert again.computed_at == at(2026, 10, 2)
    assert again.counts[f"{org.office_a.pk}:0"]["received"] == 1


def test_month_in_progress_is_kept_for_a_few_minutes(org, calendar_2026, settings):
    settings.HOTLINE_REPORTS_OPEN_MONTH_SECONDS = 600
    first = monthly_counts_current(org.bureau.pk, SEPTEMBER, now=at(2026, 9, 30, 20))

    within = monthly_counts_current(org.bureau.pk, SEPTEMBER, now=at(2026, 9, 30, 20, 9))
    after = monthly_counts_current(org.bureau.pk, SEPTEMBER, now=at(2026, 9, 30, 20, 10))

    assert within.computed_at == first.computed_at == at(2026, 9, 30, 20)
    assert after.computed_at == at(2026, 9, 30, 20, 10)


def test_settling_counts_last_month_then_once_more_after_the_settle_days(org, calendar_2026, settings):
    settings.HOTLINE_REPORTS_SETTLE_DAYS = 3
    ticket(org.bureau, org.office_a, at(2026, 9, 8, 9), dispatched_at=at(2026, 9, 8, 10))

    first = monthly_counts_settle(now=at(2026, 10, 1, 1))  # provisional
    ticket(org.bureau, org.office_a, at(2026, 9, 30, 9), dispatched_at=at(2026, 9, 30, 10))
    quiet = monthly_counts_settle(now=at(2026, 10, 2, 1))  # still within the settle days: left as kept
    settled = monthly_counts_settle(now=at(2026, 10, 4, 1))  # 3 days after the month: counted again
    after = monthly_counts_settle(now=at(2026, 10, 5, 1))  # settled: nothing to do

    row = MonthlyCounts.objects.get(bureau=org.bureau, month=dt.date(2026, 9, 1))
    assert (first, quiet, settled, after) == (1, 0, 1, 0)
    assert row.computed_at == at(2026, 10, 4, 1)
    assert row.counts[f"{org.office_a.pk}:0"]["received"] == 2


def test_settling_keeps_every_bureau_apart(org, calendar_2026):
    from org.tests.factories import make_org

    other = make_org("other")
    ticket(other.bureau, other.office_a, at(2026, 9, 8, 9), dispatched_at=at(2026, 9, 8, 10))

    monthly_counts_settle(now=at(2026, 10, 4, 1))

    mine = MonthlyCounts.objects.get(bureau=org.bureau, month=dt.date(2026, 9, 1))
    theirs = MonthlyCounts.objects.get(bureau=other.bureau, month=dt.date(2026, 9, 1))
    assert f"{other.office_a.pk}:0" not in mine.counts
    assert theirs.counts[f"{other.office_a.pk}:0"]["received"] == 1


def test_counts_kept_while_the_month_ran_are_not_the_closed_months(org, calendar_2026, settings):
    settings.HOTLINE_REPORTS_OPEN_MONTH_SECONDS = 600
    monthly_counts_current(org.bureau.pk, SEPTEMBER, now=at(2026, 9, 30, 23, 55))  # the month in progress
    ticket(org.bureau, org.office_a, at(2026, 9, 30, 23, 58), dispatched_at=at(2026, 9, 30, 23, 59))

    read = monthly_counts_current(org.bureau.pk, SEPTEMBER, now=at(2026, 10, 1, 0, 1))  # within the 600 s

    assert read.computed_at == at(2026, 10, 1, 0, 1)
    assert read.counts[f"{org.office_a.pk}:0"]["received"] == 1


def test_settling_counts_again_what_was_kept_while_the_month_ran(org, calendar_2026, settings):
    settings.HOTLINE_REPORTS_SETTLE_DAYS = 3
    monthly_counts_current(org.bureau.pk, SEPTEMBER, now=at(2026, 9, 30, 20))
    ticket(org.bureau, org.office_a, at(2026, 9, 30, 22), dispatched_at=at(2026, 9, 30, 22, 5))

    counted = monthly_counts_settle(now=at(2026, 10, 1, 1))

    row = MonthlyCounts.objects.get(bureau=org.bureau, month=dt.date(2026, 9, 1))
    assert (counted, row.computed_at) == (1, at(2026, 10, 1, 1))
    assert row.counts[f"{org.office_a.pk}:0"]["received"] == 1
