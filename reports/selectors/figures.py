"""What the briefing shows: the metrics, one figure of a line (with its year-on-year change), a line."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    numerator: str
    denominator: str | None = None  # None: a count
    higher_is_better: bool = True
    is_hotline_indicator: bool = False  # one of the five, ranked on the red/black list

    @property
    def is_rate(self) -> bool:
        return self.denominator is not None


METRICS = [
    Metric("received", gettext_lazy("Work orders received"), "received"),
    Metric(
        "first_contact", gettext_lazy("First-contact rate"), "contact_on_time", "contact_due", is_hotline_indicator=True
    ),
    Metric(
        "sign_off", gettext_lazy("On-time sign-off rate"), "signed_on_time", "signed_due", is_hotline_indicator=True
    ),
    Metric(
        "on_time_completion",
        gettext_lazy("On-time completion rate"),
        "reply_on_time",
        "reply_due",
        is_hotline_indicator=True,
    ),
    Metric("resolution", gettext_lazy("Resolution rate"), "resolved", "resolution_asked", is_hotline_indicator=True),
    Metric("satisfaction", gettext_lazy("Satisfaction rate"), "satisfied", "callbacks", is_hotline_indicator=True),
    Metric("substantiation", gettext_lazy("Substantiation rate"), "substantiated", "findings"),
    Metric("conversions", gettext_lazy("Complaint-to-case conversions"), "conversions"),
    Metric("conversion_rate", gettext_lazy("Complaint-to-case rate"), "conversions", "complaints_completed"),
    Metric("returns", gettext_lazy("Returns for redo"), "returns", higher_is_better=False),
    Metric("unsatisfied", gettext_lazy("Unsatisfied callbacks"), "unsatisfied", higher_is_better=False),
    Metric("overdue", gettext_lazy("Overdue work orders"), "overdue", higher_is_better=False),
]
METRICS_BY_KEY = {metric.key: metric for metric in METRICS}
# Dispatch objections (派单异议, docs/dispatch.md) of the objecting unit: the same counters as the any-period figures
# (reports.selectors.counting.objection_counts, kept with the month), shown as columns of the monthly briefing and
# its CSV after the indicators; raised by `raised_at`, upheld and rejected by `decided_at`.
OBJECTION_METRICS = [
    # with a context: the tickets app's "Dispatch objections" (the menu, 派单异议) would win over the figure's words
    Metric("objections", pgettext_lazy("figure", "Dispatch objections"), "objections", higher_is_better=False),
    Metric("objections_upheld", gettext_lazy("Objections upheld"), "objections_upheld", higher_is_better=False),
    Metric("objections_rejected", gettext_lazy("Objections rejected"), "objections_rejected", higher_is_better=False),
]
BRIEFING_METRICS = [*METRICS, *OBJECTION_METRICS]
MINUS = "\u2212"  # the minus sign, as printed in the bureau's notices


def _signed(value: float, digits: int) -> str:
    text = f"{abs(value):.{digits}f}"
    if float(text) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


@dataclass(frozen=True)
class Figure:
    """One metric of one line: this month's numerator (and denominator) and the same month a year earlier."""

    metric: Metric
    numerator: int
    denominator: int | None
    previous_numerator: int
    previous_denominator: int | None

    @property
    def value(self) -> float | int | None:
        """A rate as a fraction (None without a denominator), or the count."""
        if not self.metric.is_rate:
            return self.numerator
        return self.numerator / self.denominator if self.denominator else None

    @property
    def previous_value(self) -> float | int | None:
        if not self.metric.is_rate:
            return self.previous_numerator
        return self.previous_numerator / self.previous_denominator if self.previous_denominator else None

    @property
    def change(self) -> float | None:
        """Year on year: percentage points for a rate, per cent for a count; None when there is no base."""
        now, before = self.value, self.previous_value
        if now is None or before is None:
            return None
        if self.metric.is_rate:
            return (now - before) * 100
        if before == 0:
            return None
        return (now - before) / before * 100

    def _shown(self, value) -> str:
        if value is None:
            return "—"
        if self.metric.is_rate:
            return f"{value * 100:.1f}%"
        return str(value)

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
        if self.metric.is_rate:
            return _("%(change)s percentage points") % {"change": _signed(change, 1)}
        return f"{_signed(change, 2)}%"

    @property
    def is_better(self) -> bool | None:
        change = self.change
        if change is None or round(change, 2) == 0:
            return None
        return (change > 0) == self.metric.higher_is_better


@dataclass
class Line:
    unit_id: int | None  # None: the bureau total
    name: str
    figures: list[Figure]

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.metric.key == key)
