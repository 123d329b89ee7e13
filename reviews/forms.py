from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import BoundedDateField
from org.models import Unit, User
from reviews.choices import Resolved, ReturnReasonCode, Satisfaction, ScoreStage
from tickets.choices import Finding, Kind, Outcome
from tickets.models import Category


class ApproveForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ReturnForm(forms.Form):
    reason_codes = forms.MultipleChoiceField(
        label=_("Reasons"), choices=ReturnReasonCode.choices, widget=forms.CheckboxSelectMultiple
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class CallbackForm(forms.Form):
    resolved = forms.ChoiceField(label=_("Was the request resolved?"), choices=Resolved.choices)
    satisfaction = forms.ChoiceField(label=_("Is the citizen satisfied?"), choices=Satisfaction.choices)
    comment = forms.CharField(
        label=_("Note"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CallbackAttemptForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class SupervisionForm(forms.Form):
    cause_analysis = forms.CharField(label=_("Cause analysis"), required=False, max_length=10000, widget=forms.Textarea)
    responsible_person = forms.CharField(label=_("Person responsible"), required=False, max_length=100)
    is_typical_case = forms.BooleanField(label=_("Typical case (for notices)"), required=False)
    close = forms.BooleanField(label=_("Close this supervision"), required=False)


class CampaignForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    finding = forms.ChoiceField(label=_("Finding"), choices=[("", _("Any"))] + Finding.choices, required=False)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("Any"))] + Outcome.choices, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any"))] + Kind.choices, required=False)
    period_start = BoundedDateField(label=_("Completed from"), widget=forms.DateInput(attrs={"type": "date"}))
    period_end = BoundedDateField(label=_("Completed until"), widget=forms.DateInput(attrs={"type": "date"}))
    seed = forms.CharField(label=_("Random seed (blank: a new one)"), required=False, max_length=64)

    def __init__(self, *args, bureau, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(Unit.objects.filter(bureau=bureau, is_active=True).order_by("kind", "code"))
        for unit in self.units:
            self.fields[f"quota_{unit.pk}"] = forms.IntegerField(
                label=_("Sample size: %(unit)s") % {"unit": unit.name}, required=False, min_value=0, max_value=500
            )

    def quotas(self) -> dict:
        return {u: self.cleaned_data[f"quota_{u.pk}"] for u in self.units if self.cleaned_data.get(f"quota_{u.pk}")}


class ScoreForm(forms.Form):
    stage = forms.ChoiceField(choices=ScoreStage.choices, widget=forms.HiddenInput)
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=100)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000)


class FindingsForm(forms.Form):
    findings = forms.CharField(label=_("Findings"), max_length=20000, widget=forms.Textarea)
    key_point_title = forms.CharField(label=_("Key point title"), required=False, max_length=200)
    key_point_body = forms.CharField(label=_("Key point"), required=False, max_length=20000, widget=forms.Textarea)
    key_point_category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), required=False, empty_label=_("Any")
    )
    key_point_kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any"))] + Kind.choices, required=False)


class KeyPointForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Key points"), max_length=20000, widget=forms.Textarea)
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(is_active=True), required=False, empty_label=_("Any")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any"))] + Kind.choices, required=False)


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    held_on = BoundedDateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    trainer = forms.CharField(label=_("Trainer"), required=False, max_length=100)
    attendees = forms.ModelMultipleChoiceField(label=_("Attendees"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, bureau, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = User.objects.filter(unit__bureau=bureau, is_active=True).select_related(
            "unit"
        )
        # People pick colleagues by name and unit, not by login name.
        self.fields["attendees"].label_from_instance = lambda user: (
            f"{user.display_name} · {user.unit}" if user.unit_id else user.display_name
        )
