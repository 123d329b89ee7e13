"""Every read of work orders, always scoped to the user asking (and the categories, which everyone may read)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from core.process_cache import ProcessCache
from org.models import User
from tickets.choices import OPEN_STATUSES, AssistStatus, ClockStatus, Status
from tickets.models import Attachment, Category, Ticket, TicketAssist, TicketClock, TicketEvent
from tickets.rules import is_bureau_wide, is_unit_staff

# The active categories by code, kept per process (core.process_cache): every intake names one.
_active_categories: ProcessCache[dict[str, Category]] = ProcessCache(
    lambda: {category.code: category for category in Category.objects.filter(is_active=True)},
    invalidated_by=[Category],
)


# Every category's name by code (the inactive ones too: old events name them), for the timeline's words.
_category_names: ProcessCache[dict[str, str]] = ProcessCache(
    lambda: dict(Category.objects.values_list("code", "name")),
    invalidated_by=[Category],
)


def category_name(code: str) -> str:
    """The category's name for a stored code (the code itself only if no category has it)."""
    return _category_names.get().get(code, code)


def category_active(code: str) -> Category | None:
    """The active category with this code, or None (no query: the per-process copy)."""
    return _active_categories.get().get(code)


def ticket_list_for_user(user: User) -> QuerySet[Ticket]:
    """The tickets this user may see: the whole bureau for bureau-wide roles, else the user's unit."""
    if not user.is_authenticated or not user.is_active or user.unit_id is None:
        return Ticket.objects.none()
    if is_bureau_wide(user):
        return Ticket.objects.filter(bureau_id=user.unit.bureau_id)
    if is_unit_staff(user):
        return Ticket.objects.filter(unit_id=user.unit_id)
    return Ticket.objects.none()


def ticket_list_rows(user: User) -> QuerySet[Ticket]:
    """A list page's rows: what the table shows in one query (unit, category, handler, nearest open due).

    `next_due_at` is the denormalised Ticket.next_clock_due_at (kept by tickets.deadlines), not an
    aggregate over the clocks: sorting and paging then use an index instead of grouping every ticket.
    """
    from django.db.models import F

    return (
        ticket_list_for_user(user)
        .select_related("unit", "category", "handler")
        .annotate(next_due_at=F("next_clock_due_at"))
    )


