"""Every read of documents, scoped to the user through the work orders they may see (tickets.selectors)."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.utils.translation import gettext as _

from documents.choices import DocumentKind
from documents.models import Document, DocumentTemplate
from tickets.choices import Outcome, RequestKind, RequestStatus, Status, Track
from tickets.models import Ticket, TicketEvent, TicketRequest
from tickets.selectors import ticket_get_for_user
from workdays.calendar import SHANGHAI

ACCEPTED_OUTCOMES = frozenset(
    {Outcome.ACCEPTED, Outcome.MEDIATED, Outcome.MEDIATION_FAILED, Outcome.MEDIATION_TERMINATED}
)
TERMINATED_OUTCOMES = frozenset({Outcome.MEDIATION_TERMINATED, Outcome.MEDIATION_FAILED})
FILING_OUTCOMES = frozenset({Outcome.CASE_OPENED, Outcome.NOT_OPENED})
DONE = frozenset({Status.COMPLETED, Status.ARCHIVED})


def _outcomes(ticket: Ticket) -> dict[str, str]:
    tracks = getattr(ticket, "track_list", None)
    if tracks is None:  # not kept on the ticket: a service's copy must not go stale
        tracks = list(ticket.tracks.all())
    return {track.track: track.outcome for track in tracks}


def kind_refusal(ticket: Ticket, kind: str, *, subject: str = "") -> str:
    """Why this kind does not apply to the work order in its state ("" when it does)."""
    outcomes = _outcomes(ticket)
    complaint, report = outcomes.get(Track.COMPLAINT), outcomes.get(Track.REPORT)
    if kind == DocumentKind.ACCEPTANCE_NOTICE and complaint not in ACCEPTED_OUTCOMES:
        return _("An acceptance notice needs a complaint that was accepted.")
    if kind == DocumentKind.NOT_ACCEPTED_NOTICE and complaint != Outcome.NOT_ACCEPTED:
        return _("A not-accepted notice needs a complaint that was not accepted.")
    if kind == DocumentKind.EXTENSION_APPROVAL:
        approved = TicketRequest.objects.filter(
            ticket=ticket, kind=RequestKind.EXTENSION, status=RequestStatus.APPROVED
        )
        if subject.startswith("request:"):
            approved = approved.filter(pk=subject.split(":", 1)[1])
        if not approved.exists():
            return _("An extension approval form needs an approved extension.")
    if kind == DocumentKind.MEDIATION_TERMINATION and (
        complaint not in TERMINATED_OUTCOMES or ticket.status not in DONE
    ):
        return _("A mediation termination notice needs a completed complaint whose mediation ended without agreement.")
    if kind == DocumentKind.CLOSING_OPINION and ticket.status not in DONE:
        return _("A closing opinion needs a completed work order.")
    if kind == DocumentKind.REPORTER_NOTICE and report not in FILING_OUTCOMES:
        return _("A reporter notification needs a report with its filing decision.")
    if kind == DocumentKind.ARCHIVE_SHEET and ticket.status not in DONE:
        return _("An archive sheet needs a completed work order.")
    return ""


def kinds_available(ticket: Ticket) -> list[str]:
    return [kind for kind in DocumentKind.values if not kind_refusal(ticket, kind)]


def template_current(bureau_id: int, kind: str) -> DocumentTemplate | None:
    """The newest version of the bureau's template of a kind (None: Hotline's built-in one)."""
    return DocumentTemplate.objects.filter(bureau_id=bureau_id, kind=kind).order_by("-version").first()


def documents_of_ticket(ticket: Ticket):
    return Document.objects.filter(ticket=ticket).order_by("kind", "subject", "-version", "copy", "id")


def documents_for_user(user, ticket_pk: int) -> tuple[Ticket, list[Document]]:
    ticket = ticket_get_for_user(user, ticket_pk)
    return ticket, list(documents_of_ticket(ticket))


def document_get_for_user(user, ticket_pk: int, pk: int) -> Document:
    """One document of a work order the user may see, else 404 (another unit's or bureau's: as if none)."""
    ticket = ticket_get_for_user(user, ticket_pk)
    try:
        document = Document.objects.get(ticket=ticket, pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    document.ticket = ticket
    return document


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, month, 1, tzinfo=SHANGHAI)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=SHANGHAI)
    return start, end


def archived_in_month(bureau_id: int, year: int, month: int) -> list[Ticket]:
    """The bureau's work orders archived in a month (Shanghai time), in order of archiving, with their documents."""
    start, end = month_bounds(year, month)
    archived_at = dict(
        TicketEvent.objects.filter(
            ticket__bureau_id=bureau_id, ticket__status=Status.ARCHIVED, code="archived", at__gte=start, at__lt=end
        ).values_list("ticket_id", "at")
    )
    tickets = list(Ticket.objects.filter(pk__in=archived_at).select_related("unit").order_by("id"))
    documents: dict[int, list[Document]] = {}
    for document in Document.objects.filter(ticket_id__in=archived_at).order_by("kind", "subject", "version", "copy"):
        documents.setdefault(document.ticket_id, []).append(document)
    for ticket in tickets:
        ticket.archived_at = archived_at[ticket.pk]
        ticket.document_list = documents.get(ticket.pk, [])
    tickets.sort(key=lambda t: (t.archived_at, t.pk))
    return tickets
