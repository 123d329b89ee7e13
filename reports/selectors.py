"""The monthly briefing (《每月简报》): the hotline's indicators per unit and month, read in a few aggregates.

How each figure is counted (docs/reports.md says the same for readers of the briefing). Months are
calendar months in Shanghai time; "the unit" of a work order is the unit it is dispatched to now
(`Ticket.unit`, the last dispatch): a work order re-dispatched several times counts once, for the unit
that holds it, and never for the units it passed through. Work orders never dispatched count for no unit.
Returns and callbacks carry the unit they were made against and count for that unit.

Each figure: the date that puts it in a month; what is counted (numerator / denominator).
- work orders: `received_at`; work orders received.
- first-contact rate 先行联系率: the first-contact clock's `due_at`; clocks met by `due_at` / first-contact
  clocks due (not cancelled, not paused; an open clock only once its due time has passed).
- on-time sign-off rate 及时签收率: `dispatched_at` (the last dispatch); signed for (`accepted_at`) by the end
  of the first working day after the dispatch day / work orders dispatched, signed for or past that
  deadline (one never signed for and returned to the platform is left out).
- on-time completion rate 按时办结率: the reply clock's `due_at`; reply clocks met (completed) by `due_at` /
  reply clocks due, counted as for first contact.
- resolution rate 实际解决率: the callback's `called_at`; callbacks "resolved" (partly resolved is not) /
  callbacks that recorded a resolution. Every callback counts (one after a redo as well).
- satisfaction rate 满意率: `called_at`; callbacks satisfied or basically satisfied / callbacks.
- substantiation rate 属实率: the work order's `completed_at`; tracks substantiated or partly substantiated /
  tracks with a finding (a composite work order has two tracks).
- complaint-to-case conversions and rate 诉转案(率): `completed_at`; complaint and composite work orders with
  a case number on a track / complaint and composite work orders completed.
- returns for redo 退回重办: the return's `at`; `reviews.Return` rows, for the unit they were made against.
- unsatisfied callbacks: `called_at`; callbacks "unsatisfied", for the callback's unit.
- overdue 超期: the clock's `due_at`; work orders with at least one clock (of any kind) due that month and
  not met by its due time.

A clock counts in the month it fell due whatever happened later (met late is late); a reopened work
order is out of the completion figures until it is completed again. Year on year compares with the same
calendar month a year earlier: rates by the difference in percentage points, counts by the change in
per cent (none when last year's count was 0). The bureau total adds up the units' numerators and
denominators (never averages their rates).

Every figure is an aggregate in PostgreSQL (GROUP BY unit and period, the two months in one query): eight
queries whatever the number of units or work orders, plus the working-day calendar when it is not cached.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, DateTimeField, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.choices import UnitKind
from org.models import Unit
from org.rules import is_unit_leader
from reports.rules import reads_whole_bureau
from reviews.choices import Resolved, Satisfaction
from reviews.models import Callback, Return
from tickets.choices import Clock, ClockStatus, Finding, Kind, Status
from tickets.models import Ticket, TicketClock, TicketTrack
from workdays.calendar import SHANGHAI, get_calendar

# A unit with fewer work orders behind an indicator than this is left off the red/black list for it.
HONOURS_MIN_VOLUME = 20
TOP_BUSINESSES = 10
EARLIEST_YEAR = 2000


# ---------------------------------------------------------------- months


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, self.month, 1, tzinfo=SHANGHAI)

    @property
    def end(self) -> dt.datetime:
        return self.next().start

    def next(self) -> Month:
        return Month(self.year + (self.month == 12), self.month % 12 + 1)

    def previous(self) -> Month:
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    def year_earlier(self) -> Month:
        return Month(self.year - 1, self.month)

    def days(self) -> list[dt.date]:
        first = self.start.date()
        return [first + dt.timedelta(days=n) for n in range((self.end.date() - first).days)]

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @classmethod
    def of(cls, moment: dt.datetime) -> Month:
        local = moment.astimezone(SHANGHAI)
        return cls(local.year, local.month)


MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def month_parse(text: str, *, now: dt.datetime | None = None) -> Month:
    """YYYY-MM, from EARLIEST_YEAR up to the current month; ValueError with a message otherwise."""
    match = MONTH_RE.match((text or "").strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(_("Give a month as YYYY-MM, e.g. 2026-09."))
    month = Month(int(match.group(1)), int(match.group(2)))
    if month.year < EARLIEST_YEAR or month > Month.of(now or timezone.now()):
        raise ValueError(_("Choose a month between %(first)s and this month.") % {"first": f"{EARLIEST_YEAR}-01"})
    return month


def month_default(*, now: dt.datetime | None = None) -> Month:
    """The last complete month."""
    return Month.of(now or timezone.now()).previous()


# ---------------------------------------------------------------- what the briefing shows


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    numerator: str
    denominator: str | None = None  # None: a count
    higher_is_better: bool = True
    is_hotline_indicator: bool = False  # one of the five, ranked on the red/black list

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None


METRICS = [
    Metric("received", gettext_lazy("Work orders received"), "received"),
    Metric(
        "first_contact", gettext_lazy("First-contact rate"), "contact_on_time", "contact_due", is_hotline_indicator=True
    ),
    Metric(
        "sign_off", gettext_lazy("On-time sign-off rate"), "signed_on_time", "signed_due", is_hotline_indicator=True
    ),
    Metric(
        "on_time_completion",
        gettext_lazy("On-time completion rate"),
        "reply_on_time",
        "reply_due",
        is_hotline_indicator=True,
    ),
    Metric("resolution", gettext_lazy("Resolution rate"), "resolved", "resolution_asked", is_hotline_indicator=True),
    Metric("satisfaction", gettext_lazy("Satisfaction rate"), "satisfied", "callbacks", is_hotline_indicator=True),
    Metric("substantiation", gettext_lazy("Substantiation rate"), "substantiated", "findings"),
    Metric("conversions", gettext_lazy("Complaint-to-case conversions"), "conversions"),
    Metric("conversion_rate", gettext_lazy("Complaint-to-case rate"), "conversions", "complaints_completed"),
    Metric("returns", gettext_lazy("Returns for redo"), "returns", higher_is_better=False),
    Metric("unsatisfied", gettext_lazy("Unsatisfied callbacks"), "unsatisfied", higher_is_better=False),
    Metric("overdue", gettext_lazy("Overdue work orders"), "overdue", higher_is_better=False),
]
METRICS_BY_KEY = {metric.key: metric for metric in METRICS}
MINUS = "\u2212"  # the minus sign, as printed in the bureau's notices


def _signed(value: float, digits: int) -> str:
    text = f"{abs(value):.{digits}f}"
    if float(text) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


@dataclass(frozen=True)
class Figure:
    """One metric of one line: this month's numerator (and denominator) and the same month a year earlier."""

    metric: Metric
    numerator: int
    denominator: int | None
    previous_numerator: int
    previous_denominator: int | None

    @property
    def value(self) -> float | int | None:
        """A rate as a fraction (None without a denominator), or the count."""
        if not self.metric.is_rate:
            return self.numerator
        return self.numerator / self.denominator if self.denominator else None

    @property
    def previous_value(self) -> float | int | None:
        if not self.metric.is_rate:
            return self.previous_numerator
        return self.previous_numerator / self.previous_denominator if self.previous_denominator else None

    @property
    def change(self) -> float | None:
        """Year on year: percentage points for a rate, per cent for a count; None when there is no base."""
        now, before = self.value, self.previous_value
        if now is None or before is None:
            return None
        if self.metric.is_rate:
            return (now - before) * 100
        if before == 0:
            return None
        return (now - before) / before * 100

    def _shown(self, value) -> str:
        if value is None:
            return "—"
        if self.metric.is_rate:
            return f"{value * 100:.1f}%"
        return str(value)

    @property
    def display(self) -> str:
        return self._shown(self.value)

    @property
    def previous_display(self) -> str:
        return self._shown(self.previous_value)

    @property
    def change_display(self) -> str:
        change = self.change
        if change is None:
            return "—"
        if self.metric.is_rate:
            return _("%(change)s percentage points") % {"change": _signed(change, 1)}
        return f"{_signed(change, 2)}%"

    @property
    def is_better(self) -> bool | None:
        change = self.change
        if change is None or round(change, 2) == 0:
            return None
        return (change > 0) == self.metric.higher_is_better


