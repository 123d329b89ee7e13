"""The platform's API (integration keys) and the staff API (sessions). Thin: scope, validate, one service."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response
from rest_framework.views import APIView

from integrations.authentication import IntegrationClientAuthentication
from integrations.services import update_payload
from org.models import Unit
from org.selectors import staff_display_names, unit_labels
from reviews.services import callback_record, review_approve, review_return
from tickets import services
from tickets.api import serializers as s
from tickets.api.filters import ticket_filter_parameters
from tickets.api.pagination import IdCursorPagination
from tickets.api.permissions import IsIntegrationClient, IsStaffMember
from tickets.api.platform import (
    ticket_for_client,
    ticket_platform_view,
    ticket_progress_for_client,
    updates_for_client,
)
from tickets.api.prebuilt import representation, validation
from tickets.choices import Track
from tickets.filters import TicketApiFilter
from tickets.masking import masked
from tickets.models import Attachment, Ticket, TicketClock, TicketEvent
from tickets.selectors import category_active, ticket_get_for_user, ticket_list_rows

ERRORS = {
    code: OpenApiResponse(s.ErrorSerializer, description=text)
    for code, text in {
        400: "invalid input",
        401: "no or bad key",
        403: "not allowed",
        404: "not found",
        409: "conflict",
        413: "body over 1 MiB",
        429: "rate limited (Retry-After)",
    }.items()
}


# The platform's answers and its intake documents, as PlatformTicketSerializer and TicketIntakeSerializer
# give and check them, without their per-request cost (tickets.api.prebuilt).
platform_ticket_json = representation(s.PlatformTicketSerializer)
validate_intake = validation(s.TicketIntakeSerializer)


def errors(*codes: int) -> dict:
    return {code: ERRORS[code] for code in (401, 403, 429, *codes)}


def _json_object(request) -> dict:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
    return request.data


class HotlineAPIView(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # PostgreSQL refuses NUL in text: such a parameter would otherwise end in a 500.
        bad = [k for k, v in kwargs.items() if isinstance(v, str) and "\x00" in v]
        bad += [k for k, values in request.query_params.lists() if any("\x00" in v for v in values)]
        if bad:
            raise exceptions.ValidationError({name: ["Contains a NUL character."] for name in bad})


# ---------------------------------------------------------------- the platform


class PlatformView(HotlineAPIView):
    authentication_classes = [IntegrationClientAuthentication, SessionAuthentication]
    permission_classes = [IsIntegrationClient]

    @property
    def client(self):
        return self.request.auth


class PlatformTicketCreateView(PlatformView):
    @extend_schema(
        operation_id="hotline_ticket_create",
        tags=["platform"],
        request=s.TicketIntakeSerializer,
        responses={
            201: s.PlatformTicketSerializer,
            200: OpenApiResponse(s.PlatformTicketSerializer, description="the same work order sent again"),
            **errors(400, 409, 413),
        },
    )
    def post(self, request):
        payload = _json_object(request)
        data = validate_intake(payload)
        try:
            fingerprint = services.request_fingerprint(payload)
        except (UnicodeError, ValueError, TypeError):
            raise exceptions.ValidationError({"non_field_errors": ["The document cannot be encoded."]}) from None
        complainant = data.get("complainant") or {}
        respondent = data.get("respondent") or {}
        location = data.get("location") or {}
        category = category_active(data["category"]) if data.get("category") else None
        ticket, created = services.ticket_create_idempotent(
            bureau=self.client.bureau,
            source=data["source"],
            external_id=data["external_id"],
            request_hash=fingerprint,
            kind=data["kind"],
            title=data["title"],
            content=data["content"],
            received_at=data["received_at"],
            reply_due_working_days=data.get("reply_due_working_days"),
            reply_due_at=data.get("reply_due_at"),
            category=category,
            tags=data["tags"],
            complainant=services.Party(**complainant),
            respondent=services.Party(**respondent),
            location_address=location.get("address", ""),
            location_lat=_coordinate(location.get("lat")),
            location_lng=_coordinate(location.get("lng")),
            is_confidential=data["is_confidential"],
            may_publish=data["may_publish"],
        )
        body = platform_ticket_json(ticket_platform_view(ticket, just_created=created))
        return Response(body, status=201 if created else 200)


def _coordinate(value):
    return None if value is None else Decimal(str(round(value, 6)))


SOURCE_PARAM = OpenApiParameter("source", OpenApiTypes.STR, OpenApiParameter.PATH, enum=["12345", "12315"])
EXTERNAL_ID_PARAM = OpenApiParameter("external_id", OpenApiTypes.STR, OpenApiParameter.PATH)


class PlatformTicketDetailView(PlatformView):
    @extend_schema(
        operation_id="hotline_ticket_progress",
        tags=["platform"],
        parameters=[SOURCE_PARAM, EXTERNAL_ID_PARAM],
        responses={200: s.PlatformTicketSerializer, **errors(404)},
    )
    def get(self, request, source: str, external_id: str):
        progress = ticket_progress_for_client(self.client, source=source, external_id=external_id)
        return Response(platform_ticket_json(progress))


class PlatformUpdatesView(PlatformView):
    @extend_schema(
        operation_id="hotline_updates",
        tags=["platform"],
        parameters=[
            OpenApiParameter("after", OpenApiTypes.INT, description="the last update_id seen (0: from the start)"),
            OpenApiParameter("limit", OpenApiTypes.INT, description="1 to 500, default 100"),
        ],
        responses={200: s.UpdatePageSerializer, **errors(400)},
    )
    def get(self, request):
        after = int_param(request, "after", default=0, low=0, high=2**63 - 1)
        limit = int_param(request, "limit", default=100, low=1, high=500)
        rows = list(updates_for_client(self.client, after=after)[: limit + 1])
        page = rows[:limit]
        next_url = None
        if len(rows) > limit:
            next_url = request.build_absolute_uri(request.path) + f"?after={page[-1].pk}&limit={limit}"
        return Response({"results": [update_payload(update) for update in page], "next": next_url})


def int_param(request, name: str, *, default: int, low: int, high: int) -> int:
    """A whole-number query parameter within [low, high]; missing or empty: the default; else a 400 naming it."""
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise exceptions.ValidationError({name: [f"Give a whole number from {low} to {high}."]}) from None
    if not low <= value <= high:
        raise exceptions.ValidationError({name: [f"Give a whole number from {low} to {high}."]})
    return value


class PlatformCallbackView(PlatformView):
    @extend_schema(
        operation_id="hotline_ticket_callback",
        tags=["platform"],
        parameters=[SOURCE_PARAM, EXTERNAL_ID_PARAM],
        request=s.CallbackInSerializer,
        responses={
            201: s.CallbackOutSerializer,
            200: OpenApiResponse(s.CallbackOutSerializer, description="the same callback again: nothing recorded"),
            **errors(400, 404, 409, 413),
        },
    )
    def post(self, request, source: str, external_id: str):
        ticket = ticket_for_client(self.client, source=source, external_id=external_id)
        serializer = s.CallbackInSerializer(data=_json_object(request))
        serializer.is_valid(raise_exception=True)
        _callback, created = callback_record(ticket, **serializer.validated_data, actor=None, source="platform")
        ticket.refresh_from_db()
        body = {"ticket": ticket_platform_view(ticket), "recorded": created}
        return Response(s.CallbackOutSerializer(body).data, status=201 if created else 200)


class PlatformUrgeView(PlatformView):
    @extend_schema(
        operation_id="hotline_ticket_urge",
        tags=["platform"],
        parameters=[SOURCE_PARAM, EXTERNAL_ID_PARAM],
        request=s.UrgeInSerializer,
        responses={201: s.PlatformTicketSerializer, **errors(400, 404, 413)},
    )
    def post(self, request, source: str, external_id: str):
        ticket = ticket_for_client(self.client, source=source, external_id=external_id)
        serializer = s.UrgeInSerializer(data=_json_object(request))
        serializer.is_valid(raise_exception=True)
        services.ticket_urge(ticket, **serializer.validated_data, by=self.client.name)
        return Response(platform_ticket_json(ticket_platform_view(ticket)), status=201)


# ---------------------------------------------------------------- the staff API


class StaffView(HotlineAPIView):
    # The key is recognised (to answer 403, not 401); the first class gives 401 its WWW-Authenticate.
    authentication_classes = [IntegrationClientAuthentication, SessionAuthentication]
    permission_classes = [IsStaffMember]

    def check_perm(self, name: str, obj=None) -> None:
        if not self.request.user.has_perm(name, obj):
            raise exceptions.PermissionDenied()


def _row(ticket: Ticket) -> dict:
    return {
        "id": ticket.pk,
        "source": ticket.source,
        "external_id": ticket.external_id,
        "kind": ticket.kind,
        "title": ticket.title,
        "status": ticket.status,
        "unit": {"code": ticket.unit.code, "name": ticket.unit.name} if ticket.unit_id else None,
        "handler_name": ticket.handler.display_name if ticket.handler_id else None,
        "received_at": ticket.received_at,
        "next_due_at": getattr(ticket, "next_due_at", None),
        "version": ticket.version,
    }


# What a list row shows (_row's answer), read as plain values: a page of 50 makes no model instances
# (four per row with the unit and the handler; that cost more than the query). The unit's code and name
# and the handler's name come from org.selectors' per-process copies, not from joins.
ROW_COLUMNS = (
    "id",
    "source",
    "external_id",
    "kind",
    "title",
    "status",
    "unit_id",
    "handler_id",
    "received_at",
    "next_due_at",
    "version",
)


def row_values(queryset) -> QuerySet:
    """A list's rows (from tickets.selectors.ticket_list_rows, which annotates next_due_at) as dicts."""
    return queryset.values(*ROW_COLUMNS)


