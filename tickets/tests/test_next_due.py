"""Ticket.next_clock_due_at, the denormalised nearest open deadline the list pages sort by.

Received 2026-09-30 10:00: first contact due Oct 8, acceptance Oct 15, reply Oct 27 (see test_deadlines).
"""

import datetime as dt

import pytest
import time_machine

from tickets import deadlines, services
from tickets.choices import Kind
from tickets.models import Ticket
from tickets.selectors import ticket_unit_queue
from tickets.tests.factories import make_ticket
from workdays.calendar import SHANGHAI

pytestmark = pytest.mark.django_db

OCT_8 = dt.datetime(2026, 10, 8, 23, 59, 59, tzinfo=SHANGHAI)
OCT_15 = dt.datetime(2026, 10, 15, 23, 59, 59, tzinfo=SHANGHAI)
OCT_27 = dt.datetime(2026, 10, 27, 23, 59, 59, tzinfo=SHANGHAI)


def stored(ticket) -> dt.datetime | None:
    return Ticket.objects.values_list("next_clock_due_at", flat=True).get(pk=ticket.pk)


@pytest.fixture
def handled(org, calendar_2026):
    with time_machine.travel(dt.datetime(2026, 10, 8, 9, 0, tzinfo=SHANGHAI), tick=False):
        ticket = make_ticket(org, kind=Kind.COMPLAINT)
        services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)
        services.ticket_accept(ticket, actor=org.handler)
    return ticket


def test_next_due_is_the_nearest_open_clock_on_creation(org, calendar_2026):
    ticket = make_ticket(org, kind=Kind.COMPLAINT)

    assert stored(ticket) == OCT_8
    assert ticket.next_clock_due_at == OCT_8


def test_next_due_moves_on_when_first_contact_is_met(handled, org):
    with time_machine.travel(dt.datetime(2026, 10, 8, 10, 0, tzinfo=SHANGHAI), tick=False):
        services.ticket_record_first_contact(handled, actor=org.handler)

    assert stored(handled) == OCT_15


def test_next_due_is_empty_while_clocks_are_paused_and_back_after_resuming(handled, org):
    with time_machine.travel(dt.datetime(2026, 10, 8, 10, 0, tzinfo=SHANGHAI), tick=False):
        services.ticket_record_first_contact(handled, actor=org.handler)
        services.ticket_pause_clocks(handled, actor=org.handler, reason_code="testing", reason="样品送检")
        paused = stored(handled)
        services.ticket_resume_clocks(handled, actor=org.handler)

    assert paused is None
    assert stored(handled) == OCT_15


def test_next_due_follows_an_extension(handled, org):
    clock = handled.clocks.get(clock="first_contact")

    deadlines.clock_extend(clock, working_days=1)

    assert stored(handled) == dt.datetime(2026, 10, 9, 23, 59, 59, tzinfo=SHANGHAI)


def test_next_due_is_empty_once_returned_to_the_platform(org, calendar_2026):
    ticket = make_ticket(org, kind=Kind.COMPLAINT)
    request = services.ticket_request_return(ticket, actor=org.dispatcher, reason_code="other", reason="外区")

    services.request_decide(request, actor=org.chief, is_approved=True)

    assert stored(ticket) is None


def test_unit_queue_shows_and_sorts_by_the_stored_next_due(org, calendar_2026):
    later = make_ticket(org, kind=Kind.COMPLAINT, received_at=dt.datetime(2026, 10, 9, 10, 0, tzinfo=SHANGHAI))
    sooner = make_ticket(org, kind=Kind.COMPLAINT)
    for ticket in (later, sooner):
        services.ticket_dispatch(ticket, unit=org.office_a, actor=org.dispatcher)

    rows = list(ticket_unit_queue(org.unit_leader))

    assert [(t.pk, t.next_due_at) for t in rows] == [
        (sooner.pk, OCT_8),
        (later.pk, dt.datetime(2026, 10, 10, 23, 59, 59, tzinfo=SHANGHAI)),  # a make-up Saturday
    ]