@dataclass
class Line:
    unit_id: int | None  # None: the bureau total
    name: str
    figures: list[Figure]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.metric.key == key)


@dataclass(frozen=True)
class Honour:
    """One indicator's red list (best) and black list (worst), among units with enough work orders behind it."""

    metric: Metric
    best: list[tuple[str, Figure]]
    worst: list[tuple[str, Figure]]
    eligible: int


@dataclass
class Business:
    id: int
    name: str
    tickets: int
    tickets_all_time: int


@dataclass
class Briefing:
    month: Month
    year_earlier: Month
    is_bureau_wide: bool
    lines: list[Line] = field(default_factory=list)
    total: Line | None = None
    businesses: list[Business] = field(default_factory=list)
    honours: list[Honour] = field(default_factory=list)
    min_volume: int = HONOURS_MIN_VOLUME
    counted_at: dt.datetime | None = None

    @property
    def metrics(self) -> list[Metric]:
        return METRICS


# ---------------------------------------------------------------- the aggregates


def _window(path: str, months: tuple[Month, Month]) -> Q:
    q = Q()
    for month in months:
        q |= Q(**{f"{path}__gte": month.start, f"{path}__lt": month.end})
    return q


def _period(path: str, month: Month) -> Case:
    # the WHERE keeps only the two months; the later one is "this month" (0), the other a year earlier (1)
    return Case(When(**{f"{path}__gte": month.start}, then=Value(0)), default=Value(1), output_field=IntegerField())


