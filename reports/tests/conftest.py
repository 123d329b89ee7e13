"""Hand-built rows (no services): each timestamp is chosen so the expected figures can be worked out by hand."""

import datetime as dt
import itertools

import pytest
import time_machine

from org.models import Bureau, Unit
from reviews.models import Callback, Return
from tickets.choices import Clock, ClockStatus, Kind, Source, Status, Track
from tickets.models import Business, Ticket, TicketClock, TicketEvent, TicketTrack
from workdays.calendar import SHANGHAI

NOW = dt.datetime(2026, 10, 15, 10, 0, tzinfo=SHANGHAI)
_ids = itertools.count(1)


def at(year, month, day, hour=10, minute=0, second=0):
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


@pytest.fixture
def frozen():
    """The clock stopped at NOW."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def ticket(bureau: Bureau, unit: Unit | None, received_at, *, kind=Kind.COMPLAINT, business=None, **fields) -> Ticket:
    made = Ticket.objects.create(
        bureau=bureau,
        source=Source.HOTLINE_12345,
        external_id=f"RPT-{next(_ids):05d}",
        kind=kind,
        content="预付卡商家关门",
        received_at=received_at,
        unit=unit,
        business=business,
        **fields,
    )
    return made


def clock(ticket: Ticket, code: str, due_at, *, met_at=None, status=None):
    status = status or (ClockStatus.MET if met_at else ClockStatus.OPEN)
    return TicketClock.objects.create(
        ticket=ticket,
        clock=code,
        working_days=1,
        starts_at=ticket.received_at,
        due_at=due_at,
        met_at=met_at,
        status=status,
    )


def track(ticket: Ticket, code: str, finding: str, outcome: str = "", case_number: str = ""):
    return TicketTrack.objects.create(
        ticket=ticket, track=code, finding=finding, outcome=outcome, case_number=case_number
    )


def callback(ticket: Ticket, called_at, *, satisfaction: str, resolved: str = "", unit=None):
    return Callback.objects.create(
        ticket=ticket,
        source="platform",
        satisfaction=satisfaction,
        resolved=resolved,
        called_at=called_at,
        recorded_at=called_at,
        unit=unit,
        fingerprint=f"fp-{next(_ids)}",
    )


def returned(ticket: Ticket, unit: Unit, when, actor):
    return Return.objects.create(
        ticket=ticket, unit=unit, stage="section", reason_codes=["facts_unclear"], actor=actor, at=when
    )


@pytest.fixture
def data(org, calendar_2026):
    """September 2026 (and September 2025) at the two field units of `org`, plus noise outside the month/bureau.

    See test_selectors.py for the figures each row makes.
    """
    from org.tests.factories import make_org

    a, b = org.office_a, org.office_b
    shop_x = Business.objects.create(name="某某教育科技有限公司", ticket_count=40)
    shop_y = Business.objects.create(name="某某超市", ticket_count=7)

    # T1 office A: signed for on time, first contact on time, reply late, completed, substantiated, satisfied
    t1 = ticket(
        org.bureau,
        a,
        at(2026, 9, 8, 9),
        business=shop_x,
        status=Status.COMPLETED,
        dispatched_at=at(2026, 9, 8, 10),
        accepted_at=at(2026, 9, 9, 9),
        completed_at=at(2026, 9, 20),
    )
    clock(t1, Clock.FIRST_CONTACT, at(2026, 9, 9, 23, 59, 59), met_at=at(2026, 9, 9, 10))
    clock(t1, Clock.REPLY, at(2026, 9, 15, 23, 59, 59), met_at=at(2026, 9, 20))
    track(t1, Track.COMPLAINT, "substantiated", "mediated")
    callback(t1, at(2026, 9, 22), satisfaction="satisfied", resolved="resolved")
    returned(t1, a, at(2026, 9, 12), org.reviewer)
    # T2 office A, composite: signed for late, first contact late, reply on time, a case opened, unsatisfied
    t2 = ticket(
        org.bureau,
        a,
        at(2026, 9, 8, 9),
        kind=Kind.COMPOSITE,
        business=shop_x,
        status=Status.COMPLETED,
        dispatched_at=at(2026, 9, 8, 10),
        accepted_at=at(2026, 9, 10, 9),
        completed_at=at(2026, 9, 18),
    )
    clock(t2, Clock.FIRST_CONTACT, at(2026, 9, 9, 23, 59, 59), met_at=at(2026, 9, 10, 11))
    clock(t2, Clock.REPLY, at(2026, 9, 25, 23, 59, 59), met_at=at(2026, 9, 18))
    track(t2, Track.COMPLAINT, "unsubstantiated", "not_accepted")
    track(t2, Track.REPORT, "partly", "case_opened", "沪市监松处〔2026〕007号")
    callback(t2, at(2026, 9, 21), satisfaction="unsatisfied", resolved="partly")
    # T3 office A, report: never signed for, both clocks open and past due; a paused and a cancelled clock
    t3 = ticket(
        org.bureau, a, at(2026, 9, 9, 9), kind=Kind.REPORT, status=Status.DISPATCHED, dispatched_at=at(2026, 9, 9, 10)
    )
    clock(t3, Clock.FIRST_CONTACT, at(2026, 9, 10, 23, 59, 59))
    clock(t3, Clock.REPLY, at(2026, 9, 30, 23, 59, 59))
    clock(t3, Clock.VERIFICATION, at(2026, 9, 29, 23, 59, 59), status=ClockStatus.PAUSED)
    clock(t3, Clock.ADVERTISING, at(2026, 9, 17, 23, 59, 59), status=ClockStatus.CANCELLED)

    # T4 office B: signed and contacted on time; its reply clock falls due in October; a callback without a unit
    t4 = ticket(
        org.bureau,
        b,
        at(2026, 9, 8, 9),
        business=shop_y,
        status=Status.IN_PROGRESS,
        dispatched_at=at(2026, 9, 8, 10),
        accepted_at=at(2026, 9, 8, 11),
    )
    clock(t4, Clock.FIRST_CONTACT, at(2026, 9, 9, 23, 59, 59), met_at=at(2026, 9, 8, 15))
    clock(t4, Clock.REPLY, at(2026, 10, 30, 23, 59, 59))
    callback(t4, at(2026, 9, 25), satisfaction="basically_satisfied")

    # September 2025 at office A: T5 all on time and satisfied; T6 signed for on time; a return
    t5 = ticket(
        org.bureau,
        a,
        at(2025, 9, 9, 9),
        status=Status.ARCHIVED,
        dispatched_at=at(2025, 9, 9, 10),
        accepted_at=at(2025, 9, 9, 11),
        completed_at=at(2025, 9, 16),
    )
    clock(t5, Clock.FIRST_CONTACT, at(2025, 9, 10, 23, 59, 59), met_at=at(2025, 9, 9, 12))
    clock(t5, Clock.REPLY, at(2025, 9, 16, 23, 59, 59), met_at=at(2025, 9, 16))
    track(t5, Track.COMPLAINT, "substantiated", "mediated")
    callback(t5, at(2025, 9, 20), satisfaction="satisfied", resolved="resolved")
    returned(t5, a, at(2025, 9, 10), org.reviewer)
    ticket(
        org.bureau,
        a,
        at(2025, 9, 11, 9),
        status=Status.ACCEPTED,
        dispatched_at=at(2025, 9, 11, 10),
        accepted_at=at(2025, 9, 11, 12),
    )

    # noise: outside the month (Shanghai time), never dispatched, and another bureau
    ticket(org.bureau, a, at(2026, 8, 31, 23, 59), business=shop_y, dispatched_at=at(2026, 8, 31, 23, 59))
    ticket(org.bureau, a, at(2026, 10, 1, 0, 0), business=shop_y)
    ticket(org.bureau, None, at(2026, 9, 10))
    other = make_org("qp")
    t9 = ticket(
        other.bureau,
        other.office_a,
        at(2026, 9, 8),
        business=shop_x,
        status=Status.COMPLETED,
        dispatched_at=at(2026, 9, 8, 10),
        completed_at=at(2026, 9, 9),
    )
    clock(t9, Clock.FIRST_CONTACT, at(2026, 9, 9, 23, 59, 59))
    track(t9, Track.COMPLAINT, "substantiated", "mediated", "X-1")
    callback(t9, at(2026, 9, 10), satisfaction="unsatisfied", resolved="unresolved")
    returned(t9, other.office_a, at(2026, 9, 10), other.reviewer)
    return {"other": other, "shop_x": shop_x, "shop_y": shop_y}


YEARS_NOW = dt.datetime(2027, 1, 20, 10, 0, tzinfo=SHANGHAI)  # the `years` fixture's present


def event(made, code, when):
    TicketEvent.objects.create(ticket=made, code=code, at=when)


def completed(bureau, unit, received, dispatched, accepted, done, **fields):
    made = ticket(
        bureau,
        unit,
        received,
        status=Status.COMPLETED,
        dispatched_at=dispatched,
        accepted_at=accepted,
        completed_at=done,
        **fields,
    )
    return made


@pytest.fixture
def years(org, calendar_2026):
    """Office A and office B in 2026 and 2025 (the working days from the 2025/2026 calendars)."""
    a, b, actor = org.office_a, org.office_b, org.reviewer
    # A1: Monday 2 March to Friday 6 March = 4 working days; on time; substantiated and called back
    a1 = completed(org.bureau, a, at(2026, 3, 2, 9), at(2026, 3, 2, 10), at(2026, 3, 2, 11), at(2026, 3, 6))
    clock(a1, Clock.FIRST_CONTACT, at(2026, 3, 3, 23, 59, 59), met_at=at(2026, 3, 2, 15))
    clock(a1, Clock.REPLY, at(2026, 3, 10, 23, 59, 59), met_at=at(2026, 3, 6))
    track(a1, Track.COMPLAINT, "substantiated", "mediated")
    event(a1, "reply_submitted", at(2026, 3, 5))
    callback(a1, at(2026, 3, 10), satisfaction="satisfied", resolved="resolved")
    # A2: dispatched Friday 20 March, signed for Monday 23 March (on time), returned once by the section,
    # completed Thursday 2 April = 9 working days; reply late (overdue in March) and a verification clock
    # open since 1 April (overdue in April): one overdue work order in the year, one in each month
    a2 = completed(
        org.bureau, a, at(2026, 3, 20, 9), at(2026, 3, 20, 10), at(2026, 3, 23, 9), at(2026, 4, 2), return_count=1
    )
    clock(a2, Clock.FIRST_CONTACT, at(2026, 3, 23, 23, 59, 59), met_at=at(2026, 3, 23, 10))
    clock(a2, Clock.REPLY, at(2026, 3, 31, 23, 59, 59), met_at=at(2026, 4, 2))
    clock(a2, Clock.VERIFICATION, at(2026, 4, 1, 23, 59, 59))
    track(a2, Track.COMPLAINT, "partly", "mediated")
    event(a2, "reply_submitted", at(2026, 3, 25))
    returned(a2, a, at(2026, 3, 26), actor)
    event(a2, "reply_submitted", at(2026, 3, 30))
    # A3, a report: reopened after an unsatisfied callback, completed again Wednesday 24 June; 10 June to
    # 24 June = 9 working days (19 June is the Dragon Boat holiday); not substantiated
    a3 = completed(
        org.bureau, a, at(2026, 6, 10, 9), at(2026, 6, 10, 10), at(2026, 6, 10, 11), at(2026, 6, 24), kind=Kind.REPORT
    )
    track(a3, Track.REPORT, "unsubstantiated", "not_opened")
    event(a3, "reply_submitted", at(2026, 6, 12))
    callback(a3, at(2026, 6, 20), satisfaction="unsatisfied", resolved="unresolved")
    event(a3, "reopened", at(2026, 6, 20))
    event(a3, "reply_submitted", at(2026, 6, 23))
    callback(a3, at(2026, 6, 28), satisfaction="satisfied", resolved="resolved")
    # B1: dispatched Wednesday 6 May, signed for Friday 8 May (late), completed Monday 11 May = 4 working
    # days (Saturday 9 May is a working day); substantiated and called back
    b1 = completed(org.bureau, b, at(2026, 5, 6, 9), at(2026, 5, 6, 10), at(2026, 5, 8, 9), at(2026, 5, 11))
    track(b1, Track.COMPLAINT, "substantiated", "mediated")
    event(b1, "reply_submitted", at(2026, 5, 10))
    callback(b1, at(2026, 5, 15), satisfaction="basically_satisfied", resolved="resolved")
    # B2: dispatched 30 December, never signed for, first contact open past its due time: overdue in December
    b2 = ticket(org.bureau, b, at(2026, 12, 30, 9), status=Status.DISPATCHED, dispatched_at=at(2026, 12, 30, 10))
    clock(b2, Clock.FIRST_CONTACT, at(2026, 12, 31, 23, 59, 59))
    clock(b2, Clock.REPLY, at(2027, 1, 10, 23, 59, 59))

    # 2025: A0 Monday 3 March to Friday 7 March = 4 working days, substantiated, called back
    a0 = completed(org.bureau, a, at(2025, 3, 3, 9), at(2025, 3, 3, 10), at(2025, 3, 3, 11), at(2025, 3, 7))
    track(a0, Track.COMPLAINT, "substantiated", "mediated")
    event(a0, "reply_submitted", at(2025, 3, 5))
    callback(a0, at(2025, 3, 10), satisfaction="satisfied", resolved="resolved")
    # B0: 1 to 3 July = 2 working days, returned once by the unit leader (two replies)
    b0 = completed(
        org.bureau, b, at(2025, 7, 1, 9), at(2025, 7, 1, 10), at(2025, 7, 1, 11), at(2025, 7, 3), return_count=1
    )
    event(b0, "reply_submitted", at(2025, 7, 2, 9))
    returned(b0, b, at(2025, 7, 2, 10), actor)
    event(b0, "reply_submitted", at(2025, 7, 2, 15))
    # noise: a paused and a cancelled clock, and 31 December 2024 (the day before the year earlier)
    clock(a3, Clock.ADVERTISING, at(2026, 6, 11, 23, 59, 59), status=ClockStatus.PAUSED)
    clock(a3, Clock.MEDIATION, at(2026, 6, 11, 23, 59, 59), status=ClockStatus.CANCELLED)
    return {"a2": a2}
