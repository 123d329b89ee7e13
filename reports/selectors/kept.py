"""The kept form of monthly_counts() (reports.models.MonthlyCounts.counts): JSON keys "<unit id>:<period>"."""

from __future__ import annotations


def counts_encode(counts: dict[tuple[int, int], dict[str, int]]) -> dict[str, dict[str, int]]:
    """monthly_counts() as JSON: "<unit id>:<period>" keys."""
    return {f"{unit_id}:{period}": dict(counters) for (unit_id, period), counters in counts.items()}


def counts_decode(stored: dict[str, dict[str, int]]) -> dict[tuple[int, int], dict[str, int]]:
    decoded = {}
    for key, counters in stored.items():
        unit_id, period = key.split(":")
        decoded[(int(unit_id), int(period))] = counters
    return decoded
