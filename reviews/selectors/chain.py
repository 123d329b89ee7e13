"""Reads of the review chain: replies waiting for review, the ticket under review, returns."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from org.models import User
from org.rules import is_section_staff, is_supervisor, is_unit_management
from reviews.choices import Stage
from reviews.models import Return
from tickets.choices import Status
from tickets.models import Ticket
from tickets.selectors import ticket_get_for_user, ticket_list_for_user, ticket_list_rows


def pending_reviews_for_user(user: User, *, stage: str = "") -> QuerySet[Ticket]:
    """Replies waiting for review, oldest in stage first.

    Without `stage`: the user's own review work - unit management their unit's unit review, section staff the
    bureau's section review, leaders and administrators both. With `stage` ("unit"/"section"): every visible
    ticket at that stage (the dashboard's figures link here).
    """
    if stage == Stage.UNIT:
        wanted = Q(status=Status.UNIT_REVIEW)
    elif stage == Stage.SECTION:
        wanted = Q(status=Status.SECTION_REVIEW)
    else:
        wanted = Q(pk__in=[])
        if is_unit_management(user) and user.unit_id:
            wanted |= Q(status=Status.UNIT_REVIEW, unit_id=user.unit_id)
        if is_section_staff(user):
            wanted |= Q(status=Status.SECTION_REVIEW)
        elif is_supervisor(user):
            wanted |= Q(status__in=[Status.UNIT_REVIEW, Status.SECTION_REVIEW])
    # updated_at is set by every status change: the time the reply entered its current review stage.
    return ticket_list_rows(user).filter(wanted).order_by("updated_at", "id")


def review_ticket_for_user(user: User, pk: int) -> Ticket:
    ticket = ticket_get_for_user(user, pk)
    ticket.track_list = list(ticket.tracks.all())
    ticket.return_list = list(Return.objects.filter(ticket=ticket).select_related("actor"))
    ticket.attachment_count = ticket.attachments.count()
    # The 情况说明 a reopened ticket's unit filed with its new reply (tickets.services.ticket_submit_reply).
    last_reply = ticket.events.filter(code="reply_submitted").order_by("-at", "-id").first()
    ticket.explanation = last_reply.data.get("explanation", "") if last_reply else ""
    return ticket


def returns_for_user(user: User):
    """The returns of the work orders the user may see, newest first; the list narrows them with ReturnFilter."""
    returns = Return.objects.filter(ticket__in=ticket_list_for_user(user)).select_related("ticket", "unit", "actor")
    return returns.order_by("-at", "-id")
