"""Forms of the staff screens. They validate input; the services decide and write."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.dates import BoundedDateTimeField
from tickets.choices import (
    OUTCOMES_BY_TRACK,
    AttachmentPurpose,
    Clock,
    Finding,
    Kind,
    ObjectionReason,
    Outcome,
    PauseReason,
    ReturnReason,
    Source,
    Tag,
    Track,
    tracks_for_kind,
)
from tickets.masking import PERSONAL_FIELDS
from tickets.models import Category
from tickets.services import Party, TrackResult
from tickets.services.records import ALLOWED_ATTACHMENTS

MANUAL_SOURCES = [(s.value, s.label) for s in (Source.WALK_IN, Source.PHONE, Source.LETTER)]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class VersionedForm(forms.Form):
    """Every form on a ticket carries the version the user saw; the service refuses a stale one (409)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, ticket=None, **kwargs):
        self.ticket = ticket
        kwargs.setdefault("initial", {})
        if ticket is not None:
            kwargs["initial"].setdefault("version", ticket.version)
        super().__init__(*args, **kwargs)


def apply_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: keys that name a field go there, the rest on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def active_categories():
    return Category.objects.filter(is_active=True).order_by("code")


# The category box of the intake, the dispatch form and the search filters: a searchable select
# (static/js/select-search.js adds the search box) with the tree as option groups.
def category_widget_attrs() -> dict:
    return {"data-search": "category", "data-search-label": str(_("Search categories")), "class": "category-select"}


def category_tree_choices(empty_label) -> list:
    """The active categories as the tree they are: a top category with sub-categories is an option group
    holding itself and them; one without is a plain option. One query."""
    categories = list(active_categories())
    children: dict[int, list] = {}
    for category in categories:
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
    known = {category.pk for category in categories}
    choices = [("", empty_label)]
    for category in categories:
        if category.parent_id and category.parent_id in known:
            continue  # shown in its parent's group
        below = children.get(category.pk)
        if below:
            choices.append((category.name, [(category.pk, category.name), *((c.pk, c.name) for c in below)]))
        else:
            choices.append((category.pk, category.name))
    return choices


def category_field_as_tree(field, empty_label) -> None:
    field.widget.attrs.update(category_widget_attrs())
    field.widget.choices = category_tree_choices(empty_label)  # what is shown; the queryset still validates