def _sign_off_deadline(months: tuple[Month, Month]) -> Case:
    """The end of the first working day after the dispatch day, for each day of the two months."""
    calendar = get_calendar()
    whens = []
    for month in months:
        for day in month.days():
            start = dt.datetime.combine(day, dt.time(), tzinfo=SHANGHAI)
            whens.append(
                When(
                    dispatched_at__gte=start,
                    dispatched_at__lt=start + dt.timedelta(days=1),
                    then=Value(calendar.add_working_days(day, 1).due_at),
                )
            )
    return Case(*whens, default=Value(None), output_field=DateTimeField())


def monthly_counts(bureau_id: int, month: Month, *, now: dt.datetime) -> dict[tuple[int, int], dict[str, int]]:
    """(unit id, period) -> counter -> value, for this month (period 0) and a year earlier (1).

    The briefing's expensive part (six aggregates over the two months' rows): a closed month's result is
    kept in reports.models.MonthlyCounts (reports.services) and read back with `counts_decode`.
    """
    months = (month, month.year_earlier())
    counts: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add(rows, unit_key: str):
        for row in rows:
            unit_id, period = row.pop(unit_key), row.pop("period")
            if unit_id is None:
                continue
            for key, value in row.items():
                counts[(unit_id, period)][key] += value or 0

    tickets = Ticket.objects.filter(bureau_id=bureau_id, unit__isnull=False)
    add(
        tickets.filter(_window("received_at", months))
        .annotate(period=_period("received_at", month))
        .values("unit_id", "period")
        .annotate(received=Count("id"))
        .order_by(),
        "unit_id",
    )
    signed = Q(accepted_at__isnull=False)
    add(
        tickets.filter(_window("dispatched_at", months))
        .exclude(status=Status.RETURNED_TO_PLATFORM, accepted_at__isnull=True)
        .annotate(period=_period("dispatched_at", month), sign_by=_sign_off_deadline(months))
        .values("unit_id", "period")
        .annotate(
            signed_due=Count("id", filter=signed | Q(sign_by__lt=now)),
            signed_on_time=Count("id", filter=Q(accepted_at__lte=F("sign_by"))),
        )
        .order_by(),
        "unit_id",
    )
    met_in_time = Q(met_at__isnull=False, met_at__lte=F("due_at"))
    add(
        TicketClock.objects.filter(ticket__bureau_id=bureau_id, ticket__unit__isnull=False)
        .filter(_window("due_at", months))
        .exclude(status__in=[ClockStatus.CANCELLED, ClockStatus.PAUSED])
        .filter(Q(status=ClockStatus.MET) | Q(due_at__lt=now))
        .annotate(period=_period("due_at", month))
        .values("ticket__unit_id", "period")
        .annotate(
            contact_due=Count("id", filter=Q(clock=Clock.FIRST_CONTACT)),
            contact_on_time=Count("id", filter=Q(clock=Clock.FIRST_CONTACT) & met_in_time),
            reply_due=Count("id", filter=Q(clock=Clock.REPLY)),
            reply_on_time=Count("id", filter=Q(clock=Clock.REPLY) & met_in_time),
            overdue=Count("ticket_id", distinct=True, filter=~met_in_time),
        )
        .order_by(),
        "ticket__unit_id",
    )
    complaint_kinds = [Kind.COMPLAINT, Kind.COMPOSITE]
    add(
        TicketTrack.objects.filter(ticket__bureau_id=bureau_id, ticket__unit__isnull=False)
        .filter(_window("ticket__completed_at", months))
        .annotate(period=_period("ticket__completed_at", month))
        .values("ticket__unit_id", "period")
        .annotate(
            findings=Count("id", filter=~Q(finding="")),
            substantiated=Count("id", filter=Q(finding__in=[Finding.SUBSTANTIATED, Finding.PARTLY])),
            complaints_completed=Count("ticket_id", distinct=True, filter=Q(ticket__kind__in=complaint_kinds)),
            conversions=Count(
                "ticket_id", distinct=True, filter=Q(ticket__kind__in=complaint_kinds) & ~Q(case_number="")
            ),
        )
        .order_by(),
        "ticket__unit_id",
    )
    add(
        Callback.objects.filter(ticket__bureau_id=bureau_id)
        .filter(_window("called_at", months))
        .annotate(period=_period("called_at", month), unit_key=Coalesce("unit_id", "ticket__unit_id"))
        .values("unit_key", "period")
        .annotate(
            callbacks=Count("id"),
            resolution_asked=Count("id", filter=~Q(resolved="")),
            resolved=Count("id", filter=Q(resolved=Resolved.RESOLVED)),
            satisfied=Count(
                "id", filter=Q(satisfaction__in=[Satisfaction.SATISFIED, Satisfaction.BASICALLY_SATISFIED])
            ),
            unsatisfied=Count("id", filter=Q(satisfaction=Satisfaction.UNSATISFIED)),
        )
        .order_by(),
        "unit_key",
    )
    add(
        Return.objects.filter(unit__bureau_id=bureau_id)
        .filter(_window("at", months))
        .annotate(period=_period("at", month))
        .values("unit_id", "period")
        .annotate(returns=Count("id"))
        .order_by(),
        "unit_id",
    )
    return counts


