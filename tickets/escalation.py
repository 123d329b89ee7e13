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
- an assisting unit's clock (协办, TicketClock.unit) is the assisting unit's: its roles resolve in that
  unit, and "handler" to that unit's leader;
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

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.process_cache import ProcessCache
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
    has_record_above: bool  # a tier above escalation_tier is already recorded (a restored backup, a test)
    assisting_unit_id: int | None = None  # an assisting unit's clock (协办): its people are reminded, not the lead's
    next_escalation_at: dt.datetime | None = None

    def __post_init__(self):
        # The roles resolve in the assisting unit, and "handler" to its leader (nobody there holds the work order).
        if self.assisting_unit_id is not None:
            self.unit_id = self.assisting_unit_id
            self.handler_id = None


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
    "has_record_above",
    "unit_id",
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
    merged: dict[str, list[Tier]] = field(default_factory=dict, repr=False)  # tiers_for, per clock code

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
        """The tiers of a clock, lowest first."""
        if clock_code not in self.merged:
            merged = {**self.general, **self.by_clock.get(clock_code, {})}
            self.merged[clock_code] = [merged[number] for number in sorted(merged)]
        return self.merged[clock_code]


# The rule book as clocks open and move (every intake): kept per process like the working-day calendar,
# dropped when a rule is saved (core.process_cache). The sweep reads its own fresh copy (RuleBook.load).
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
    notifications: int = 0  # rows stored: one per recipient of each fired tier, or one digest
    digests: int = 0  # of which digests


@dataclass(frozen=True, slots=True)
class Step:
    """What the sweep does to a clock: the tier it fires (None: none is due), the tiers it passes
    (recorded as skipped), and the clock's next moment."""

    fire: Tier | None
    skip: tuple[int, ...]
    next_at: dt.datetime | None
    skip_mask: int = 0  # the passed tiers as bits (tier n: 1 << n), as the sweep's insert reads them


def clock_step(clock_code: str, due_at: dt.datetime, reached: int, *, now, book: RuleBook, cal) -> Step:
    """The highest tier above `reached` whose start has passed fires; the tiers between are passed."""
    tiers = book.tiers_for(clock_code)
    starts = {tier.tier: tier_starts_at(due_at, tier.offset_working_days, cal) for tier in tiers}
    due = [tier for tier in tiers if tier.tier > reached and starts[tier.tier] <= now]
    fire = due[-1] if due else None
    skip = ()
    if fire is not None:
        skip = tuple(tier.tier for tier in tiers if reached < tier.tier < fire.tier)
        reached = fire.tier
    later = [starts[tier.tier] for tier in tiers if tier.tier > reached]
    return Step(fire, skip, min(later) if later else None, sum(1 << tier for tier in skip))


@dataclass(slots=True)
class Fired:
    """A clock that reaches a tier in this sweep (its step's), and the people to tell."""

    clock: SweepClock
    step: Step
    tier: Tier
    people: tuple[int, ...] = ()


DIGEST_CODE = "escalation.digest"


@dataclass
class Digests:
    """One sweep's digests. A recipient told of more than `threshold` reminders of one tier in a sweep
    (a catch-up after an outage: tens of thousands for a section chief) gets, from the batch that
    passes the threshold on, one notification counting them instead of one per reminder. The digest
    row is stored in that batch's transaction and brought up to date in each later batch's, so it
    counts exactly what is committed; it is published once the sweep has ended."""

    threshold: int
    seen: Counter = field(default_factory=Counter)  # (user_id, tier) -> reminders of this sweep
    reminders: Counter = field(default_factory=Counter)  # (user_id, tier) -> reminders the digest stands for
    tickets: defaultdict = field(default_factory=lambda: defaultdict(set))  # (user_id, tier) -> their work orders
    ids: dict[tuple[int, int], int] = field(default_factory=dict)  # (user_id, tier) -> the digest's row

    def data(self, pair: tuple[int, int]) -> dict:
        return {"tier": pair[1], "work_orders": len(self.tickets[pair]), "reminders": self.reminders[pair]}


