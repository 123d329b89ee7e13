"""The briefing put together for one reader (its lines, the bureau total, top businesses, the red/black list)
and its table for the CSV export."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from org.choices import UnitKind
from org.models import Unit
from org.rules import is_unit_leader
from reports.rules import reads_whole_bureau
from reports.selectors.counting import monthly_counts, top_businesses
from reports.selectors.figures import BRIEFING_METRICS, Figure, Line, Metric
from reports.selectors.honours import HONOURS_MIN_VOLUME, Honour, honours_rank
from reports.selectors.kept import counts_decode
from reports.selectors.months import Month


@dataclass
class Business:
    id: int
    name: str
    tickets: int
    tickets_all_time: int


@dataclass
class Briefing:
    month: Month
    year_earlier: Month
    is_bureau_wide: bool
    lines: list[Line] = field(default_factory=list)
    total: Line | None = None
    businesses: list[Business] = field(default_factory=list)
    honours: list[Honour] = field(default_factory=list)
    min_volume: int = HONOURS_MIN_VOLUME
    counted_at: dt.datetime | None = None

    @property
    def metrics(self) -> list[Metric]:
        """The indicators, then the unit's dispatch objections (raised, upheld, rejected)."""
        return BRIEFING_METRICS


def _line(unit_id, name: str, current: dict[str, int], previous: dict[str, int]) -> Line:
    figures = []
    for metric in BRIEFING_METRICS:
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
    return Line(unit_id=unit_id, name=name, figures=figures)


def units_shown(bureau_id: int, unit_ids_with_figures: set[int]) -> list[dict]:
    """The units a report has a line for, in the briefing's order (offices, brigades, sections; by code): the
    bureau's active offices and brigades, and any unit with figures (one query)."""
    units = Unit.objects.filter(bureau_id=bureau_id).values("id", "name", "kind", "code", "is_active")
    shown = [
        u
        for u in units
        if u["id"] in unit_ids_with_figures or (u["is_active"] and u["kind"] in (UnitKind.OFFICE, UnitKind.BRIGADE))
    ]
    kind_order = {UnitKind.OFFICE: 0, UnitKind.BRIGADE: 1, UnitKind.SECTION: 2}
    shown.sort(key=lambda u: (kind_order.get(u["kind"], 3), u["code"]))
    return shown


def briefing_for_user(user, *, month: Month, now: dt.datetime | None = None, stored=None) -> Briefing:
    """The monthly briefing as this user may read it.

    `stored`: the bureau's kept counts of a closed month (reports.models.MonthlyCounts, from
    reports.services.monthly_counts_current), read instead of counting; None counts now.

    Section reviewers and chiefs and bureau leaders: every unit of their bureau, the total, the top
    businesses and the red/black list. A unit's leader: their own unit's line and the bureau total, the
    top businesses of their own unit's work orders, no red/black list (it names other units). Anyone
    else, or a user without a unit: an empty briefing (the view has already refused them).
    """
    now = now or timezone.now()
    whole_bureau = bool(reads_whole_bureau(user))
    briefing = Briefing(month=month, year_earlier=month.year_earlier(), is_bureau_wide=whole_bureau)
    if not user.is_authenticated or user.unit_id is None or not (whole_bureau or is_unit_leader(user)):
        return briefing
    bureau_id = user.unit.bureau_id
    own_unit = None if whole_bureau else user.unit_id

    if stored is not None and stored.bureau_id == bureau_id:
        counts, briefing.counted_at = counts_decode(stored.counts), stored.computed_at
    else:
        counts, briefing.counted_at = monthly_counts(bureau_id, month, now=now), now
    shown = units_shown(bureau_id, {unit_id for unit_id, _period_ in counts})
    empty: dict[str, int] = {}
    lines = [_line(u["id"], u["name"], counts.get((u["id"], 0), empty), counts.get((u["id"], 1), empty)) for u in shown]

    totals: list[dict[str, int]] = [defaultdict(int), defaultdict(int)]
    for (_unit_id, period), counters in counts.items():
        for key, value in counters.items():
            totals[period][key] += value
    briefing.total = _line(None, _("Bureau total"), totals[0], totals[1])
    briefing.honours = honours_rank(lines, HONOURS_MIN_VOLUME) if whole_bureau else []
    briefing.lines = lines if whole_bureau else [line for line in lines if line.unit_id == own_unit]

    if stored is not None and stored.bureau_id == bureau_id and own_unit is None:
        rows = stored.businesses
    else:
        rows = top_businesses(bureau_id, month, unit_id=own_unit)
    briefing.businesses = [Business(**row) for row in rows]
    return briefing


def briefing_table(briefing: Briefing) -> tuple[list[str], list[list[str]]]:
    """The table as text, for the CSV export: a header and one row per line, the total last."""
    header = [_("Unit")]
    for metric in BRIEFING_METRICS:
        label = str(metric.label)
        header.append(label)
        if metric.is_rate:
            header.append(_("%(metric)s: numerator/denominator") % {"metric": label})
        header.append(_("%(metric)s: %(month)s") % {"metric": label, "month": briefing.year_earlier})
        header.append(_("%(metric)s: year on year") % {"metric": label})
    rows = []
    for line in [*briefing.lines, *([briefing.total] if briefing.total else [])]:
        row = [line.name]
        for figure in line.figures:
            row.append(figure.display)
            if figure.metric.is_rate:
                row.append(f"{figure.numerator}/{figure.denominator}")
            row.append(figure.previous_display)
            row.append(figure.change_display)
        rows.append(row)
    return header, rows