def counts_encode(counts: dict[tuple[int, int], dict[str, int]]) -> dict[str, dict[str, int]]:
    """monthly_counts() as JSON: "<unit id>:<period>" keys."""
    return {f"{unit_id}:{period}": dict(counters) for (unit_id, period), counters in counts.items()}


def counts_decode(stored: dict[str, dict[str, int]]) -> dict[tuple[int, int], dict[str, int]]:
    decoded = {}
    for key, counters in stored.items():
        unit_id, period = key.split(":")
        decoded[(int(unit_id), int(period))] = counters
    return decoded


def _line(unit_id, name: str, current: dict[str, int], previous: dict[str, int]) -> Line:
    figures = []
    for metric in METRICS:
        den = metric.denominator
        figures.append(
            Figure(
                metric=metric,
                numerator=current.get(metric.numerator, 0),
                denominator=current.get(den, 0) if den else None,
                previous_numerator=previous.get(metric.numerator, 0),
                previous_denominator=previous.get(den, 0) if den else None,
            )
        )
    return Line(unit_id=unit_id, name=name, figures=figures)


def _honours(lines: list[Line], min_volume: int) -> list[Honour]:
    """Best and worst unit on each of the five indicators separately, never one combined ranking.

    Only units with at least `min_volume` work orders behind the indicator take part; ties share a place;
    an indicator where fewer than two units take part, or all have the same rate, names nobody.
    """
    honours = []
    for metric in METRICS:
        if not metric.is_hotline_indicator:
            continue
        taking_part = [
            (line.name, line.figure(metric.key))
            for line in lines
            if (line.figure(metric.key).denominator or 0) >= min_volume
        ]
        best, worst = [], []
        if len(taking_part) >= 2:
            # ties compared on exact fractions (a/b == c/d <=> a*d == c*b), not on rounded floats
            values = [(f.numerator, f.denominator) for _, f in taking_part]
            top = max(values, key=lambda v: v[0] / v[1])
            bottom = min(values, key=lambda v: v[0] / v[1])
            if top[0] * bottom[1] != bottom[0] * top[1]:
                best = [item for item in taking_part if item[1].numerator * top[1] == top[0] * item[1].denominator]
                worst = [
                    item for item in taking_part if item[1].numerator * bottom[1] == bottom[0] * item[1].denominator
                ]
                best.sort(key=lambda item: item[0])
                worst.sort(key=lambda item: item[0])
                if not metric.higher_is_better:
                    best, worst = worst, best
        honours.append(Honour(metric=metric, best=best, worst=worst, eligible=len(taking_part)))
    return honours