def escalation_sweep(*, now: dt.datetime | None = None, batch_size: int = BATCH_SIZE) -> SweepResult:
    """One sweep as of `now`: fire each clock's tier due now, once. Safe to run twice or concurrently."""
    from notifications.services import notifications_publish_on_commit

    now = now or timezone.now()
    book = RuleBook.load()
    cal = calendar.get_calendar()
    # Clocks share due days and tiers: the step of each (clock code, due time, tier reached) is worked
    # out once per sweep, not once per clock.
    steps: dict[tuple[str, dt.datetime, int], Step] = {}
    result = SweepResult()
    digests = Digests(threshold=settings.HOTLINE_ESCALATION_DIGEST_THRESHOLD)
    while True:
        with transaction.atomic():
            _select_in_index_order()
            rows = list(
                TicketClock.objects.filter(status=ClockStatus.OPEN, next_escalation_at__lte=now)
                .annotate(
                    has_record_above=Exists(
                        Escalation.objects.filter(clock_id=OuterRef("pk"), tier__gt=OuterRef("escalation_tier"))
                    )
                )
                .order_by("next_escalation_at")
                .select_for_update(skip_locked=True, of=("self",))
                .values_list(*SWEEP_COLUMNS)[:batch_size]
            )
            if rows:
                clocks = [SweepClock(*row) for row in rows]
                _escalate_batch(clocks, now=now, book=book, cal=cal, result=result, steps=steps, digests=digests)
        if len(rows) < batch_size:
            break
    # Every batch has committed: the digests count their final numbers.
    notifications_publish_on_commit(list(digests.ids.values()))
    return result