def staff_rows(rows: list[dict]) -> list[dict]:
    """_row's answers for rows of row_values, as StaffTicketRowSerializer shows them.

    Written out rather than through the serializer's compiled fields (tickets.api.prebuilt): the values
    come from the database already as the fields give them (ints, choice codes, strings), so each field's
    to_representation gave back what it got, except the two times, shown in the current time zone; that
    zone is looked up once per list, not twice per row (a context-local lookup each time). A list of 50
    cost ~0.6 ms that way. tickets/tests/test_api_prebuilt.py compares both with the serializer.
    """
    units = unit_labels({row["unit_id"] for row in rows if row["unit_id"]})
    names = staff_display_names({row["handler_id"] for row in rows if row["handler_id"]})
    zone = timezone.get_current_timezone()
    answers = []
    for row in rows:
        unit = units[row["unit_id"]] if row["unit_id"] else None
        next_due_at = row["next_due_at"]
        answers.append(
            {
                "id": row["id"],
                "source": row["source"],
                "external_id": row["external_id"],
                "kind": row["kind"],
                "title": row["title"],
                "status": row["status"],
                "unit": {"code": unit["code"], "name": unit["name"]} if unit is not None else None,
                "handler": names[row["handler_id"]] if row["handler_id"] else None,
                "received_at": row["received_at"].astimezone(zone).isoformat(),
                "next_due_at": next_due_at.astimezone(zone).isoformat() if next_due_at is not None else None,
                "version": row["version"],
            }
        )
    return answers