class IntakeForm(forms.Form):
    """Manual intake: a walk-in, a phone call or a letter."""

    source = forms.ChoiceField(label=_("source"), choices=MANUAL_SOURCES)
    external_id = forms.CharField(
        label=_("work order number"),
        max_length=64,
        required=False,
        help_text=_("Leave empty to number it automatically."),
    )
    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    category = forms.ModelChoiceField(
        label=_("category"), queryset=Category.objects.none(), required=False, empty_label=_("— choose —")
    )
    tags = forms.MultipleChoiceField(
        label=_("tags"), choices=Tag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    title = forms.CharField(label=_("title"), max_length=200, required=False)
    content = forms.CharField(
        label=pgettext_lazy("work order", "content"), max_length=20000, widget=forms.Textarea(attrs={"rows": 6})
    )
    received_at = BoundedDateTimeField(label=_("received at"), widget=DateTimeLocalInput())
    reply_due_working_days = forms.IntegerField(
        label=_("reply due in working days"), min_value=1, max_value=60, required=False
    )
    complainant_name = forms.CharField(label=_("complainant"), max_length=100, required=False)
    complainant_phone = forms.CharField(label=_("phone"), max_length=32, required=False)
    complainant_id_number = forms.CharField(label=_("ID number"), max_length=32, required=False)
    complainant_address = forms.CharField(label=_("address"), max_length=300, required=False)
    complainant_is_real_name = forms.BooleanField(label=_("real name"), required=False)
    is_confidential = forms.BooleanField(label=_("confidentiality requested"), required=False)
    may_publish = forms.BooleanField(label=_("result may be made public"), required=False)
    respondent_name = forms.CharField(label=_("respondent"), max_length=200, required=False)
    respondent_credit_code = forms.CharField(label=_("unified social credit code"), max_length=18, required=False)
    respondent_address = forms.CharField(label=_("respondent address"), max_length=300, required=False)
    location_address = forms.CharField(label=_("location"), max_length=300, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("Create it anyway: this is not a duplicate"), required=False, widget=forms.CheckboxInput
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("received_at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = active_categories()
        category_field_as_tree(self.fields["category"], _("— choose —"))

    def clean_complainant_phone(self):
        return "".join(self.cleaned_data["complainant_phone"].split())

    def clean_respondent_credit_code(self):
        return self.cleaned_data["respondent_credit_code"].strip().upper()

    def clean_received_at(self):
        received_at = self.cleaned_data["received_at"]
        if received_at > timezone.now() + timezone.timedelta(minutes=5):
            raise ValidationError(_("The time of receipt cannot be in the future."))
        return received_at

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "source": data["source"],
            "external_id": data["external_id"].strip(),
            "kind": data["kind"],
            "title": data["title"],
            "content": data["content"],
            "received_at": data["received_at"],
            "category": data["category"],
            "tags": data["tags"],
            "reply_due_working_days": data["reply_due_working_days"],
            "complainant": Party(
                name=data["complainant_name"],
                phone=data["complainant_phone"],
                id_number=data["complainant_id_number"],
                address=data["complainant_address"],
                is_real_name=data["complainant_is_real_name"],
            ),
            "respondent": Party(
                name=data["respondent_name"],
                credit_code=data["respondent_credit_code"],
                address=data["respondent_address"],
            ),
            "location_address": data["location_address"],
            "is_confidential": data["is_confidential"],
            "may_publish": data["may_publish"],
        }


class DispatchForm(VersionedForm):
    """One form classifies the ticket and sends it to a unit."""

    kind = forms.ChoiceField(label=_("kind"), choices=Kind.choices)
    category = forms.ModelChoiceField(
        label=_("category"), queryset=Category.objects.none(), required=False, empty_label=_("— choose —")
    )
    tags = forms.MultipleChoiceField(
        label=_("tags"), choices=Tag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    unit = forms.ModelChoiceField(label=pgettext_lazy("work order", "unit"), queryset=None, empty_label=_("— choose —"))
    assisting_units = forms.ModelMultipleChoiceField(
        label=_("assisting units"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Each gets its own deadline; the lead unit's reply waits for their answers."),
    )
    note = forms.CharField(label=_("note to the unit"), max_length=2000, required=False, widget=forms.Textarea)

    def __init__(self, *args, units=None, suggestion=None, **kwargs):
        ticket = kwargs.get("ticket")
        if ticket is not None:
            kwargs.setdefault("initial", {})
            from tickets.choices import AssistStatus
            from tickets.rules import assists_of

            # the units asked already and not answered; a first dispatch: the catalogue row's assisting units
            asked = [a.unit_id for a in assists_of(ticket) if a.status == AssistStatus.REQUESTED] if ticket.pk else []
            if not ticket.unit_id and suggestion is not None:
                asked = list(suggestion.assisting_unit_ids)
            kwargs["initial"].update(
                kind=ticket.kind,
                category=ticket.category_id,
                tags=list(ticket.tags),
                # a work order not yet sent anywhere: the catalogue's suggestion, which the dispatcher may change
                unit=ticket.unit_id or (suggestion.unit_id if suggestion is not None else None),
                assisting_units=asked,
            )
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["assisting_units"].queryset = units
        self.fields["category"].queryset = active_categories()
        category_field_as_tree(self.fields["category"], _("— choose —"))
        self.fields["note"].widget.attrs["rows"] = 2


class NoteForm(VersionedForm):
    note = forms.CharField(label=pgettext_lazy("work order", "note"), max_length=2000, required=False)


class AssistDoneForm(VersionedForm):
    """An assisting unit's answer (协办反馈): its findings, written to the timeline."""

    findings = forms.CharField(
        label=_("findings"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4}), strip=True
    )


class AssistReleaseForm(VersionedForm):
    """The dispatcher releases an assisting unit that has not answered."""

    unit = forms.ChoiceField(label=_("assisting unit"))
    note = forms.CharField(label=_("reason"), max_length=2000, required=False)

    def __init__(self, *args, assists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(a.unit.code, a.unit.name) for a in assists]


class MergeForm(VersionedForm):
    """Merge this work order under a master (并单): the master's id, from the duplicate proposals."""

    into = forms.IntegerField(label=_("merge into work order"), min_value=1, widget=forms.HiddenInput)
    note = forms.CharField(label=pgettext_lazy("work order", "note"), max_length=2000, required=False)


class FirstContactForm(VersionedForm):
    contacted_at = BoundedDateTimeField(label=_("contacted at"), widget=DateTimeLocalInput())
    note = forms.CharField(label=_("what was agreed"), max_length=2000, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"].setdefault("contacted_at", timezone.localtime().replace(second=0, microsecond=0))
        super().__init__(*args, **kwargs)


class AcceptanceForm(VersionedForm):
    is_accepted = forms.TypedChoiceField(
        label=_("decision"),
        choices=[("1", Outcome.ACCEPTED.label), ("0", Outcome.NOT_ACCEPTED.label)],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=pgettext_lazy("work order", "note"), max_length=2000, required=False)


class ReporterNoticeForm(VersionedForm):
    note = forms.CharField(
        label=_("how and when the reporter was told"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A real-name reporter is told the filing decision within 5 working days of it."),
    )


class PauseForm(VersionedForm):
    """Why the deadlines stop: a reason from the list (stored on the pause) and its explanation."""

    reason_code = forms.ChoiceField(
        label=_("reason for the pause"), choices=[("", _("— choose —")), *PauseReason.choices]
    )
    reason = forms.CharField(
        label=_("explanation"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "What is tested or appraised, which department is asked; for an unreachable party the attempts "
            "made (required for that reason and for 'other')."
        ),
    )


class ExtensionForm(VersionedForm):
    clock = forms.ChoiceField(label=_("deadline"), choices=Clock.choices)
    working_days = forms.IntegerField(label=_("extra working days"), min_value=1, max_value=60)
    reason = forms.CharField(label=_("reason"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, clocks=(), **kwargs):
        super().__init__(*args, **kwargs)
        if clocks:
            labels = dict(Clock.choices)
            self.fields["clock"].choices = [(c, labels[c]) for c in dict.fromkeys(clocks)]


class ReturnRequestForm(VersionedForm):
    reason_code = forms.ChoiceField(label=_("reason"), choices=ReturnReason.choices)
    reason = forms.CharField(label=_("explanation"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    is_approved = forms.TypedChoiceField(
        choices=[("1", _("Approve")), ("0", _("Reject"))], coerce=lambda value: value == "1"
    )
    note = forms.CharField(label=pgettext_lazy("work order", "note"), max_length=5000, required=False)


class AttachmentForm(VersionedForm):
    # On a phone the file box offers the camera (capture) for an evidence photo; the types the service takes.
    file = forms.FileField(
        label=_("file"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(["image/*", *ALLOWED_ATTACHMENTS]), "capture": "environment"}
        ),
    )
    # objection evidence comes with its objection (ObjectionForm), not on its own
    purpose = forms.ChoiceField(
        label=_("purpose"), choices=[c for c in AttachmentPurpose.choices if c[0] != AttachmentPurpose.OBJECTION]
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one box (Django's documented way): a list of files, each checked as a FileField."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(["image/*", *ALLOWED_ATTACHMENTS])}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ObjectionForm(VersionedForm):
    """派单异议: the unit's reason, its explanation and evidence (docs/dispatch.md)."""

    reason_code = forms.ChoiceField(label=_("reason"), choices=ObjectionReason.choices)
    text = forms.CharField(label=_("explanation"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    files = MultipleFileField(label=_("evidence"), required=False)


class ObjectionDecideForm(forms.Form):
    """The section's decision on an objection: uphold (re-dispatch to a unit) or reject (with a reason)."""

    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("uphold", _("Uphold and re-dispatch")), ("reject", _("Reject: the unit keeps it"))],
        widget=forms.RadioSelect,
    )
    unit = forms.ModelChoiceField(label=_("re-dispatch to"), queryset=None, required=False, empty_label=_("— choose —"))
    reason = forms.CharField(
        label=_("reason"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class RevealForm(forms.Form):
    field = forms.ChoiceField(choices=[(name, name) for name in PERSONAL_FIELDS])


VIOLATION_CHOICES = [("", _("— choose —")), ("no", _("No")), ("yes", _("Yes"))]


class ReplyForm(VersionedForm):
    """The reply with one block per track (finding, outcome, grounds, case number); a composite has two."""

    reply_text = forms.CharField(label=_("reply to the citizen"), max_length=20000, widget=forms.Textarea)
    explanation = forms.CharField(
        label=_("explanation (情况说明)"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the work order was reopened after a callback."),
    )
    # Set by the button that inserts a cluster alert's unified reply line (alerts/static/alerts/reply_line.js): the
    # alert whose line the reply started from; the reply records it (the handler may still edit the text).
    reply_line_alert = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ticket = self.ticket
        self.tracks = tracks_for_kind(ticket.kind) if ticket is not None else []
        existing = {t.track: t for t in getattr(ticket, "track_list", [])}
        if ticket is not None:
            self.initial.setdefault("reply_text", ticket.reply_text)
        outcome_labels = dict(Outcome.choices)
        for track in self.tracks:
            prefix = f"{track}_"
            outcomes = [o for o in Outcome.values if o in OUTCOMES_BY_TRACK[track]]
            self.fields[prefix + "finding"] = forms.ChoiceField(
                label=_("finding"), choices=Finding.choices, widget=forms.RadioSelect
            )
            self.fields[prefix + "outcome"] = forms.ChoiceField(
                label=_("outcome"), choices=[("", _("— choose —"))] + [(o, outcome_labels[o]) for o in outcomes]
            )
            self.fields[prefix + "grounds"] = forms.CharField(
                label=_("grounds and evidence"),
                max_length=10000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("Required for 'not substantiated': what was checked and what it showed."),
            )
            self.fields[prefix + "case_number"] = forms.CharField(label=_("case number"), max_length=64, required=False)
            if track == Track.COMPLAINT:
                self.fields[prefix + "is_violation_suspected"] = forms.ChoiceField(
                    label=_("illegal act suspected"),
                    choices=VIOLATION_CHOICES,
                    required=False,
                    help_text=_("Required when closing by mediation (no mediation instead of penalty)."),
                )
            current = existing.get(track)
            if current is not None:
                self.initial.setdefault(prefix + "finding", current.finding)
                self.initial.setdefault(prefix + "outcome", current.outcome)
                self.initial.setdefault(prefix + "grounds", current.grounds)
                self.initial.setdefault(prefix + "case_number", current.case_number)

    def track_blocks(self):
        labels = dict(Track.choices)
        return [
            {"track": track, "label": labels[track], "fields": [f for f in self if f.name.startswith(f"{track}_")]}
            for track in self.tracks
        ]

    def results(self) -> dict[str, TrackResult]:
        data = self.cleaned_data
        results = {}
        for track in self.tracks:
            prefix = f"{track}_"
            suspected = data.get(prefix + "is_violation_suspected", "")
            results[track] = TrackResult(
                finding=data[prefix + "finding"],
                outcome=data[prefix + "outcome"],
                grounds=data[prefix + "grounds"],
                case_number=data[prefix + "case_number"],
                is_violation_suspected={"yes": True, "no": False}.get(suspected),
            )
        return results
