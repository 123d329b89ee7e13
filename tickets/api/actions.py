"""Steps on a work order: POST /api/v1/staff/tickets/{pk}/{step}/, each the ticket page's step with the same
rule and the same service; the answer is the work order as it is after it."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers
from rest_framework.response import Response

from core.api.schema import errors
from core.api.views import json_object
from reviews.choices import CallbackSource
from reviews.services import callback_record, review_approve, review_return
from tickets import selectors, services
from tickets.api import serializers as s
from tickets.api.base import StaffView
from tickets.api.detail import staff_detail, staff_detail_for
from tickets.choices import Status, Track
from tickets.models import Ticket
from tickets.rules import STEP_ROLES, assists_outstanding
from tickets.selectors import ticket_get_for_user
from tickets.suggestions import suggestion_for


class StaffActionView(StaffView):
    """POST /api/v1/staff/tickets/{pk}/{action}/: the same services and permission names as the screens. A step
    names its service and the body's fields it takes, as the screen's view does; perform() calls it with the
    body's expected_version. A step whose service takes more than body fields overrides perform()."""

    permission_name = ""
    input_serializer: type[serializers.Serializer] = s.VersionInSerializer
    service = None  # staticmethod(services.ticket_<step>), as the screen's view names it
    fields: tuple[str, ...] = ()
    assisted = False  # a step an assisting unit (协办) takes: the work orders it assists are found too

    def post(self, request, pk: int):
        ticket = ticket_get_for_user(request.user, pk, assisted=self.assisted)
        body = json_object(request)
        self.check_permission(ticket, body)
        serializer = self.input_serializer(data=body)
        serializer.is_valid(raise_exception=True)
        self.perform(ticket, dict(serializer.validated_data))
        ticket = ticket_get_for_user(request.user, pk, assisted=self.assisted)
        return Response(s.StaffTicketDetailSerializer(staff_detail_for(request.user, ticket)).data)

    def check_permission(self, ticket: Ticket, body: dict) -> None:
        if self.permission_name not in STEP_ROLES:  # a step of another app (reviews), in its own rules
            self.check_perm(self.permission_name, ticket)
            return
        version = s.VersionInSerializer(data=body)
        self.check_step(
            self.permission_name, ticket, version.validated_data.get("expected_version") if version.is_valid() else None
        )

    def perform(self, ticket: Ticket, data: dict) -> None:
        self.service(
            ticket,
            actor=self.request.user,
            expected_version=data.get("expected_version"),
            **{name: data[name] for name in self.fields},
        )


def action_schema(operation_id: str, description: str | None = None):
    """A step's POST in the schema, its body the view's input_serializer (a class decorator)."""

    def decorate(view: type[StaffActionView]) -> type[StaffActionView]:
        return extend_schema_view(
            post=extend_schema(
                operation_id=operation_id,
                tags=["staff"],
                description=description,
                request=view.input_serializer,
                responses={200: s.StaffTicketDetailSerializer, **errors(400, 404, 409, 413)},
            )
        )(view)

    return decorate


@action_schema("staff_ticket_dispatch")
class StaffDispatchView(StaffActionView):
    permission_name = "tickets.dispatch_ticket"
    input_serializer = s.DispatchInSerializer

    def perform(self, ticket, data):
        # the choices of the page's dispatch form: the user's bureau's active units, the active categories
        unit = selectors.unit_choices_for_user(self.request.user).filter(code=data["unit"]).first()
        if unit is None:
            raise exceptions.ValidationError({"unit": ["No active unit of this bureau has this code."]})
        category = selectors.category_active(data["category"]) if data["category"] else None
        if data["category"] and category is None:
            raise exceptions.ValidationError({"category": ["No active category has this code."]})
        assisting = units_by_code_or_id(self.request.user, data.get("assisting_units") or [])
        services.ticket_dispatch(
            ticket,
            unit=unit,
            assisting_units=assisting,
            actor=self.request.user,
            kind=data.get("kind"),
            category=category,
            tags=data.get("tags"),
            note=data["note"],
            expected_version=data.get("expected_version"),
            suggestion=suggestion_for(ticket) if ticket.status == Status.RECEIVED else None,
        )


