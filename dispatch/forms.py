from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dispatch.services import RowInput
from tickets.forms import active_categories


class CatalogueRowForm(forms.Form):
    category = forms.ModelChoiceField(label=_("category"), queryset=None, empty_label=_("— choose —"))
    area = forms.CharField(
        label=_("town or street"),
        max_length=100,
        required=False,
        help_text=_("Leave empty for anywhere in the district."),
    )
    lead_unit = forms.ModelChoiceField(label=_("lead unit"), queryset=None, empty_label=_("— choose —"))
    assisting_units = forms.ModelMultipleChoiceField(
        label=_("assisting units"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    effective_from = forms.DateField(
        label=_("effective from"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, units, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("effective_from", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = active_categories()
        self.fields["lead_unit"].queryset = units
        self.fields["assisting_units"].queryset = units

    def clean_area(self):
        return self.cleaned_data["area"].strip()

    def row_input(self) -> RowInput:
        data = self.cleaned_data
        return RowInput(
            category=data["category"],
            area=data["area"],
            lead_unit=data["lead_unit"],
            assisting_units=list(data["assisting_units"]),
            effective_from=data["effective_from"],
            note=data["note"],
        )


class CatalogueFilterForm(forms.Form):
    category = forms.ModelChoiceField(label=_("category"), queryset=None, required=False, empty_label=_("— any —"))
    area = forms.CharField(label=_("town or street"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = active_categories()


class ImportForm(forms.Form):
    file = forms.FileField(label=_("workbook (.xlsx)"))
