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

from reports.periods import Period, PeriodFigures, PeriodLine, period_and_months_for_user
from reports.selectors.hotspots import Hotspot, Hotspots, Span, hotspots_for_bureau, hotspots_scope_unit
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


SECTIONS_VERSION = 1  # what a kept row's sections hold (reports.models.AnnualCounts.data["_version"])


def annual_report_for_user(
    user, year: int, *, now: dt.datetime | None = None, stored: dict | None = None
) -> AnnualReport | None:
    """The year's report as this user may read it (the briefing's scope: a unit leader their own unit's
    line, work orders and records, and the bureau's totals and trends); None for anyone else.

    `stored`: the bureau's kept sections (reports.models.AnnualCounts.data, reports.services.
    annual_counts_current) for a reader of the whole bureau: the hotspots, the named lists, typical cases,
    inspections and training are then read from it instead of counted (a unit leader's own unit's are counted
    when read: they are a unit's share of the year)."""
    now = now or timezone.now()
    allowed, own_unit = hotspots_scope_unit(user)
    if not allowed:
        return None
    bureau_id = user.unit.bureau_id
    period = Period.year(year)
    figures, months = period_and_months_for_user(user, period, now=now)  # one read of the kept months
    report = AnnualReport(year=year, period=period, figures=figures, months=months)
    if own_unit is not None or stored is None or stored.get("_version") != SECTIONS_VERSION:
        stored = annual_sections(bureau_id, year, own_unit=own_unit)
    sections_apply(report, stored)
    return report


def _moment(value) -> str | None:
    return value.isoformat() if value else None


def annual_sections(bureau_id: int, year: int, *, own_unit: int | None = None) -> dict:
    """Everything of the annual report that is not a kept monthly count, counted now, as JSON (codes, not labels;
    times in ISO 8601): the top categories and businesses against the year before, the returns and unsatisfied
    callbacks (how many, the latest NAMED), typical cases, inspection averages by stage, training by unit. The
    whole bureau's (own_unit None) are kept per year in reports.models.AnnualCounts."""
    period = Period.year(year)
    span = Span(period.first, period.last)
    hotspots = hotspots_for_bureau(
        bureau_id, span=span, previous=Span(*_year_before(year)), unit_id=own_unit, limit=TOP, growth=False
    )
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

    def spots(lines) -> list[list]:
        return [[spot.id, spot.name, spot.count, spot.previous] for spot in lines]

    data: dict = {
        "_version": SECTIONS_VERSION,
        "categories": spots(hotspots.categories_by_count),
        "businesses": spots(hotspots.businesses_by_count),
        "returns_total": returns.count(),
        "unsatisfied_total": callbacks.count(),
    }
    data["returns"] = [
        {
            "ticket_id": r["ticket_id"],
            "number": r["ticket__external_id"],
            "unit": r["unit__name"],
            "at": _moment(r["at"]),
            "reasons": list(r["reason_codes"] or []),
        }
        for r in returns.order_by("-at", "-pk").values(
            "ticket_id", "ticket__external_id", "unit__name", "at", "reason_codes"
        )[:NAMED]
    ]
    data["unsatisfied"] = [
        {
            "ticket_id": c["ticket_id"],
            "number": c["ticket__external_id"],
            "unit": c["unit_name"],
            "at": _moment(c["called_at"]),
        }
        for c in callbacks.annotate(unit_name=Coalesce("unit__name", "ticket__unit__name"))
        .order_by("-called_at", "-pk")
        .values("ticket_id", "ticket__external_id", "unit_name", "called_at")[:NAMED]
    ]
    data["typical_cases"] = [
        {
            "ticket_id": s["ticket_id"],
            "number": s["ticket__external_id"],
            "unit": s["unit_name"],
            "opened_at": _moment(s["opened_at"]),
            "status": s["status"],
        }
        for s in typical.annotate(unit_name=Coalesce("unit__name", "ticket__unit__name"))
        .order_by("-opened_at", "-pk")
        .values("ticket_id", "ticket__external_id", "unit_name", "opened_at", "status")[:NAMED]
    ]
    campaigns: dict[int, dict] = {}
    for row in (
        scores.values("sample__campaign_id", "sample__campaign__name", "stage")
        .annotate(average=Avg("score"), scored=Count("id"))
        .order_by("sample__campaign__name", "sample__campaign_id", "stage")
    ):
        campaign = campaigns.setdefault(
            row["sample__campaign_id"], {"name": row["sample__campaign__name"], "stages": {}}
        )
        average = None if row["average"] is None else float(row["average"])
        campaign["stages"][row["stage"]] = [average, row["scored"]]
    data["inspections"] = list(campaigns.values())
    data["training"] = [
        {"unit": row["unit__name"], "person_times": row["n"], "sessions": row["sessions"]}
        for row in training.values("unit__name", "unit__code")
        .annotate(n=Count("id"), sessions=Count("session_id", distinct=True))
        .order_by("unit__code")
    ]
    return data


def sections_apply(report: AnnualReport, data: dict) -> None:
    """Put annual_sections' data (counted now or kept) into the report, in the reader's language."""
    period = report.period
    spans = Span(period.first, period.last), Span(*_year_before(report.year))
    report.hotspots = Hotspots(span=spans[0], previous_span=spans[1])
    report.hotspots.categories_by_count = [Hotspot(*row) for row in data["categories"]]
    report.hotspots.businesses_by_count = [Hotspot(*row) for row in data["businesses"]]
    reasons = dict(ReturnReasonCode.choices)
    report.returns_total, report.unsatisfied_total = data["returns_total"], data["unsatisfied_total"]
    report.returns = [
        {**r, "at": _parsed(r["at"]), "reasons": [str(reasons.get(code, code)) for code in r["reasons"]]}
        for r in data["returns"]
    ]
    report.unsatisfied = [{**c, "at": _parsed(c["at"])} for c in data["unsatisfied"]]
    report.typical_cases = [{**s, "opened_at": _parsed(s["opened_at"])} for s in data["typical_cases"]]
    stages = dict(ScoreStage.choices)
    report.inspections = [
        {
            "name": campaign["name"],
            "stages": {str(stages.get(code, code)): tuple(value) for code, value in campaign["stages"].items()},
        }
        for campaign in data["inspections"]
    ]
    report.training = list(data["training"])


def _parsed(value: str | None):
    return dt.datetime.fromisoformat(value) if value else None


def _year_before(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31)


def score_stages() -> list[str]:
    """The stage names an inspections table shows as columns, in their order (in the reader's language)."""
    return [str(label) for _code, label in ScoreStage.choices]
