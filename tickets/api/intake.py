"""Manual intake in the staff API (walk-in, phone, letter), as on the intake screen."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from core.api.schema import errors
from core.api.views import json_object
from tickets import selectors, services
from tickets.api import serializers as s
from tickets.api.base import StaffView
from tickets.api.detail import staff_detail
from tickets.api.rows import row_document, row_values
from tickets.rows import ticket_rows

# The fields ticket_intake takes as the serializer gives them.
AS_GIVEN = (
    "source",
    "external_id",
    "kind",
    "title",
    "content",
    "received_at",
    "tags",
    "location_address",
    "is_confidential",
    "may_publish",
    "confirm_duplicate",
)


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
        serializer = s.StaffIntakeInSerializer(data=json_object(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        category = None
        if data["category"]:
            category = selectors.category_active(data["category"])
            if category is None:
                raise exceptions.ValidationError({"category": ["No active category has this code."]})
        try:
            ticket = services.ticket_intake(
                bureau=request.user.unit.bureau,
                actor=request.user,
                category=category,
                reply_due_working_days=data.get("reply_due_working_days"),
                complainant=services.Party(**(data.get("complainant") or {})),
                respondent=services.Party(**(data.get("respondent") or {})),
                **{name: data[name] for name in AS_GIVEN},
            )
        except services.PossibleDuplicates as found:
            # The candidates as list rows: one query, and only what this user may see.
            rows = selectors.ticket_list_rows(request.user).filter(pk__in=[t.pk for t in found.tickets])
            rows = rows.order_by("-received_at", "-id")
            body = {
                "error": {
                    "code": "possible_duplicate",
                    "message": "Possible duplicates found: check them, or send again with confirm_duplicate.",
                    "fields": {},
                },
                "duplicates": [row_document(row) for row in ticket_rows(row_values(rows))],
            }
            return Response(s.DuplicateErrorSerializer(body).data, status=409)
        ticket = selectors.ticket_get_for_user(request.user, ticket.pk)
        return Response(s.StaffTicketDetailSerializer(staff_detail(ticket)).data, status=201)
