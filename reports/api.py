"""The staff API's indicators: any period's figures per unit and for the bureau (reports.periods), scoped as
the reports pages are (reports.view_reports: readers of the whole bureau every unit, a unit's leader their own
unit and the total; everyone else 403)."""

from __future__ import annotations

import datetime as dt
import re

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from core.api.schema import errors
from org.models import Unit
from reports.periods import (
    PERIOD_METRICS,
    PeriodFigures,
    PeriodLine,
    period_check,
    period_default,
    period_figures_for_user,
    period_of,
)
from reports.rules import reads_whole_bureau
from tickets.api.base import StaffView

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class _PeriodSerializer(serializers.Serializer):
    first = serializers.DateField(help_text="the first day (included)")
    last = serializers.DateField(help_text="the last day (included)")
    kind = serializers.ChoiceField(["month", "quarter", "year", "range"])


class _MetricSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    formula = serializers.CharField(help_text="how it is counted (docs/reports.md)")
    is_rate = serializers.BooleanField(help_text="value = numerator / denominator, a fraction")
    is_median = serializers.BooleanField(
        help_text="value = the median (working days of `denominator` work orders, or working hours of objections)"
    )
    higher_is_better = serializers.BooleanField()


class _FigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField(allow_null=True)
    value = serializers.FloatField(allow_null=True)
    previous_numerator = serializers.IntegerField(help_text="the same period a year earlier")
    previous_denominator = serializers.IntegerField(allow_null=True)
    previous_value = serializers.FloatField(allow_null=True)
    change = serializers.FloatField(
        allow_null=True, help_text="percentage points (rates), per cent (counts), working days (the median)"
    )


class _LineSerializer(serializers.Serializer):
    unit = serializers.IntegerField(allow_null=True, help_text="null: the bureau total")
    name = serializers.CharField()
    figures = _FigureSerializer(many=True)


class IndicatorsSerializer(serializers.Serializer):
    period = _PeriodSerializer()
    year_earlier = _PeriodSerializer()
    source = serializers.ChoiceField(["kept", "mixed", "live"])
    counted_at = serializers.DateTimeField(allow_null=True)
    metrics = _MetricSerializer(many=True)
    units = _LineSerializer(many=True)
    total = _LineSerializer(allow_null=True, help_text="null only for a reader without a unit")


def _period(period) -> dict:
    return {"first": period.first.isoformat(), "last": period.last.isoformat(), "kind": period.kind}


def _line(line: PeriodLine) -> dict:
    return {
        "unit": line.unit_id,
        "name": line.name,
        "figures": [
            {
                "key": figure.metric.key,
                "numerator": figure.numerator,
                "denominator": figure.denominator,
                "value": figure.value,
                "previous_numerator": figure.previous_numerator,
                "previous_denominator": figure.previous_denominator,
                "previous_value": figure.previous_value,
                "change": None if figure.change is None else round(figure.change, 4),
            }
            for figure in line.figures
        ],
    }


def indicators_data(figures: PeriodFigures) -> dict:
    """The answer of GET /api/v1/staff/indicators/ for these figures."""
    return {
        "period": _period(figures.period),
        "year_earlier": _period(figures.year_earlier),
        "source": figures.source,
        "counted_at": figures.counted_at.isoformat() if figures.counted_at else None,
        "metrics": [
            {
                "key": metric.key,
                "label": str(metric.label),
                "formula": str(metric.formula),
                "is_rate": metric.is_rate,
                "is_median": metric.is_median,
                "higher_is_better": metric.higher_is_better,
            }
            for metric in PERIOD_METRICS
        ],
        "units": [_line(line) for line in figures.lines],
        "total": _line(figures.total) if figures.total else None,
    }


def _date(request, name: str) -> dt.date | None:
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None
    try:
        if not DATE_RE.match(raw):
            raise ValueError(raw)
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise exceptions.ValidationError({name: ["Give a date as YYYY-MM-DD."]}) from None


class IndicatorsView(StaffView):
    @extend_schema(
        operation_id="staff_indicators",
        tags=["staff"],
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, description="the first day (default: last month's first)"),
            OpenApiParameter("to", OpenApiTypes.DATE, description="the last day, included (at most 366 days)"),
            OpenApiParameter("unit", OpenApiTypes.INT, description="one unit's line only (a unit leader: their own)"),
        ],
        responses={200: IndicatorsSerializer, **errors(400)},
    )
    def get(self, request):
        self.check_perm("reports.view_reports")
        user = request.user
        first, last = _date(request, "from"), _date(request, "to")
        if first is None and last is None:
            period = period_default()
        elif first is None or last is None:
            missing = "from" if first is None else "to"
            raise exceptions.ValidationError({missing: ["Give both from and to, or neither."]})
        else:
            try:
                period = period_check(period_of(first, last))
            except ValueError as error:
                raise exceptions.ValidationError({"to": [str(error)]}) from None
        unit_id = request.query_params.get("unit", "").strip()
        unit = None
        if unit_id:
            bureau_id = user.unit.bureau_id if user.unit_id else None
            unit = Unit.objects.filter(pk=int(unit_id) if unit_id.isdigit() else 0, bureau_id=bureau_id).first()
            if unit is None:
                raise exceptions.ValidationError({"unit": ["No such unit in your bureau."]})
            if not reads_whole_bureau(user) and unit.pk != user.unit_id:
                raise exceptions.PermissionDenied("A unit leader reads their own unit's figures and the total.")
        figures = period_figures_for_user(user, period)
        if unit is not None:
            figures.lines = [line for line in figures.lines if line.unit_id == unit.pk]
        return Response(indicators_data(figures))
