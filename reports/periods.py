"""Any period's figures (a month, a quarter, a year or a range of days): every figure of the monthly
briefing plus the return rate, the redo rate, callback coverage, dispatch objections and the median
processing time, per unit and for the bureau, with the same period a year earlier (docs/reports.md).

The entry points:

- `period_figures(bureau, first_day, last_day, unit=None, *, now=None) -> PeriodFigures`: the figures of the
  days first_day..last_day (both included) for every unit with a line and the bureau total; `unit` keeps only
  that unit's line (the total stays the bureau's).
- `period_figures_for_user(user, period, *, now=None)`: the same, scoped as the briefing is (a unit leader:
  their own unit's line and the total; readers of the whole bureau: every line; anyone else: nothing).
- `months_figures(bureau, period, *, now=None) -> list[PeriodFigures]`: one PeriodFigures per calendar month
  of a whole-month period (the annual report's trends), from the same kept counts.

How it is counted. A period made of whole calendar months adds up the kept monthly counts
(reports.models.MonthlyCounts, one query for all the months) and counts in one pass (reports.selectors.
counting.window_counts, one set of aggregates for all of them together, never month by month) only the
months with no usable kept row. A range that does not start and end on a month's edge is counted live over
the whole range in one pass. What cannot be added up from months is kept in a form that can: the overdue
work orders (a distinct count: one overdue in two months counts once) by months since the work order was
last overdue, and the processing time (a median) as the number of work orders per whole working day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.rules import is_unit_leader
from reports.models import MonthlyCounts
from reports.rules import reads_whole_bureau
from reports.selectors.briefing import units_shown
from reports.selectors.counting import OVERDUE_LAGS, months_counts_live, window_counts
from reports.selectors.figures import METRICS, MINUS, OBJECTION_METRICS, Figure, Metric
from reports.selectors.kept import COUNTS_VERSION, counts_decode, counts_version
from reports.selectors.months import EARLIEST_YEAR, Month
from workdays.calendar import SHANGHAI

MAX_DAYS = 366  # a period and the same period a year earlier must not overlap


@dataclass(frozen=True)
class PeriodMetric(Metric):
    """A metric of any period: `formula` says how it is counted (shown beside the figure);
    `is_median`: the value is the median of the `<histogram><n>` counters (`days_<n>`: working days, or
    `objection_hours_<n>`: working hours), not a fraction."""

    formula: str = ""
    is_median: bool = False
    histogram: str = "days_"

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None and not self.is_median


FORMULAS = {
    "received": gettext_lazy("Work orders received in the period (their date of receipt)."),
    "first_contact": gettext_lazy(
        "First-contact clocks met by their due time ÷ first-contact clocks falling due in the period "
        "(met, or open and past due)."
    ),
    "sign_off": gettext_lazy(
        "Work orders signed for by the end of the first working day after the dispatch day ÷ work orders "
        "dispatched in the period (signed for or past that deadline)."
    ),
    "on_time_completion": gettext_lazy(
        "Reply clocks met by their due time ÷ reply clocks falling due in the period (met, or open and past due)."
    ),
    "resolution": gettext_lazy('Callbacks "resolved" ÷ callbacks in the period that recorded a resolution.'),
    "satisfaction": gettext_lazy("Callbacks satisfied or basically satisfied ÷ callbacks in the period."),
    "substantiation": gettext_lazy(
        "Tracks substantiated or partly substantiated ÷ tracks with a finding, of work orders completed in the period."
    ),
    "conversions": gettext_lazy(
        "Complaint and composite work orders completed in the period with a case number on a track."
    ),
    "conversion_rate": gettext_lazy(
        "Complaint-to-case conversions ÷ complaint and composite work orders completed in the period."
    ),
    "returns": gettext_lazy("Replies returned for redo by the unit leader or the section in the period."),
    "unsatisfied": gettext_lazy('Callbacks "unsatisfied" in the period.'),
    "overdue": gettext_lazy(
        "Work orders with at least one clock falling due in the period and not met by its due time "
        "(each work order once, however many months it was overdue in)."
    ),
    "return_rate": gettext_lazy("Replies returned for redo ÷ replies submitted in the period."),
    "redo_rate": gettext_lazy(
        "Work orders completed in the period that were redone (returned for redo, or reopened after an "
        "unsatisfied callback) ÷ work orders completed in the period."
    ),
    "callback_coverage": gettext_lazy(
        "Substantiated work orders completed in the period that have a callback ÷ substantiated work orders "
        "completed in the period."
    ),
    "objections": gettext_lazy("Dispatch objections the unit raised in the period."),
    "objections_upheld": gettext_lazy(
        "The unit's dispatch objections decided in the period that were upheld (the work order re-dispatched)."
    ),
    "objections_rejected": gettext_lazy(
        "The unit's dispatch objections decided in the period that were rejected (the unit kept the work order)."
    ),
    "objection_hours": gettext_lazy(
        "The median number of whole working hours from raising to deciding, of the unit's dispatch objections "
        "decided in the period."
    ),
    "processing_days": gettext_lazy(
        "The median number of working days from dispatch to completion, of work orders completed in the period."
    ),
}


# How a figure of a period is made from its months (shown beside the formula on the any-period page): most
# add up; two cannot be added up from the months' own figures and are kept in a form that can.
ADDING_UP = {
    "overdue": gettext_lazy(
        "A distinct count: not the sum of the months' figures (a work order overdue in two months is one). "
        "Each kept month holds its overdue work orders by months since they were last overdue, so the period "
        "counts each once."
    ),
    "processing_days": gettext_lazy(
        "A median: not the sum or the average of the months' medians. Each kept month holds how many work "
        "orders took each number of working days; the period's median is taken of their sum."
    ),
}
ADDING_UP["objection_hours"] = gettext_lazy(
    "A median: not the sum or the average of the months' medians. Each kept month holds how many objections took "
    "each number of working hours to decide; the period's median is taken of their sum."
)
ADDS_UP_RATE = gettext_lazy("The months' numerators and denominators are added up (rates are never averaged).")
ADDS_UP_COUNT = gettext_lazy("The sum of the months' counts.")


def adding_up(metric) -> str:
    """How the figure of a period is made from the kept months' counts (the any-period page)."""
    if metric.key in ADDING_UP:
        return ADDING_UP[metric.key]
    return ADDS_UP_RATE if metric.is_rate else ADDS_UP_COUNT


