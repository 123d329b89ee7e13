"""Any period's figures (reports.periods) and the annual assessment, in-process on the bench database.

- the background count of last year (reports.count_period's work, reports.services.period_count_run, from no
  kept month of that year: the 12 months in one pass, kept, then the annual report's sections), with the time of
  each progress step (issue 19: a live count of a year <= 10 s at 1,000,000, in a Celery task, progress shown):
  once with the year before it kept (as the hourly task keeps every closed month: its kept counts stand as the
  year-earlier figures) and once with neither year kept (both years counted);
- the year's figures counted live in one pass on the page's path (period_figures_of, no kept months: what a
  first reader would wait for; the page sends such a year to the background count instead);
- the year's figures read from the kept months (every month of the year kept first, inside a transaction
  that is rolled back): the annual report's and the assessment's read (issue 19: p50 <= 200 ms);
- the assessment page's computation from the kept months.

Writes nothing that stays: the background count runs as the task does, outside a transaction, and what it deleted
is put back afterwards; the rest is kept inside a transaction rolled back at the end.
"""

from __future__ import annotations

import statistics
import time

LIVE_YEAR_S = 10.0
KEPT_MS = 200.0


def _timed(function, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return timings


def measure(repeat: int = 20) -> list[dict]:
    try:
        from reports.periods import Period, period_figures_of
        from reports.services import assessment_compute, monthly_counts_store
    except ImportError:
        return [{"key": "period_figures", "label": "Any period's figures", "met": "not built yet"}]
    from django.db import transaction
    from django.utils import timezone

    from org.models import Bureau
    from reports.selectors import Month

    bureau_id = Bureau.objects.values_list("pk", flat=True).first()
    if bureau_id is None:
        return [{"key": "period_figures", "label": "Any period's figures", "met": "no bureau"}]
    now = timezone.now()
    year = Month.of(now).year - 1  # the last complete year: what the annual report and the assessment read
    period = Period.year(year)
    rows = []
    rows.append(_year_count_task(bureau_id, year))
    rows.append(_year_count_task(bureau_id, year, earlier_kept=False))
    with transaction.atomic():
        from reports.models import MonthlyCounts

        MonthlyCounts.objects.filter(bureau_id=bureau_id, month__year=year).delete()
        started = time.perf_counter()
        live = period_figures_of(bureau_id, period, now=now)
        live_s = time.perf_counter() - started
        rows.append(
            {
                "key": "period_year_live",
                "label": f"Year {year}: figures counted live in one pass (no month of {year} kept)",
                "wall_s": live_s,
                "note": f"{live.total.figure('received').numerator:,} work orders received; source {live.source}"
                " (the page's path: JIT as configured, no months kept)",
                "target": "-",
                "met": "-",
            }
        )
        started = time.perf_counter()
        for month in range(1, 13):
            monthly_counts_store(bureau_id, Month(year, month), now=now)
        keep_s = time.perf_counter() - started
        kept = _timed(lambda: period_figures_of(bureau_id, period, now=now), repeat)
        median = statistics.median(kept)
        rows.append(
            {
                "key": "period_year_kept",
                "label": f"Year {year}: figures added up from the 12 kept months (median of {repeat})",
                "wall_s": median,
                "p90_s": sorted(kept)[int(len(kept) * 0.9)],
                "note": f"keeping the 12 months first took {keep_s:.1f} s, month by month",
                "target": f"<= {KEPT_MS:.0f} ms",
                "met": "met" if median * 1000 <= KEPT_MS else "missed",
            }
        )
        assessed = _timed(lambda: assessment_compute(bureau_id, year, now=now), repeat)
        median = statistics.median(assessed)
        rows.append(
            {
                "key": "assessment_year_kept",
                "label": f"Year {year}: the assessment worked out from the kept months (median of {repeat})",
                "wall_s": median,
                "p90_s": sorted(assessed)[int(len(assessed) * 0.9)],
                "note": "",
                "target": f"<= {KEPT_MS:.0f} ms",
                "met": "met" if median * 1000 <= KEPT_MS else "missed",
            }
        )
        transaction.set_rollback(True)
    return rows


def _year_count_task(bureau_id: int, year: int, *, earlier_kept: bool = True) -> dict:
    """reports.services.period_count_run(year) from nothing kept of that year (the year's months, its annual
    sections and its PeriodCount row deleted first; `earlier_kept` False: the year before's months too), as the
    Celery task runs it: outside a transaction (its aggregates side by side on two connections, which a rolled
    back transaction would not allow). What it deleted is put back afterwards, what it kept removed: the database
    is left as it was. The moment of each progress step is taken by wrapping the step the task passes to the count
    (the longest wait between two steps is what a reader watching the progress bar sees)."""
    from django.db import transaction
    from django.utils import timezone

    from reports import services
    from reports.models import AnnualCounts, MonthlyCounts, PeriodCount

    steps: list[float] = []
    original = services.months_counts_live

    def counted(bureau_id, months, *, now, step, parallel=False):
        def timed_step():
            step()
            steps.append(time.perf_counter())

        return original(bureau_id, months, now=now, step=timed_step, parallel=parallel)

    years = [year] if earlier_kept else [year, year - 1]
    kept_months = list(MonthlyCounts.objects.filter(bureau_id=bureau_id, month__year__in=years))
    kept_sections = list(AnnualCounts.objects.filter(bureau_id=bureau_id, year=year))
    kept_rows = list(PeriodCount.objects.filter(bureau_id=bureau_id, period=str(year)))

    def clear():
        MonthlyCounts.objects.filter(bureau_id=bureau_id, month__year__in=years).delete()
        AnnualCounts.objects.filter(bureau_id=bureau_id, year=year).delete()
        PeriodCount.objects.filter(bureau_id=bureau_id, period=str(year)).delete()

    with transaction.atomic():
        clear()
        PeriodCount.objects.create(bureau_id=bureau_id, period=str(year), requested_at=timezone.now())
    earlier = MonthlyCounts.objects.filter(bureau_id=bureau_id, month__year=year - 1).count()
    services.months_counts_live = counted
    try:
        started = time.perf_counter()
        done = services.period_count_run(bureau_id, str(year))
        seconds = time.perf_counter() - started
    finally:
        services.months_counts_live = original
        with transaction.atomic():  # as it was
            clear()
            MonthlyCounts.objects.bulk_create(kept_months)
            AnnualCounts.objects.bulk_create(kept_sections)
            PeriodCount.objects.bulk_create(kept_rows)
    moments = [started, *steps, started + seconds]
    longest = max(later - earlier for earlier, later in zip(moments, moments[1:], strict=False))
    return {
        "key": "year_count_task" if earlier_kept else "year_count_task_nothing_kept",
        "label": f"Year {year}: the background count (reports.count_period), no month of {year} kept, "
        + (f"{earlier} months of {year - 1} kept" if earlier else f"nothing of {year - 1} kept either"),
        "wall_s": seconds,
        "note": f"period_count_run: {done.done}/{done.total} steps, the aggregates done at "
        + ", ".join(f"{moment - started:.1f}" for moment in steps)
        + f" s; the longest wait between two progress steps {longest:.1f} s; the database put back as it was",
        "target": f"<= {LIVE_YEAR_S:.0f} s",
        "met": "met" if seconds <= LIVE_YEAR_S else "missed",
    }


if __name__ == "__main__":  # python -m bench.feature_periods --database hotline_bench: these figures alone
    from bench import common

    raise SystemExit(common.feature_main(measure, __doc__))
