"""The staff API's remaining screens: the work lists, intake, requests and their decisions, clocks, acceptance,
personal data, attachments, pending reviews and the staff callback.

Each view does what its HTML twin does: the same scoped selector, the same permission name, one service.
"""

from __future__ import annotations

from django.db import IntegrityError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from reviews import selectors as review_selectors
from reviews.choices import CallbackSource, Stage
from reviews.services import callback_record
from tickets import selectors, services
from tickets.api import serializers as s
from tickets.api.views import (
    StaffActionView,
    StaffView,
    _action_schema,
    _json_object,
    _row,
    attachment_out,
    errors,
    int_param,
    row_values,
    staff_detail,
    staff_rows,
)
from tickets.views.actions import attachment_response

LIST_PARAMETERS = [
    OpenApiParameter("offset", OpenApiTypes.INT, description="rows to skip (0 or more)"),
    OpenApiParameter("limit", OpenApiTypes.INT, description="1 to 200, default 50"),
]


def offset_page(request, queryset) -> tuple[list, str | None]:
    """One query: the lists keep their screens' order (nearest deadline, oldest first), so no id cursor here."""
    offset = int_param(request, "offset", default=0, low=0, high=2**31 - 1)
    limit = int_param(request, "limit", default=50, low=1, high=200)
    rows = list(queryset[offset : offset + limit + 1])
    next_url = None
    if len(rows) > limit:
        query = request.query_params.copy()
        query["offset"] = str(offset + limit)
        query["limit"] = str(limit)
        next_url = request.build_absolute_uri(request.path) + "?" + query.urlencode()
    return rows[:limit], next_url


# ---------------------------------------------------------------- the work lists


class StaffTicketQueueView(StaffView):
    permission_name = ""

    def rows(self, request):
        raise NotImplementedError

    def get(self, request):
        self.check_perm(self.permission_name)
        page, next_url = offset_page(request, row_values(self.rows(request)))
        return Response({"results": staff_rows(page), "next": next_url})


def _queue_schema(operation_id: str, description: str, extra=()):
    return extend_schema(
        operation_id=operation_id,
        tags=["staff"],
        description=description,
        parameters=[*extra, *LIST_PARAMETERS],
        responses={200: s.StaffTicketPageSerializer, **errors(400)},
    )


class StaffInboxView(StaffTicketQueueView):
    permission_name = "tickets.view_inbox"

    @_queue_schema("staff_inbox", "The dispatcher's inbox: received, not yet sent to a unit; oldest first.")
    def get(self, request):
        return super().get(request)

    def rows(self, request):
        return selectors.ticket_inbox_for_user(request.user)


class StaffMyWorkView(StaffTicketQueueView):
    permission_name = "tickets.view_my_work"

    @_queue_schema("staff_my_work", "The handler's open work orders and those to sign for; nearest deadline first.")
    def get(self, request):
        return super().get(request)

    def rows(self, request):
        return selectors.ticket_my_work(request.user)


class StaffUnitQueueView(StaffTicketQueueView):
    permission_name = "tickets.view_unit_queue"

    @_queue_schema("staff_unit_queue", "Every work order of the user's unit; nearest deadline first.")
    def get(self, request):
        return super().get(request)

    def rows(self, request):
        return selectors.ticket_unit_queue(request.user)


class StaffPendingReviewsView(StaffTicketQueueView):
    permission_name = "reviews.view_pending_reviews"

    @_queue_schema(
        "staff_pending_reviews",
        "Replies waiting for review (the user's own review work, or every one at `stage`); oldest first.",
        extra=[OpenApiParameter("stage", OpenApiTypes.STR, enum=Stage.values)],
    )
    def get(self, request):
        return super().get(request)

    def rows(self, request):
        stage = request.query_params.get("stage", "")
        if stage and stage not in Stage.values:
            raise exceptions.ValidationError({"stage": [f"One of: {', '.join(Stage.values)}."]})
        return review_selectors.pending_reviews_for_user(request.user, stage=stage)


# ---------------------------------------------------------------- manual intake


