"""The staff API's documents. Input serializers validate; output serializers describe exactly what the API
answers (and the schema)."""

from rest_framework import serializers

from core.api.fields import AwareDateTimeField
from core.api.schema import ErrorSerializer
from tickets.choices import (
    AssistStatus,
    AttachmentPurpose,
    Clock,
    ClockStatus,
    Finding,
    Kind,
    ObjectionDecision,
    ObjectionReason,
    ObjectionStatus,
    Outcome,
    PauseReason,
    RequestKind,
    RequestStatus,
    ReturnReason,
    Source,
    Status,
    Tag,
    Track,
)

SATISFACTION_CHOICES = ["satisfied", "basically_satisfied", "unsatisfied"]
RESOLVED_CHOICES = ["resolved", "partly", "unresolved"]


# ------------------------------------------------ parts the platform's documents share (integrations.api)


class ComplainantInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    id_number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    is_real_name = serializers.BooleanField(required=False, default=False)


class RespondentInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    credit_code = serializers.CharField(max_length=18, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class UnitOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class DeadlineOutSerializer(serializers.Serializer):
    clock = serializers.ChoiceField(choices=Clock.choices)
    due_at = AwareDateTimeField()
    status = serializers.ChoiceField(choices=ClockStatus.choices)
    met_at = AwareDateTimeField(allow_null=True)
    unit = serializers.CharField(
        allow_null=True, required=False, help_text="an assisting unit's clock (clock 'assist'): the unit's code"
    )


class TrackOutcomeSerializer(serializers.Serializer):
    track = serializers.ChoiceField(choices=Track.choices)
    finding = serializers.ChoiceField(choices=Finding.choices, allow_blank=True)
    outcome = serializers.ChoiceField(choices=Outcome.choices, allow_blank=True)
    case_number = serializers.CharField(allow_blank=True)


# ---------------------------------------------------------------- staff API


class StaffTicketRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.ChoiceField(choices=Source.choices)
    external_id = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    title = serializers.CharField(allow_blank=True)
    status = serializers.ChoiceField(choices=Status.choices)
    unit = UnitOutSerializer(allow_null=True)
    handler = serializers.CharField(allow_null=True)
    received_at = AwareDateTimeField()
    next_due_at = AwareDateTimeField(allow_null=True)
    version = serializers.IntegerField()


class StaffTicketPageSerializer(serializers.Serializer):
    results = StaffTicketRowSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class SuggestedUnitSerializer(serializers.Serializer):
    unit = UnitOutSerializer()
    basis = serializers.ChoiceField(
        choices=["catalogue", "similar"],
        help_text="catalogue: a row of the dispatch catalogue; similar: where similar past work orders went",
    )
    reason = serializers.CharField(help_text="said to the dispatcher, in the request's language")


class StaffInboxRowSerializer(StaffTicketRowSerializer):
    suggested_unit = SuggestedUnitSerializer(allow_null=True)
    possible_duplicates = serializers.ListField(
        child=serializers.IntegerField(), help_text="ids of open work orders this one may repeat (docs/duplicates.md)"
    )


class StaffInboxPageSerializer(serializers.Serializer):
    results = StaffInboxRowSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class AssistOutSerializer(serializers.Serializer):
    """An assisting unit (协办) of the work order: asked, answered ("done") or released."""

    unit = UnitOutSerializer()
    status = serializers.ChoiceField(choices=AssistStatus.choices)
    requested_at = AwareDateTimeField()
    due_at = AwareDateTimeField()
    answered_at = AwareDateTimeField(allow_null=True)
    answered_by = serializers.CharField(allow_null=True)
    findings = serializers.CharField(allow_blank=True)
    released_at = AwareDateTimeField(allow_null=True)
    release_note = serializers.CharField(allow_blank=True)


class AssistingRowSerializer(serializers.Serializer):
    """A work order the user's unit assists (协办), as the limited assisting page shows it: no personal data, none
    of the lead unit's people."""

    id = serializers.IntegerField(help_text="the work order's id (its detail: …/tickets/{id}/)")
    source = serializers.CharField()
    external_id = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField(help_text="the work order's status")
    category = UnitOutSerializer(allow_null=True, help_text="the matter category (code, name)")
    received_at = AwareDateTimeField()
    lead_unit = UnitOutSerializer(allow_null=True)
    assist_status = serializers.ChoiceField(choices=AssistStatus.choices, help_text="the unit's own assistance")
    requested_at = AwareDateTimeField()
    due_at = AwareDateTimeField(help_text="the unit's answer is due (its own clock)")
    answered_at = AwareDateTimeField(allow_null=True)
    released_at = AwareDateTimeField(allow_null=True)
    clock = DeadlineOutSerializer(allow_null=True, help_text="the unit's own clock (clock 'assist')")


class AssistingPageSerializer(serializers.Serializer):
    results = AssistingRowSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class StaffEventSerializer(serializers.Serializer):
    code = serializers.CharField()
    at = AwareDateTimeField()
    actor = serializers.CharField(allow_null=True)
    data = serializers.DictField(child=serializers.JSONField())


class AttachmentOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    purpose = serializers.ChoiceField(choices=AttachmentPurpose.choices)
    uploaded_at = AwareDateTimeField()
    url = serializers.CharField(help_text="download (the same permission check)")


class ObjectionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ticket = serializers.IntegerField()
    ticket_external_id = serializers.CharField()
    unit = UnitOutSerializer()
    reason_code = serializers.ChoiceField(choices=ObjectionReason.choices)
    reason_label = serializers.CharField(help_text="the reason code in words, in the request's language")
    text = serializers.CharField()
    evidence = serializers.ListField(child=serializers.IntegerField(), help_text="attachment ids")
    status = serializers.ChoiceField(choices=ObjectionStatus.choices)
    raised_by = serializers.CharField()
    raised_at = AwareDateTimeField()
    window_ends_at = AwareDateTimeField(help_text="the end of the window to object to the dispatch")
    decided_by = serializers.CharField(allow_null=True)
    decided_at = AwareDateTimeField(allow_null=True)
    decision_reason = serializers.CharField(allow_blank=True)
    new_unit = UnitOutSerializer(allow_null=True)
    decision_working_hours = serializers.FloatField(allow_null=True, help_text="working hours taken to decide")


class StaffTicketDetailSerializer(StaffTicketRowSerializer):
    suggested_unit = SuggestedUnitSerializer(
        allow_null=True, help_text="the catalogue's suggestion while the work order waits for its first dispatch"
    )
    possible_duplicates = serializers.ListField(
        child=serializers.IntegerField(), help_text="ids of open work orders this one may repeat (docs/duplicates.md)"
    )
    merged_into = serializers.IntegerField(
        allow_null=True, help_text="the id of the master work order this one is merged into (它并入的主工单), or null"
    )
    content = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    category = serializers.CharField(allow_null=True)
    complainant_name = serializers.CharField(allow_blank=True, help_text="masked")
    complainant_phone = serializers.CharField(allow_blank=True, help_text="masked")
    respondent_name = serializers.CharField(allow_blank=True)
    reply_text = serializers.CharField(allow_blank=True)
    deadlines = DeadlineOutSerializer(many=True)
    tracks = TrackOutcomeSerializer(many=True)
    events = StaffEventSerializer(many=True)
    attachments = AttachmentOutSerializer(many=True)
    assists = AssistOutSerializer(many=True, help_text="the assisting units (协办单位) and their answers")
    objections = ObjectionOutSerializer(
        many=True, help_text="the dispatch objections (派单异议) on the work order and their decisions, oldest first"
    )


class VersionInSerializer(serializers.Serializer):
    expected_version = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)


