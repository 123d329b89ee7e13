"""Three-tier reminders (三级催办、预警到人): a sweep over stored times, not a timer per ticket.

Each open clock carries `next_escalation_at`, the start of its next tier, computed from the
working-day calendar whenever the clock is opened, extended or resumed (tickets.deadlines calls
`clock_schedule`). The sweep selects the clocks whose moment has come through a partial index
(clock_escalation_sweep_idx), locks them (skipping rows another sweep holds), fires only the tier
due now, records the tiers it passed as skipped, and advances `next_escalation_at`. The unique
constraint on (clock, tier) is the last guard: run twice, late, or concurrently, each tier of a
clock is recorded once. Its cost grows with the clocks that change tier, not with the table.

Tier rules are data (EscalationRule): a rule for a clock code beats the general rule (blank clock).
Recipients are role codes resolved to the people on the work order:
- handler: the ticket's handler; before anyone holds it, the unit leader of its unit, and before
  dispatch, the bureau's dispatchers;
- unit_deputy, unit_leader (and any other unit role): holders of the role in the ticket's unit;
  before dispatch, the bureau's dispatchers;
- section_chief: the section chief of the consumer-protection section (any section chief of the
  bureau if that section has none);
- bureau_leader, dispatcher, section_reviewer, admin: holders of the role in the ticket's bureau.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from hotline.process_cache import ProcessCache
from org.choices import BUREAU_WIDE_ROLES, RoleCode
from tickets.choices import ClockStatus
from tickets.models import Escalation, EscalationRule, TicketClock
from workdays import calendar
from workdays.calendar import SHANGHAI, WorkCalendar, local_date

BATCH_SIZE = 5000  # clocks per transaction: fewer commits (each waits for its WAL); locks held < ~1 s


@dataclass(slots=True)
class SweepClock:
    """What the sweep reads of a clock and its ticket: plain values, no model instances (thousands per sweep)."""

    id: int
    clock: str
    due_at: dt.datetime
    escalation_tier: int
    ticket_id: int
    bureau_id: int
    unit_id: int | None
    handler_id: int | None
    external_id: str
    title: str
    next_escalation_at: dt.datetime | None = None


SWEEP_COLUMNS = (
    "id",
    "clock",
    "due_at",
    "escalation_tier",
    "ticket_id",
    "ticket__bureau_id",
    "ticket__unit_id",
    "ticket__handler_id",
    "ticket__external_id",
    "ticket__title",
)


@dataclass(frozen=True)
class Tier:
    tier: int
    offset_working_days: int
    recipient_roles: tuple[str, ...]


@dataclass
class RuleBook:
    """The active rules, read once per sweep (or per ticket created)."""

    general: dict[int, Tier] = field(default_factory=dict)
    by_clock: dict[str, dict[int, Tier]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> RuleBook:
        book = cls()
        for rule in EscalationRule.objects.filter(is_active=True):
            tier = Tier(rule.tier, rule.offset_working_days, tuple(rule.recipient_roles or ()))
            if rule.clock:
                book.by_clock.setdefault(rule.clock, {})[rule.tier] = tier
            else:
                book.general[rule.tier] = tier
        return book

    def tiers_for(self, clock_code: str) -> list[Tier]:
        merged = {**self.general, **self.by_clock.get(clock_code, {})}
        return [merged[number] for number in sorted(merged)]


# The rule book as clocks open and move (every intake): kept per process like the working-day calendar,
# dropped when a rule is saved (hotline.process_cache). The sweep reads its own fresh copy (RuleBook.load).
_rule_book: ProcessCache[RuleBook] = ProcessCache(RuleBook.load, invalidated_by=[EscalationRule])


def rule_book() -> RuleBook:
    return _rule_book.get()


def tier_starts_at(due_at: dt.datetime, offset_working_days: int, cal: WorkCalendar) -> dt.datetime:
    """When a tier starts: offset 0 just after due_at (overdue); otherwise the first calendar day
    from which at most `offset_working_days` working days are left up to the due day, both included."""
    if offset_working_days == 0:
        return due_at + dt.timedelta(seconds=1)
    due_day = local_date(due_at)
    last_day_outside = cal.nth_working_day_before(due_day, offset_working_days + 1)
    start = dt.datetime.combine(last_day_outside + dt.timedelta(days=1), dt.time(0), tzinfo=SHANGHAI)
    return min(start, due_at + dt.timedelta(seconds=1))


def clock_schedule(clock: TicketClock, *, book: RuleBook | None = None, cal: WorkCalendar | None = None) -> None:
    """Set clock.next_escalation_at (not saved): the start of the first tier above the one reached."""
    if clock.status != ClockStatus.OPEN:
        clock.next_escalation_at = None
        return
    book = book or rule_book()
    cal = cal or calendar.get_calendar()
    starts = [
        tier_starts_at(clock.due_at, tier.offset_working_days, cal)
        for tier in book.tiers_for(clock.clock)
        if tier.tier > clock.escalation_tier
    ]
    clock.next_escalation_at = min(starts) if starts else None


@dataclass
class SweepResult:
    fired: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    clocks: int = 0
    notifications: int = 0


def escalation_sweep(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """One sweep as of `now`: fire each clock's tier due now, once. Safe to run twice or concurrently."""
    now = now or timezone.now()
    book = RuleBook.load()
    cal = calendar.get_calendar()
    starts_cache: dict[tuple[str, dt.datetime], dict[int, dt.datetime]] = {}
    result = SweepResult()
    while True:
        with transaction.atomic():
            rows = list(
                TicketClock.objects.filter(status=ClockStatus.OPEN, next_escalation_at__lte=now)
                .order_by("next_escalation_at")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list(*SWEEP_COLUMNS)[:batch_size]
            )
            if rows:
                clocks = [SweepClock(*row) for row in rows]
                _escalate_batch(clocks, now=now, book=book, cal=cal, result=result, starts_cache=starts_cache)
        if len(rows) < batch_size:
            return result


