"""The city platform's API (integration keys): intake, progress, the update feed, callbacks, urging.

Thin: scope to the client's bureau, validate, one service of tickets or reviews.
"""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication
from rest_framework.response import Response

from core.api.prebuilt import representation, validation
from core.api.schema import errors
from core.api.views import HotlineAPIView, int_param, json_object
from integrations.api import serializers as s
from integrations.api.permissions import IsIntegrationClient
from integrations.authentication import IntegrationClientAuthentication
from integrations.selectors import (
    ticket_for_client,
    ticket_platform_view,
    ticket_progress_for_client,
    updates_for_client,
)
from integrations.services import update_payload
from reviews.services import callback_record
from tickets import services
from tickets.selectors import category_active

# The platform's answers and its intake documents, as PlatformTicketSerializer and TicketIntakeSerializer
# give and check them, without their per-request cost (core.api.prebuilt).
platform_ticket_json = representation(s.PlatformTicketSerializer)
validate_intake = validation(s.TicketIntakeSerializer)


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
        payload = json_object(request)
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
            location_lat=coordinate(location.get("lat")),
            location_lng=coordinate(location.get("lng")),
            is_confidential=data["is_confidential"],
            may_publish=data["may_publish"],
        )
        body = platform_ticket_json(ticket_platform_view(ticket, just_created=created))
        return Response(body, status=201 if created else 200)


def coordinate(value):
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
        serializer = s.CallbackInSerializer(data=json_object(request))
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
        serializer = s.UrgeInSerializer(data=json_object(request))
        serializer.is_valid(raise_exception=True)
        services.ticket_urge(ticket, **serializer.validated_data, by=self.client.name)
        return Response(platform_ticket_json(ticket_platform_view(ticket)), status=201)