def ticket_get_for_user(user: User, pk: int, *, assisted: bool = False) -> Ticket:
    """One ticket, or 404 when it does not exist or the user may not see it (never 403: no existence leak).

    `assisted`: also a ticket the user's unit is named to assist (协办), for the pages and endpoints an assisting
    unit uses (the ticket page's limited view, its answer); every other read keeps the lead unit's scope."""
    scope = ticket_assisted_scope(user) if assisted else ticket_list_for_user(user)
    try:
        return scope.select_related("unit", "category", "handler", "bureau", "business").get(pk=pk)
    except (Ticket.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def ticket_assisted_scope(user: User) -> QuerySet[Ticket]:
    """ticket_list_for_user, and for unit staff also the tickets their unit is named to assist (any answer)."""
    scope = ticket_list_for_user(user)
    if not user.is_authenticated or not user.is_active or user.unit_id is None or is_bureau_wide(user):
        return scope
    if not is_unit_staff(user):
        return scope
    assisted = TicketAssist.objects.filter(ticket_id=OuterRef("pk"), unit_id=user.unit_id)
    return Ticket.objects.filter(Q(unit_id=user.unit_id) | Q(Exists(assisted)))


def ticket_assists_for_unit(user: User) -> QuerySet[TicketAssist]:
    """The unit queue's assisting part (协办): the open work orders the user's unit is asked to assist and has not
    answered, nearest due first; one query (assist_unit_queue_idx), the ticket's row fields alongside."""
    if not user.is_authenticated or not user.is_active or user.unit_id is None or not is_unit_staff(user):
        return TicketAssist.objects.none()
    return (
        TicketAssist.objects.filter(
            unit_id=user.unit_id, status=AssistStatus.REQUESTED, ticket__status__in=OPEN_STATUSES
        )
        .select_related("ticket", "ticket__unit")
        .order_by("due_at", "id")
    )


def assists_of_unit(user: User, state: str = AssistStatus.REQUESTED) -> QuerySet[TicketAssist]:
    """The staff API's list of the work orders the user's unit assists (协办), with the unit's own clock: `requested`
    is the unit queue's part (open work orders not answered, nearest due first); `done` and `released` the
    answered or released ones, latest due first. Only the user's unit's, never another's; one query."""
    if state == AssistStatus.REQUESTED:
        rows = ticket_assists_for_unit(user)
    elif not user.is_authenticated or not user.is_active or user.unit_id is None or not is_unit_staff(user):
        return TicketAssist.objects.none()
    else:
        rows = (
            TicketAssist.objects.filter(unit_id=user.unit_id, status=state)
            .select_related("ticket", "ticket__unit")
            .order_by("-due_at", "-id")
        )
    return rows.select_related("clock", "ticket__category")


def ticket_detail_for_user(user: User, pk: int) -> Ticket:
    ticket = ticket_get_for_user(user, pk, assisted=True)
    ticket.clock_list = list(TicketClock.objects.filter(ticket=ticket).select_related("unit").order_by("due_at", "id"))
    ticket.event_list = list(TicketEvent.objects.filter(ticket=ticket).select_related("actor").order_by("at", "id"))
    ticket.attachment_list = list(Attachment.objects.filter(ticket=ticket))
    ticket.track_list = list(ticket.tracks.all())
    ticket.pending_requests = list(ticket.requests.filter(status="pending").select_related("requested_by"))
    ticket.objection_list = objections_of(ticket)
    ticket.assist_list = list(
        TicketAssist.objects.filter(ticket=ticket).select_related("unit", "answered_by").order_by("requested_at", "id")
    )
    return ticket


def objections_of(ticket: Ticket) -> list:
    """The work order's dispatch objections, oldest first, with their people, units and evidence (two queries)."""
    from tickets.models import DispatchObjection

    return list(
        DispatchObjection.objects.filter(ticket=ticket)
        .select_related("unit", "raised_by", "decided_by", "new_unit")
        .prefetch_related("evidence")
        .order_by("raised_at", "id")
    )


def objection_pending_for_user(user: User) -> QuerySet:
    """Dispatch objections waiting for a decision, on work orders the user may see, oldest first."""
    from tickets.choices import ObjectionStatus
    from tickets.models import DispatchObjection

    return (
        DispatchObjection.objects.filter(status=ObjectionStatus.PENDING, ticket__in=ticket_list_for_user(user))
        .select_related("ticket", "unit", "raised_by")
        .order_by("raised_at", "id")
    )


def objection_get_for_user(user: User, pk: int):
    """One objection on a work order the user may see, else 404 (another bureau's: 404, never 403)."""
    from tickets.models import DispatchObjection

    try:
        return (
            DispatchObjection.objects.filter(ticket__in=ticket_list_for_user(user))
            .select_related("ticket", "ticket__bureau", "ticket__unit", "unit", "raised_by", "decided_by", "new_unit")
            .get(pk=pk)
        )
    except (DispatchObjection.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def attachment_get_for_user(user: User, ticket_pk: int, pk: int) -> Attachment:
    # an assisting unit reads the evidence of the work order it assists (the limited page lists the files)
    ticket = ticket_get_for_user(user, ticket_pk, assisted=True)
    try:
        return Attachment.objects.get(ticket=ticket, pk=pk)
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def ticket_inbox_for_user(user: User) -> QuerySet[Ticket]:
    return ticket_list_rows(user).filter(status=Status.RECEIVED).order_by("received_at", "id")


def ticket_my_work(user: User) -> QuerySet[Ticket]:
    """A handler's own open tickets plus the unit's tickets waiting to be signed for, nearest due first."""
    from django.db.models import F, Q

    return (
        ticket_list_rows(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(handler=user) | Q(status=Status.DISPATCHED, unit_id=user.unit_id))
        .order_by(F("next_due_at").asc(nulls_last=True), "id")
    )


def ticket_my_work_ids(user: User) -> QuerySet:
    """(id, next due) of ticket_my_work's rows, in its order, from two index-only scans.

    ticket_my_work's OR of "mine" and "my unit's, waiting to be signed for" can use no index for its
    order: PostgreSQL fetched and sorted every open ticket of the handler (4 ms for ~600 at 1,000,000
    tickets). Each half has its own partial index in this order (ticket_handler_open_due_idx,
    ticket_unit_dispatched_idx); the union of the two is read from the indexes alone, and the page's
    50 rows are then loaded by id (tickets.views.lists.RowsByIds).
    """
    from django.db.models import F, Q

    if not user.is_authenticated or not user.is_active or user.unit_id is None:
        return Ticket.objects.none().values_list("id", "next_clock_due_at")
    scope = ticket_list_for_user(user)
    mine = scope.filter(handler=user, status__in=OPEN_STATUSES)
    waiting = scope.filter(unit_id=user.unit_id, status=Status.DISPATCHED).exclude(Q(handler=user))
    columns = ("id", "next_clock_due_at")
    return (
        mine.values_list(*columns)
        .union(waiting.values_list(*columns), all=True)
        .order_by(F("next_clock_due_at").asc(nulls_last=True), "id")
    )


def ticket_unit_queue(user: User) -> QuerySet[Ticket]:
    from django.db.models import F

    return ticket_list_rows(user).filter(unit_id=user.unit_id).order_by(F("next_due_at").asc(nulls_last=True), "id")


def open_clocks_prefetch() -> Prefetch:
    return Prefetch(
        "clocks", queryset=TicketClock.objects.filter(status=ClockStatus.OPEN).order_by("due_at"), to_attr="open_clocks"
    )


def ticket_events_for_timeline(ticket: Ticket) -> list[TicketEvent]:
    """The visible timeline (audit-only events such as revealing personal data stay off it)."""
    return [event for event in getattr(ticket, "event_list", []) if not event.is_internal]


def request_pending_for_user(user: User) -> QuerySet:
    """Approval requests waiting for a decision, on tickets the user may see, oldest first."""
    from tickets.choices import RequestStatus
    from tickets.models import TicketRequest

    return (
        TicketRequest.objects.filter(status=RequestStatus.PENDING, ticket__in=ticket_list_for_user(user))
        .select_related("ticket", "ticket__unit", "requested_by")
        .order_by("requested_at", "id")
    )


def request_get_for_user(user: User, pk: int):
    from tickets.models import TicketRequest

    try:
        return (
            TicketRequest.objects.filter(ticket__in=ticket_list_for_user(user))
            .select_related("ticket", "ticket__bureau")
            .get(pk=pk)
        )
    except (TicketRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def unit_choices_for_user(user: User) -> QuerySet:
    """Units a ticket of this user's bureau may be sent to or filtered by."""
    from org.models import Unit

    if not user.is_authenticated or user.unit_id is None:
        return Unit.objects.none()
    return Unit.objects.filter(bureau_id=user.unit.bureau_id, is_active=True).order_by("kind", "code")