def _escalate_batch(clocks: list[SweepClock], *, now, book, cal, result: SweepResult, starts_cache) -> None:
    escalations: list[tuple] = []  # (clock_id, tier, fired_at, is_skipped, recipient_count)
    fired: list[tuple[SweepClock, Tier]] = []
    for clock in clocks:
        tiers = book.tiers_for(clock.clock)
        key = (clock.clock, clock.due_at)
        starts = starts_cache.get(key)
        if starts is None:
            # Clocks share due days: the calendar arithmetic is done once per (clock code, due time).
            starts = {tier.tier: tier_starts_at(clock.due_at, tier.offset_working_days, cal) for tier in tiers}
            starts_cache[key] = starts
        due = [tier for tier in tiers if tier.tier > clock.escalation_tier and starts[tier.tier] <= now]
        if due:
            top = max(due, key=lambda tier: tier.tier)
            for tier in tiers:
                if clock.escalation_tier < tier.tier < top.tier:
                    escalations.append((clock.id, tier.tier, None, True, 0))
            fired.append((clock, top))
            clock.escalation_tier = top.tier
        later = [starts[tier.tier] for tier in tiers if tier.tier > clock.escalation_tier]
        clock.next_escalation_at = min(later) if later else None
    recipients = _recipients(fired)
    for clock, tier in fired:
        escalations.append((clock.id, tier.tier, now, False, len(recipients[(clock.id, tier.tier)])))
    recorded = _escalations_insert(escalations)
    for _clock_id, tier, is_skipped in recorded:
        (result.skipped if is_skipped else result.fired)[tier] += 1
    _clocks_advance(clocks)
    result.clocks += len(clocks)
    # Only a (clock, tier) recorded by this statement notifies: one found already there (another sweep,
    # a restored backup) was notified when it was recorded, so nobody hears the same tier twice.
    newly_fired = {(clock_id, tier) for clock_id, tier, is_skipped in recorded if not is_skipped}
    result.notifications += _notify(
        [(clock, tier) for clock, tier in fired if (clock.id, tier.tier) in newly_fired], recipients, now=now
    )


