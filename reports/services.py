"""The writes of the reports: keeping a closed month's counts (reports.models.MonthlyCounts), the assessment,
a period counted in the background (PeriodCount) and the monthly briefing kept as files (BriefingFile)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction

from reports.assessment import assessment_scores, scheme_snapshot, scores_data
from reports.models import (
    AnnualCounts,
    AssessmentResult,
    AssessmentScheme,
    BriefingFile,
    MonthlyCounts,
    PeriodCount,
)
from reports.periods import Period, period_figures_of
from reports.selectors.counting import (
    jobs_run,
    monthly_counts,
    months_counts_live,
    top_businesses,
    top_businesses_of_months,
    window_counts_steps,
)
from reports.selectors.kept import counts_encode, is_settled
from reports.selectors.months import Month


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


def months_counts_store(
    bureau_id: int, months: list[Month], *, now: dt.datetime, step=None, parallel: bool = False, also=()
) -> list[MonthlyCounts]:
    """Count several months for one bureau in one pass and keep each as monthly_counts_store would (the same
    counts: reports.selectors.counting.months_counts_live, one statement per aggregate for all the months and
    the same months a year earlier; the top businesses of all the months in one more). `step` is called after
    each aggregate (window_counts_steps(kept=True) times). `also`: the caller's other jobs (no argument; what they
    give is theirs to keep), run with the top businesses once the aggregates are done, side by side with it when
    `parallel` (counting.jobs_run: the background count's annual sections)."""
    if not months:
        return []
    counts = months_counts_live(bureau_id, months, now=now, step=step, parallel=parallel)
    businesses = jobs_run([lambda: top_businesses_of_months(bureau_id, months), *also], parallel=parallel)[0]
    rows = [
        MonthlyCounts(
            bureau_id=bureau_id,
            month=month.start.date(),
            counts=counts_encode(month_counts),
            businesses=month_businesses,
            computed_at=now,
        )
        for month, month_counts, month_businesses in zip(months, counts, businesses, strict=True)
    ]
    # one INSERT ... ON CONFLICT for all the months: a month kept meanwhile by another reader is replaced, as
    # monthly_counts_store replaces what was kept
    return MonthlyCounts.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["bureau", "month"],
        update_fields=["counts", "businesses", "computed_at"],
    )


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
            if month.month == 12:  # the year has ended: its annual report's sections are kept with its December
                annual_counts_store(bureau_id, month.year, now=now)
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


# ---------------------------------------------------------------- counting a period in the background


def period_count_start(bureau_id: int, period: Period, *, actor, now: dt.datetime) -> PeriodCount:
    """Ask for a period to be counted in the background (the task reports.count_period): the period's row,
    started afresh as queued. The task is published after the commit by the caller's view."""
    row, _created = PeriodCount.objects.update_or_create(
        bureau_id=bureau_id,
        period=period.code,
        defaults={
            "status": PeriodCount.Status.QUEUED,
            "done": 0,
            "total": 0,
            "counts": None,
            "requested_by": actor,
            "requested_at": now,
            "finished_at": None,
        },
    )
    return row


def period_count_run(bureau_id: int, code: str, *, now_of=None) -> PeriodCount | None:
    """The background count of a period (reports.tasks.count_period).

    A whole-month period: the months not kept yet (the kept ones are left as they are) counted together in one
    pass (months_counts_store: one statement per aggregate for all of them and the same months a year earlier,
    never month by month) and each kept in MonthlyCounts, exactly as the hourly task would keep it; a year then
    keeps the annual report's other sections (AnnualCounts). A range that is not made of whole months: counted in
    one pass, its counts kept in the row. The progress (`done` of `total` steps) is written to the period's
    PeriodCount row after each aggregate, after keeping the months and after the sections. `now_of()` gives the
    time (timezone.now). None when the row is gone."""
    from django.utils import timezone

    from reports.periods import months_not_kept, period_parse
    from reports.selectors.annual import annual_sections
    from reports.selectors.counting import window_counts, without_jit

    now_of = now_of or timezone.now
    row = PeriodCount.objects.filter(bureau_id=bureau_id, period=code).first()
    if row is None:
        return None
    done = 0

    def step():
        nonlocal done
        done += 1
        PeriodCount.objects.filter(pk=row.pk).update(done=done)

    try:
        period = period_parse(code, now=now_of())
        months = months_not_kept(bureau_id, period, now=now_of())
        if months is None:
            total = window_counts_steps()
        else:
            total = (window_counts_steps(kept=True) + 1 if months else 0) + (period.kind == "year")
        PeriodCount.objects.filter(pk=row.pk).update(status=PeriodCount.Status.RUNNING, total=total, done=0)
        with without_jit():
            if months is None:
                earlier = period.year_earlier()
                counts = window_counts(
                    bureau_id, [period.window, earlier.window], now=now_of(), step=step, parallel=True
                )
                PeriodCount.objects.filter(pk=row.pk).update(counts=counts_encode(counts))
            else:
                # a year: the annual report's other sections too (reports.models.AnnualCounts), counted beside the
                # months' top businesses once the aggregates are done (each a statement on one core, mostly)
                is_year, sections = period.kind == "year", {}
                also = [lambda: sections.update(data=annual_sections(bureau_id, period.first.year))] if is_year else []
                if months:
                    months_counts_store(bureau_id, months, now=now_of(), step=step, parallel=True, also=also)
                    step()  # the months kept
                if is_year:  # the sections counted above, or now when every month was kept already
                    annual_counts_store(bureau_id, period.first.year, now=now_of(), data=sections.get("data"))
                    step()
    except Exception:
        PeriodCount.objects.filter(pk=row.pk).update(status=PeriodCount.Status.FAILED, finished_at=now_of())
        raise
    PeriodCount.objects.filter(pk=row.pk).update(status=PeriodCount.Status.DONE, finished_at=now_of())
    row.refresh_from_db()
    return row


