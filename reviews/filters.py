"""FilterSets shared by the HTML lists and (later) the API lists: only these parameters reach a query."""

import django_filters
from django.utils.translation import gettext_lazy as _

from org.models import Unit
from reviews.choices import ReturnReasonCode, Satisfaction, Stage, SupervisionStatus
from reviews.models import Callback, Return, SpecialSupervision
from reviews.selectors.base import month_start

PERIOD_CHOICES = [("month", _("This month"))]


def _units_of_my_bureau(request):
    if request is None or not request.user.is_authenticated or request.user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(bureau_id=request.user.unit.bureau_id).order_by("kind", "code")


# The "any" choice of a filter says 全部 (All), never django-filter's "---------" or "未知" (Unknown).
ALL = _("All")


class AnyYesNo(django_filters.widgets.BooleanWidget):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", ALL), ("true", _("Yes")), ("false", _("No")))


def _this_month(queryset, field: str, value):
    return queryset.filter(**{f"{field}__gte": month_start()}) if value == "month" else queryset


class ReturnFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=_units_of_my_bureau, label=_("Unit"), empty_label=ALL)
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("Stage"), empty_label=ALL)
    reason = django_filters.ChoiceFilter(
        choices=ReturnReasonCode.choices, field_name="reason_lines__code", label=_("Reason"), empty_label=ALL
    )
    period = django_filters.ChoiceFilter(
        choices=PERIOD_CHOICES,
        method=lambda qs, name, value: _this_month(qs, "at", value),
        label=_("Period"),
        empty_label=ALL,
    )

    class Meta:
        model = Return
        fields = ["unit", "stage", "reason", "period"]


class CallbackFilter(django_filters.FilterSet):
    unit = django_filters.ModelChoiceFilter(queryset=_units_of_my_bureau, label=_("Unit"), empty_label=ALL)
    satisfaction = django_filters.ChoiceFilter(choices=Satisfaction.choices, label=_("Satisfaction"), empty_label=ALL)
    period = django_filters.ChoiceFilter(
        choices=PERIOD_CHOICES,
        method=lambda qs, name, value: _this_month(qs, "called_at", value),
        label=_("Period"),
        empty_label=ALL,
    )

    class Meta:
        model = Callback
        fields = ["unit", "satisfaction", "period"]


class SupervisionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SupervisionStatus.choices, label=_("Status"), empty_label=ALL)
    typical = django_filters.BooleanFilter(field_name="is_typical_case", label=_("Typical case"), widget=AnyYesNo)

    class Meta:
        model = SpecialSupervision
        fields = ["status", "typical"]