class StaffTicketListView(StaffView):
    @extend_schema(
        operation_id="staff_ticket_list",
        tags=["staff"],
        parameters=[
            *ticket_filter_parameters(),
            OpenApiParameter("cursor", OpenApiTypes.STR),
            OpenApiParameter("limit", OpenApiTypes.INT),
        ],
        responses={200: s.StaffTicketPageSerializer, **errors(400)},
    )
    def get(self, request):
        self.check_perm("tickets.search_tickets")
        filterset = TicketApiFilter(request.query_params, queryset=ticket_list_rows(request.user), request=request)
        if not filterset.is_valid():
            raise exceptions.ValidationError(filterset.errors)
        paginator = IdCursorPagination()
        page = paginator.paginate_queryset(row_values(filterset.qs), request, view=self)
        return paginator.get_paginated_response(staff_rows(page))


class StaffTicketDetailView(StaffView):
    @extend_schema(
        operation_id="staff_ticket_detail",
        tags=["staff"],
        responses={200: s.StaffTicketDetailSerializer, **errors(404)},
    )
    def get(self, request, pk: int):
        ticket = ticket_get_for_user(request.user, pk)
        return Response(s.StaffTicketDetailSerializer(staff_detail(ticket)).data)


def staff_detail(ticket: Ticket) -> dict:
    # Audit-only events (revealing personal data) stay off the timeline, as on the ticket page.
    events = TicketEvent.objects.filter(ticket=ticket, is_internal=False).select_related("actor").order_by("at", "id")
    clocks = TicketClock.objects.filter(ticket=ticket).order_by("due_at", "id")
    return _row(ticket) | {
        "content": ticket.content,
        "tags": ticket.tags,
        "category": ticket.category.code if ticket.category_id else None,
        "complainant_name": masked(ticket, "complainant_name"),
        "complainant_phone": masked(ticket, "complainant_phone"),
        "respondent_name": ticket.respondent_name,
        "reply_text": ticket.reply_text,
        "deadlines": [{"clock": c.clock, "due_at": c.due_at, "status": c.status, "met_at": c.met_at} for c in clocks],
        "tracks": [
            {"track": t.track, "finding": t.finding, "outcome": t.outcome, "case_number": t.case_number}
            for t in ticket.tracks.all()
        ],
        "attachments": [attachment_out(ticket, a) for a in Attachment.objects.filter(ticket=ticket)],
        "events": [
            {
                "code": e.code,
                "at": e.at,
                "actor": e.actor.display_name if e.actor_id else None,
                "data": e.data if isinstance(e.data, dict) else {},
            }
            for e in events
        ],
    }


