"""The one write of the reports: keeping a closed month's counts (reports.models.MonthlyCounts)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction

from reports.assessment import assessment_scores, scheme_snapshot, scores_data
from reports.models import AssessmentResult, AssessmentScheme, MonthlyCounts
from reports.periods import Period, period_figures_of
from reports.selectors.counting import monthly_counts, top_businesses
from reports.selectors.kept import counts_encode
from reports.selectors.months import Month


def is_settled(month: Month, computed_at: dt.datetime) -> bool:
    """Counted late enough after the month closed that nothing of it should move any more.

    A work order dispatched on the month's last day is due to be signed for on the next working day, a
    callback may come a few days later: counts taken in the first HOTLINE_REPORTS_SETTLE_DAYS days after
    the month are provisional, and the hourly task counts the month again once that time has passed.
    """
    return computed_at >= month.end + dt.timedelta(days=settings.HOTLINE_REPORTS_SETTLE_DAYS)


def monthly_counts_store(bureau_id: int, month: Month, *, now: dt.datetime) -> MonthlyCounts:
    """Count a month for one bureau and keep the result (replacing what was kept)."""
    values = {
        "counts": counts_encode(monthly_counts(bureau_id, month, now=now)),
        "businesses": top_businesses(bureau_id, month),
        "computed_at": now,
    }
    try:
        with transaction.atomic():
            row, _created = MonthlyCounts.objects.update_or_create(
                bureau_id=bureau_id, month=month.start.date(), defaults=values
            )
    except IntegrityError:  # another reader kept it between our read and our write: theirs is as good
        row = MonthlyCounts.objects.get(bureau_id=bureau_id, month=month.start.date())
    return row


def monthly_counts_current(bureau_id: int, month: Month, *, now: dt.datetime) -> MonthlyCounts:
    """The kept counts of a month, counted and kept now when there are none.

    A closed month's are kept until counted again (monthly_counts_settle, or the section's "count again").
    The month in progress changes by the minute: its counts are counted again by the reader who finds them
    older than HOTLINE_REPORTS_OPEN_MONTH_SECONDS (the page says when they were counted).
    """
    row = MonthlyCounts.objects.filter(bureau_id=bureau_id, month=month.start.date()).first()
    if row is not None and row.computed_at < month.end:
        # counted while the month ran: good for a few minutes while it still runs, never once it has ended
        is_old = (now - row.computed_at).total_seconds() >= settings.HOTLINE_REPORTS_OPEN_MONTH_SECONDS
        if is_old or month.end <= now:
            row = None
    return row or monthly_counts_store(bureau_id, month, now=now)


def monthly_counts_settle(*, now: dt.datetime) -> int:
    """The hourly task's work: last month's counts of every bureau, kept once they have settled (and
    provisionally before, so that the first reader of the month does not wait; counts kept while the month
    ran, by a reader of the month in progress, are counted again at once). Returns the bureaus counted."""
    from org.models import Bureau

    month = Month.of(now).previous()
    kept = {row.bureau_id: row for row in MonthlyCounts.objects.filter(month=month.start.date())}
    counted = 0
    for bureau_id in Bureau.objects.values_list("pk", flat=True):
        row = kept.get(bureau_id)
        is_partial = row is not None and row.computed_at < month.end  # kept while the month ran
        if row is None or is_partial or (not is_settled(month, row.computed_at) and is_settled(month, now)):
            monthly_counts_store(bureau_id, month, now=now)
            counted += 1
    return counted


def assessment_compute(bureau_id: int, year: int, *, now: dt.datetime):
    """The year's scores under the year's scheme as it is now (not kept): (scheme snapshot, scores)."""
    scheme = AssessmentScheme.objects.filter(bureau_id=bureau_id, year=year).first()
    snapshot = scheme_snapshot(scheme) if scheme else {"weights": {}, "deductions": {}, "bonuses": []}
    figures = period_figures_of(bureau_id, Period.year(year), now=now)
    return snapshot, assessment_scores(figures, snapshot)


def assessment_keep(bureau_id: int, year: int, *, actor, now: dt.datetime):
    """Work out the year's assessment and keep it with the scheme in force (replacing what was kept for that
    year): editing a scheme later never changes a kept result; who kept it is recorded with it."""
    snapshot, scores = assessment_compute(bureau_id, year, now=now)
    with transaction.atomic():
        result, _created = AssessmentResult.objects.update_or_create(
            bureau_id=bureau_id,
            year=year,
            defaults={"scheme": snapshot, "lines": scores_data(scores), "computed_at": now, "computed_by": actor},
        )
    return result
