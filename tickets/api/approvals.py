"""Approval requests in the staff API: the pending ones and their decision (asking is a step: actions.py)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.schema import errors
from core.api.views import json_object
from tickets import selectors, services
from tickets.api import serializers as s
from tickets.api.base import StaffView
from tickets.api.lists import LIST_PARAMETERS, offset_page


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
        serializer = s.DecideInSerializer(data=json_object(request))
        serializer.is_valid(raise_exception=True)
        services.request_decide(approval, actor=request.user, **serializer.validated_data)
        approval = selectors.request_get_for_user(request.user, pk)
        return Response(s.ApprovalRequestOutSerializer(_request_row(approval)).data)