def _escalations_insert(escalations: list[tuple]) -> list[tuple[int, int, bool]]:
    """Insert the (clock, tier) rows in one statement; one already there is left alone (the unique
    constraint decides). Returns (clock_id, tier, is_skipped) of the rows this statement inserted."""
    if not escalations:
        return []
    if connection.vendor == "postgresql":
        # Arrays go as one text literal each: psycopg2 adapts list items one by one (~2 µs each, a second
        # for a catch-up's 85,000 rows), a join of ints costs a tenth of that. fired_at is the sweep's
        # `now` for every fired row, so it is sent once, not per row.
        fired_at = next((row[2] for row in escalations if not row[3]), None)
        sql = """INSERT INTO tickets_escalation (clock_id, tier, fired_at, is_skipped, recipient_count)
            SELECT v.clock_id, v.tier, CASE WHEN v.is_skipped THEN NULL ELSE %s::timestamptz END,
                   v.is_skipped, v.recipient_count
            FROM unnest(%s::bigint[], %s::smallint[], %s::boolean[], %s::smallint[])
                 AS v(clock_id, tier, is_skipped, recipient_count)
            ON CONFLICT (clock_id, tier) DO NOTHING
            RETURNING clock_id, tier, is_skipped"""
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    fired_at,
                    _pg_array(row[0] for row in escalations),
                    _pg_array(row[1] for row in escalations),
                    _pg_array(row[3] for row in escalations),
                    _pg_array(row[4] for row in escalations),
                ],
            )
            return cursor.fetchall()
    if connection.vendor == "sqlite" and connection.features.can_return_rows_from_bulk_insert:
        # SQLite 3.35+ knows ON CONFLICT ... DO NOTHING RETURNING too; rows in chunks (bound-variable limit).
        answer = []
        with connection.cursor() as cursor:
            for first in range(0, len(escalations), 500):
                chunk = escalations[first : first + 500]
                placeholders = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))  # only placeholders, no values
                cursor.execute(
                    "INSERT INTO tickets_escalation (clock_id, tier, fired_at, is_skipped, recipient_count) "  # noqa: S608
                    f"VALUES {placeholders} ON CONFLICT (clock_id, tier) DO NOTHING "
                    "RETURNING clock_id, tier, is_skipped",
                    [
                        value
                        for clock_id, tier, at, skipped, count in chunk
                        for value in (clock_id, tier, connection.ops.adapt_datetimefield_value(at), skipped, count)
                    ],
                )
                answer.extend((clock_id, tier, bool(skipped)) for clock_id, tier, skipped in cursor.fetchall())
        return answer
    # Any other database: what is there already, then the rest (the unique constraint still guards).
    there = set(Escalation.objects.filter(clock_id__in={row[0] for row in escalations}).values_list("clock_id", "tier"))
    new = [row for row in escalations if (row[0], row[1]) not in there]
    Escalation.objects.bulk_create(
        [
            Escalation(clock_id=clock_id, tier=tier, fired_at=at, is_skipped=skipped, recipient_count=count)
            for clock_id, tier, at, skipped, count in new
        ],
        ignore_conflicts=True,
    )
    return [(clock_id, tier, skipped) for clock_id, tier, _at, skipped, _count in new]


