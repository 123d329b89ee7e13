"""The annual report (《年度报告》) of one year, for one reader (docs/reports.md, "The annual report").

Every figure comes from the place that already counts it: the year's indicators per unit and the bureau
total, and the trends by month, from reports.periods (the kept monthly counts, added up); the businesses
and categories with the most work orders and their change against the year before from
reports.selectors.hotspots; the returns, unsatisfied callbacks, typical cases, inspections and training
from the review records. A fixed number of queries, whatever the number of units or months.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Avg, Count
from django.db.models.functions import Coalesce
from django.utils import timezone

from reports.periods import Period, PeriodFigures, PeriodLine, months_totals, period_figures_for_user
from reports.selectors.hotspots import Hotspots, Span, hotspots_for_user, hotspots_scope_unit
from reviews.choices import ReturnReasonCode, Satisfaction, ScoreStage
from reviews.models import Callback, Return, SampleScore, SpecialSupervision, TrainingAttendance

NAMED = 50  # returns, unsatisfied callbacks and typical cases named on the page (the count says how many in all)
TOP = 10


@dataclass
class AnnualReport:
    year: int
    period: Period
    figures: PeriodFigures
    months: list[PeriodLine] = field(default_factory=list)
    hotspots: Hotspots | None = None
    returns: list[dict] = field(default_factory=list)
    returns_total: int = 0
    unsatisfied: list[dict] = field(default_factory=list)
    unsatisfied_total: int = 0
    typical_cases: list[dict] = field(default_factory=list)
    inspections: list[dict] = field(default_factory=list)
    training: list[dict] = field(default_factory=list)

    @property
    def training_total(self) -> int:
        return sum(row["person_times"] for row in self.training)


def annual_year_default(*, now: dt.datetime | None = None) -> int:
    """The last complete year."""
    return timezone.localdate(now or timezone.now()).year - 1


def annual_report_for_user(user, year: int, *, now: dt.datetime | None = None) -> AnnualReport | None:
    """The year's report as this user may read it (the briefing's scope: a unit leader their own unit's
    line, work orders and records, and the bureau's totals and trends); None for anyone else."""
    now = now or timezone.now()
    allowed, own_unit = hotspots_scope_unit(user)
    if not allowed:
        return None
    bureau_id = user.unit.bureau_id
    period = Period.year(year)
    span = Span(period.first, period.last)
    report = AnnualReport(year=year, period=period, figures=period_figures_for_user(user, period, now=now))
    report.months = months_totals(bureau_id, period, now=now)
    report.hotspots = hotspots_for_user(user, span=span, previous=Span(*_year_before(year)), limit=TOP)

    in_year = {"gte": period.start, "lt": period.end}
    returns = Return.objects.filter(unit__bureau_id=bureau_id, at__gte=in_year["gte"], at__lt=in_year["lt"])
    callbacks = Callback.objects.filter(
        ticket__bureau_id=bureau_id,
        called_at__gte=in_year["gte"],
        called_at__lt=in_year["lt"],
        satisfaction=Satisfaction.UNSATISFIED,
    ).annotate(unit_key=Coalesce("unit_id", "ticket__unit_id"))
    typical = SpecialSupervision.objects.filter(
        ticket__bureau_id=bureau_id, is_typical_case=True, opened_at__gte=in_year["gte"], opened_at__lt=in_year["lt"]
    ).annotate(unit_key=Coalesce("unit_id", "ticket__unit_id"))
    scores = SampleScore.objects.filter(sample__campaign__bureau_id=bureau_id, sample__campaign__period_end__year=year)
    training = TrainingAttendance.objects.filter(session__bureau_id=bureau_id, held_on__year=year)
    if own_unit is not None:
        returns = returns.filter(unit_id=own_unit)
        callbacks = callbacks.filter(unit_key=own_unit)
        typical = typical.filter(unit_key=own_unit)
        scores = scores.filter(sample__unit_id=own_unit)
        training = training.filter(unit_id=own_unit)

    reasons = dict(ReturnReasonCode.choices)
    report.returns_total = returns.count()
    report.returns = [
        {
            "ticket_id": r["ticket_id"],
            "number": r["ticket__external_id"],
            "unit": r["unit__name"],
            "at": r["at"],
            "reasons": [str(reasons.get(code, code)) for code in r["reason_codes"] or []],
        }
        for r in returns.order_by("-at", "-pk").values(
            "ticket_id", "ticket__external_id", "unit__name", "at", "reason_codes"
        )[:NAMED]
    ]
    report.unsatisfied_total = callbacks.count()
    report.unsatisfied = [
        {"ticket_id": c["ticket_id"], "number": c["ticket__external_id"], "unit": c["unit_name"], "at": c["called_at"]}
        for c in callbacks.annotate(unit_name=Coalesce("unit__name", "ticket__unit__name"))
        .order_by("-called_at", "-pk")
        .values("ticket_id", "ticket__external_id", "unit_name", "called_at")[:NAMED]
    ]
    report.typical_cases = [
        {
            "ticket_id": s["ticket_id"],
            "number": s["ticket__external_id"],
            "unit": s["unit_name"],
            "opened_at": s["opened_at"],
            "status": s["status"],
        }
        for s in typical.annotate(unit_name=Coalesce("unit__name", "ticket__unit__name"))
        .order_by("-opened_at", "-pk")
        .values("ticket_id", "ticket__external_id", "unit_name", "opened_at", "status")[:NAMED]
    ]
    stages = dict(ScoreStage.choices)
    campaigns: dict[int, dict] = {}
    for row in (
        scores.values("sample__campaign_id", "sample__campaign__name", "stage")
        .annotate(average=Avg("score"), scored=Count("id"))
        .order_by("sample__campaign__name", "sample__campaign_id", "stage")
    ):
        campaign = campaigns.setdefault(
            row["sample__campaign_id"], {"name": row["sample__campaign__name"], "stages": {}}
        )
        campaign["stages"][str(stages.get(row["stage"], row["stage"]))] = (row["average"], row["scored"])
    report.inspections = list(campaigns.values())
    report.training = [
        {"unit": row["unit__name"], "person_times": row["n"], "sessions": row["sessions"]}
        for row in training.values("unit__name", "unit__code")
        .annotate(n=Count("id"), sessions=Count("session_id", distinct=True))
        .order_by("unit__code")
    ]
    return report


def _year_before(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)


def score_stages() -> list[str]:
    """The stage names an inspections table shows as columns, in their order (in the reader's language)."""
    return [str(label) for _code, label in ScoreStage.choices]
