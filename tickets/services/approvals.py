"""Requests that need approval (extension, return to the platform) and clock pauses."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import User
from tickets import deadlines
from tickets.choices import (
    HANDLING_STATUSES,
    ClockStatus,
    RequestKind,
    RequestStatus,
    Status,
    transition_allowed,
)
from tickets.models import (
    Ticket,
    TicketRequest,
)
from tickets.services.core import (
    TicketConflict,
    TransitionNotAllowed,
    event_write,
    ticket_lock,
    ticket_transition,
)
from tickets.signals import decision_send

# ---------------------------------------------------------------- approvals: extension, return to platform


def ticket_request_extension(
    ticket: Ticket,
    *,
    actor: User,
    clock: str,
    working_days: int,
    reason: str,
    expected_version: int | None = None,
) -> TicketRequest:
    if not 1 <= working_days <= 60:
        raise ValidationError({"working_days": _("Ask for 1 to 60 working days.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    with transaction.atomic():
        locked = ticket_lock(ticket, expected_version=expected_version)
        if locked.status not in HANDLING_STATUSES:
            raise TransitionNotAllowed(locked.status, locked.status)
        if not locked.clocks.filter(clock=clock, status__in=[ClockStatus.OPEN, ClockStatus.PAUSED]).exists():
            raise ValidationError({"clock": _("That deadline is not running.")})
        return _request_open(
            locked, actor=actor, kind=RequestKind.EXTENSION, clock=clock, working_days=working_days, reason=reason
        )


def ticket_request_return(
    ticket: Ticket, *, actor: User, reason_code: str, reason: str, expected_version: int | None = None
) -> TicketRequest:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    with transaction.atomic():
        locked = ticket_lock(ticket, expected_version=expected_version)
        if not transition_allowed(locked.status, Status.RETURNED_TO_PLATFORM):
            raise TransitionNotAllowed(locked.status, Status.RETURNED_TO_PLATFORM)
        return _request_open(
            locked, actor=actor, kind=RequestKind.RETURN_TO_PLATFORM, reason_code=reason_code, reason=reason
        )


def _request_open(ticket: Ticket, *, actor: User, kind: str, **fields) -> TicketRequest:
    now = timezone.now()
    try:
        with transaction.atomic():
            request = TicketRequest.objects.create(
                ticket=ticket, kind=kind, requested_by=actor, requested_at=now, **fields
            )
            event_write(
                ticket,
                f"{kind}_requested",
                actor=actor,
                data={k: v for k, v in fields.items() if k != "reason"} | {"reason": fields["reason"]},
                at=now,
            )
    except IntegrityError:
        raise TicketConflict(_("A request of this kind is already waiting for approval.")) from None
    return request


def request_decide(request: TicketRequest, *, actor: User, is_approved: bool, note: str = "") -> TicketRequest:
    now = timezone.now()
    with transaction.atomic():
        updated = TicketRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
            status=RequestStatus.APPROVED if is_approved else RequestStatus.REJECTED,
            decided_by=actor,
            decided_at=now,
            decision_note=note,
        )
        if not updated:
            raise TicketConflict(_("This request has already been decided."))
        request.refresh_from_db()
        ticket = request.ticket
        verdict = "approved" if is_approved else "rejected"
        if request.kind == RequestKind.EXTENSION:
            event_write(
                ticket,
                f"extension_{verdict}",
                actor=actor,
                data={"clock": request.clock, "working_days": request.working_days, "note": note},
                at=now,
            )
            if is_approved:
                for clock in ticket.clocks.filter(
                    clock=request.clock, status__in=[ClockStatus.OPEN, ClockStatus.PAUSED]
                ):
                    deadlines.clock_extend(clock, working_days=request.working_days)
                decision_send(ticket, "extension_approved", actor=actor, request=request)
        elif is_approved:
            ticket_transition(
                ticket,
                to=Status.RETURNED_TO_PLATFORM,
                actor=actor,
                event="returned_to_platform",
                data={"reason_code": request.reason_code, "reason": request.reason, "note": note},
            )
            deadlines.clocks_cancel(ticket)
        else:
            event_write(ticket, "return_rejected", actor=actor, data={"note": note}, at=now)
    return request


# ---------------------------------------------------------------- clock pause (检验检测鉴定)


def ticket_pause_clocks(ticket: Ticket, *, actor: User, reason: str, expected_version: int | None = None) -> Ticket:
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is being tested, inspected or appraised.")})
    now = timezone.now()
    with transaction.atomic():
        locked = ticket_lock(ticket, expected_version=expected_version)
        if locked.status not in HANDLING_STATUSES:
            raise TransitionNotAllowed(locked.status, locked.status)
        if not deadlines.clocks_pause(ticket, at=now):
            raise ValidationError(_("No running deadline to pause."))
        event_write(ticket, "clocks_paused", actor=actor, data={"reason": reason}, at=now)
    return ticket


def ticket_resume_clocks(ticket: Ticket, *, actor: User, note: str = "", expected_version: int | None = None) -> Ticket:
    now = timezone.now()
    with transaction.atomic():
        ticket_lock(ticket, expected_version=expected_version)
        resumed = deadlines.clocks_resume(ticket, at=now)
        if not resumed:
            raise ValidationError(_("No paused deadline to resume."))
        days = max(clock.paused_working_days for clock in resumed)
        event_write(ticket, "clocks_resumed", actor=actor, data={"note": note, "paused_working_days": days}, at=now)
    return ticket
