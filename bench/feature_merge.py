"""Merging duplicates and near-identical texts, in-process (docs/duplicates.md, docs/bench.md).

- `duplicate_proposals`: the possible duplicates of one new work order (tickets.duplicates.duplicate_candidates:
  the same complainant or business on the same matter, or a near-identical text in the window), for each of the
  `count` most recently received work orders as if it had just arrived; median and 95th percentile. Target 20 ms.
- `near_duplicate_texts`: the near-identical-text search alone (tickets.similarity.similar_texts) for the same
  work orders, at the alerts' template threshold.

- `inbox_page`: the dispatcher's inbox (first page and last page: the oldest and the newest waiting work orders)
  with each row's suggested unit and possible duplicates, through Django's test client as the dispatcher, against
  `inbox_page_plain`, the same page with the suggestions and proposals left out (the inbox as it was before issue
  15: the same list, nothing per row). Target: within 20% (INBOX_RATIO).

Run alone: `python -m bench.feature_merge --database hotline_bench` (bench/run.py runs it with the rest).
"""

from __future__ import annotations

import statistics
import time

PROPOSALS_MS = 20.0
INBOX_RATIO = 1.20  # issue 15: the inbox with suggestions and proposals within 20% of the plain inbox
INBOX_SECONDS = 3.0
INBOX_MIN_RUNS = 30


def _percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[min(len(timings) - 1, int(len(timings) * 0.95))]


def _p90(timings: list[float]) -> float:
    timings = sorted(timings)
    return timings[min(len(timings) - 1, int(len(timings) * 0.90))]


def _page_timings(client, path: str) -> tuple[list[float], int]:
    client.get(path)  # warm-up (per-process caches: the catalogue, the similar counts)
    timings, started = [], time.perf_counter()
    while len(timings) < INBOX_MIN_RUNS or time.perf_counter() - started < INBOX_SECONDS:
        began = time.perf_counter()
        response = client.get(path)
        timings.append(time.perf_counter() - began)
    return timings, response.status_code


