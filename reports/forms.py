from django import forms
from django.utils.translation import gettext_lazy as _

from reports.selectors.months import Month, month_parse


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
