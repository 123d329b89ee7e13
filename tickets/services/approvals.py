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
    PAUSE_REASONS_EXPLAINED,
    ClockStatus,
    PauseReason,
    RequestKind,
    RequestStatus,
    Status,
    transition_allowed,
)
from tickets.models import (
    Ticket,
    TicketRequest,
)
from tickets.services.assisting import assists_release_outstanding
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
        # the lead unit's own deadlines (an assisting unit's clock is not the lead's to extend)
        running = locked.clocks.filter(
            clock=clock, status__in=[ClockStatus.OPEN, ClockStatus.PAUSED], unit__isnull=True
        )
        if not running.exists():
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
                    clock=request.clock, status__in=[ClockStatus.OPEN, ClockStatus.PAUSED], unit__isnull=True
                ):
                    deadlines.clock_extend(clock, working_days=request.working_days)
                decision_send(ticket, "extension_approved", actor=actor, request=request)
        elif request.kind == RequestKind.PAUSE:
            event_write(ticket, f"pause_{verdict}", actor=actor, data={"note": note}, at=now)
            if is_approved:
                locked = ticket_lock(ticket)
                if locked.status not in HANDLING_STATUSES or not locked.clocks.filter(status=ClockStatus.OPEN).exists():
                    raise TicketConflict(_("No deadline of this work order is running any more: nothing to pause."))
                _pause(
                    locked,
                    actor=actor,
                    reason_code=request.reason_code,
                    reason=request.reason,
                    at=now,
                    data={"requested_by": request.requested_by.get_full_name() or request.requested_by.username},
                )
        elif is_approved:
            ticket_transition(
                ticket,
                to=Status.RETURNED_TO_PLATFORM,
                actor=actor,
                event="returned_to_platform",
                data={"reason_code": request.reason_code, "reason": request.reason, "note": note},
            )
            # the work order left the bureau: the assisting units still asked are released (their clocks with them)
            assists_release_outstanding(ticket, actor=actor, at=now, step="returned_to_platform")
            deadlines.clocks_cancel(ticket)
        else:
            event_write(ticket, "return_rejected", actor=actor, data={"note": note}, at=now)
    return request


# ---------------------------------------------------------------- clock pause (检验检测鉴定 and the other reasons)


def pause_reason_check(reason_code: str, reason: str) -> None:
    """A pause names its reason from the list; 'unreachable' says the attempts made, 'other' what it is."""
    if reason_code not in PauseReason.values:
        raise ValidationError({"reason_code": _("Choose why the deadlines stop.")})
    if reason_code in PAUSE_REASONS_EXPLAINED and not reason.strip():
        raise ValidationError({"reason": _("Explain this reason (for an unreachable party: the attempts made).")})


def _overdue_clocks(ticket: Ticket, now) -> bool:
    return ticket.clocks.filter(status=ClockStatus.OPEN, due_at__lt=now, unit__isnull=True).exists()  # the lead's


def ticket_pause_clocks(
    ticket: Ticket, *, actor: User, reason_code: str = "", reason: str = "", expected_version: int | None = None
) -> Ticket:
    pause_reason_check(reason_code, reason)
    now = timezone.now()
    with transaction.atomic():
        locked = ticket_lock(ticket, expected_version=expected_version)
        if locked.status not in HANDLING_STATUSES:
            raise TransitionNotAllowed(locked.status, locked.status)
        if _overdue_clocks(locked, now):
            raise ValidationError(
                _("A deadline is already overdue: pausing it needs the section's approval; request the pause.")
            )
        _pause(locked, actor=actor, reason_code=reason_code, reason=reason, at=now)
    return ticket


def _pause(ticket: Ticket, *, actor: User, reason_code: str, reason: str, at, data: dict | None = None) -> None:
    if not deadlines.clocks_pause(ticket, at=at, reason_code=reason_code, note=reason):
        raise ValidationError(_("No running deadline to pause."))
    event_write(
        ticket, "clocks_paused", actor=actor, data={"pause_reason": reason_code, "reason": reason} | (data or {}), at=at
    )


def ticket_request_pause(
    ticket: Ticket, *, actor: User, reason_code: str = "", reason: str = "", expected_version: int | None = None
) -> TicketRequest:
    """A deadline already overdue: the unit asks, the section decides (request_decide pauses on approval)."""
    pause_reason_check(reason_code, reason)
    with transaction.atomic():
        locked = ticket_lock(ticket, expected_version=expected_version)
        if locked.status not in HANDLING_STATUSES:
            raise TransitionNotAllowed(locked.status, locked.status)
        if not locked.clocks.filter(status=ClockStatus.OPEN).exists():
            raise ValidationError(_("No running deadline to pause."))
        return _request_open(locked, actor=actor, kind=RequestKind.PAUSE, reason_code=reason_code, reason=reason)


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
