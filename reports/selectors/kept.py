"""The kept form of monthly_counts() (reports.models.MonthlyCounts.counts): JSON keys "<unit id>:<period>",
and "_version" (COUNTS_VERSION: which counters a kept row has)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

# 2: the counters that add up to any period (reports.periods): completions, redo, coverage, replies, the
# overdue work orders by months since last overdue, the processing days. Rows of version 1 lack them.
# 3: dispatch objections (raised, upheld, rejected, the working hours to decide). Rows of version 2 lack them.
COUNTS_VERSION = 3


def is_settled(month, computed_at: dt.datetime) -> bool:
    """Counted late enough after the month (a reports.selectors.months.Month) closed that nothing of it should move
    any more.

    A work order dispatched on the month's last day is due to be signed for on the next working day, a
    callback may come a few days later: counts taken in the first HOTLINE_REPORTS_SETTLE_DAYS days after
    the month are provisional, and the hourly task counts the month again once that time has passed.
    """
    return computed_at >= month.end + dt.timedelta(days=settings.HOTLINE_REPORTS_SETTLE_DAYS)


def counts_encode(counts: dict[tuple[int, int], dict[str, int]]) -> dict[str, dict[str, int]]:
    """monthly_counts() as JSON: "<unit id>:<period>" keys."""
    encoded = {f"{unit_id}:{period}": dict(counters) for (unit_id, period), counters in counts.items()}
    encoded["_version"] = {"counts": COUNTS_VERSION}
    return encoded


def counts_version(stored: dict) -> int:
    """The version of a kept row's counts (1: kept before the version was recorded)."""
    return (stored.get("_version") or {}).get("counts", 1)


def counts_decode(stored: dict[str, dict[str, int]]) -> dict[tuple[int, int], dict[str, int]]:
    decoded = {}
    for key, counters in stored.items():
        if key.startswith("_"):
            continue
        unit_id, period = key.split(":")
        decoded[(int(unit_id), int(period))] = counters
    return decoded
