"""Reads for the platform's API: what a platform may see is scoped to its client's bureau."""

from __future__ import annotations

from django.http import Http404

from integrations.models import IntegrationClient
from tickets.api.escalations import escalations_for_tickets
from tickets.choices import PLATFORM_SOURCES, Status
from tickets.models import StatusUpdate, Ticket, TicketClock, TicketEvent

OUTCOME_STATUSES = frozenset({Status.COMPLETED, Status.ARCHIVED})


def ticket_for_client(client: IntegrationClient, *, source: str, external_id: str) -> Ticket:
    ticket = (
        Ticket.objects.select_related("unit", "merged_into__unit")
        .filter(bureau_id=client.bureau_id, source=source, external_id=external_id)
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def ticket_platform_view(ticket: Ticket) -> dict:
    """The work order as the platform sees it; a merged one shows its master's status and outcome."""
    master = ticket.merged_into if ticket.merged_into_id else ticket
    clocks = TicketClock.objects.filter(ticket=ticket).order_by("due_at", "id")
    events = TicketEvent.objects.filter(ticket=ticket, is_internal=False).order_by("at", "id").only("code", "at")
    outcome = None
    if master.status in OUTCOME_STATUSES:
        tracks = list(master.tracks.all())
        first = tracks[0] if tracks else None
        outcome = {
            "finding": first.finding if first else "",
            "reply": master.reply_text,
            "case_number": next((t.case_number for t in tracks if t.case_number), ""),
            "tracks": [
                {"track": t.track, "finding": t.finding, "outcome": t.outcome, "case_number": t.case_number}
                for t in tracks
            ],
        }
    return {
        "id": ticket.pk,
        "external_id": ticket.external_id,
        "source": ticket.source,
        "kind": ticket.kind,
        "status": master.status,
        "received_at": ticket.received_at,
        "unit": {"code": master.unit.code, "name": master.unit.name} if master.unit_id else None,
        "deadlines": [{"clock": c.clock, "due_at": c.due_at, "status": c.status, "met_at": c.met_at} for c in clocks],
        "escalations": escalations_for_tickets([ticket.pk])[ticket.pk],
        "outcome": outcome,
        "merged_into": (
            {"source": master.source, "external_id": master.external_id} if ticket.merged_into_id else None
        ),
        "events": [{"code": e.code, "at": e.at} for e in events],
    }


def updates_for_client(client: IntegrationClient, *, after: int):
    return (
        StatusUpdate.objects.filter(
            ticket__bureau_id=client.bureau_id, ticket__source__in=PLATFORM_SOURCES, pk__gt=after
        )
        .select_related("ticket")
        .only("id", "status", "updated_at", "reply", "ticket__source", "ticket__external_id")
        .order_by("id")
    )
