"""On-time sign-off (及时签收率) at its edges: signed for by the end (23:59:59) of the first working day after the
dispatch day, to the microsecond; the weekend's dispatches share Monday's deadline; an unsigned work order counts
once its deadline has passed; one returned to the platform unsigned is left out."""

import datetime as dt

import pytest

from reports.selectors import Month
from reports.selectors.counting import monthly_counts
from reports.tests.conftest import at, ticket
from tickets.choices import Status

pytestmark = pytest.mark.django_db


def dispatched(org, when, accepted_at=None, **fields):
    return ticket(org.bureau, org.office_a, when, dispatched_at=when, accepted_at=accepted_at, **fields)


def test_sign_off_edges(org, calendar_2026):
    friday, saturday = at(2026, 9, 4, 16), at(2026, 9, 5, 11)  # both due by Monday 7 September 23:59:59
    last_second = dt.datetime(2026, 9, 7, 23, 59, 59, tzinfo=friday.tzinfo)
    dispatched(org, friday, accepted_at=last_second)  # on time, to the second
    dispatched(org, saturday, accepted_at=last_second + dt.timedelta(microseconds=1))  # late by a microsecond
    dispatched(org, friday, accepted_at=at(2026, 9, 8, 0))  # late: Tuesday
    dispatched(org, saturday, accepted_at=at(2026, 9, 5, 12))  # on time, on the weekend
    dispatched(org, friday)  # never signed for, Monday has passed: due, late
    dispatched(org, at(2026, 9, 8, 9))  # not signed for yet, due by Wednesday: not counted yet
    dispatched(org, friday, status=Status.RETURNED_TO_PLATFORM)  # returned unsigned: left out
    dispatched(org, friday, accepted_at=at(2026, 9, 7, 9), status=Status.RETURNED_TO_PLATFORM)  # signed: counted

    counters = monthly_counts(org.bureau.pk, Month(2026, 9), now=at(2026, 9, 8, 12))[(org.office_a.pk, 0)]

    assert (counters["signed_on_time"], counters["signed_due"]) == (3, 6)
