"""Any period's figures (reports.periods) and the annual assessment, in-process on the bench database.

- the year's figures counted live in one pass (no kept months): what a first reader, or the task keeping a
  year, waits for (issue 19: a live count of a year <= 10 s at 1,000,000, in a Celery task);
- the year's figures read from the kept months (every month of the year kept first, inside a transaction
  that is rolled back): the annual report's and the assessment's read (issue 19: p50 <= 200 ms);
- the assessment page's computation from the kept months.

Writes nothing that stays: the months are kept inside a transaction rolled back at the end.
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
    with transaction.atomic():
        from reports.models import MonthlyCounts

        MonthlyCounts.objects.filter(bureau_id=bureau_id, month__year=year).delete()
        started = time.perf_counter()
        live = period_figures_of(bureau_id, period, now=now)
        live_s = time.perf_counter() - started
        rows.append(
            {
                "key": "period_year_live",
                "label": f"Year {year}: figures counted live in one pass (no kept months)",
                "wall_s": live_s,
                "note": f"{live.total.figure('received').numerator:,} work orders received; source {live.source}",
                "target": f"<= {LIVE_YEAR_S:.0f} s",
                "met": "met" if live_s <= LIVE_YEAR_S else "missed",
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


if __name__ == "__main__":  # python -m bench.feature_periods --database hotline_bench: these figures alone
    from bench import common

    raise SystemExit(common.feature_main(measure, __doc__))
