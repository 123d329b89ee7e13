from django import forms
from django.utils.translation import gettext_lazy as _

from documents.choices import DocumentKind


class MakeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Document"), choices=DocumentKind.choices)


class MonthForm(forms.Form):
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("Give the month as YYYY-MM.")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def clean_month(self):
        year, month = (int(part) for part in self.cleaned_data["month"].split("-"))
        if not 2000 <= year <= 2100:
            raise forms.ValidationError(_("Give the month as YYYY-MM."))
        return year, month
