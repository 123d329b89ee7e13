from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from alerts.choices import AlertKind, AlertStatus


class AlertFilterForm(forms.Form):
    """The list's filters; an unknown value is ignored (the form is invalid, the list unfiltered)."""

    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", pgettext_lazy("filter", "All")), *AlertKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", pgettext_lazy("filter", "All")), *AlertStatus.choices]
    )


class ConsultationForm(forms.Form):
    reply_line = forms.CharField(
        label=_("Unified reply line (统一口径)"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Shown on every linked work order; handlers answer along it. It decides no acceptance."),
    )
    note = forms.CharField(
        label=_("Consultation record (会商)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Who took part, what was agreed."),
    )


class MergeForm(forms.Form):
    """The alert to merge into this one: the page offers the active alerts that share a business with it."""

    other = forms.TypedChoiceField(label=_("Alert to merge into this one"), coerce=int)

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["other"].choices = [
            (alert.pk, f"#{alert.pk} · {alert.get_kind_display()} · {alert.label} · {alert.ticket_count}")
            for alert in candidates
        ]