def _metric(base: Metric) -> PeriodMetric:
    return PeriodMetric(
        key=base.key,
        label=base.label,
        numerator=base.numerator,
        denominator=base.denominator,
        higher_is_better=base.higher_is_better,
        is_hotline_indicator=base.is_hotline_indicator,
        formula=FORMULAS[base.key],
    )


PERIOD_METRICS: list[PeriodMetric] = [
    *[_metric(metric) for metric in METRICS],
    PeriodMetric(
        "return_rate",
        gettext_lazy("Return rate"),
        "returns",
        "replies",
        higher_is_better=False,
        formula=FORMULAS["return_rate"],
    ),
    PeriodMetric(
        "redo_rate",
        gettext_lazy("Redo rate"),
        "redone",
        "completed",
        higher_is_better=False,
        formula=FORMULAS["redo_rate"],
    ),
    PeriodMetric(
        "callback_coverage",
        gettext_lazy("Callback coverage"),
        "called_back",
        "substantiated_completed",
        formula=FORMULAS["callback_coverage"],
    ),
    *[_metric(metric) for metric in OBJECTION_METRICS],
    PeriodMetric(
        "objection_hours",
        gettext_lazy("Time to decide an objection (median working hours)"),
        "objections_decided",
        "objections_decided",
        higher_is_better=False,
        formula=FORMULAS["objection_hours"],
        is_median=True,
        histogram="objection_hours_",
    ),
    PeriodMetric(
        "processing_days",
        gettext_lazy("Processing time (median working days)"),
        "completed",
        "completed",
        higher_is_better=False,
        formula=FORMULAS["processing_days"],
        is_median=True,
    ),
]
PERIOD_METRICS_BY_KEY = {metric.key: metric for metric in PERIOD_METRICS}


