"""Deadlines for tickets received on 2026-09-30 10:00, just before National Day (Oct 1-7 off, Oct 10 a
make-up Saturday). Hand-counted working days after Sep 30: Oct 8 (1), 9 (2), 10 (3), 12 (4), 13 (5),
14 (6), 15 (7), 16 (8), 19 (9), 20 (10), 21 (11), 22 (12), 23 (13), 26 (14), 27 (15)."""

import datetime as dt

import pytest

from tickets.choices import Kind
from tickets.tests.factories import make_ticket
from workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db


def due(ticket) -> dict[str, str]:
    return {c.clock: c.due_at.astimezone(SHANGHAI).isoformat() for c in ticket.clocks.all()}


def test_complaint_clocks_across_national_day(org, calendar_2026):
    ticket = make_ticket(org, kind=Kind.COMPLAINT)

    assert due(ticket) == {
        "first_contact": "2026-10-08T23:59:59+08:00",
        "acceptance": "2026-10-15T23:59:59+08:00",
        "reply": "2026-10-27T23:59:59+08:00",
    }


def test_report_clocks_across_national_day(org, calendar_2026):
    ticket = make_ticket(org, kind=Kind.REPORT)

    assert due(ticket) == {
        "first_contact": "2026-10-08T23:59:59+08:00",
        "verification": "2026-10-27T23:59:59+08:00",
        "reply": "2026-10-27T23:59:59+08:00",
    }


def test_advertising_complaint_gets_the_seven_day_advertising_clock(org, calendar_2026):
    ticket = make_ticket(org, kind=Kind.COMPLAINT, tags=["advertising"])

    assert due(ticket) == {
        "first_contact": "2026-10-08T23:59:59+08:00",
        "acceptance": "2026-10-15T23:59:59+08:00",
        "advertising": "2026-10-15T23:59:59+08:00",
        "reply": "2026-10-27T23:59:59+08:00",
    }


def test_composite_ticket_carries_both_tracks_clocks(org, calendar_2026):
    ticket = make_ticket(org, kind=Kind.COMPOSITE)

    assert due(ticket) == {
        "first_contact": "2026-10-08T23:59:59+08:00",
        "acceptance": "2026-10-15T23:59:59+08:00",
        "verification": "2026-10-27T23:59:59+08:00",
        "reply": "2026-10-27T23:59:59+08:00",
    }
    assert sorted(ticket.tracks.values_list("track", flat=True)) == ["complaint", "report"]


def test_platform_reply_days_override_the_default(org, calendar_2026):
    ticket = make_ticket(org, kind=Kind.INQUIRY, reply_due_working_days=5)

    assert due(ticket)["reply"] == "2026-10-13T23:59:59+08:00"


def test_platform_reply_time_is_kept_as_sent(org, calendar_2026):
    sent = dt.datetime(2026, 10, 9, 18, 0, tzinfo=SHANGHAI)

    ticket = make_ticket(org, kind=Kind.INQUIRY, reply_due_at=sent)

    assert due(ticket)["reply"] == "2026-10-09T18:00:00+08:00"


def test_rule_versions_are_chosen_by_receipt_date(org, calendar_2026):
    from tickets.models import DeadlineRule

    DeadlineRule.objects.create(
        clock="acceptance", kind="complaint", working_days=5, start_event="receipt", effective_from=dt.date(2026, 10, 1)
    )

    before = make_ticket(org, kind=Kind.COMPLAINT)
    after = make_ticket(org, kind=Kind.COMPLAINT, received_at=dt.datetime(2026, 10, 9, 9, 0, tzinfo=SHANGHAI))

    assert due(before)["acceptance"] == "2026-10-15T23:59:59+08:00"
    # 5 working days after Oct 9: Oct 10 (make-up Saturday), 12, 13, 14, 15.
    assert due(after)["acceptance"] == "2026-10-15T23:59:59+08:00"
    assert after.clocks.get(clock="acceptance").working_days == 5
    assert before.clocks.get(clock="acceptance").working_days == 7


def test_ticket_received_late_in_the_year_warns_about_missing_calendar(org, calendar_2026):
    ticket = make_ticket(org, kind=Kind.COMPLAINT, received_at=dt.datetime(2026, 12, 28, 9, 0, tzinfo=SHANGHAI))

    acceptance = ticket.clocks.get(clock="acceptance")
    assert acceptance.due_at.astimezone(SHANGHAI).isoformat() == "2027-01-06T23:59:59+08:00"
    assert acceptance.calendar_warning == "no calendar data for 2027: Monday-Friday assumed"
