import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery

from bench import common
from bench.generate import generate
from core.testing import need
from org.models import Unit, User
from tickets.choices import OPEN_STATUSES, ClockStatus, Status, tracks_for_kind
from tickets.models import Business, StatusUpdate, Ticket, TicketClock, TicketEvent

END = dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def generated(db):
    need(connection.vendor == "postgresql", "the generator loads with PostgreSQL's COPY")
    return generate(n=200, end=END, workers=1, vacuum=False, log=lambda *_: None)


@pytest.mark.postgres
def test_generate_writes_n_tickets_over_twenty_units_and_three_hundred_staff(generated):
    assert generated["tickets"] == 200
    assert Ticket.objects.count() == 200
    assert Unit.objects.filter(bureau__code="bench").count() == 20
    assert User.objects.filter(unit__bureau__code="bench").count() == 300
    assert User.objects.get(username=common.HANDLER).check_password(common.BENCH_PASSWORD)
    assert set(User.objects.get(username=common.SECTION_CHIEF).role_codes) == {"section_chief"}


@pytest.mark.postgres
def test_generate_receipts_span_three_years_up_to_the_end(generated):
    first = Ticket.objects.order_by("received_at").first().received_at
    last = Ticket.objects.order_by("-received_at").first().received_at
    assert last <= END
    assert (END - first).days > 3 * 365 - 40


@pytest.mark.postgres
def test_generate_open_tickets_have_a_running_reply_or_redo_clock(generated):
    open_tickets = Ticket.objects.filter(status__in=OPEN_STATUSES)
    running = [ClockStatus.OPEN, ClockStatus.PAUSED]
    without = [
        t.pk
        for t in open_tickets
        if not t.clocks.filter(clock="redo" if t.status == Status.REOPENED else "reply", status__in=running).exists()
    ]
    assert open_tickets.count() > 0
    assert without == []


@pytest.mark.postgres
def test_generate_finished_tickets_have_met_reply_clocks_and_nothing_running(generated):
    finished = Ticket.objects.filter(status__in=[Status.COMPLETED, Status.ARCHIVED])
    unmet_reply = TicketClock.objects.filter(ticket__in=finished, clock="reply").exclude(status=ClockStatus.MET)
    running = TicketClock.objects.filter(
        ticket__status__in=[Status.COMPLETED, Status.ARCHIVED, Status.RETURNED_TO_PLATFORM],
        status__in=[ClockStatus.OPEN, ClockStatus.PAUSED],
    )
    assert finished.count() > 100
    assert list(unmet_reply) == []
    assert list(running) == []
    assert TicketClock.objects.filter(status=ClockStatus.MET, met_at__isnull=True).count() == 0


@pytest.mark.postgres
def test_generate_timeline_and_outbox_follow_the_status(generated):
    wrong_last_update = [
        t.pk
        for t in Ticket.objects.all()
        if StatusUpdate.objects.filter(ticket=t).order_by("-id")[0].status != t.status
    ]
    per_ticket = Ticket.objects.annotate(events_n=Count("events")).values_list("events_n", flat=True)
    assert wrong_last_update == []
    assert TicketEvent.objects.filter(code="received").count() == 200
    assert min(per_ticket) >= 1
    assert 3 <= sum(per_ticket) / 200 <= 10


@pytest.mark.postgres
def test_generate_tracks_handlers_and_counters_are_consistent(generated):
    wrong_tracks = [
        t.pk
        for t in Ticket.objects.all()
        if sorted(t.tracks.values_list("track", flat=True)) != sorted(tracks_for_kind(t.kind))
    ]
    handler_elsewhere = Ticket.objects.filter(handler__isnull=False).exclude(handler__unit=F("unit"))
    miscounted = [b.pk for b in Business.objects.annotate(n=Count("tickets")) if b.n != b.ticket_count]
    assert wrong_tracks == []
    assert list(handler_elsewhere) == []
    assert miscounted == []


@pytest.mark.postgres
def test_generate_leaves_sequences_past_the_ids_it_used(generated):
    ticket = Ticket.objects.order_by("-id").first()
    event = TicketEvent.objects.create(ticket=ticket, code="note", at=END)
    assert event.pk > TicketEvent.objects.exclude(pk=event.pk).order_by("-id").first().pk


@pytest.mark.postgres
def test_generate_stores_each_tickets_nearest_open_deadline(generated):
    nearest = TicketClock.objects.filter(ticket=OuterRef("pk"), status=ClockStatus.OPEN).order_by("due_at")
    wrong = (
        Ticket.objects.annotate(expected=Subquery(nearest.values("due_at")[:1]))
        .exclude(next_clock_due_at__isnull=True, expected__isnull=True)
        .exclude(next_clock_due_at=F("expected"))
    )
    assert Ticket.objects.filter(next_clock_due_at__isnull=False).count() > 0
    assert list(wrong.values_list("pk", flat=True)) == []


@pytest.mark.postgres
def test_generate_derives_returns_and_callbacks_from_the_timeline(generated):
    from reviews.models import Callback, Return, SpecialSupervision

    returned_events = TicketEvent.objects.filter(code="review_returned").count()
    archived = Ticket.objects.filter(status=Status.ARCHIVED).count()
    reopened_events = TicketEvent.objects.filter(code="reopened").count()
    assert Return.objects.count() == returned_events
    assert Callback.objects.exclude(satisfaction="unsatisfied").count() == archived
    assert Callback.objects.filter(satisfaction="unsatisfied").count() == reopened_events
    assert (
        SpecialSupervision.objects.count()
        == Callback.objects.filter(satisfaction="unsatisfied", source="platform").count()
    )


@pytest.mark.postgres
def test_generate_fills_the_catalogue_proposals_kept_months_and_schemes(generated):
    """The hooks of issues 15 and 19: what the inbox, the annual report and the assessment read exists and agrees
    with the tickets."""
    from dispatch.models import CatalogueRow
    from reports.models import AssessmentScheme, MonthlyCounts
    from tickets.models import DuplicateProposal

    rows = list(CatalogueRow.objects.values_list("category__code", "area", "effective_from"))
    assert rows and all(area == "" for _code, area, _day in rows)
    assert all(day <= Ticket.objects.order_by("received_at").first().received_at.date() for *_x, day in rows)
    # the least frequent categories are left to the "similar tickets" suggestion
    assert "special-equipment" not in {code for code, *_x in rows}
    pairs = set(DuplicateProposal.objects.values_list("ticket_id", "duplicate_id"))
    assert all((b, a) in pairs for a, b in pairs)  # stored both ways, as intake stores them
    kept = MonthlyCounts.objects.count()
    assert 35 <= kept <= 37  # every closed month of the three years
    assert AssessmentScheme.objects.filter(year=END.year - 1).exclude(weights={}).exists()
    assert generated["hooks"]["hook_catalogue"].startswith(f"{len(rows)} catalogue rows")