# ---------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    """The days first..last (both included), Shanghai time; `kind`: month, quarter, year or range."""

    first: dt.date
    last: dt.date
    kind: str = "range"

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.first, dt.time(), tzinfo=SHANGHAI)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.last + dt.timedelta(days=1), dt.time(), tzinfo=SHANGHAI)

    @property
    def window(self) -> tuple[dt.datetime, dt.datetime]:
        return self.start, self.end

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    def months(self) -> list[Month] | None:
        """The calendar months the period is made of, or None when it does not start and end on a month's edge."""
        if self.first.day != 1 or (self.last + dt.timedelta(days=1)).day != 1:
            return None
        months, month = [], Month(self.first.year, self.first.month)
        while month.start.date() <= self.last:
            months.append(month)
            month = month.next()
        return months

    def year_earlier(self) -> Period:
        first = _year_earlier(self.first)
        if self.months() is not None:  # whole months stay whole months (February has 28 or 29 days)
            following = self.last + dt.timedelta(days=1)
            last = dt.date(following.year - 1, following.month, 1) - dt.timedelta(days=1)
        else:
            last = _year_earlier(self.last)
        return Period(first, last, self.kind)

    @property
    def code(self) -> str:
        """The period as written in a URL: 2026, 2026-Q3, 2026-09 or 2026-01-05..2026-02-10."""
        if self.kind == "year":
            return f"{self.first.year:04d}"
        if self.kind == "quarter":
            return f"{self.first.year:04d}-Q{(self.first.month - 1) // 3 + 1}"
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        return f"{self.first.isoformat()}..{self.last.isoformat()}"

    def __str__(self) -> str:
        if self.kind == "year":
            return _("%(year)s (the year)") % {"year": self.first.year}
        if self.kind == "quarter":
            return _("%(year)s, quarter %(quarter)s") % {
                "year": self.first.year,
                "quarter": (self.first.month - 1) // 3 + 1,
            }
        if self.kind == "month":
            return f"{self.first:%Y-%m}"
        return f"{self.first.isoformat()} – {self.last.isoformat()}"

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        m = Month(year, month)
        return cls(m.start.date(), m.end.date() - dt.timedelta(days=1), "month")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        first = Month(year, 3 * quarter - 2)
        return cls(first.start.date(), Month(year, 3 * quarter).end.date() - dt.timedelta(days=1), "quarter")

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def _year_earlier(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


PERIOD_RE = re.compile(
    r"^(?:(?P<year>\d{4})"
    r"|(?P<qyear>\d{4})-[Qq](?P<quarter>[1-4])"
    r"|(?P<myear>\d{4})-(?P<month>\d{2})"
    r"|(?P<first>\d{4}-\d{2}-\d{2})\.\.(?P<last>\d{4}-\d{2}-\d{2}))$"
)


def period_check(period: Period, *, now: dt.datetime | None = None) -> Period:
    """ValueError with a message for a period before EARLIEST_YEAR, starting after today, reversed or longer
    than a year."""
    today = (now or timezone.now()).astimezone(SHANGHAI).date()
    if period.last < period.first:
        raise ValueError(_("The period ends before it starts."))
    if period.first.year < EARLIEST_YEAR or period.first > today:
        raise ValueError(_("Choose a period from %(first)s up to today.") % {"first": f"{EARLIEST_YEAR}-01-01"})
    if period.days > MAX_DAYS:
        raise ValueError(_("A period is at most a year (%(days)s days).") % {"days": MAX_DAYS})
    return period


def period_parse(text: str, *, now: dt.datetime | None = None) -> Period:
    """2026 (a year), 2026-Q3 (a quarter), 2026-09 (a month) or 2026-01-05..2026-02-10 (days, both included);
    ValueError with a message otherwise (period_check)."""
    match = PERIOD_RE.match((text or "").strip())
    error = _("Give a period as 2026, 2026-Q3, 2026-09 or 2026-01-05..2026-02-10.")
    if not match:
        raise ValueError(error)
    try:
        if match["year"]:
            period = Period.year(int(match["year"]))
        elif match["qyear"]:
            period = Period.quarter(int(match["qyear"]), int(match["quarter"]))
        elif match["myear"]:
            period = Period.month(int(match["myear"]), int(match["month"]))
        else:
            period = Period(dt.date.fromisoformat(match["first"]), dt.date.fromisoformat(match["last"]))
    except ValueError as exc:  # month 13, 31 February
        raise ValueError(error) from exc
    return period_check(period, now=now)


def period_default(*, now: dt.datetime | None = None) -> Period:
    """The last complete month."""
    month = Month.of(now or timezone.now()).previous()
    return Period.month(month.year, month.month)


# ---------------------------------------------------------------- figures


def _median(histogram: dict[int, int]) -> float | None:
    total = sum(histogram.values())
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle one, or the two middle ones
    found, seen = [], 0
    for days in sorted(histogram):
        count = histogram[days]
        while wanted and wanted[0] < seen + count:
            found.append(days)
            wanted.pop(0)
        seen += count
    return sum(found) / len(found)


def days_histogram(counters: dict[str, int], prefix: str = "days_") -> dict[int, int]:
    """{n: count} of the counters `<prefix><n>` (working days from dispatch to completion, by default)."""
    return {
        int(key[len(prefix) :]): value
        for key, value in counters.items()
        if key.startswith(prefix) and key[len(prefix) :].isdigit() and value
    }


@dataclass(frozen=True)
class MedianFigure:
    """The median working days from dispatch to completion: numerator and denominator are the number of
    work orders it is the median of; the change is in working days."""

    metric: PeriodMetric
    value: float | None
    previous_value: float | None
    numerator: int
    denominator: int
    previous_numerator: int
    previous_denominator: int

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value

    def _shown(self, value) -> str:
        return "—" if value is None else f"{value:g}"

    @property
    def display(self) -> str:
        return self._shown(self.value)

    @property
    def previous_display(self) -> str:
        return self._shown(self.previous_value)

    @property
    def change_display(self) -> str:
        change = self.change
        if change is None:
            return "—"
        text = f"{abs(change):g}"
        sign = "" if change == 0 else ("+" if change > 0 else MINUS)
        if self.metric.histogram == "objection_hours_":
            return _("%(change)s working hours") % {"change": sign + text}
        return _("%(change)s working days") % {"change": sign + text}

    @property
    def is_better(self) -> bool | None:
        change = self.change
        if not change:
            return None
        return change < 0


@dataclass
class PeriodLine:
    unit_id: int | None  # None: the bureau total
    name: str
    figures: list

    def figure(self, key: str):
        return next(f for f in self.figures if f.metric.key == key)


@dataclass
class PeriodFigures:
    period: Period
    year_earlier: Period
    lines: list[PeriodLine] = field(default_factory=list)
    total: PeriodLine | None = None
    is_bureau_wide: bool = True
    source: str = "live"  # "kept": every month from kept counts; "mixed": some counted now; "live": all counted now
    counted_at: dt.datetime | None = None

    @property
    def metrics(self) -> list[PeriodMetric]:
        return PERIOD_METRICS


def _line(unit_id, name: str, current: dict[str, int], previous: dict[str, int]) -> PeriodLine:
    figures = []
    for metric in PERIOD_METRICS:
        if metric.is_median:
            now_days = days_histogram(current, metric.histogram)
            before_days = days_histogram(previous, metric.histogram)
            figures.append(
                MedianFigure(
                    metric=metric,
                    value=_median(now_days),
                    previous_value=_median(before_days),
                    numerator=sum(now_days.values()),
                    denominator=sum(now_days.values()),
                    previous_numerator=sum(before_days.values()),
                    previous_denominator=sum(before_days.values()),
                )
            )
            continue
        den = metric.denominator
        figures.append(
            Figure(
                metric=metric,
                numerator=current.get(metric.numerator, 0),
                denominator=current.get(den, 0) if den else None,
                previous_numerator=previous.get(metric.numerator, 0),
                previous_denominator=previous.get(den, 0) if den else None,
            )
        )
    return PeriodLine(unit_id=unit_id, name=name, figures=figures)


# ---------------------------------------------------------------- counting


Counts = dict[tuple[int, int], dict[str, int]]


def _kept_row_usable(row: MonthlyCounts | None, month: Month, now: dt.datetime) -> bool:
    """A kept row of the right version, counted after the month ended, or (the month in progress) recently."""
    if row is None:
        return False
    return _kept_usable(counts_version(row.counts), row.computed_at, month, now)


def _kept_usable(version: int, computed_at: dt.datetime, month: Month, now: dt.datetime) -> bool:
    if version < COUNTS_VERSION:
        return False
    if computed_at >= month.end:
        return True
    return now < month.end and (now - computed_at).total_seconds() < settings.HOTLINE_REPORTS_OPEN_MONTH_SECONDS


OVERDUE_KEYS = frozenset(["overdue", *(f"overdue_after_{lag}" for lag in range(1, OVERDUE_LAGS + 1))])
# month i of a period counts the overdue work orders whose lag is more than i
_LAGS_FROM = [[f"overdue_after_{lag}" for lag in range(index + 1, OVERDUE_LAGS + 1)] for index in range(OVERDUE_LAGS)]


def _add_month(total: Counts, month_counts: Counts, index: int) -> None:
    """Add one month's counts (kept form) into the period's: everything adds up but the overdue work orders,
    counted in month `index` of the period only when they were not overdue in an earlier month of it."""
    lags = _LAGS_FROM[index] if index < OVERDUE_LAGS else []
    for key, counters in month_counts.items():
        into = total[key]
        for name, value in counters.items():
            if name not in OVERDUE_KEYS:
                into[name] += value
        into["overdue"] += sum(counters.get(lag, 0) for lag in lags)


def _month_total(month_counts: Counts) -> list[dict[str, int]]:
    """The bureau total of one month's counts (kept form): [the month, a year earlier] (as _add_month at index 0,
    the units added up)."""
    totals: list[dict[str, int]] = [defaultdict(int), defaultdict(int)]
    lags = _LAGS_FROM[0]
    for (_unit, which), counters in month_counts.items():
        into = totals[which]
        for name, value in counters.items():
            if name not in OVERDUE_KEYS:
                into[name] += value
        into["overdue"] += sum(counters.get(lag, 0) for lag in lags)
    return totals


def months_counts(bureau_id: int, months: list[Month], *, now: dt.datetime) -> tuple[list[Counts], str, dt.datetime]:
    """Each month's counts in the kept form ((unit id, 0: the month / 1: a year earlier) -> counters), from the
    kept rows where they are usable, the others counted together in one pass. Months after `now` are empty.
    Returns the counts, the source ("kept", "mixed" or "live") and when the oldest of them was counted."""
    rows = {
        row.month: row
        for row in MonthlyCounts.objects.filter(bureau_id=bureau_id, month__in=[m.start.date() for m in months])
    }
    result: list[Counts | None] = []
    missing: list[int] = []
    counted_at = now
    for i, month in enumerate(months):
        row = rows.get(month.start.date())
        if month.start > now:
            result.append({})
        elif _kept_row_usable(row, month, now):
            result.append(counts_decode(row.counts))
            counted_at = min(counted_at, row.computed_at)
        else:
            result.append(None)
            missing.append(i)
    if missing:
        live = months_counts_live(bureau_id, [months[i] for i in missing], now=now)
        for i, month_counts in zip(missing, live, strict=True):
            result[i] = month_counts
    source = "live" if len(missing) == len([m for m in months if m.start <= now]) else "mixed" if missing else "kept"
    return result, source, counted_at  # type: ignore[return-value]


def months_not_kept(bureau_id: int, period: Period, *, now: dt.datetime) -> list[Month] | None:
    """The months of a whole-month period (up to now) that have no usable kept counts and would be counted now
    (one query); None for a range that is not made of whole months (counted live in one pass, unless counted in
    the background: range_counts_kept)."""
    months = period.months()
    if months is None:
        return None
    # the counts' version and when they were counted, without reading the counts themselves
    rows = {
        row["month"]: (int(row["version"] or 1), row["computed_at"])
        for row in MonthlyCounts.objects.filter(bureau_id=bureau_id, month__in=[m.start.date() for m in months])
        .annotate(version=KT("counts___version__counts"))
        .values("month", "computed_at", "version")
    }
    missing = []
    for month in months:
        kept = rows.get(month.start.date())
        if month.start <= now and (kept is None or not _kept_usable(*kept, month, now)):
            missing.append(month)
    return missing


def range_counts_kept(bureau_id: int, period: Period, *, now: dt.datetime):
    """The counts of a range that is not made of whole months, counted in the background (reports.models.
    PeriodCount, reports.services.period_count_run) no longer than HOTLINE_REPORTS_RANGE_SECONDS ago, or None."""
    from reports.models import PeriodCount

    since = now - dt.timedelta(seconds=settings.HOTLINE_REPORTS_RANGE_SECONDS)
    return (
        PeriodCount.objects.filter(
            bureau_id=bureau_id, period=period.code, status=PeriodCount.Status.DONE, finished_at__gte=since
        )
        .exclude(counts=None)
        .first()
    )


def period_counts(bureau_id: int, period: Period, *, now: dt.datetime) -> tuple[Counts, str, dt.datetime]:
    """(unit id, 0: the period / 1: a year earlier) -> counter -> value; the source; when counted."""
    months = period.months()
    if months is None:
        kept = range_counts_kept(bureau_id, period, now=now)
        if kept is not None:
            return counts_decode(kept.counts), "background", kept.finished_at
        earlier = period.year_earlier()
        return window_counts(bureau_id, [period.window, earlier.window], now=now), "live", now
    per_month, source, counted_at = months_counts(bureau_id, months, now=now)
    total: Counts = defaultdict(lambda: defaultdict(int))
    for index, month_counts in enumerate(per_month):
        _add_month(total, month_counts, index)
    return total, source, counted_at


def _figures(bureau_id: int, period: Period, counts: Counts, *, unit_id: int | None) -> PeriodFigures:
    figures = PeriodFigures(period=period, year_earlier=period.year_earlier())
    empty: dict[str, int] = {}
    shown = units_shown(bureau_id, {key[0] for key in counts})
    lines = [_line(u["id"], u["name"], counts.get((u["id"], 0), empty), counts.get((u["id"], 1), empty)) for u in shown]
    totals: list[dict[str, int]] = [defaultdict(int), defaultdict(int)]
    for (_unit, which), counters in counts.items():
        for key, value in counters.items():
            totals[which][key] += value
    figures.total = _line(None, _("Bureau total"), totals[0], totals[1])
    figures.lines = lines if unit_id is None else [line for line in lines if line.unit_id == unit_id]
    return figures


def _id(value) -> int | None:
    return getattr(value, "pk", value)


def period_of(first_day: dt.date, last_day: dt.date) -> Period:
    """The Period of these days, named a month, a quarter or a year when it is exactly one."""
    period = Period(first_day, last_day)
    months = period.months()
    if months is not None:
        if len(months) == 1:
            period = Period.month(months[0].year, months[0].month)
        elif len(months) == 12 and first_day.month == 1:
            period = Period.year(first_day.year)
        elif len(months) == 3 and first_day.month % 3 == 1:
            period = Period.quarter(first_day.year, (first_day.month - 1) // 3 + 1)
    return period


def period_figures(bureau, first_day: dt.date, last_day: dt.date, unit=None, *, now=None) -> PeriodFigures:
    """The figures of the days first_day..last_day (both included) of a bureau (a Bureau or its id): a line per
    unit (only `unit`'s, a Unit or its id, when given) and the bureau total, each figure with the same period
    a year earlier. The period is not checked here (period_check); it must be at most MAX_DAYS long."""
    return period_figures_of(bureau, period_of(first_day, last_day), unit, now=now)


def period_figures_of(bureau, period: Period, unit=None, *, now=None) -> PeriodFigures:
    """period_figures for a Period."""
    now = now or timezone.now()
    bureau_id = _id(bureau)
    counts, source, counted_at = period_counts(bureau_id, period, now=now)
    figures = _figures(bureau_id, period, counts, unit_id=_id(unit))
    figures.source, figures.counted_at = source, counted_at
    return figures


def months_figures(bureau, period: Period, unit=None, *, now=None) -> list[PeriodFigures]:
    """A PeriodFigures per calendar month of a whole-month period (the same kept counts, one pass for the
    months not kept); ValueError for a period that is not made of whole months."""
    now = now or timezone.now()
    months = period.months()
    if months is None:
        raise ValueError("months_figures needs a period of whole months")
    bureau_id = _id(bureau)
    per_month, source, counted_at = months_counts(bureau_id, months, now=now)
    result = []
    for month, month_counts in zip(months, per_month, strict=True):
        counts: Counts = defaultdict(lambda: defaultdict(int))
        _add_month(counts, month_counts, 0)
        figures = _figures(bureau_id, Period.month(month.year, month.month), counts, unit_id=_id(unit))
        figures.source, figures.counted_at = source, counted_at
        result.append(figures)
    return result


def period_figures_for_user(user, period: Period, *, unit=None, now=None) -> PeriodFigures:
    """The period's figures as this user may read them (as the briefing): readers of the whole bureau every
    unit (only `unit`'s line when given) and the total; a unit's leader their own unit's line and the total;
    anyone else an empty result."""
    whole_bureau = bool(reads_whole_bureau(user))
    if not user.is_authenticated or user.unit_id is None or not (whole_bureau or is_unit_leader(user)):
        return PeriodFigures(period=period, year_earlier=period.year_earlier(), is_bureau_wide=whole_bureau)
    figures = period_figures_of(
        user.unit.bureau_id, period, _id(unit) if whole_bureau else user.unit_id, now=now or timezone.now()
    )
    figures.is_bureau_wide = whole_bureau
    return figures


def months_totals(bureau, period: Period, *, now=None) -> list[PeriodLine]:
    """The bureau total of each calendar month of a whole-month period (the annual report's trends), each with
    the same month a year earlier: the kept counts of months_figures without the units' lines (one query when
    every month is kept, whatever the number of months or units)."""
    now = now or timezone.now()
    months = period.months()
    if months is None:
        raise ValueError("months_totals needs a period of whole months")
    per_month, _source, _counted_at = months_counts(_id(bureau), months, now=now)
    return _months_lines(months, per_month)


def _months_lines(months: list[Month], per_month: list[Counts]) -> list[PeriodLine]:
    lines = []
    for month, month_counts in zip(months, per_month, strict=True):
        totals = _month_total(month_counts)
        lines.append(_line(None, str(month), totals[0], totals[1]))
    return lines


def period_and_months_for_user(user, period: Period, *, now=None) -> tuple[PeriodFigures, list[PeriodLine]]:
    """period_figures_for_user and months_totals of a whole-month period from one read of the kept months (the
    annual report: its figures and its trends)."""
    now = now or timezone.now()
    months = period.months()
    if months is None:
        raise ValueError("period_and_months_for_user needs a period of whole months")
    whole_bureau = bool(reads_whole_bureau(user))
    if not user.is_authenticated or user.unit_id is None or not (whole_bureau or is_unit_leader(user)):
        empty = PeriodFigures(period=period, year_earlier=period.year_earlier(), is_bureau_wide=whole_bureau)
        return empty, []
    bureau_id = user.unit.bureau_id
    per_month, source, counted_at = months_counts(bureau_id, months, now=now)
    total: Counts = defaultdict(lambda: defaultdict(int))
    for index, month_counts in enumerate(per_month):
        _add_month(total, month_counts, index)
    figures = _figures(bureau_id, period, total, unit_id=None if whole_bureau else user.unit_id)
    figures.source, figures.counted_at, figures.is_bureau_wide = source, counted_at, whole_bureau
    return figures, _months_lines(months, per_month)