def units_by_code_or_id(user, values: list[str]) -> list:
    """The active units of the user's bureau named by code (or id); an unknown one is a 400 naming it."""
    if not values:
        return []
    units = list(selectors.unit_choices_for_user(user))
    by_code = {unit.code: unit for unit in units}
    by_id = {str(unit.pk): unit for unit in units}
    found, unknown = [], []
    for value in values:
        unit = by_code.get(value) or by_id.get(value)
        (found if unit is not None else unknown).append(unit if unit is not None else value)
    if unknown:
        raise exceptions.ValidationError(
            {"assisting_units": [f"No active unit of this bureau has the code or id: {', '.join(unknown)}."]}
        )
    return found


@action_schema(
    "staff_ticket_assist_done",
    "An assisting unit (协办) records its findings on the timeline and answers done; its deadline is met.",
)
class StaffAssistDoneView(StaffActionView):
    permission_name = "tickets.assist_done"
    input_serializer = s.AssistDoneInSerializer
    assisted = True

    def perform(self, ticket, data):
        services.ticket_assist_done(ticket, actor=self.request.user, findings=data["findings"])


@action_schema(
    "staff_ticket_assist_release",
    "The dispatcher (or the section) releases an assisting unit that has not answered; the reply no longer waits.",
)
class StaffAssistReleaseView(StaffActionView):
    permission_name = "tickets.assist_release"
    input_serializer = s.AssistReleaseInSerializer

    def perform(self, ticket, data):
        value = data["unit"]
        outstanding = [assist.unit for assist in assists_outstanding(ticket)]
        unit = next((u for u in outstanding if value in (u.code, str(u.pk))), None)
        if unit is None:
            raise exceptions.ValidationError({"unit": ["This unit has no assistance outstanding on this work order."]})
        services.ticket_assist_release(ticket, actor=self.request.user, unit=unit, note=data["note"])


@action_schema(
    "staff_ticket_merge",
    "Merge this work order under a master (并单, docs/duplicates.md): it takes the master's status, unit and reply.",
)
class StaffMergeView(StaffActionView):
    permission_name = "tickets.merge_ticket"
    input_serializer = s.MergeInSerializer
    service = staticmethod(services.ticket_merge)
    fields = ("into", "note")


@action_schema("staff_ticket_split", "Undo a merge: the work order gets back its own status, unit and deadlines.")
class StaffSplitView(StaffActionView):
    permission_name = "tickets.split_ticket"
    input_serializer = s.NoteInSerializer
    service = staticmethod(services.ticket_split)
    fields = ("note",)


@action_schema("staff_ticket_recall")
class StaffRecallView(StaffActionView):
    permission_name = "tickets.recall_ticket"
    input_serializer = s.NoteInSerializer
    service = staticmethod(services.ticket_recall)
    fields = ("note",)


@action_schema("staff_ticket_archive")
class StaffArchiveView(StaffActionView):
    permission_name = "tickets.archive_ticket"
    input_serializer = s.NoteInSerializer
    service = staticmethod(services.ticket_archive)
    fields = ("note",)


@action_schema("staff_ticket_accept")
class StaffAcceptView(StaffActionView):
    permission_name = "tickets.accept_ticket"
    service = staticmethod(services.ticket_accept)


@action_schema("staff_ticket_first_contact")
class StaffFirstContactView(StaffActionView):
    permission_name = "tickets.record_first_contact"
    input_serializer = s.FirstContactInSerializer
    service = staticmethod(services.ticket_record_first_contact)
    fields = ("contacted_at", "note")


@action_schema("staff_ticket_reply")
class StaffReplyView(StaffActionView):
    permission_name = "tickets.submit_reply"
    input_serializer = s.ReplyInSerializer

    def perform(self, ticket, data):
        results = {
            track: services.TrackResult(**data[track]) for track in (Track.COMPLAINT, Track.REPORT) if data.get(track)
        }
        services.ticket_submit_reply(
            ticket,
            actor=self.request.user,
            reply_text=data["reply_text"],
            results=results,
            explanation=data["explanation"],
            reply_line_alert=data.get("reply_line_alert"),
            expected_version=data.get("expected_version"),
        )


