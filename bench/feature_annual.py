"""Issue 19's pages, in-process (bench/run.py runs `measure()`): the hotspots page and its .xlsx, the leader's
screen's refresh (data.json) kept and counted afresh, and the annual report when it is installed.

Each figure: the section chief's request through Django's test client (middleware, session, templates, no
network), one warm-up, then the median of the runs made in SECONDS (at least MIN_RUNS).
"""

from __future__ import annotations

import statistics
import time

SECONDS = 2.0
MIN_RUNS = 5
SCREEN_REFRESH_MS = 50  # issue 19: the leader's screen's refresh p50 <= 50 ms
ANNUAL_PAGE_MS = 200  # issue 19: the annual report page and the assessment p50 <= 200 ms (kept counts)
LIVE_YEAR_S = 10.0  # issue 19: a live count of a year <= 10 s in a Celery task with progress shown


def _median_ms(client, path: str, *, before=None) -> tuple[float, int, int, float]:
    """(median ms, runs, status, p90 ms) of GET path; `before()` runs ahead of each request, outside the timing."""
    if before:
        before()
    response = client.get(path)  # warm-up
    timings = []
    started = time.perf_counter()
    while len(timings) < MIN_RUNS or time.perf_counter() - started < SECONDS:
        if before:
            before()
        began = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - began) * 1000)
        if len(timings) >= 200:
            break
    p90 = sorted(timings)[min(len(timings) - 1, int(len(timings) * 0.9))]
    return statistics.median(timings), len(timings), response.status_code, p90


def _row(key: str, label: str, path: str, figure: tuple[float, int, int, float], target_ms: float | None) -> dict:
    median, runs, status, p90 = figure
    met = "-" if target_ms is None else ("met" if median <= target_ms else "missed")
    if status != 200:
        met = f"ERROR {status}"
    return {
        "key": key,
        "label": label,
        "wall_s": median / 1000,
        "p90_s": p90 / 1000,
        "note": f"GET {path}: median of {runs} runs, in-process (section chief)",
        "target": "-" if target_ms is None else f"p50 <= {target_ms:.0f} ms",
        "met": met,
    }


def measure() -> list[dict]:
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from bench import common
    from core.process_cache import invalidate_all
    from org.models import User

    chief = User.objects.filter(username=common.SECTION_CHIEF).first()
    if chief is None:
        return [{"key": "issue19", "label": "Issue 19 pages", "met": "no section chief in this database"}]
    client = Client(HTTP_HOST="localhost")
    client.force_login(chief)
    rows = []
    hotspots = reverse("reports:hotspots")
    rows.append(_row("hotspots", "Hotspots page (last month)", hotspots, _median_ms(client, hotspots), None))
    xlsx = reverse("reports:hotspots_xlsx")
    rows.append(_row("hotspots_xlsx", "Hotspots .xlsx (last month)", xlsx, _median_ms(client, xlsx), None))
    data = reverse("reports:screen_data")
    rows.append(
        _row(
            "screen_refresh",
            "Leader's screen: refresh (data.json, kept)",
            data,
            _median_ms(client, data),
            SCREEN_REFRESH_MS,
        )
    )
    rows.append(
        _row(
            "screen_count",
            "Leader's screen: refresh counted afresh (no kept figures)",
            data,
            _median_ms(client, data, before=invalidate_all),
            None,
        )
    )
    try:
        annual = reverse("reports:annual")
    except NoReverseMatch:
        rows.append({"key": "annual_page", "label": "Annual report page", "met": "not built yet"})
    else:
        # As the hourly task keeps each month once it has settled: last year's months kept before the page is
        # read (the page itself reads the kept months and counts live only the months with none).
        from django.utils import timezone

        from reports.selectors.annual import annual_year_default
        from reports.selectors.months import Month
        from reports.services import monthly_counts_store

        year, now = annual_year_default(), timezone.now()
        rows.append(_year_count_in_background(chief.unit.bureau_id, year))
        first = time.perf_counter()
        client.get(annual)
        live_s = time.perf_counter() - first
        started = time.perf_counter()
        for month in range(1, 13):
            monthly_counts_store(chief.unit.bureau_id, Month(year, month), now=now)
        keep_s = time.perf_counter() - started
        row = _row(
            "annual_page",
            "Annual report page (last year, months kept)",
            annual,
            _median_ms(client, annual),
            ANNUAL_PAGE_MS,
        )
        row["note"] += (
            f"; before the months were kept: first read {live_s * 1000:.0f} ms (months without a usable kept row"
            f" counted live, or the offer to count them in the background), keeping the 12 months {keep_s:.1f} s"
        )
        rows.append(row)
        # the annual assessment of units, last year's, worked out from the same kept months (not kept itself)
        assessment = reverse("reports:assessment")
        rows.append(
            _row(
                "assessment_page",
                "Annual assessment page (last year, months kept, scores worked out)",
                assessment,
                _median_ms(client, assessment),
                ANNUAL_PAGE_MS,
            )
        )
        period = f"{reverse('reports:period')}?period={year}"
        rows.append(
            _row("period_page", "Any-period page (last year, months kept)", period, _median_ms(client, period), None)
        )
    return rows


def _year_count_in_background(bureau_id: int, year: int) -> dict:
    """The background count of last year (reports.count_period's work: the 12 months in one pass, then the annual
    report's sections), from nothing kept, inside a transaction rolled back (the kept rows stay as they were)."""
    from django.db import transaction
    from django.utils import timezone

    from reports.models import AnnualCounts, MonthlyCounts, PeriodCount
    from reports.services import period_count_run

    with transaction.atomic():
        MonthlyCounts.objects.filter(bureau_id=bureau_id, month__year=year).delete()
        AnnualCounts.objects.filter(bureau_id=bureau_id, year=year).delete()
        PeriodCount.objects.filter(bureau_id=bureau_id, period=str(year)).delete()
        PeriodCount.objects.create(bureau_id=bureau_id, period=str(year), requested_at=timezone.now())
        started = time.perf_counter()
        done = period_count_run(bureau_id, str(year))
        seconds = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "key": "year_count_task",
        "label": "Live count of a year in the background task (12 months + the report's sections)",
        "wall_s": seconds,
        "note": f"reports.services.period_count_run({year}): {done.done}/{done.total} steps, rolled back",
        "target": f"<= {LIVE_YEAR_S:.0f} s",
        "met": "met" if seconds <= LIVE_YEAR_S else "missed",
    }


if __name__ == "__main__":  # python -m bench.feature_annual --database hotline_bench: these figures alone
    from bench import common

    raise SystemExit(common.feature_main(measure, __doc__))