def measure_inbox() -> list[dict]:
    """The inbox page with and without its per-row additions, alternating the two so that a busy machine weighs
    on both alike; first page (oldest) and last page (newest)."""
    from unittest import mock

    from django.db.models import Count
    from django.test import Client
    from django.urls import reverse

    from bench import common
    from org.models import User
    from tickets.choices import Status
    from tickets.models import DuplicateProposal, Ticket
    from tickets.views import lists

    dispatcher = User.objects.filter(username=common.DISPATCHER).first()
    if dispatcher is None:
        return [{"key": "inbox_page", "label": "Dispatch inbox", "met": "no bench_dispatcher"}]
    client = Client(HTTP_HOST="localhost")
    client.force_login(dispatcher)
    waiting = Ticket.objects.filter(status=Status.RECEIVED).count()
    last = max(1, min((waiting + lists.PAGE_SIZE - 1) // lists.PAGE_SIZE, lists.COUNT_CAP // lists.PAGE_SIZE))
    rows = []
    for page in sorted({1, last}):
        path = reverse("tickets:inbox") + (f"?page={page}" if page > 1 else "")
        ids = list(
            Ticket.objects.filter(status=Status.RECEIVED)
            .order_by("received_at", "id")
            .values_list("pk", flat=True)[(page - 1) * lists.PAGE_SIZE : page * lists.PAGE_SIZE]
        )
        with_dups = (
            DuplicateProposal.objects.filter(ticket_id__in=ids).values("ticket_id").annotate(n=Count("pk")).count()
        )
        full, plain = [], []
        for _round in range(3):
            timings, status = _page_timings(client, path)
            full += timings
            with (
                mock.patch.object(lists, "suggestions_for_rows", lambda values: {}),
                mock.patch.object(lists.InboxView, "row_extra_fields", ()),
                mock.patch.object(lists.duplicates, "proposals_for", lambda ids: {}),
                mock.patch.object(lists.duplicates, "proposal_counts_of_rows", lambda values: {}),
            ):
                timings, plain_status = _page_timings(client, path)
                plain += timings
        f50, p50 = statistics.median(full), statistics.median(plain)
        where = "first page (oldest)" if page == 1 else f"page {page} (newest)"
        note = f"{waiting:,} waiting; {with_dups} of the page's {len(ids)} rows with stored proposals"
        rows.append(
            {
                "key": f"inbox_page_plain_{page}",
                "label": f"Dispatch inbox, {where}, plain (no suggestions, no proposals)",
                "wall_s": p50,
                "p90_s": _p90(plain),
                "note": f"{len(plain)} requests, in-process (dispatcher); {note}",
                "target": "reference",
                "met": "-" if plain_status == 200 else f"ERROR {plain_status}",
            }
        )
        ratio = f50 / p50
        rows.append(
            {
                "key": f"inbox_page_{page}",
                "label": f"Dispatch inbox, {where}, with suggestions and proposals",
                "wall_s": f50,
                "p90_s": _p90(full),
                "note": f"{len(full)} requests; {ratio:.2f} x the plain page (p90 {_p90(full) / _p90(plain):.2f} x)",
                "target": f"<= {INBOX_RATIO:.2f} x plain",
                "met": ("met" if ratio <= INBOX_RATIO else "missed") if status == 200 else f"ERROR {status}",
            }
        )
    return rows


def measure(count: int = 300) -> list[dict]:
    try:
        from tickets import duplicates, similarity
    except ImportError:
        return [{"key": "duplicate_proposals", "label": "Duplicate proposals", "met": "not built yet"}]
    import datetime as dt

    from django.conf import settings

    from tickets.models import Ticket, TicketTextKey

    tickets = list(
        Ticket.objects.order_by("-received_at", "-pk").only(
            "pk",
            "bureau_id",
            "received_at",
            "content",
            "complainant_phone",
            "complainant_id_number",
            "business_id",
            "category_id",
        )[:count]
    )
    if not tickets or not TicketTextKey.objects.exists():
        return [{"key": "duplicate_proposals", "label": "Duplicate proposals", "met": "no tickets or no text keys"}]
    proposals, found, texts, similar = [], 0, [], 0
    for ticket in tickets:
        started = time.perf_counter()
        found += len(duplicates.duplicate_candidates(ticket))
        proposals.append(time.perf_counter() - started)
    threshold = settings.HOTLINE_ALERT_TEMPLATE_SIMILARITY_PERCENT / 100
    window = dt.timedelta(days=settings.HOTLINE_ALERT_TEMPLATE_WINDOW_DAYS)
    for ticket in tickets:
        started = time.perf_counter()
        similar += len(
            similarity.similar_texts(
                bureau_id=ticket.bureau_id,
                content=ticket.content,
                start=ticket.received_at - window,
                end=ticket.received_at,
                threshold=threshold,
                exclude=[ticket.pk],
            )
        )
        texts.append(time.perf_counter() - started)
    p50, p95 = _percentiles(proposals)
    t50, t95 = _percentiles(texts)
    return [
        {
            "key": "duplicate_proposals",
            "label": f"Duplicate proposals for one new work order (median of the {len(proposals)} latest)",
            "wall_s": p50,
            "p90_s": _p90(proposals),
            "note": f"p95 {p95 * 1000:.1f} ms; {found / len(proposals):.1f} proposals a work order",
            "target": f"< {PROPOSALS_MS:.0f} ms",
            "met": "met" if p50 * 1000 < PROPOSALS_MS else "missed",
        },
        {
            "key": "near_duplicate_texts",
            "label": f"Near-identical texts of one work order, {threshold:.0%} (median of the {len(texts)} latest)",
            "wall_s": t50,
            "p90_s": _p90(texts),
            "note": f"p95 {t95 * 1000:.1f} ms; {similar / len(texts):.1f} found a work order",
            "target": "-",
            "met": "-",
        },
    ] + measure_inbox()


if __name__ == "__main__":  # python -m bench.feature_merge --database hotline_bench: these figures alone
    from bench import common

    raise SystemExit(common.feature_main(measure, __doc__))
