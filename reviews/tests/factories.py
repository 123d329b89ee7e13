"""Tickets brought to the review stages through the real services."""

from django.core.files.uploadedfile import SimpleUploadedFile

from tickets.choices import Finding, Kind, Outcome, Track
from tickets.services import (
    TrackResult,
    ticket_accept,
    ticket_add_attachment,
    ticket_dispatch,
    ticket_record_first_contact,
    ticket_submit_reply,
)
from tickets.tests.factories import good_results, make_ticket


def handled_ticket(org, *, unit=None, handler=None, **extra):
    """A ticket signed for and contacted: in progress at the unit."""
    unit = unit or org.office_a
    handler = handler or (org.handler if unit == org.office_a else org.handler_b)
    ticket = make_ticket(org, **extra)
    ticket_dispatch(ticket, unit=unit, actor=org.dispatcher)
    ticket_accept(ticket, actor=handler)
    ticket_record_first_contact(ticket, actor=handler)
    return ticket


def submit(ticket, handler, *, results=None, explanation=""):
    return ticket_submit_reply(
        ticket,
        actor=handler,
        reply_text="经核查，已责令商家退款。",
        results=results or good_results(ticket.kind),
        explanation=explanation,
    )


def ticket_in_unit_review(org, *, results=None, unit=None, **extra):
    """In unit review; a 不属实 reply goes with its evidence (the reply refuses it without), which a test of the
    review's own check removes again."""
    ticket = handled_ticket(org, unit=unit, **extra)
    handler = org.handler if (unit or org.office_a) == org.office_a else org.handler_b
    if results and any(result.finding == Finding.UNSUBSTANTIATED for result in results.values()):
        attach_evidence(ticket, handler)
    return submit(ticket, handler, results=results)


def ticket_in_section_review(org, **extra):
    from reviews.services import review_approve

    ticket = ticket_in_unit_review(org, **extra)
    deputy = org.deputy if ticket.unit_id == org.office_a.pk else org.deputy_b
    return review_approve(ticket, actor=deputy)


def completed_ticket(org, **extra):
    from reviews.services import review_approve

    ticket = ticket_in_section_review(org, **extra)
    return review_approve(ticket, actor=org.reviewer)


def unsubstantiated_results(grounds="经现场检查，未发现违法行为。"):
    return {
        Track.COMPLAINT: TrackResult(finding=Finding.UNSUBSTANTIATED, outcome=Outcome.NOT_ACCEPTED, grounds=grounds)
    }


def attach_evidence(ticket, actor):
    upload = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32, content_type="image/png")
    return ticket_add_attachment(ticket, actor=actor, uploaded_file=upload)


__all__ = [
    "Kind",
    "attach_evidence",
    "completed_ticket",
    "handled_ticket",
    "submit",
    "ticket_in_section_review",
    "ticket_in_unit_review",
    "unsubstantiated_results",
]