def attachment_out(ticket: Ticket, attachment: Attachment) -> dict:
    return {
        "id": attachment.pk,
        "name": attachment.original_name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "purpose": attachment.purpose,
        "uploaded_at": attachment.uploaded_at,
        "url": reverse("staff_api:ticket-attachment", args=[ticket.pk, attachment.pk]),
    }


class StaffActionView(StaffView):
    """POST /api/v1/staff/tickets/{pk}/{action}/: the same services and permission names as the screens."""

    permission_name = ""
    input_serializer: type[serializers.Serializer] = s.VersionInSerializer

    def post(self, request, pk: int):
        ticket = ticket_get_for_user(request.user, pk)
        self.check_perm(self.permission_name, ticket)
        serializer = self.input_serializer(data=_json_object(request))
        serializer.is_valid(raise_exception=True)
        self.perform(ticket, dict(serializer.validated_data))
        ticket = ticket_get_for_user(request.user, pk)
        return Response(s.StaffTicketDetailSerializer(staff_detail(ticket)).data)

    def perform(self, ticket: Ticket, data: dict) -> None:
        raise NotImplementedError


def _action_schema(operation_id: str, serializer, description: str | None = None):
    return extend_schema(
        operation_id=operation_id,
        tags=["staff"],
        description=description,
        request=serializer,
        responses={200: s.StaffTicketDetailSerializer, **errors(400, 404, 409, 413)},
    )


class StaffDispatchView(StaffActionView):
    permission_name = "tickets.dispatch_ticket"
    input_serializer = s.DispatchInSerializer

    @_action_schema("staff_ticket_dispatch", s.DispatchInSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, ticket, data):
        unit = Unit.objects.filter(bureau_id=ticket.bureau_id, code=data["unit"], is_active=True).first()
        if unit is None:
            raise exceptions.ValidationError({"unit": ["No active unit of this bureau has this code."]})
        services.ticket_dispatch(
            ticket,
            unit=unit,
            actor=self.request.user,
            kind=data.get("kind"),
            note=data["note"],
            expected_version=data.get("expected_version"),
        )


class StaffRecallView(StaffActionView):
    permission_name = "tickets.dispatch_ticket"
    input_serializer = s.NoteInSerializer

    @_action_schema("staff_ticket_recall", s.NoteInSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, ticket, data):
        services.ticket_recall(
            ticket, actor=self.request.user, note=data["note"], expected_version=data.get("expected_version")
        )


class StaffAcceptView(StaffActionView):
    permission_name = "tickets.accept_ticket"

    @_action_schema("staff_ticket_accept", s.VersionInSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, ticket, data):
        services.ticket_accept(ticket, actor=self.request.user, expected_version=data.get("expected_version"))


class StaffFirstContactView(StaffActionView):
    permission_name = "tickets.handle_ticket"
    input_serializer = s.FirstContactInSerializer

    @_action_schema("staff_ticket_first_contact", s.FirstContactInSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, ticket, data):
        services.ticket_record_first_contact(
            ticket,
            actor=self.request.user,
            contacted_at=data["contacted_at"],
            note=data["note"],
            expected_version=data.get("expected_version"),
        )


class StaffReplyView(StaffActionView):
    permission_name = "tickets.handle_ticket"
    input_serializer = s.ReplyInSerializer

    @_action_schema("staff_ticket_reply", s.ReplyInSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

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
            expected_version=data.get("expected_version"),
        )


class StaffReviewApproveView(StaffActionView):
    permission_name = "reviews.review_ticket"
    input_serializer = s.ReviewApproveInSerializer

    @_action_schema("staff_ticket_review_approve", s.ReviewApproveInSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, ticket, data):
        review_approve(
            ticket, actor=self.request.user, comment=data["comment"], expected_version=data.get("expected_version")
        )


class StaffReviewReturnView(StaffActionView):
    permission_name = "reviews.review_ticket"
    input_serializer = s.ReviewReturnInSerializer

    @_action_schema("staff_ticket_review_return", s.ReviewReturnInSerializer)
    def post(self, request, pk: int):
        return super().post(request, pk)

    def perform(self, ticket, data):
        review_return(
            ticket,
            actor=self.request.user,
            reason_codes=data["reason_codes"],
            comment=data["comment"],
            expected_version=data.get("expected_version"),
        )
