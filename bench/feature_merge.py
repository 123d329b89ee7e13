"""Merging duplicates and near-identical texts, in-process (docs/duplicates.md, docs/bench.md).

- `duplicate_proposals`: the possible duplicates of one new work order (tickets.duplicates.duplicate_candidates:
  the same complainant or business on the same matter, or a near-identical text in the window), for each of the
  `count` most recently received work orders as if it had just arrived; median and 95th percentile. Target 20 ms.
- `near_duplicate_texts`: the near-identical-text search alone (tickets.similarity.similar_texts) for the same
  work orders, at the alerts' template threshold.

Run alone: `python -m bench.feature_merge --database hl_bench_merge` (bench/run.py runs it with the rest).
"""

from __future__ import annotations

import statistics
import time

PROPOSALS_MS = 20.0


def _percentiles(timings: list[float]) -> tuple[float, float]:
    timings = sorted(timings)
    return statistics.median(timings), timings[min(len(timings) - 1, int(len(timings) * 0.95))]


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
            "note": f"p95 {p95 * 1000:.1f} ms; {found / len(proposals):.1f} proposals a work order",
            "target": f"< {PROPOSALS_MS:.0f} ms",
            "met": "met" if p50 * 1000 < PROPOSALS_MS else "missed",
        },
        {
            "key": "near_duplicate_texts",
            "label": f"Near-identical texts of one work order, {threshold:.0%} (median of the {len(texts)} latest)",
            "wall_s": t50,
            "note": f"p95 {t95 * 1000:.1f} ms; {similar / len(texts):.1f} found a work order",
            "target": "-",
            "met": "-",
        },
    ]


def main(argv=None) -> int:
    import argparse
    import os

    from bench import common

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", default=common.FULL_DATABASE)
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args(argv)
    common.django_setup(common.bench_database_url(args.database, os.environ.get("DATABASE_URL")))
    for row in measure(args.count):
        wall = row.get("wall_s")
        print(f"{row['label']}: {wall * 1000:.2f} ms ({row.get('note', '')}) target {row.get('target')}: {row['met']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