def _select_in_index_order() -> None:
    """Make PostgreSQL read the batch in clock_escalation_sweep_idx's order for the rest of this
    transaction (the batch's own: beat, the command and the generator sweep outside any transaction).
    It underestimates the clocks due: only open clocks have a next moment, but it
    multiplies the two conditions' selectivities as if unrelated (~30x too few), and below the batch
    size it prefers to sort every due clock, joined to its ticket, for each batch - a catch-up of
    120,000 clocks spent 1 s per batch on that instead of 0.08 s, and the time grew with the square
    of the backlog. Without the sort, the only plan left is the index's, which stops at the limit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_sort = off")


def _escalate_batch(clocks: list[SweepClock], *, now, book, cal, result: SweepResult, steps, digests) -> None:
    fired: list[Fired] = []
    for clock in clocks:
        key = (clock.clock, clock.due_at, clock.escalation_tier)
        step = steps.get(key)
        if step is None:
            step = steps[key] = clock_step(*key, now=now, book=book, cal=cal)
        if step.fire is not None:
            fired.append(Fired(clock, step, step.fire))
            clock.escalation_tier = step.fire.tier
        clock.next_escalation_at = step.next_at
    _recipients(fired)
    # In id order, the rows and index entries written land on neighbouring pages.
    fired.sort(key=lambda entry: entry.clock.id)
    clocks.sort(key=lambda clock: clock.id)
    inserted, skipped = _escalations_insert(
        fired, now=now, may_conflict=any(entry.clock.has_record_above for entry in fired)
    )
    result.skipped.update(skipped)
    _clocks_advance(clocks)
    result.clocks += len(clocks)
    # Only a (clock, tier) recorded by this statement notifies: one found already there (another sweep,
    # a restored backup) was notified when it was recorded, so nobody hears the same tier twice.
    told = [entry for entry in fired if (entry.clock.id, entry.tier.tier) in inserted]
    result.fired.update(entry.tier.tier for entry in told)
    _notify(told, now=now, digests=digests, result=result)


def _escalations_insert(fired: list[Fired], *, now, may_conflict: bool = True) -> tuple[set[tuple[int, int]], Counter]:
    """Insert the (clock, tier) rows of the fired tiers and of the tiers they passed, in one statement;
    a row already there is left alone (the unique constraint decides). Returns the (clock_id, tier) of
    the fired rows this statement inserted, and the skipped rows it inserted per tier.

    `may_conflict`: whether a clock of the batch already has a row above its tier. When none has, a
    plain insert does (ON CONFLICT's speculative insertion costs ~5 µs a row, a catch-up writes
    ~270,000): the clocks are locked by this sweep and only the sweep records reminders, so nothing
    can add one meanwhile, and the unique constraint still refuses a duplicate (the batch would roll
    back and the next sweep take the ON CONFLICT path)."""
    if not fired:
        return set(), Counter()
    if connection.vendor == "postgresql":
        # One entry per fired clock; its skipped rows are made in SQL from a bit mask of the passed tiers
        # (a catch-up passes two tiers for each overdue clock). Arrays go as one text literal each:
        # psycopg2 adapts list items one by one (~2 µs each). `now` is sent once. The answer is a row
        # per (tier, skipped): the count, and the clock ids of the fired ones. (The one formatted part
        # is a fixed clause.)
        sql = """WITH v AS (
                SELECT * FROM unnest(%s::bigint[], %s::smallint[], %s::smallint[], %s::smallint[])
                    AS v(clock_id, tier, recipient_count, skipped)
            ), inserted AS (
                INSERT INTO tickets_escalation (clock_id, tier, fired_at, is_skipped, recipient_count)
                SELECT v.clock_id, v.tier, %s::timestamptz, false, v.recipient_count FROM v
                UNION ALL
                SELECT v.clock_id, passed.tier, NULL, true, 0
                FROM v CROSS JOIN LATERAL generate_series(1, v.tier - 1) AS passed(tier)
                WHERE v.skipped & (1 << passed.tier) <> 0
                {on_conflict}
                RETURNING clock_id, tier, is_skipped
            )
            SELECT tier, is_skipped, count(*), array_agg(clock_id) FILTER (WHERE NOT is_skipped)
            FROM inserted GROUP BY tier, is_skipped""".format(  # noqa: S608 - a fixed clause  # nosec B608
            on_conflict="ON CONFLICT (clock_id, tier) DO NOTHING" if may_conflict else ""
        )
        with connection.cursor() as cursor:
            cursor.execute(
                sql,
                [
                    _pg_ints(entry.clock.id for entry in fired),
                    _pg_ints(entry.tier.tier for entry in fired),
                    _pg_ints(len(entry.people) for entry in fired),
                    _pg_ints(entry.step.skip_mask for entry in fired),
                    now,
                ],
            )
            inserted, skipped = set(), Counter()
            for tier, is_skipped, count, clock_ids in cursor.fetchall():
                if is_skipped:
                    skipped[tier] += count
                else:
                    inserted.update((clock_id, tier) for clock_id in clock_ids)
            return inserted, skipped
    escalations = [  # (clock_id, tier, fired_at, is_skipped, recipient_count)
        row
        for entry in fired
        for row in (
            *((entry.clock.id, tier, None, True, 0) for tier in entry.step.skip),
            (entry.clock.id, entry.tier.tier, now, False, len(entry.people)),
        )
    ]
    if connection.vendor == "sqlite" and connection.features.can_return_rows_from_bulk_insert:
        # SQLite 3.35+ knows ON CONFLICT ... DO NOTHING RETURNING too; rows in chunks (bound-variable limit).
        recorded = []
        with connection.cursor() as cursor:
            for first in range(0, len(escalations), 500):
                chunk = escalations[first : first + 500]
                placeholders = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))  # only placeholders, no values
                cursor.execute(
                    "INSERT INTO tickets_escalation (clock_id, tier, fired_at, is_skipped, recipient_count) "  # noqa: S608
                    f"VALUES {placeholders} ON CONFLICT (clock_id, tier) DO NOTHING "  # placeholders only  # nosec B608
                    "RETURNING clock_id, tier, is_skipped",
                    [
                        value
                        for clock_id, tier, at, skipped, count in chunk
                        for value in (clock_id, tier, connection.ops.adapt_datetimefield_value(at), skipped, count)
                    ],
                )
                recorded.extend((clock_id, tier, bool(skipped)) for clock_id, tier, skipped in cursor.fetchall())
    else:
        # Any other database: what is there already, then the rest (the unique constraint still guards).
        there = set(
            Escalation.objects.filter(clock_id__in={row[0] for row in escalations}).values_list("clock_id", "tier")
        )
        new = [row for row in escalations if (row[0], row[1]) not in there]
        Escalation.objects.bulk_create(
            [
                Escalation(clock_id=clock_id, tier=tier, fired_at=at, is_skipped=skipped, recipient_count=count)
                for clock_id, tier, at, skipped, count in new
            ],
            ignore_conflicts=True,
        )
        recorded = [(clock_id, tier, skipped) for clock_id, tier, _at, skipped, _count in new]
    inserted = {(clock_id, tier) for clock_id, tier, is_skipped in recorded if not is_skipped}
    return inserted, Counter(tier for _clock_id, tier, is_skipped in recorded if is_skipped)


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
    position = {moment: str(number) for number, moment in enumerate(moments, start=1)}
    position[None] = "NULL"
    with connection.cursor() as cursor:
        cursor.execute(
            """UPDATE tickets_ticketclock AS c
                SET escalation_tier = v.tier, next_escalation_at = (%s::timestamptz[])[v.moment]
                FROM unnest(%s::bigint[], %s::smallint[], %s::integer[]) AS v(id, tier, moment)
                WHERE c.id = v.id""",
            [
                moments,
                _pg_ints(clock.id for clock in clocks),
                _pg_ints(clock.escalation_tier for clock in clocks),
                "{" + ",".join([position[clock.next_escalation_at] for clock in clocks]) + "}",
            ],
        )


def _pg_ints(values) -> str:
    """A PostgreSQL array literal of ints, built in one join (cast it in the SQL): psycopg2 would adapt
    a list item by item, ten times slower."""
    return "{" + ",".join(map(str, values)) + "}"


def _recipients(fired: list[Fired]) -> None:
    """Resolve every fired tier's roles to user ids with one query (sets each entry's `people`)."""
    from org.models import User

    if not fired:
        return
    unit_ids = {entry.clock.unit_id for entry in fired if entry.clock.unit_id}
    bureau_ids = {entry.clock.bureau_id for entry in fired}
    wanted = {role for entry in fired for role in entry.tier.recipient_roles} - {RoleCode.HANDLER}
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
    # The people depend only on the roles and the ticket's holder, unit and bureau: resolved once each.
    resolved: dict[tuple, tuple[int, ...]] = {}
    for entry in fired:
        clock, roles = entry.clock, entry.tier.recipient_roles
        key = (roles, clock.handler_id, clock.unit_id, clock.bureau_id)
        people = resolved.get(key)
        if people is None:
            found_all: list[int] = []
            for role in roles:
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
                found_all.extend(user_id for user_id in found if user_id not in found_all)
            people = resolved[key] = tuple(found_all)
        entry.people = people


def _notify(told: list[Fired], *, now, digests: Digests, result: SweepResult) -> None:
    """One notification per recipient of each fired (clock, tier), its data shared by the group; a
    recipient past the digest threshold for a tier gets (or has brought up to date) one digest instead."""
    from notifications.services import (
        notifications_data_update,
        notifications_store_groups,
        notifications_store_unpublished,
    )

    # Reminders told to the same people at the same tier are counted together (a catch-up has a few
    # hundred such groups for ~100,000 reminders), not person by person.
    alike: defaultdict[tuple[tuple[int, ...], int], list[Fired]] = defaultdict(list)
    for entry in told:
        alike[(entry.people, entry.tier.tier)].append(entry)
    for (people, tier), entries in alike.items():
        digests.seen.update(dict.fromkeys(((user_id, tier) for user_id in people), len(entries)))
    summed = {
        (user_id, tier)
        for people, tier in alike
        for user_id in people
        if (user_id, tier) in digests.ids or digests.seen[(user_id, tier)] > digests.threshold
    }
    groups = []
    for (people, tier), entries in alike.items():
        told_alone = [user_id for user_id in people if (user_id, tier) not in summed]
        if len(told_alone) < len(people):
            ticket_ids = [entry.clock.ticket_id for entry in entries]
            for user_id in people:
                if (user_id, tier) in summed:
                    digests.reminders[(user_id, tier)] += len(entries)
                    digests.tickets[(user_id, tier)].update(ticket_ids)
        if told_alone:
            groups.extend(
                (
                    f"escalation.tier{tier}",
                    {
                        "tier": tier,
                        "clock": entry.clock.clock,
                        "clock_id": entry.clock.id,
                        "due_at": entry.clock.due_at.isoformat(),
                        "external_id": entry.clock.external_id,
                        "title": entry.clock.title,
                    },
                    entry.clock.ticket_id,
                    told_alone,
                )
                for entry in entries
            )
    result.notifications += notifications_store_groups(groups, created_at=now)
    new = sorted(pair for pair in summed if pair not in digests.ids)
    if new:
        ids = notifications_store_unpublished(
            [(user_id, DIGEST_CODE, digests.data((user_id, tier))) for user_id, tier in new], created_at=now
        )
        digests.ids.update(zip(new, ids, strict=True))
        result.notifications += len(new)
        result.digests += len(new)
    notifications_data_update({digests.ids[pair]: digests.data(pair) for pair in summed if pair not in new})
