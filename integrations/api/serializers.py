"""The platform's documents: what its intake and callbacks send, what its reads answer (docs/platform-contract.md)."""

from rest_framework import serializers

from core.api.fields import AwareDateTimeField
from tickets.api.serializers import (
    RESOLVED_CHOICES,
    SATISFACTION_CHOICES,
    ComplainantInSerializer,
    DeadlineOutSerializer,
    RespondentInSerializer,
    TrackOutcomeSerializer,
    UnitOutSerializer,
)
from tickets.choices import PLATFORM_SOURCES, Clock, Finding, Kind, Source, Status, Tag

PLATFORM_SOURCE_CHOICES = [(value, label) for value, label in Source.choices if value in PLATFORM_SOURCES]


# ---------------------------------------------------------------- intake


class LocationInSerializer(serializers.Serializer):
    address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True, default=None)
    lng = serializers.FloatField(min_value=-180, max_value=180, required=False, allow_null=True, default=None)


class TicketIntakeSerializer(serializers.Serializer):
    external_id = serializers.RegexField(r"^[^/\s]+$", max_length=64)
    source = serializers.ChoiceField(choices=PLATFORM_SOURCE_CHOICES)
    kind = serializers.ChoiceField(choices=Kind.choices)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    content = serializers.CharField(max_length=20000)
    received_at = AwareDateTimeField()
    reply_due_working_days = serializers.IntegerField(min_value=1, max_value=60, required=False, allow_null=True)
    reply_due_at = AwareDateTimeField(required=False, allow_null=True)
    category = serializers.CharField(max_length=40, required=False, allow_blank=True, allow_null=True)
    tags = serializers.ListField(
        child=serializers.ChoiceField(choices=Tag.choices), max_length=len(Tag.values), required=False, default=list
    )
    complainant = ComplainantInSerializer(required=False)
    respondent = RespondentInSerializer(required=False)
    location = LocationInSerializer(required=False)
    is_confidential = serializers.BooleanField(required=False, default=False)
    may_publish = serializers.BooleanField(required=False, default=False)

    def validate_received_at(self, value):
        import datetime as dt

        from django.utils import timezone

        if value > timezone.now() + dt.timedelta(minutes=5):
            raise serializers.ValidationError("The receipt time lies in the future.")
        if value.year < 2000:
            raise serializers.ValidationError("The receipt time is too far in the past.")
        return value

    def validate_reply_due_at(self, value):
        if value is not None and not 2000 <= value.year <= 2100:
            raise serializers.ValidationError("The reply deadline is out of range.")
        return value

    def validate(self, attrs):
        due_at = attrs.get("reply_due_at")
        if due_at is not None and due_at <= attrs["received_at"]:
            raise serializers.ValidationError({"reply_due_at": "The reply deadline must come after the receipt."})
        return attrs


# ---------------------------------------------------------------- a work order as the platform sees it


class EscalationOutSerializer(serializers.Serializer):
    clock = serializers.ChoiceField(choices=Clock.choices)
    tier = serializers.IntegerField()
    fired_at = AwareDateTimeField(allow_null=True)
    skipped = serializers.BooleanField()


class EventOutSerializer(serializers.Serializer):
    code = serializers.CharField()
    at = AwareDateTimeField()


class OutcomeOutSerializer(serializers.Serializer):
    finding = serializers.ChoiceField(choices=Finding.choices, allow_blank=True)
    reply = serializers.CharField(allow_blank=True)
    case_number = serializers.CharField(allow_blank=True)
    tracks = TrackOutcomeSerializer(many=True)


class WorkOrderRefSerializer(serializers.Serializer):
    source = serializers.ChoiceField(choices=Source.choices)
    external_id = serializers.CharField()


class PlatformTicketSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    external_id = serializers.CharField()
    source = serializers.ChoiceField(choices=Source.choices)
    kind = serializers.ChoiceField(choices=Kind.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    received_at = AwareDateTimeField()
    unit = UnitOutSerializer(allow_null=True)
    deadlines = DeadlineOutSerializer(many=True)
    escalations = EscalationOutSerializer(many=True)
    outcome = OutcomeOutSerializer(allow_null=True)
    merged_into = WorkOrderRefSerializer(allow_null=True)
    events = EventOutSerializer(many=True)


class UpdateOutSerializer(serializers.Serializer):
    update_id = serializers.IntegerField()
    source = serializers.ChoiceField(choices=Source.choices)
    external_id = serializers.CharField()
    status = serializers.ChoiceField(choices=Status.choices)
    updated_at = serializers.CharField(help_text="ISO 8601 with offset (+08:00).")
    reply = serializers.CharField(required=False, help_text="The reply text; only on `completed`.")


class UpdatePageSerializer(serializers.Serializer):
    results = UpdateOutSerializer(many=True)
    next = serializers.URLField(allow_null=True)


# ---------------------------------------------------------------- callback and urge


class CallbackInSerializer(serializers.Serializer):
    satisfaction = serializers.ChoiceField(choices=SATISFACTION_CHOICES)
    resolved = serializers.ChoiceField(choices=RESOLVED_CHOICES, required=False, allow_blank=True, default="")
    comment = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    called_at = AwareDateTimeField(required=False, allow_null=True, default=None)


class CallbackOutSerializer(serializers.Serializer):
    ticket = PlatformTicketSerializer()
    recorded = serializers.BooleanField(help_text="false when the same callback had been recorded before")


class UrgeInSerializer(serializers.Serializer):
    message = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    urged_at = AwareDateTimeField(required=False, allow_null=True, default=None)