class StaffIntakeView(StaffView):
    """POST /api/v1/staff/tickets/intake/: like the intake screen, possible duplicates stop it first."""

    @extend_schema(
        operation_id="staff_ticket_intake",
        tags=["staff"],
        request=s.StaffIntakeInSerializer,
        responses={
            201: s.StaffTicketDetailSerializer,
            409: OpenApiResponse(
                s.DuplicateErrorSerializer, description="possible duplicates; send again with confirm_duplicate"
            ),
            **errors(400, 413),
        },
    )
    def post(self, request):
        self.check_perm("tickets.create_ticket")
        serializer = s.StaffIntakeInSerializer(data=_json_object(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        complainant = services.Party(**(data.get("complainant") or {}))
        respondent = services.Party(**(data.get("respondent") or {}))
        phone = "".join(complainant.phone.split())
        credit_code = respondent.credit_code.strip().upper()
        complainant.phone, respondent.credit_code = phone, credit_code
        category = None
        if data["category"]:
            category = selectors.category_active(data["category"])
            if category is None:
                raise exceptions.ValidationError({"category": ["No active category has this code."]})
        bureau = request.user.unit.bureau
        duplicates = services.ticket_find_duplicates(
            bureau=bureau,
            source=data["source"],
            external_id=data["external_id"].strip(),
            phone=phone,
            respondent_name=respondent.name.strip(),
            credit_code=credit_code,
            received_at=data["received_at"],
        )
        if duplicates and not data["confirm_duplicate"]:
            # The candidates as list rows: one query, and only what this user may see.
            rows = selectors.ticket_list_rows(request.user).filter(pk__in=[t.pk for t in duplicates])
            rows = rows.order_by("-received_at", "-id")
            body = {
                "error": {
                    "code": "possible_duplicate",
                    "message": "Possible duplicates found: check them, or send again with confirm_duplicate.",
                    "fields": {},
                },
                "duplicates": [_row(ticket) for ticket in rows],
            }
            return Response(s.DuplicateErrorSerializer(body).data, status=409)
        try:
            ticket = services.ticket_create(
                bureau=bureau,
                actor=request.user,
                source=data["source"],
                external_id=data["external_id"].strip(),
                kind=data["kind"],
                title=data["title"],
                content=data["content"],
                received_at=data["received_at"],
                category=category,
                tags=data["tags"],
                reply_due_working_days=data.get("reply_due_working_days"),
                complainant=complainant,
                respondent=respondent,
                location_address=data["location_address"],
                is_confidential=data["is_confidential"],
                may_publish=data["may_publish"],
            )
        except IntegrityError:
            raise exceptions.ValidationError(
                {"external_id": ["A work order with this number from this source already exists."]}
            ) from None
        ticket = selectors.ticket_get_for_user(request.user, ticket.pk)
        return Response(s.StaffTicketDetailSerializer(staff_detail(ticket)).data, status=201)


# ---------------------------------------------------------------- steps on a ticket


class StaffExtensionRequestView(StaffActionView):
    permission_name = "tickets.request_approval"
    input_serializer = s.ExtensionInSerializer

    @_action_schema("staff_ticket_extension_request", s.ExtensionInSerializer, "Ask for more working days.")
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, ticket, data):
        services.ticket_request_extension(
            ticket,
            actor=self.request.user,
            clock=data["clock"],
            working_days=data["working_days"],
            reason=data["reason"],
            expected_version=data.get("expected_version"),
        )


class StaffReturnRequestView(StaffActionView):
    input_serializer = s.ReturnRequestInSerializer

    @_action_schema("staff_ticket_return_request", s.ReturnRequestInSerializer, "Ask to return it to the platform.")
    def post(self, request, pk: int):
        return super().post(request, pk)

    def check_perm(self, name, obj=None):
        # As on the ticket page: the unit asks while handling, the dispatcher before dispatching.
        user = self.request.user
        if obj is not None and not (
            user.has_perm("tickets.request_approval", obj)
            or (user.has_perm("tickets.dispatch_ticket", obj) and obj.status == "received")
        ):
            raise exceptions.PermissionDenied()

    def perform(self, ticket, data):
        services.ticket_request_return(
            ticket,
            actor=self.request.user,
            reason_code=data["reason_code"],
            reason=data["reason"],
            expected_version=data.get("expected_version"),
        )


class StaffPauseView(StaffActionView):
    permission_name = "tickets.handle_ticket"
    input_serializer = s.PauseInSerializer

    @_action_schema("staff_ticket_pause", s.PauseInSerializer, "Pause the deadlines (testing, inspection, appraisal).")
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, ticket, data):
        services.ticket_pause_clocks(
            ticket, actor=self.request.user, reason=data["reason"], expected_version=data.get("expected_version")
        )


class StaffResumeView(StaffActionView):
    permission_name = "tickets.handle_ticket"
    input_serializer = s.NoteInSerializer

    @_action_schema("staff_ticket_resume", s.NoteInSerializer, "Run the paused deadlines again.")
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, ticket, data):
        services.ticket_resume_clocks(
            ticket, actor=self.request.user, note=data["note"], expected_version=data.get("expected_version")
        )


class StaffAcceptanceView(StaffActionView):
    permission_name = "tickets.handle_ticket"
    input_serializer = s.AcceptanceInSerializer

    @_action_schema("staff_ticket_acceptance", s.AcceptanceInSerializer, "A complaint's acceptance decision.")
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, ticket, data):
        services.ticket_record_acceptance(
            ticket,
            actor=self.request.user,
            is_accepted=data["is_accepted"],
            note=data["note"],
            expected_version=data.get("expected_version"),
        )


class StaffReporterNoticeView(StaffActionView):
    permission_name = "tickets.notify_reporter"
    input_serializer = s.ReporterNoticeInSerializer

    @_action_schema(
        "staff_ticket_reporter_notified",
        s.ReporterNoticeInSerializer,
        "A real-name reporter was told the filing decision (meets the reporter-notice clock; 400 when none runs).",
    )
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, ticket, data):
        services.ticket_record_reporter_notified(
            ticket, actor=self.request.user, note=data["note"], expected_version=data.get("expected_version")
        )