class DispatchInSerializer(VersionInSerializer):
    """The dispatch form of the ticket page: classify (kind, category, tags) and send to a unit."""

    unit = serializers.SlugField(max_length=32, help_text="the unit's code")
    kind = serializers.ChoiceField(choices=Kind.choices, required=False)
    category = serializers.CharField(
        max_length=40, required=False, allow_blank=True, default="", help_text="an active category's code; empty: kept"
    )
    tags = serializers.ListField(
        child=serializers.ChoiceField(choices=Tag.choices),
        max_length=len(Tag.values),
        required=False,
        help_text="the work order's tags, all of them; left out: kept",
    )
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    assisting_units = serializers.ListField(
        child=serializers.CharField(max_length=32),
        max_length=10,
        required=False,
        help_text="assisting units (协办) to ask, by code (a unit's id is accepted too); units asked before stay asked",
    )


class AssistDoneInSerializer(serializers.Serializer):
    findings = serializers.CharField(max_length=10000, help_text="the assisting unit's findings, on the timeline")


class AssistReleaseInSerializer(serializers.Serializer):
    unit = serializers.CharField(max_length=32, help_text="the assisting unit's code (or id)")
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class MergeInSerializer(VersionInSerializer):
    into = serializers.IntegerField(min_value=1, help_text="the id of the master work order (same bureau, open)")
    note = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)


