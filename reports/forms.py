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