class StaffRevealView(StaffView):
    @extend_schema(
        operation_id="staff_ticket_reveal",
        tags=["staff"],
        description="One personal field unmasked, in this answer only; the reveal is audited.",
        request=s.RevealInSerializer,
        responses={200: s.RevealOutSerializer, **errors(400, 404, 413)},
    )
    def post(self, request, pk: int):
        ticket = selectors.ticket_get_for_user(request.user, pk)
        services.ticket_reveal_check(ticket, actor=request.user)
        serializer = s.RevealInSerializer(data=_json_object(request))
        serializer.is_valid(raise_exception=True)
        field = serializer.validated_data["field"]
        value = services.ticket_reveal_personal_data(ticket, actor=request.user, field=field)
        response = Response(s.RevealOutSerializer({"field": field, "value": value}).data)
        response["Cache-Control"] = "no-store"
        return response


class StaffAttachmentUploadView(StaffView):
    parser_classes = [MultiPartParser]

    @extend_schema(
        operation_id="staff_ticket_attachment_upload",
        tags=["staff"],
        description="multipart/form-data: `file` (images, PDF, Office; at most 20 MB) and `purpose`.",
        request={"multipart/form-data": s.AttachmentInSerializer},
        responses={201: s.AttachmentOutSerializer, **errors(400, 404, 413)},
    )
    def post(self, request, pk: int):
        ticket = selectors.ticket_get_for_user(request.user, pk)
        user = request.user
        # The ticket page's `upload`: the handler, the unit while it handles, the dispatcher before dispatch.
        if not any(
            user.has_perm(name, ticket)
            for name in ("tickets.handle_ticket", "tickets.request_approval", "tickets.dispatch_ticket")
        ):
            raise exceptions.PermissionDenied()
        serializer = s.AttachmentInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        if "\x00" in (serializer.validated_data["file"].name or ""):
            raise exceptions.ValidationError({"file": ["The file name contains a NUL character."]})
        attachment = services.ticket_add_attachment(
            ticket,
            actor=user,
            uploaded_file=serializer.validated_data["file"],
            purpose=serializer.validated_data["purpose"],
        )
        return Response(s.AttachmentOutSerializer(attachment_out(ticket, attachment)).data, status=201)


class StaffAttachmentDownloadView(StaffView):
    @extend_schema(
        operation_id="staff_ticket_attachment_download",
        tags=["staff"],
        description="The file, streamed after the permission check (never from a public URL).",
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **errors(404)},
    )
    def get(self, request, pk: int, attachment_pk: int):
        return attachment_response(selectors.attachment_get_for_user(request.user, pk, attachment_pk))


# ---------------------------------------------------------------- approvals


def _request_row(approval) -> dict:
    ticket = approval.ticket
    return {
        "id": approval.pk,
        "ticket": ticket.pk,
        "ticket_external_id": ticket.external_id,
        "ticket_title": ticket.title,
        "unit": {"code": ticket.unit.code, "name": ticket.unit.name} if ticket.unit_id else None,
        "kind": approval.kind,
        "status": approval.status,
        "clock": approval.clock,
        "working_days": approval.working_days,
        "reason_code": approval.reason_code,
        "reason": approval.reason,
        "requested_by": approval.requested_by.display_name,
        "requested_at": approval.requested_at,
    }


class StaffRequestListView(StaffView):
    @extend_schema(
        operation_id="staff_request_list",
        tags=["staff"],
        description="Extension and return requests waiting for a decision, oldest first.",
        parameters=LIST_PARAMETERS,
        responses={200: s.ApprovalRequestPageSerializer, **errors(400)},
    )
    def get(self, request):
        self.check_perm("tickets.view_requests")
        page, next_url = offset_page(request, selectors.request_pending_for_user(request.user))
        rows = s.ApprovalRequestOutSerializer([_request_row(approval) for approval in page], many=True).data
        return Response({"results": rows, "next": next_url})


class StaffRequestDecideView(StaffView):
    @extend_schema(
        operation_id="staff_request_decide",
        tags=["staff"],
        request=s.DecideInSerializer,
        responses={200: s.ApprovalRequestOutSerializer, **errors(400, 404, 409, 413)},
    )
    def post(self, request, pk: int):
        approval = selectors.request_get_for_user(request.user, pk)
        self.check_perm("tickets.decide_request", approval.ticket)
        serializer = s.DecideInSerializer(data=_json_object(request))
        serializer.is_valid(raise_exception=True)
        services.request_decide(approval, actor=request.user, **serializer.validated_data)
        approval = selectors.request_get_for_user(request.user, pk)
        return Response(s.ApprovalRequestOutSerializer(_request_row(approval)).data)


# ---------------------------------------------------------------- the bureau's own callback


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
        serializer = s.StaffCallbackInSerializer(data=_json_object(request))
        serializer.is_valid(raise_exception=True)
        _callback, created = callback_record(
            ticket, **serializer.validated_data, actor=request.user, source=CallbackSource.STAFF
        )
        ticket = selectors.ticket_get_for_user(request.user, pk)
        body = {"ticket": staff_detail(ticket), "recorded": created}
        return Response(s.StaffCallbackOutSerializer(body).data, status=201 if created else 200)