class NoteInSerializer(VersionInSerializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class FirstContactInSerializer(NoteInSerializer):
    contacted_at = AwareDateTimeField(required=False, allow_null=True, default=None)


class TrackResultInSerializer(serializers.Serializer):
    finding = serializers.ChoiceField(choices=Finding.choices)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    grounds = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="")
    case_number = serializers.CharField(max_length=64, required=False, allow_blank=True, default="")
    is_violation_suspected = serializers.BooleanField(required=False, allow_null=True, default=None)


class ReplyInSerializer(VersionInSerializer):
    reply_text = serializers.CharField(max_length=20000)
    complaint = TrackResultInSerializer(required=False)
    report = TrackResultInSerializer(required=False)
    explanation = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    reply_line_alert = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text="the cluster alert whose unified reply line the reply was started from (recorded with the reply)",
    )


class ReviewApproveInSerializer(VersionInSerializer):
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReviewReturnInSerializer(VersionInSerializer):
    reason_codes = serializers.ListField(child=serializers.CharField(max_length=40), min_length=1, max_length=20)
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


# ---------------------------------------------------------------- staff API: the rest of the screens

MANUAL_SOURCE_CHOICES = [(s.value, s.label) for s in (Source.WALK_IN, Source.PHONE, Source.LETTER)]


class StaffIntakeInSerializer(serializers.Serializer):
    """Manual intake (walk-in, phone, letter): the fields of the intake form."""

    source = serializers.ChoiceField(choices=MANUAL_SOURCE_CHOICES)
    external_id = serializers.RegexField(
        r"^[^/\s]*$", max_length=64, required=False, allow_blank=True, default="", help_text="empty: numbered"
    )
    kind = serializers.ChoiceField(choices=Kind.choices)
    category = serializers.CharField(max_length=40, required=False, allow_blank=True, default="", help_text="code")
    tags = serializers.ListField(
        child=serializers.ChoiceField(choices=Tag.choices), max_length=len(Tag.values), required=False, default=list
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=20000)
    received_at = AwareDateTimeField()
    reply_due_working_days = serializers.IntegerField(min_value=1, max_value=60, required=False, allow_null=True)
    complainant = ComplainantInSerializer(required=False)
    respondent = RespondentInSerializer(required=False)
    location_address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    is_confidential = serializers.BooleanField(required=False, default=False)
    may_publish = serializers.BooleanField(required=False, default=False)
    confirm_duplicate = serializers.BooleanField(
        required=False, default=False, help_text="create it although possible duplicates were found"
    )

    def validate_received_at(self, value):
        import datetime as dt

        from django.utils import timezone

        if value > timezone.now() + dt.timedelta(minutes=5):
            raise serializers.ValidationError("The time of receipt cannot be in the future.")
        if value.year < 2000:
            raise serializers.ValidationError("The receipt time is too far in the past.")
        return value


