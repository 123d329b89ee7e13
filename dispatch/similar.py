"""Where similar past work orders went: the suggestion's fallback when the catalogue is silent.

A finder is any callable named by settings.HOTLINE_DISPATCH_SIMILAR_FINDER (a dotted path) that takes a
list of tickets and `since_days` and gives, for each ticket it knows something of, the units that similar
past tickets (received within `since_days` before it, already sent to a unit) went to, as
[(unit id, how many similar tickets went there)], the most telling first. A text-similarity facility can
be plugged in there; this default is simple: the same business first, then the same category.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from core.process_cache import ProcessCache
from tickets.models import Ticket

CATEGORY_COUNTS_SECONDS = 600


def _category_counts() -> dict[tuple[int, int], list[tuple[int, int]]]:
    """(bureau, category) -> [(unit, tickets)] of the last 12 months, most first: one aggregate, kept 10 minutes."""
    since = timezone.now() - dt.timedelta(days=365)
    counts: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    rows = (
        Ticket.objects.filter(received_at__gte=since, unit__isnull=False, category__isnull=False)
        .values("bureau_id", "category_id", "unit_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        counts[(row["bureau_id"], row["category_id"])].append((row["unit_id"], row["n"]))
    for units in counts.values():
        units.sort(key=lambda item: (-item[1], item[0]))
    return dict(counts)


category_counts: ProcessCache[dict] = ProcessCache(_category_counts, seconds=CATEGORY_COUNTS_SECONDS)


def same_business_or_category(tickets: list, *, since_days: int = 365) -> dict[int, list[tuple[int, int]]]:
    """Past tickets about the same business (one query for all the tickets), else of the same category
    (counts kept per process for ten minutes)."""
    found: dict[int, list[tuple[int, int]]] = {}
    with_business = [t for t in tickets if t.business_id]
    if with_business:
        earliest = min(t.received_at for t in with_business) - dt.timedelta(days=since_days)
        latest = max(t.received_at for t in with_business)
        rows = (
            Ticket.objects.filter(
                business_id__in={t.business_id for t in with_business},
                bureau_id__in={t.bureau_id for t in with_business},
                received_at__gte=earliest,
                received_at__lt=latest,
                unit__isnull=False,
            )
            .exclude(pk__in=[t.pk for t in with_business if t.pk is not None])  # intake asks before the insert
            .values("business_id", "unit_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        by_business: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for row in rows:
            by_business[row["business_id"]].append((row["unit_id"], row["n"]))
        for ticket in with_business:
            units = sorted(by_business.get(ticket.business_id, []), key=lambda item: (-item[1], item[0]))
            if units:
                found[ticket.pk] = units
    counts = None
    for ticket in tickets:
        if ticket.pk in found or not ticket.category_id:
            continue
        counts = counts if counts is not None else category_counts.get()
        units = counts.get((ticket.bureau_id, ticket.category_id))
        if units:
            found[ticket.pk] = units
    return found
