"""A work order in the staff API: its page (masked personal data, deadlines, tracks, files, timeline) and
the audited reveal of one personal field."""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from core.api.schema import errors
from core.api.views import json_object
from tickets import duplicates, selectors, services
from tickets.api import serializers as s
from tickets.api.base import StaffView
from tickets.api.objections import objection_out
from tickets.api.rows import row_document
from tickets.choices import Status
from tickets.masking import masked
from tickets.models import Attachment, DispatchObjection, Ticket, TicketAssist, TicketClock, TicketEvent
from tickets.rows import ticket_row
from tickets.selectors import ticket_get_for_user
from tickets.suggestions import suggestion_for


class StaffTicketDetailView(StaffView):
    @extend_schema(
        operation_id="staff_ticket_detail",
        tags=["staff"],
        responses={200: s.StaffTicketDetailSerializer, **errors(404)},
    )
    def get(self, request, pk: int):
        # an assisting unit (协办) reads the work order it assists too, as its limited page shows it (staff_detail_for)
        ticket = ticket_get_for_user(request.user, pk, assisted=True)
        return Response(s.StaffTicketDetailSerializer(staff_detail_for(request.user, ticket)).data)


def staff_detail_for(user, ticket: Ticket) -> dict:
    """staff_detail as this reader may see it: found only as an assisting unit's, what its limited page shows."""
    assisting = None if user.has_perm("tickets.view_ticket", ticket) else user.unit_id
    return staff_detail(ticket, assisting_unit_id=assisting)


def staff_detail(ticket: Ticket, *, assisting_unit_id: int | None = None) -> dict:
    """The work order's document. `assisting_unit_id`: the reader found it only as that assisting unit's (协办):
    what its limited page shows (tickets.views.detail.render_assisting): the request, its own assistance and
    deadline, the files and the timeline; not the complainant (not even masked), the other units' assistance, the
    lead's deadlines, findings and reply, the objections, the suggestion or the possible duplicates."""
    is_lead = assisting_unit_id is None
    # Audit-only events (revealing personal data) stay off the timeline, as on the ticket page.
    events = TicketEvent.objects.filter(ticket=ticket, is_internal=False).select_related("actor").order_by("at", "id")
    clocks = TicketClock.objects.filter(ticket=ticket).select_related("unit").order_by("due_at", "id")
    assists = (
        TicketAssist.objects.filter(ticket=ticket).select_related("unit", "answered_by").order_by("requested_at", "id")
    )
    objections = (
        DispatchObjection.objects.filter(ticket=ticket)
        .select_related("ticket", "unit", "raised_by", "decided_by", "new_unit")
        .prefetch_related("evidence")
        .order_by("raised_at", "id")
    )
    if not is_lead:
        assists = assists.filter(unit_id=assisting_unit_id)
        clocks = clocks.filter(unit_id=assisting_unit_id)
        objections = objections.none()
    suggestion = suggestion_for(ticket) if is_lead and ticket.status == Status.RECEIVED else None
    return row_document(ticket_row(ticket)) | {
        "suggested_unit": suggestion.document() if suggestion is not None else None,
        "possible_duplicates": duplicates.proposals_for([ticket.pk])[ticket.pk] if is_lead else [],
        "merged_into": ticket.merged_into_id,
        "content": ticket.content,
        "tags": ticket.tags,
        "category": ticket.category.code if ticket.category_id else None,
        # an assisting unit's page shows no personal data, not even masked
        "complainant_name": masked(ticket, "complainant_name") if is_lead else "",
        "complainant_phone": masked(ticket, "complainant_phone") if is_lead else "",
        "respondent_name": ticket.respondent_name,
        "reply_text": ticket.reply_text if is_lead else "",
        "deadlines": [
            {
                "clock": c.clock,
                "due_at": c.due_at,
                "status": c.status,
                "met_at": c.met_at,
                "unit": c.unit.code if c.unit_id else None,
            }
            for c in clocks
        ],
        "assists": [
            {
                "unit": {"code": a.unit.code, "name": a.unit.name},
                "status": a.status,
                "requested_at": a.requested_at,
                "due_at": a.due_at,
                "answered_at": a.answered_at,
                "answered_by": a.answered_by.display_name if a.answered_by_id else None,
                "findings": a.findings,
                "released_at": a.released_at,
                "release_note": a.release_note,
            }
            for a in assists
        ],
        "objections": [objection_out(objection) for objection in objections],
        "tracks": [
            {"track": t.track, "finding": t.finding, "outcome": t.outcome, "case_number": t.case_number}
            for t in (ticket.tracks.all() if is_lead else [])
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
        serializer = s.RevealInSerializer(data=json_object(request))
        serializer.is_valid(raise_exception=True)
        field = serializer.validated_data["field"]
        value = services.ticket_reveal_personal_data(ticket, actor=request.user, field=field)
        response = Response(s.RevealOutSerializer({"field": field, "value": value}).data)
        response["Cache-Control"] = "no-store"
        return response