@action_schema("staff_ticket_review_approve")
class StaffReviewApproveView(StaffActionView):
    permission_name = "reviews.review_ticket"
    input_serializer = s.ReviewApproveInSerializer
    service = staticmethod(review_approve)
    fields = ("comment",)


@action_schema("staff_ticket_review_return")
class StaffReviewReturnView(StaffActionView):
    permission_name = "reviews.review_ticket"
    input_serializer = s.ReviewReturnInSerializer
    service = staticmethod(review_return)
    fields = ("reason_codes", "comment")


@action_schema("staff_ticket_extension_request", "Ask for more working days.")
class StaffExtensionRequestView(StaffActionView):
    permission_name = "tickets.request_extension"
    input_serializer = s.ExtensionInSerializer
    service = staticmethod(services.ticket_request_extension)
    fields = ("clock", "working_days", "reason")


@action_schema("staff_ticket_return_request", "Ask to return it to the platform.")
class StaffReturnRequestView(StaffActionView):
    permission_name = "tickets.request_return"
    input_serializer = s.ReturnRequestInSerializer
    service = staticmethod(services.ticket_request_return)
    fields = ("reason_code", "reason")


@action_schema("staff_ticket_pause", "Pause the deadlines (testing, inspection, appraisal).")
class StaffPauseView(StaffActionView):
    permission_name = "tickets.pause_clocks"
    input_serializer = s.PauseInSerializer
    service = staticmethod(services.ticket_pause_clocks)
    fields = ("reason_code", "reason")


@action_schema(
    "staff_ticket_pause_request",
    "A deadline already overdue: ask the section to approve the pause (decided through the approvals).",
)
class StaffPauseRequestView(StaffActionView):
    permission_name = "tickets.request_pause"
    input_serializer = s.PauseInSerializer
    service = staticmethod(services.ticket_request_pause)
    fields = ("reason_code", "reason")


@action_schema("staff_ticket_resume", "Run the paused deadlines again.")
class StaffResumeView(StaffActionView):
    permission_name = "tickets.resume_clocks"
    input_serializer = s.NoteInSerializer
    service = staticmethod(services.ticket_resume_clocks)
    fields = ("note",)


@action_schema("staff_ticket_acceptance", "A complaint's acceptance decision.")
class StaffAcceptanceView(StaffActionView):
    permission_name = "tickets.record_acceptance"
    input_serializer = s.AcceptanceInSerializer
    service = staticmethod(services.ticket_record_acceptance)
    fields = ("is_accepted", "note")


@action_schema(
    "staff_ticket_reporter_notified",
    "A real-name reporter was told the filing decision (meets the reporter-notice clock; 400 when none runs).",
)
class StaffReporterNoticeView(StaffActionView):
    permission_name = "tickets.record_reporter_notice"
    input_serializer = s.ReporterNoticeInSerializer
    service = staticmethod(services.ticket_record_reporter_notified)
    fields = ("note",)


class StaffCallbackView(StaffView):
    @extend_schema(
        operation_id="staff_ticket_callback",
        tags=["staff"],
        description="The bureau's own callback of a completed work order (unsatisfied: reopened for redo).",
        request=s.StaffCallbackInSerializer,
        responses={
            201: s.StaffCallbackOutSerializer,
            200: OpenApiResponse(s.StaffCallbackOutSerializer, description="the same callback again: nothing recorded"),
            **errors(400, 404, 409, 413),
        },
    )
    def post(self, request, pk: int):
        ticket = selectors.ticket_get_for_user(request.user, pk)
        self.check_perm("reviews.record_callback", ticket)
        serializer = s.StaffCallbackInSerializer(data=json_object(request))
        serializer.is_valid(raise_exception=True)
        _callback, created = callback_record(
            ticket, **serializer.validated_data, actor=request.user, source=CallbackSource.STAFF
        )
        ticket = selectors.ticket_get_for_user(request.user, pk)
        body = {"ticket": staff_detail(ticket), "recorded": created}
        return Response(s.StaffCallbackOutSerializer(body).data, status=201 if created else 200)