# ---------------------------------------------------------------- the monthly briefing kept as files


def briefing_files_make(bureau_id: int, month: Month, *, actor, now: dt.datetime) -> list[BriefingFile]:
    """Make the month's briefing (the whole bureau's figures, reports.periods) as .xlsx and .docx and keep both
    (BriefingFile): by the schedule (`actor` None) or on demand by a reader of the whole bureau."""
    from django.core.files.base import ContentFile
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    from reports import exports
    from workdays.calendar import SHANGHAI

    period = Period.month(month.year, month.month)
    made = []
    monthly_counts_current(bureau_id, month, now=now)  # counted once and kept: the page reads the same figures
    with override(settings.LANGUAGE_CODE):  # a kept document is the bureau's, in its language
        figures = period_figures_of(bureau_id, period, now=now)
        title = _("Monthly briefing, %(month)s") % {"month": period}
        number = _("No. %(code)s") % {"code": period.code}
        contents = {
            BriefingFile.Kind.XLSX: exports.figures_xlsx(figures, title),
            BriefingFile.Kind.DOCX: exports.figures_docx(figures, title, number, now.astimezone(SHANGHAI).date()),
        }
    for kind, content in contents.items():
        kept = BriefingFile(bureau_id=bureau_id, month=month.start.date(), kind=kind, made_by=actor, made_at=now)
        kept.file.save(f"briefing-{month}.{kind}", ContentFile(content), save=False)
        try:
            with transaction.atomic():
                kept.save()
        except IntegrityError:  # the schedule's file of that month is there already (another run made it)
            kept.file.delete(save=False)
            continue
        made.append(kept)
    return made


def first_working_day(month: Month):
    """The first working day of a month (the working-day calendar)."""
    from workdays.calendar import get_calendar

    calendar = get_calendar()
    day = month.start.date()
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def briefing_files_schedule(*, now: dt.datetime) -> int:
    """The beat task's work: from the first working day of a month on, last month's briefing of every bureau as
    .xlsx and .docx, once (a bureau that has the schedule's files of last month is left alone: the task runs
    hourly and may run twice). Returns the files made."""
    from org.models import Bureau
    from workdays.calendar import SHANGHAI

    month = Month.of(now)
    if now.astimezone(SHANGHAI).date() < first_working_day(month):
        return 0
    last = month.previous()
    done = set(
        BriefingFile.objects.filter(month=last.start.date(), made_by__isnull=True)
        .values_list("bureau_id", "kind")
        .distinct()
    )
    made = 0
    for bureau_id in Bureau.objects.values_list("pk", flat=True):
        if all((bureau_id, kind) in done for kind in BriefingFile.Kind.values):
            continue
        made += len(briefing_files_make(bureau_id, last, actor=None, now=now))
    return made


# ---------------------------------------------------------------- the annual report's kept sections


def annual_counts_store(bureau_id: int, year: int, *, now: dt.datetime, data: dict | None = None) -> AnnualCounts:
    """Count the annual report's sections of a year for the whole bureau (reports.selectors.annual.
    annual_sections; `data`: counted already) and keep them, replacing what was kept."""
    from reports.selectors.annual import annual_sections

    values = {"data": annual_sections(bureau_id, year) if data is None else data, "computed_at": now}
    try:
        with transaction.atomic():
            row, _created = AnnualCounts.objects.update_or_create(bureau_id=bureau_id, year=year, defaults=values)
    except IntegrityError:  # another reader kept it meanwhile: theirs is as good
        row = AnnualCounts.objects.get(bureau_id=bureau_id, year=year)
    return row


def annual_counts_current(bureau_id: int, year: int, *, now: dt.datetime) -> AnnualCounts:
    """The kept sections of a year, counted and kept now when there are none: a closed year's (counted after it
    ended) until counted again; the year in progress's for HOTLINE_REPORTS_OPEN_MONTH_SECONDS, as its month's."""
    from reports.selectors.annual import SECTIONS_VERSION

    row = AnnualCounts.objects.filter(bureau_id=bureau_id, year=year).first()
    year_end = Period.year(year).end
    if row is not None and (row.data or {}).get("_version") != SECTIONS_VERSION:
        row = None
    if row is not None and row.computed_at < year_end:
        is_old = (now - row.computed_at).total_seconds() >= settings.HOTLINE_REPORTS_OPEN_MONTH_SECONDS
        if is_old or year_end <= now:
            row = None
    return row or annual_counts_store(bureau_id, year, now=now)