def _clocks_advance(clocks: list[SweepClock]) -> None:
    """Store each clock's tier and next moment in one statement (bulk_update's CASE is slow to build)."""
    if connection.vendor != "postgresql":
        TicketClock.objects.bulk_update(
            [
                TicketClock(id=c.id, escalation_tier=c.escalation_tier, next_escalation_at=c.next_escalation_at)
                for c in clocks
            ],
            ["escalation_tier", "next_escalation_at"],
        )
        return
    # The next moments are few distinct tier starts: sent once, each clock names one by its position.
    moments = sorted({clock.next_escalation_at for clock in clocks if clock.next_escalation_at})
    position = {moment: number for number, moment in enumerate(moments, start=1)}
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE tickets_ticketclock AS c
                SET escalation_tier = v.tier, next_escalation_at = (%s::timestamptz[])[v.moment]
                FROM unnest(%s::bigint[], %s::smallint[], %s::integer[]) AS v(id, tier, moment)
                WHERE c.id = v.id""",
            [
                moments,
                _pg_array(clock.id for clock in clocks),
                _pg_array(clock.escalation_tier for clock in clocks),
                _pg_array(position.get(clock.next_escalation_at) for clock in clocks),
            ],
        )


def _pg_array(values) -> str:
    """A PostgreSQL array literal of ints, bools or NULLs, built in one join (cast it in the SQL)."""
    return "{" + ",".join(map(_pg_item, values)) + "}"


def _pg_item(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    return str(int(value))


def _recipients(fired: list[tuple[SweepClock, Tier]]) -> dict[tuple[int, int], list[int]]:
    """Resolve every fired tier's roles to user ids with one query."""
    from org.models import User

    answer: dict[tuple[int, int], list[int]] = {}
    if not fired:
        return answer
    unit_ids = {clock.unit_id for clock, _ in fired if clock.unit_id}
    bureau_ids = {clock.bureau_id for clock, _ in fired}
    wanted = {role for _, tier in fired for role in tier.recipient_roles} - {RoleCode.HANDLER}
    wanted |= {RoleCode.UNIT_LEADER, RoleCode.DISPATCHER}  # the stand-ins when nobody holds the ticket
    in_unit: dict[tuple[int, str], list[int]] = defaultdict(list)
    in_bureau: dict[tuple[int, str], list[int]] = defaultdict(list)
    chief_in_cp: dict[int, list[int]] = defaultdict(list)
    rows = (
        User.objects.filter(is_active=True, roles__code__in=wanted)
        .filter(Q(unit_id__in=unit_ids) | Q(unit__bureau_id__in=bureau_ids))
        .values_list("pk", "unit_id", "unit__bureau_id", "unit__is_consumer_protection", "roles__code")
        .order_by("pk")
    )
    for user_id, unit_id, bureau_id, is_cp, role in rows:
        in_unit[(unit_id, role)].append(user_id)
        in_bureau[(bureau_id, role)].append(user_id)
        if role == RoleCode.SECTION_CHIEF and is_cp:
            chief_in_cp[bureau_id].append(user_id)
    for clock, tier in fired:
        people: list[int] = []
        for role in tier.recipient_roles:
            if role == RoleCode.HANDLER and clock.handler_id:
                found = [clock.handler_id]
            elif role == RoleCode.HANDLER and clock.unit_id:
                found = in_unit[(clock.unit_id, RoleCode.UNIT_LEADER)]
            elif role == RoleCode.SECTION_CHIEF:
                found = chief_in_cp[clock.bureau_id] or in_bureau[(clock.bureau_id, role)]
            elif role in BUREAU_WIDE_ROLES:
                found = in_bureau[(clock.bureau_id, role)]
            elif clock.unit_id:
                found = in_unit[(clock.unit_id, role)]
            else:
                found = in_bureau[(clock.bureau_id, RoleCode.DISPATCHER)]
            people.extend(user_id for user_id in found if user_id not in people)
        answer[(clock.id, tier.tier)] = people
    return answer


def _notify(fired, recipients, *, now) -> int:
    """One notification per recipient of each fired (clock, tier); its data is shared by the group."""
    from notifications.services import notifications_store_groups

    groups = [
        (
            f"escalation.tier{tier.tier}",
            {
                "tier": tier.tier,
                "clock": clock.clock,
                "clock_id": clock.id,
                "due_at": clock.due_at.isoformat(),
                "external_id": clock.external_id,
                "title": clock.title,
            },
            clock.ticket_id,
            recipients[(clock.id, tier.tier)],
        )
        for clock, tier in fired
    ]
    return notifications_store_groups(groups, created_at=now)
