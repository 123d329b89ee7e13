"""Deadline clocks: which rule applies, when a clock is due, and how it is met, moved or paused.

Part of the service layer (it writes TicketClock rows); called by tickets.services only.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import OuterRef, Subquery

from core.process_cache import ProcessCache
from tickets import escalation
from tickets.choices import Clock, ClockStatus, Kind, Tag
from tickets.models import DeadlineRule, Ticket, TicketClock
from workdays import calendar
from workdays.calendar import local_date

# Clocks that start on receipt, by what a ticket is.
RECEIPT_CLOCKS_BY_KIND = {
    Kind.COMPLAINT: [Clock.FIRST_CONTACT, Clock.REPLY, Clock.ACCEPTANCE],
    Kind.REPORT: [Clock.FIRST_CONTACT, Clock.REPLY, Clock.VERIFICATION],
    Kind.COMPOSITE: [Clock.FIRST_CONTACT, Clock.REPLY, Clock.ACCEPTANCE, Clock.VERIFICATION],
    Kind.INQUIRY: [Clock.FIRST_CONTACT, Clock.REPLY],
    Kind.SUGGESTION: [Clock.FIRST_CONTACT, Clock.REPLY],
}


# Every active rule, kept per process (core.process_cache): an intake opens three or four clocks and
# each needs the rule in force; the rules change a few times a year, through the admin.
_active_rules: ProcessCache[list[DeadlineRule]] = ProcessCache(
    lambda: list(DeadlineRule.objects.filter(is_active=True)), invalidated_by=[DeadlineRule]
)


def rules_in_force(received_on: dt.date) -> list[DeadlineRule]:
    """Every active rule of any clock in force on a receipt date (from the per-process copy: no query)."""
    return [rule for rule in _active_rules.get() if rule.effective_from <= received_on]


def rule_for(
    clock: str, *, kind: str, tags: list[str], received_on: dt.date, rules: list[DeadlineRule] | None = None
) -> DeadlineRule | None:
    """The rule in force on the receipt date: kind- or tag-specific beats general, then the latest version.

    `rules` (from rules_in_force for the same date) saves filtering again when several clocks open at once.
    """
    if rules is None:
        rules = rules_in_force(received_on)
    candidates = [
        rule
        for rule in rules
        if rule.clock == clock and (rule.kind in ("", kind)) and (rule.tag == "" or rule.tag in tags)
    ]
    if not candidates:
        return None
    candidates.sort(key=lambda r: (bool(r.kind) or bool(r.tag), r.effective_from), reverse=True)
    return candidates[0]


def clock_new(
    ticket: Ticket,
    clock: str,
    *,
    starts_at: dt.datetime,
    working_days: int | None = None,
    due_at: dt.datetime | None = None,
    book: escalation.RuleBook | None = None,
    rules: list[DeadlineRule] | None = None,
) -> TicketClock | None:
    """One clock as it would open (not saved): None when no rule applies and no deadline was given.

    `working_days` overrides the rule (the platform's own reply deadline); `due_at` fixes it.
    """
    rule = rule_for(clock, kind=ticket.kind, tags=ticket.tags, received_on=local_date(ticket.received_at), rules=rules)
    if rule is None and working_days is None and due_at is None:
        return None
    days = working_days if working_days is not None else (rule.working_days if rule else 0)
    warning = ""
    if due_at is None:
        deadline = calendar.add_working_days(starts_at, days)
        due_at, warning = deadline.due_at, deadline.warning
    started = TicketClock(
        ticket=ticket,
        clock=clock,
        rule=rule,
        working_days=days,
        starts_at=starts_at,
        due_at=due_at,
        calendar_warning=warning,
    )
    escalation.clock_schedule(started, book=book)
    return started


def clock_start(
    ticket: Ticket,
    clock: str,
    *,
    starts_at: dt.datetime,
    working_days: int | None = None,
    due_at: dt.datetime | None = None,
) -> TicketClock | None:
    """Open one clock (see clock_new) and refresh the ticket's nearest due time."""
    started = clock_new(ticket, clock, starts_at=starts_at, working_days=working_days, due_at=due_at)
    if started is None:
        return None
    started.save(force_insert=True)
    next_due_refresh(ticket)
    return started


def receipt_clocks(ticket: Ticket) -> list[TicketClock]:
    """The clocks a new ticket opens on receipt, computed from its kind, tags and deadlines but not saved.

    ticket_create calls this before inserting the ticket, so that the nearest due time goes into the
    ticket's own INSERT (nearest_due) and the clocks into one more (clocks_insert): no refresh afterwards.
    """
    clocks = []
    # the rules and the reminder rule book are read once for all the clocks (both cached per process)
    shared = {"book": escalation.rule_book(), "rules": rules_in_force(local_date(ticket.received_at))}
    for clock in RECEIPT_CLOCKS_BY_KIND[ticket.kind]:
        if clock == Clock.REPLY and ticket.reply_due_at:
            started = clock_new(
                ticket, clock, starts_at=ticket.received_at, due_at=ticket.reply_due_at, working_days=0, **shared
            )
        elif clock == Clock.REPLY and ticket.reply_due_working_days:
            started = clock_new(
                ticket, clock, starts_at=ticket.received_at, working_days=ticket.reply_due_working_days, **shared
            )
        else:
            started = clock_new(ticket, clock, starts_at=ticket.received_at, **shared)
        if started:
            clocks.append(started)
    if Tag.ADVERTISING in ticket.tags:
        started = clock_new(ticket, Clock.ADVERTISING, starts_at=ticket.received_at, **shared)
        if started:
            clocks.append(started)
    return clocks


def nearest_due(clocks: list[TicketClock]) -> dt.datetime | None:
    """What next_due_refresh would store for these clocks: the due time of the nearest open one."""
    return min((c.due_at for c in clocks if c.status == ClockStatus.OPEN and c.unit_id is None), default=None)


def clocks_insert(ticket: Ticket, clocks: list[TicketClock]) -> list[TicketClock]:
    """Insert clocks from receipt_clocks, now that their ticket is saved: one statement for all of them."""
    for clock in clocks:
        clock.ticket = ticket
    return TicketClock.objects.bulk_create(clocks)


def next_due_refresh(ticket: Ticket) -> None:
    """Recompute Ticket.next_clock_due_at (the nearest open lead clock's due time) after a clock change: one UPDATE."""
    # the lead unit's clocks only: an assisting unit's clock (TicketClock.unit) is its own (TicketAssist.due_at)
    nearest = TicketClock.objects.filter(ticket=OuterRef("pk"), status=ClockStatus.OPEN, unit__isnull=True).order_by(
        "due_at"
    )
    Ticket.objects.filter(pk=ticket.pk).update(next_clock_due_at=Subquery(nearest.values("due_at")[:1]))
    # The instance forgets its copy; reading it again loads the stored value.
    ticket.__dict__.pop("next_clock_due_at", None)


def clocks_meet(ticket: Ticket, clocks: list[str], *, at: dt.datetime) -> int:
    met = TicketClock.objects.filter(
        ticket=ticket, clock__in=clocks, status__in=[ClockStatus.OPEN, ClockStatus.PAUSED]
    ).update(status=ClockStatus.MET, met_at=at, paused_at=None, next_escalation_at=None)
    if met:
        next_due_refresh(ticket)
    return met


def clocks_cancel(ticket: Ticket) -> int:
    cancelled = TicketClock.objects.filter(ticket=ticket, status__in=[ClockStatus.OPEN, ClockStatus.PAUSED]).update(
        status=ClockStatus.CANCELLED, next_escalation_at=None
    )
    if cancelled:
        next_due_refresh(ticket)
    return cancelled


def clock_extend(clock: TicketClock, *, working_days: int) -> TicketClock:
    deadline = calendar.add_working_days(clock.due_at, working_days)
    clock.due_at = deadline.due_at
    clock.extended_working_days += working_days
    clock.calendar_warning = deadline.warning
    escalation.clock_schedule(clock)
    clock.save(update_fields=["due_at", "extended_working_days", "calendar_warning", "next_escalation_at"])
    next_due_refresh(clock.ticket)
    return clock


def clocks_pause(ticket: Ticket, *, at: dt.datetime, reason_code: str = "", note: str = "") -> int:
    """Pause the lead unit's open clocks, keeping why on each (pause_reason, pause_note); an assisting unit's
    term (协办) runs on."""
    paused = TicketClock.objects.filter(ticket=ticket, status=ClockStatus.OPEN, unit__isnull=True).update(
        status=ClockStatus.PAUSED, paused_at=at, pause_reason=reason_code, pause_note=note
    )
    if paused:
        next_due_refresh(ticket)
    return paused


def clocks_resume(ticket: Ticket, *, at: dt.datetime) -> list[TicketClock]:
    """Working days spent paused (after the pause day, up to and including the resume day) do not count."""
    resumed = []
    cal = calendar.get_calendar()
    book = escalation.rule_book()
    for clock in TicketClock.objects.filter(ticket=ticket, status=ClockStatus.PAUSED, unit__isnull=True):
        paused_days = cal.working_days_between(local_date(clock.paused_at) + dt.timedelta(days=1), local_date(at))
        if paused_days:
            deadline = cal.add_working_days(clock.due_at, paused_days)
            clock.due_at = deadline.due_at
            clock.calendar_warning = deadline.warning
        clock.paused_working_days += paused_days
        clock.status = ClockStatus.OPEN
        clock.paused_at = None
        # Reminders count from the moved due day: the paused days never ran down the tier-1 window.
        escalation.clock_schedule(clock, book=book, cal=cal)
        clock.save(
            update_fields=[
                "due_at",
                "calendar_warning",
                "paused_working_days",
                "status",
                "paused_at",
                "next_escalation_at",
            ]
        )
        resumed.append(clock)
    if resumed:
        next_due_refresh(ticket)
    return resumed


def assist_clock_start(ticket: Ticket, unit, *, starts_at: dt.datetime) -> TicketClock:
    """An assisting unit's clock (Clock.ASSIST): the rule in force (data: 5 working days by default), unless
    settings.HOTLINE_ASSIST_WORKING_DAYS overrides it; without either, 5 working days. The ticket's nearest
    due time (the lead's) does not change."""
    from django.conf import settings

    override = settings.HOTLINE_ASSIST_WORKING_DAYS or None
    rule = rule_for(Clock.ASSIST, kind=ticket.kind, tags=ticket.tags, received_on=local_date(ticket.received_at))
    if override is None and rule is None:
        override = ASSIST_DEFAULT_WORKING_DAYS
    started = clock_new(ticket, Clock.ASSIST, starts_at=starts_at, working_days=override)
    started.unit = unit
    started.save(force_insert=True)
    return started


ASSIST_DEFAULT_WORKING_DAYS = 5  # only when no rule of the clock "assist" is in force (the migration adds one)


def remaining_working_days(clock: TicketClock, *, today: dt.date | None = None) -> int | None:
    """Working days from today (inclusive) to the due day (inclusive); negative days overdue; None once met."""
    if clock.status in (ClockStatus.MET, ClockStatus.CANCELLED):
        return None
    from django.utils import timezone

    today = today or timezone.localdate()
    due_day = local_date(clock.due_at)
    cal = calendar.get_calendar()
    if today <= due_day:
        return cal.working_days_between(today, due_day)
    return -cal.working_days_between(due_day + dt.timedelta(days=1), today)