class DuplicateErrorSerializer(ErrorSerializer):
    duplicates = StaffTicketRowSerializer(many=True, help_text="possible duplicates: send again with confirm_duplicate")


class ExtensionInSerializer(VersionInSerializer):
    clock = serializers.ChoiceField(choices=Clock.choices)
    working_days = serializers.IntegerField(min_value=1, max_value=60)
    reason = serializers.CharField(max_length=5000)


class ReturnRequestInSerializer(VersionInSerializer):
    reason_code = serializers.ChoiceField(choices=ReturnReason.choices)
    reason = serializers.CharField(max_length=5000)


class PauseInSerializer(VersionInSerializer):
    reason_code = serializers.ChoiceField(choices=PauseReason.choices, help_text="why the deadlines stop")
    reason = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="the explanation (required for 'unreachable': the attempts made, and for 'other')",
    )


class ReporterNoticeInSerializer(VersionInSerializer):
    note = serializers.CharField(max_length=2000, help_text="how and when the reporter was told")


class AcceptanceInSerializer(VersionInSerializer):
    is_accepted = serializers.BooleanField()
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RevealInSerializer(serializers.Serializer):
    field = serializers.ChoiceField(
        choices=["complainant_name", "complainant_phone", "complainant_id_number", "complainant_address"]
    )


class RevealOutSerializer(serializers.Serializer):
    field = serializers.CharField()
    value = serializers.CharField(allow_blank=True)


class AttachmentInSerializer(serializers.Serializer):
    file = serializers.FileField(max_length=255, allow_empty_file=True)
    purpose = serializers.ChoiceField(choices=AttachmentPurpose.choices, required=False, default="evidence")


class ApprovalRequestOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ticket = serializers.IntegerField()
    ticket_external_id = serializers.CharField()
    ticket_title = serializers.CharField(allow_blank=True)
    unit = UnitOutSerializer(allow_null=True)
    kind = serializers.ChoiceField(choices=RequestKind.choices)
    status = serializers.ChoiceField(choices=RequestStatus.choices)
    clock = serializers.CharField(allow_blank=True)
    working_days = serializers.IntegerField(allow_null=True)
    reason_code = serializers.CharField(allow_blank=True)
    reason = serializers.CharField(allow_blank=True)
    requested_by = serializers.CharField()
    requested_at = AwareDateTimeField()


class ApprovalRequestPageSerializer(serializers.Serializer):
    results = ApprovalRequestOutSerializer(many=True)
    next = serializers.URLField(allow_null=True)


class DecideInSerializer(serializers.Serializer):
    is_approved = serializers.BooleanField()
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class StaffCallbackInSerializer(serializers.Serializer):
    resolved = serializers.ChoiceField(choices=RESOLVED_CHOICES)
    satisfaction = serializers.ChoiceField(choices=SATISFACTION_CHOICES)
    comment = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class StaffCallbackOutSerializer(serializers.Serializer):
    ticket = StaffTicketDetailSerializer()
    recorded = serializers.BooleanField(help_text="false when the same callback had been recorded before")


# ------------------------------------------------ dispatch objections (派单异议, docs/dispatch.md)


class ObjectionInSerializer(VersionInSerializer):
    reason_code = serializers.ChoiceField(choices=ObjectionReason.choices)
    text = serializers.CharField(max_length=5000)
    evidence = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1),
        max_length=10,
        required=False,
        default=list,
        help_text="ids of this work order's attachments (uploaded first through its attachments step)",
    )


class ObjectionDecideInSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=ObjectionDecision.choices)
    unit = serializers.IntegerField(
        min_value=1, max_value=2**31 - 1, required=False, allow_null=True, help_text="uphold: the unit's id"
    )
    reason = serializers.CharField(
        max_length=5000, required=False, allow_blank=True, default="", help_text="required to reject"
    )


class ObjectionPageSerializer(serializers.Serializer):
    results = ObjectionOutSerializer(many=True)
    next = serializers.URLField(allow_null=True)
