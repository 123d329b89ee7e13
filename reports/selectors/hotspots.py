"""Hotspots (大体检 targets): the businesses and categories with the most work orders over a chosen span of
days, and those whose number grew the most against the span just before it (docs/reports.md, "Hotspots").

Counted by the work order's `received_at` (Shanghai days), in the database: four aggregates (businesses and
categories, each by count and by growth), whatever the span or the number of work orders.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, F, Q

from org.rules import is_unit_leader
from reports.rules import reads_whole_bureau
from tickets.models import Ticket
from workdays.calendar import SHANGHAI

HOTSPOTS_LIMIT = 20
# The longest span the page counts live (a year and a day: a leap year's whole year).
MAX_SPAN_DAYS = 366


@dataclass(frozen=True)
class Span:
    """The days `first` to `last`, both included, in Shanghai time."""

    first: dt.date
    last: dt.date

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(), tzinfo=SHANGHAI)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def previous(self) -> Span:
        """The span of as many days just before this one (growth is counted against it)."""
        return Span(self.first - dt.timedelta(days=self.days), self.first - dt.timedelta(days=1))

    def __str__(self) -> str:
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


@dataclass(frozen=True)
class Hotspot:
    """One business or category: its work orders in the span and in the span before."""

    id: int
    name: str
    count: int
    previous: int

    @property
    def growth(self) -> int:
        return self.count - self.previous

    @property
    def growth_percent(self) -> float | None:
        """The change in per cent; None when the span before had none."""
        return (self.count - self.previous) / self.previous * 100 if self.previous else None


@dataclass
class Hotspots:
    span: Span
    previous_span: Span
    unit_id: int | None = None  # the unit the lines are limited to (a unit leader's own, always)
    area: str = ""
    category_id: int | None = None
    businesses_by_count: list[Hotspot] = field(default_factory=list)
    businesses_by_growth: list[Hotspot] = field(default_factory=list)
    categories_by_count: list[Hotspot] = field(default_factory=list)
    categories_by_growth: list[Hotspot] = field(default_factory=list)


def hotspots_scope_unit(user) -> tuple[bool, int | None]:
    """(may read hotspots, the unit they are limited to: None for the whole bureau)."""
    if not user.is_authenticated or user.unit_id is None:
        return False, None
    if reads_whole_bureau(user):
        return True, None
    if is_unit_leader(user):
        return True, user.unit_id
    return False, None


def _ranked(
    rows, current: Q, key: str, name: str, limit: int, *, growth: bool = True
) -> tuple[list[Hotspot], list[Hotspot]]:
    # received_at, not id, counted: ticket_bureau_received_idx holds it with the business and the category (read alone)
    rows = rows.values(key, name).annotate(
        n=Count("received_at", filter=current), before=Count("received_at", filter=~current)
    )

    def made(values) -> list[Hotspot]:
        return [Hotspot(id=r[key], name=r[name], count=r["n"], previous=r["before"]) for r in values]

    by_count = made(rows.filter(n__gt=0).order_by("-n", name, key)[:limit])
    if not growth:
        return by_count, []
    by_growth = made(
        rows.annotate(growth=F("n") - F("before")).filter(growth__gt=0).order_by("-growth", "-n", name, key)[:limit]
    )
    return by_count, by_growth


def hotspots_for_user(
    user,
    *,
    span: Span,
    unit_id: int | None = None,
    area: str = "",
    category_id: int | None = None,
    limit: int = HOTSPOTS_LIMIT,
    previous: Span | None = None,
) -> Hotspots:
    """The hotspots this user may read: the bureau's work orders (a unit leader: their own unit's only),
    received in `span` and the span before it, limited to a unit, an area (the units serving a town or
    street, `Unit.town`) and a category when given; growth against `previous` (by default as many days just
    before: the annual report gives the year before). Four queries; none for a user who may not read them."""
    previous = previous or span.previous()
    allowed, own_unit = hotspots_scope_unit(user)
    if not allowed:
        return Hotspots(
            span=span, previous_span=previous, unit_id=own_unit or unit_id, area=area, category_id=category_id
        )
    return hotspots_for_bureau(
        user.unit.bureau_id,
        span=span,
        previous=previous,
        unit_id=own_unit or unit_id,
        area=area,
        category_id=category_id,
        limit=limit,
    )


def hotspots_for_bureau(
    bureau_id: int,
    *,
    span: Span,
    previous: Span,
    unit_id: int | None = None,
    area: str = "",
    category_id: int | None = None,
    limit: int = HOTSPOTS_LIMIT,
    growth: bool = True,
) -> Hotspots:
    """hotspots_for_user's count for a bureau (unscoped: the caller decides what the reader may see); without
    `growth` only the two lists by count (two queries, the annual report)."""
    result = Hotspots(span=span, previous_span=previous, unit_id=unit_id, area=area, category_id=category_id)
    tickets = Ticket.objects.filter(bureau_id=bureau_id, received_at__gte=previous.start, received_at__lt=span.end)
    if result.unit_id is not None:
        tickets = tickets.filter(unit_id=result.unit_id)
    if area:
        tickets = tickets.filter(unit__town=area)
    if category_id is not None:
        tickets = tickets.filter(category_id=category_id)
    current = Q(received_at__gte=span.start)
    result.businesses_by_count, result.businesses_by_growth = _ranked(
        tickets.filter(business__isnull=False), current, "business_id", "business__name", limit, growth=growth
    )
    result.categories_by_count, result.categories_by_growth = _ranked(
        tickets.filter(category__isnull=False), current, "category_id", "category__name", limit, growth=growth
    )
    return result


def hot_categories(bureau_id: int, span: Span, limit: int = 10) -> list[Hotspot]:
    """The bureau's categories with the most work orders received in `span` (and in the span before), one
    query: the leader's screen (reports.selectors.screen)."""
    previous = span.previous()
    tickets = Ticket.objects.filter(
        bureau_id=bureau_id, category__isnull=False, received_at__gte=previous.start, received_at__lt=span.end
    )
    current = Q(received_at__gte=span.start)
    return _ranked(tickets, current, "category_id", "category__name", limit, growth=False)[0]
