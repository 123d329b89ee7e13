"""Dispatch objections (派单异议, docs/dispatch.md): a unit objects to a dispatch within the window; the section
upholds it (a re-dispatch through ticket_dispatch, history kept) or rejects it with a reason.

The clocks are never touched: they keep running from receipt whatever the outcome."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import Action
from audit.services import audit_record
from core.errors import StateConflict
from org.choices import RoleCode
from org.models import Unit, User
from tickets.choices import REDISPATCHABLE, AttachmentPurpose, ObjectionDecision, ObjectionReason, ObjectionStatus
from tickets.models import DispatchObjection, Ticket
from tickets.rules import objection_window_end
from tickets.services.core import TicketMerged, TransitionNotAllowed, event_write, ticket_lock
from tickets.services.handling import ticket_dispatch
from tickets.services.records import ticket_add_attachment
from workdays import calendar

MAX_EVIDENCE_FILES = 10


class ObjectionRefused(StateConflict):
    """The objection cannot be raised or decided in the state found (409); the message says why."""

    code = "objection_refused"

    def api_message(self) -> str:
        return str(self.args[0]) if self.args else "The objection is refused."


class ObjectionWindowClosed(ObjectionRefused):
    code = "objection_window_closed"


class ObjectionAlreadyDecided(ObjectionRefused):
    code = "objection_decided"


def window_closed_message() -> str:
    return _(
        "The time to object (%(hours)s working hours after the dispatch) has passed: ask for a return "
        "to the platform instead."
    ) % {"hours": settings.HOTLINE_OBJECTION_WINDOW_WORKING_HOURS}


def ticket_object(
    ticket: Ticket,
    *,
    actor: User,
    reason_code: str,
    text: str,
    files=(),
    attachments=(),
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> DispatchObjection:
    """The actor's unit objects to its dispatch of the work order: within the window (the setting's working hours
    after the dispatch), while the unit holds it and may still be relieved of it (dispatched, signed for, in
    progress), one objection pending at a time, never again by a unit whose objection was rejected.

    The evidence: `files` uploaded with it (stored as the work order's attachments, purpose "objection"), and
    `attachments`, the work order's attachments uploaded before (the staff API's way)."""
    at = at or timezone.now()
    if reason_code not in ObjectionReason.values:
        raise ValidationError({"reason_code": _("Choose a reason.")})
    if not (text or "").strip():
        raise ValidationError({"text": _("Say why the work order is not for your unit.")})
    files, attachments = list(files or []), list(attachments or [])
    if any(attachment.ticket_id != ticket.pk for attachment in attachments):
        raise ValidationError({"evidence": _("Choose attachments of this work order.")})
    if len(files) + len(attachments) > MAX_EVIDENCE_FILES:
        raise ValidationError({"files": _("At most %(n)s files.") % {"n": MAX_EVIDENCE_FILES}})
    with transaction.atomic():
        locked = ticket_lock(ticket, expected_version=expected_version)
        if locked.merged_into_id is not None:
            raise TicketMerged(_("This work order is merged into another; split it off first."))
        if actor.unit_id is None or locked.unit_id != actor.unit_id:
            raise ObjectionRefused(_("The work order is not with your unit."))
        if locked.status not in REDISPATCHABLE:
            raise TransitionNotAllowed(locked.status, locked.status)
        if locked.dispatched_at is None or at > objection_window_end(locked.dispatched_at):
            raise ObjectionWindowClosed(window_closed_message())
        earlier = DispatchObjection.objects.filter(ticket=locked)
        if earlier.filter(unit_id=actor.unit_id, status=ObjectionStatus.REJECTED).exists():
            raise ObjectionRefused(
                _("Your unit's objection to this work order was rejected: it cannot be raised again.")
            )
        if earlier.filter(status=ObjectionStatus.PENDING).exists():
            raise ObjectionRefused(_("An objection to this work order is already waiting for a decision."))
        try:
            with transaction.atomic():
                objection = DispatchObjection.objects.create(
                    ticket=locked,
                    unit_id=actor.unit_id,
                    dispatched_at=locked.dispatched_at,
                    raised_by=actor,
                    raised_at=at,
                    reason_code=reason_code,
                    text=text.strip(),
                )
        except IntegrityError:  # a second objection at once, where the lock does not serialise
            raise ObjectionRefused(_("An objection to this work order is already waiting for a decision.")) from None
        evidence = attachments + [
            ticket_add_attachment(locked, actor=actor, uploaded_file=file, purpose=AttachmentPurpose.OBJECTION)
            for file in files
        ]
        if evidence:
            objection.evidence.set(evidence)
        event_write(
            locked,
            "objection_raised",
            actor=actor,
            data={
                "objection": objection.pk,
                "objecting_unit": actor.unit.code,
                "objection_reason": reason_code,
                "explanation": objection.text,
            },
            at=at,
        )
        audit_record(
            Action.OBJECTION_RAISED,
            actor=actor,
            obj=locked,
            data={"objection": objection.pk, "unit": actor.unit_id, "reason_code": reason_code},
            at=at,
        )
        _notify(
            _section(locked.bureau_id),
            "objection.raised",
            locked,
            objection,
            {"unit": actor.unit.name, "reason_code": reason_code},
        )
    return objection


def objection_decide(
    objection: DispatchObjection,
    *,
    actor: User,
    decision: str,
    unit: Unit | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> DispatchObjection:
    """Uphold (re-dispatch to `unit`, through ticket_dispatch: the timeline keeps the first dispatch) or reject
    (`reason` required: the unit keeps the work). A second decision is refused (409)."""
    at = at or timezone.now()
    reason = (reason or "").strip()
    if decision not in ObjectionDecision.values:
        raise ValidationError({"decision": _("Choose uphold or reject.")})
    if decision == "reject" and not reason:
        raise ValidationError({"reason": _("Give the reason for rejecting the objection.")})
    if decision == "uphold":
        if unit is None:
            raise ValidationError({"unit": _("Choose the unit to dispatch the work order to.")})
        if unit.bureau_id != objection.ticket.bureau_id or not unit.is_active:
            raise ValidationError({"unit": _("Choose an active unit of this bureau.")})
        if unit.pk == objection.unit_id:
            raise ValidationError({"unit": _("Choose another unit than the one that objected.")})
    with transaction.atomic():
        ticket = ticket_lock(objection.ticket)
        current = DispatchObjection.objects.select_for_update().get(pk=objection.pk)
        if current.status != ObjectionStatus.PENDING:
            raise ObjectionAlreadyDecided(_("This objection has already been decided."))
        if decision == "uphold" and ticket.unit_id != objection.unit_id:
            raise ObjectionRefused(_("The work order is no longer with the unit that objected."))
        minutes = int(calendar.working_time_between(current.raised_at, at).total_seconds() // 60)
        status = ObjectionStatus.UPHELD if decision == "uphold" else ObjectionStatus.REJECTED
        DispatchObjection.objects.filter(pk=current.pk, status=ObjectionStatus.PENDING).update(
            status=status,
            decided_by=actor,
            decided_at=at,
            decision_reason=reason,
            new_unit=unit if decision == "uphold" else None,
            decision_working_minutes=minutes,
        )
        data = {"objection": current.pk, "objecting_unit": objection.unit.code, "reason": reason}
        if decision == "uphold":
            data["new_unit"] = unit.code
            event_write(ticket, "objection_upheld", actor=actor, data=data, at=at)
            # the one dispatch service: a re-dispatch event with the unit it came from; the clocks run on
            ticket_dispatch(ticket, unit=unit, actor=actor, note=reason)
        else:
            event_write(ticket, "objection_rejected", actor=actor, data=data, at=at)
        audit_record(
            Action.OBJECTION_DECIDED,
            actor=actor,
            obj=ticket,
            data={
                "objection": current.pk,
                "decision": status,
                "unit": objection.unit_id,
                "new_unit": unit.pk if unit is not None and decision == "uphold" else None,
            },
            at=at,
        )
        _notify(
            _unit_people(objection.unit_id, also=[current.raised_by_id]),
            f"objection.{status}",
            ticket,
            current,
            {"new_unit": unit.name if unit is not None and decision == "uphold" else "", "reason": reason},
        )
    objection.refresh_from_db()
    return objection


def _section(bureau_id: int) -> list[int]:
    return list(
        User.objects.filter(
            unit__bureau_id=bureau_id,
            roles__code__in=[RoleCode.SECTION_REVIEWER, RoleCode.SECTION_CHIEF],
            is_active=True,
        )
        .distinct()
        .values_list("pk", flat=True)
    )


def _unit_people(unit_id: int, *, also: list[int]) -> list[int]:
    leaders = User.objects.filter(
        unit_id=unit_id, roles__code__in=[RoleCode.UNIT_LEADER, RoleCode.UNIT_DEPUTY], is_active=True
    ).values_list("pk", flat=True)
    return [*also, *leaders]


def _notify(recipients: list[int], code: str, ticket: Ticket, objection: DispatchObjection, data: dict) -> None:
    """Stored now, sent after the commit (notifications.services); imported here, as tickets' other messages."""
    if not recipients:
        return
    from notifications.services import notification_send

    notification_send(
        recipients,
        code=code,
        data={"external_id": ticket.external_id, "title": ticket.title, "ticket_id": ticket.pk, **data},
        ticket=ticket,
    )
