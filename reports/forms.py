from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDateField
from org.models import Unit
from reports.selectors.hotspots import MAX_SPAN_DAYS, Span
from reports.selectors.months import EARLIEST_YEAR, Month, month_parse
from tickets.models import Category


class BriefingForm(forms.Form):
    month = forms.CharField(
        label=_("Month"),
        max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}),
    )

    def clean_month(self) -> Month:
        try:
            return month_parse(self.cleaned_data["month"])
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


class HotspotsForm(forms.Form):
    """The span of days and the filters of the hotspots page (reports.selectors.hotspots)."""

    date_from = BoundedDateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = BoundedDateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All"))
    area = forms.ChoiceField(label=_("Area"), required=False)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.none(), required=False, empty_label=_("All")
    )

    def __init__(self, *args, bureau_id: int | None, own_unit_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(bureau_id=bureau_id, is_active=True).order_by("kind", "code")
        if own_unit_id is not None:  # a unit leader: their own unit, nothing else to choose
            units = units.filter(pk=own_unit_id)
            self.fields["unit"].disabled = True
            self.fields["area"].disabled = True
        self.fields["unit"].queryset = units
        towns = units.exclude(town="").order_by("town").values_list("town", flat=True).distinct()
        self.fields["area"].choices = [("", _("All"))] + [(town, town) for town in towns]
        self.fields["category"].queryset = Category.objects.filter(is_active=True).order_by("code")

    def clean(self):
        data = super().clean()
        first, last = data.get("date_from"), data.get("date_to")
        if first and last:
            if first > last:
                raise forms.ValidationError(_("The first day must not be after the last."))
            if (last - first).days + 1 > MAX_SPAN_DAYS:
                raise forms.ValidationError(
                    _("Choose at most %(days)d days (the annual report has the whole year).") % {"days": MAX_SPAN_DAYS}
                )
            data["span"] = Span(first, last)
        return data


class AnnualForm(forms.Form):
    """The year of the annual report: from EARLIEST_YEAR up to the current year."""

    year = forms.IntegerField(label=_("Year"), widget=forms.NumberInput(attrs={"min": EARLIEST_YEAR}))

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not EARLIEST_YEAR <= year <= timezone.localdate().year:
            raise forms.ValidationError(_("Choose a year between %(first)s and this year.") % {"first": EARLIEST_YEAR})
        return year


class PeriodForm(forms.Form):
    """The any-period page's choice: a month, a quarter, a year or a range of days (reports.periods.period_parse),
    and a unit for the readers of the whole bureau (a unit leader's is fixed to their own)."""

    KINDS = [
        ("month", _("Month")),
        ("quarter", _("Quarter")),
        ("year", _("Year")),
        ("range", _("Range of days")),
    ]
    kind = forms.ChoiceField(label=_("Period"), choices=KINDS)
    month = forms.CharField(
        label=_("Month"), required=False, max_length=7, widget=forms.TextInput(attrs={"type": "month"})
    )
    year = forms.IntegerField(label=_("Year"), required=False, widget=forms.NumberInput(attrs={"min": EARLIEST_YEAR}))
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), required=False, coerce=int, choices=[(n, f"Q{n}") for n in range(1, 5)]
    )
    date_from = BoundedDateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = BoundedDateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All"))

    def __init__(self, *args, bureau_id: int | None, own_unit_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(bureau_id=bureau_id, is_active=True).order_by("kind", "code")
        if own_unit_id is not None:
            units = units.filter(pk=own_unit_id)
            self.fields["unit"].disabled = True
        self.fields["unit"].queryset = units

    @staticmethod
    def data_of(period) -> dict[str, str]:
        """The form's fields for a reports.periods.Period (a link with ?period=2026-Q3)."""
        data = {"kind": period.kind}
        if period.kind == "month":
            data["month"] = f"{period.first:%Y-%m}"
        elif period.kind in ("quarter", "year"):
            data["year"] = str(period.first.year)
            data["quarter"] = str((period.first.month - 1) // 3 + 1)
        else:
            data["date_from"], data["date_to"] = period.first.isoformat(), period.last.isoformat()
        return data

    def clean(self):
        from reports.periods import period_parse

        data = super().clean()
        kind = data.get("kind")
        if kind == "month":
            code = data.get("month") or ""
        elif kind in ("quarter", "year"):
            if data.get("year") is None:
                raise forms.ValidationError(_("Give the year."))
            code = f"{data['year']:04d}" if kind == "year" else f"{data['year']:04d}-Q{data.get('quarter') or 1}"
        elif kind == "range":
            if not (data.get("date_from") and data.get("date_to")):
                raise forms.ValidationError(_("Give the first and the last day."))
            code = f"{data['date_from'].isoformat()}..{data['date_to'].isoformat()}"
        else:
            return data
        try:
            data["period"] = period_parse(code)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return data
