"""Dispatch objections in the staff API (派单异议, docs/dispatch.md): the unit raises one on a work order, the section
lists the pending ones and decides."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import exceptions
from rest_framework.response import Response

from core.api.schema import errors
from core.api.views import json_object
from tickets import selectors, services
from tickets.api import serializers as s
from tickets.api.base import StaffView
from tickets.api.lists import LIST_PARAMETERS, offset_page
from tickets.choices import ObjectionReason
from tickets.models import Attachment
from tickets.rules import STEP_ROLES, objection_window_end

STEP = "tickets.object_to_dispatch"


def _choice(choices, value) -> str:
    return str(dict(choices).get(value, value))


def _unit(unit) -> dict:
    return {"code": unit.code, "name": unit.name}


def objection_out(objection) -> dict:
    """An objection as the API answers it (the objection read with its units and people: objection_get_for_user)."""
    minutes = objection.decision_working_minutes
    return {
        "id": objection.pk,
        "ticket": objection.ticket_id,
        "ticket_external_id": objection.ticket.external_id,
        "unit": _unit(objection.unit),
        "reason_code": objection.reason_code,
        "reason_label": _choice(ObjectionReason.choices, objection.reason_code),
        "text": objection.text,
        "evidence": sorted(a.pk for a in objection.evidence.all()),
        "status": objection.status,
        "raised_by": objection.raised_by.display_name,
        "raised_at": objection.raised_at,
        "window_ends_at": objection_window_end(objection.dispatched_at),
        "decided_by": objection.decided_by.display_name if objection.decided_by_id else None,
        "decided_at": objection.decided_at,
        "decision_reason": objection.decision_reason,
        "new_unit": {"code": objection.new_unit.code, "name": objection.new_unit.name}
        if objection.new_unit_id
        else None,
        "decision_working_hours": round(minutes / 60, 2) if minutes is not None else None,
    }


class StaffObjectionView(StaffView):
    @extend_schema(
        operation_id="staff_ticket_objection",
        tags=["staff"],
        description=(
            "The unit holding the work order objects to its dispatch (派单异议), within the window of working hours "
            "after the dispatch (HOTLINE_OBJECTION_WINDOW_WORKING_HOURS): 409 after it (ask for a return to the "
            "platform instead), while one is pending, or once the unit's objection was rejected."
        ),
        request=s.ObjectionInSerializer,
        responses={201: s.ObjectionOutSerializer, **errors(400, 404, 409, 413)},
    )
    def post(self, request, pk: int):
        ticket = selectors.ticket_get_for_user(request.user, pk)  # another bureau's or unit's: 404
        if not STEP_ROLES[STEP].test(request.user, ticket):
            raise exceptions.PermissionDenied()
        serializer = s.ObjectionInSerializer(data=json_object(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        attachments = list(Attachment.objects.filter(ticket=ticket, pk__in=data["evidence"]))
        if len(attachments) != len(set(data["evidence"])):
            raise exceptions.ValidationError({"evidence": ["Give ids of this work order's attachments."]})
        # the service decides on the locked row: the window, one pending, a rejected one, the status (409 each)
        objection = services.ticket_object(
            ticket,
            actor=request.user,
            reason_code=data["reason_code"],
            text=data["text"],
            attachments=attachments,
            expected_version=data.get("expected_version"),
        )
        objection = selectors.objection_get_for_user(request.user, objection.pk)
        return Response(s.ObjectionOutSerializer(objection_out(objection)).data, status=201)


class StaffObjectionListView(StaffView):
    @extend_schema(
        operation_id="staff_objection_list",
        tags=["staff"],
        description="Dispatch objections waiting for the section's decision, oldest first.",
        parameters=LIST_PARAMETERS,
        responses={200: s.ObjectionPageSerializer, **errors(400)},
    )
    def get(self, request):
        self.check_perm("tickets.view_objections")
        queryset = selectors.objection_pending_for_user(request.user).select_related("decided_by", "new_unit")
        page, next_url = offset_page(request, queryset.prefetch_related("evidence"))
        rows = s.ObjectionOutSerializer([objection_out(objection) for objection in page], many=True).data
        return Response({"results": rows, "next": next_url})


class StaffObjectionDecideView(StaffView):
    @extend_schema(
        operation_id="staff_objection_decide",
        tags=["staff"],
        description=(
            'Uphold (`{"decision": "uphold", "unit": <id>}`: re-dispatched to that unit) or reject (`{"decision": '
            '"reject", "reason": "..."}`: the unit keeps it). 409 on a second decision.'
        ),
        request=s.ObjectionDecideInSerializer,
        responses={200: s.ObjectionOutSerializer, **errors(400, 404, 409, 413)},
    )
    def post(self, request, pk: int):
        objection = selectors.objection_get_for_user(request.user, pk)  # another bureau's: 404
        self.check_perm("tickets.decide_objection", objection.ticket)
        serializer = s.ObjectionDecideInSerializer(data=json_object(request))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        unit = None
        if data.get("unit") is not None:
            unit = selectors.unit_choices_for_user(request.user).filter(pk=data["unit"]).first()
            if unit is None:
                raise exceptions.ValidationError({"unit": ["No active unit of this bureau has this id."]})
        services.objection_decide(
            objection, actor=request.user, decision=data["decision"], unit=unit, reason=data["reason"]
        )
        objection = selectors.objection_get_for_user(request.user, pk)
        return Response(s.ObjectionOutSerializer(objection_out(objection)).data)