def briefing_for_user(user, *, month: Month, now: dt.datetime | None = None, stored=None) -> Briefing:
    """The monthly briefing as this user may read it.

    `stored`: the bureau's kept counts of a closed month (reports.models.MonthlyCounts, from
    reports.services.monthly_counts_current), read instead of counting; None counts now.

    Section reviewers and chiefs and bureau leaders: every unit of their bureau, the total, the top
    businesses and the red/black list. A unit's leader: their own unit's line and the bureau total, the
    top businesses of their own unit's work orders, no red/black list (it names other units). Anyone
    else, or a user without a unit: an empty briefing (the view has already refused them).
    """
    now = now or timezone.now()
    whole_bureau = bool(reads_whole_bureau(user))
    briefing = Briefing(month=month, year_earlier=month.year_earlier(), is_bureau_wide=whole_bureau)
    if not user.is_authenticated or user.unit_id is None or not (whole_bureau or is_unit_leader(user)):
        return briefing
    bureau_id = user.unit.bureau_id
    own_unit = None if whole_bureau else user.unit_id

    if stored is not None and stored.bureau_id == bureau_id:
        counts, briefing.counted_at = counts_decode(stored.counts), stored.computed_at
    else:
        counts, briefing.counted_at = monthly_counts(bureau_id, month, now=now), now
    units = Unit.objects.filter(bureau_id=bureau_id).values("id", "name", "kind", "code", "is_active")
    unit_ids_with_figures = {unit_id for unit_id, _period_ in counts}
    shown = [
        u
        for u in units
        if u["id"] in unit_ids_with_figures or (u["is_active"] and u["kind"] in (UnitKind.OFFICE, UnitKind.BRIGADE))
    ]
    kind_order = {UnitKind.OFFICE: 0, UnitKind.BRIGADE: 1, UnitKind.SECTION: 2}
    shown.sort(key=lambda u: (kind_order.get(u["kind"], 3), u["code"]))
    empty: dict[str, int] = {}
    lines = [_line(u["id"], u["name"], counts.get((u["id"], 0), empty), counts.get((u["id"], 1), empty)) for u in shown]

    totals: list[dict[str, int]] = [defaultdict(int), defaultdict(int)]
    for (_unit_id, period), counters in counts.items():
        for key, value in counters.items():
            totals[period][key] += value
    briefing.total = _line(None, _("Bureau total"), totals[0], totals[1])
    briefing.honours = _honours(lines, HONOURS_MIN_VOLUME) if whole_bureau else []
    briefing.lines = lines if whole_bureau else [line for line in lines if line.unit_id == own_unit]

    if stored is not None and stored.bureau_id == bureau_id and own_unit is None:
        rows = stored.businesses
    else:
        rows = top_businesses(bureau_id, month, unit_id=own_unit)
    briefing.businesses = [Business(**row) for row in rows]
    return briefing


def top_businesses(bureau_id: int, month: Month, *, unit_id: int | None = None) -> list[dict]:
    """The businesses with the most work orders received in the month (of one unit's, when given), as dicts
    of Business's fields (kept as they are with a closed month's counts)."""
    businesses = Ticket.objects.filter(
        bureau_id=bureau_id, business__isnull=False, received_at__gte=month.start, received_at__lt=month.end
    )
    if unit_id is not None:
        businesses = businesses.filter(unit_id=unit_id)
    return [
        {
            "id": row["business_id"],
            "name": row["business__name"],
            "tickets": row["n"],
            "tickets_all_time": row["all_time"],
        }
        for row in businesses.values("business_id", "business__name")
        .annotate(n=Count("id"), all_time=F("business__ticket_count"))
        .order_by("-n", "business__name", "business_id")[:TOP_BUSINESSES]
    ]


def briefing_table(briefing: Briefing) -> tuple[list[str], list[list[str]]]:
    """The table as text, for the CSV export: a header and one row per line, the total last."""
    header = [_("Unit")]
    for metric in METRICS:
        label = str(metric.label)
        header.append(label)
        if metric.is_rate:
            header.append(_("%(metric)s: numerator/denominator") % {"metric": label})
        header.append(_("%(metric)s: %(month)s") % {"metric": label, "month": briefing.year_earlier})
        header.append(_("%(metric)s: year on year") % {"metric": label})
    rows = []
    for line in [*briefing.lines, *([briefing.total] if briefing.total else [])]:
        row = [line.name]
        for figure in line.figures:
            row.append(figure.display)
            if figure.metric.is_rate:
                row.append(f"{figure.numerator}/{figure.denominator}")
            row.append(figure.previous_display)
            row.append(figure.change_display)
        rows.append(row)
    return header, rows


__all__ = [
    "Briefing",
    "Figure",
    "Line",
    "METRICS",
    "Month",
    "briefing_for_user",
    "briefing_table",
    "month_default",
    "month_parse",
]
