"""Reads of callbacks (回访), special supervision and overdue work orders."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from org.models import User
from reviews.choices import CallbackSource, CallbackTaskStatus
from reviews.models import Callback, CallbackTask, SpecialSupervision
from tickets.choices import ClockStatus
from tickets.models import Ticket, TicketClock, TicketEvent
from tickets.selectors import ticket_list_for_user, ticket_list_rows


def callbacks_for_user(user: User):
    """The callbacks of the work orders the user may see, newest first; the list narrows them with CallbackFilter."""
    callbacks = Callback.objects.filter(ticket__in=ticket_list_for_user(user)).select_related("ticket", "unit")
    return callbacks.order_by("-called_at", "-id")


def callback_own_recorded_this_round(ticket: Ticket) -> bool:
    """Our own callback of the ticket's latest completion is recorded: one per round (completion -> callback).

    A reopened ticket that is completed again starts a new round. Rounds are told apart by the order of the
    timeline's events (both are written under the ticket's row lock, so their ids are in that order), not by
    clock times. The ticket page has the events loaded (`event_list`): no query there.
    """
    events = getattr(ticket, "event_list", None)
    if events is not None:
        completed = max((event.pk for event in events if event.code == "completed"), default=None)
        return completed is not None and any(
            event.code == "callback"
            and (event.data or {}).get("source") == CallbackSource.STAFF
            and event.pk > completed
            for event in events
        )
    completed = TicketEvent.objects.filter(ticket=ticket, code="completed").order_by("-id").values("id")[:1]
    return TicketEvent.objects.filter(
        ticket=ticket, code="callback", data__source=CallbackSource.STAFF, id__gt=Subquery(completed)
    ).exists()


def callback_tasks_for_user(user: User):
    return (
        CallbackTask.objects.filter(ticket__in=ticket_list_for_user(user))
        .exclude(status=CallbackTaskStatus.REACHED)
        .select_related("ticket", "ticket__unit")
        .order_by("due_at", "id")
    )


def callback_task_get_for_user(user: User, pk: int) -> CallbackTask:
    try:
        return callback_tasks_for_user(user).get(pk=pk)
    except (CallbackTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def supervisions_for_user(user: User, *, status: str = "", is_typical: bool | None = None):
    supervisions = SpecialSupervision.objects.filter(ticket__in=ticket_list_for_user(user)).select_related(
        "ticket", "unit", "callback"
    )
    if status:
        supervisions = supervisions.filter(status=status)
    if is_typical is not None:
        supervisions = supervisions.filter(is_typical_case=is_typical)
    return supervisions.order_by("-opened_at", "-id")


def supervision_get_for_user(user: User, pk: int) -> SpecialSupervision:
    try:
        return supervisions_for_user(user).get(pk=pk)
    except (SpecialSupervision.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def overdue_for_user(user: User, *, unit_id=None, now: dt.datetime | None = None) -> QuerySet[Ticket]:
    now = now or timezone.now()
    # the lead unit's clocks (an assisting unit's, 协办, is its own)
    overdue = TicketClock.objects.filter(status=ClockStatus.OPEN, due_at__lt=now, unit__isnull=True).values("ticket_id")
    tickets = ticket_list_rows(user).filter(pk__in=overdue)
    if unit_id:
        tickets = tickets.filter(unit_id=unit_id)
    return tickets.order_by(F("next_due_at").asc(nulls_last=True), "id")
