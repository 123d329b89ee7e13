"""Lead and assisting units (主办/协办, docs/dispatch.md): a dispatch names assisting units; each gets its own clock
(Clock.ASSIST, reminded by the escalation sweep like any other), sees the work order, answers "done" with its
findings, or the dispatcher releases it. The lead unit's reply goes to review only when none is outstanding
(tickets.rules.step_refusal; ticket_submit_reply checks it again on the locked row)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import Action
from audit.services import audit_record
from core.errors import StateConflict
from org.models import Unit, User
from tickets import deadlines
from tickets.choices import OPEN_STATUSES, AssistStatus, ClockStatus
from tickets.models import Ticket, TicketAssist, TicketClock
from tickets.rules import assists_outstanding_message
from tickets.services.core import TicketMerged, TransitionNotAllowed, event_write, ticket_lock

MAX_ASSISTING_UNITS = 10


class AssistsOutstanding(StateConflict):
    """The lead unit's reply while assisting units have not answered nor been released: 409, naming them."""

    code = "assists_outstanding"


class AssistNotRequested(StateConflict):
    """The unit has no assistance outstanding on the work order (answered already, released, never asked): 409."""

    code = "assist_not_requested"


def assisting_units_check(ticket: Ticket, units, *, lead: Unit) -> list[Unit]:
    """The assisting units a dispatch names, each once: active units of the ticket's bureau, not the lead unit."""
    chosen = list({unit.pk: unit for unit in units or []}.values())
    if len(chosen) > MAX_ASSISTING_UNITS:
        raise ValidationError(
            {"assisting_units": _("Name at most %(count)s assisting units.") % {"count": MAX_ASSISTING_UNITS}}
        )
    for unit in chosen:
        if unit.bureau_id != ticket.bureau_id or not unit.is_active:
            raise ValidationError({"assisting_units": _("Choose active units of this bureau.")})
        if unit.pk == lead.pk:
            raise ValidationError({"assisting_units": _("The lead unit cannot also be an assisting unit.")})
    return chosen


def assists_request(ticket: Ticket, units: list[Unit], *, actor: User | None, at: dt.datetime) -> list[TicketAssist]:
    """Ask these units to assist (inside the dispatch's transaction, the ticket's row locked): each one not already
    asked gets its row, its clock, a timeline event, an audit record, and its people a notification."""
    already = set(
        TicketAssist.objects.filter(ticket=ticket, status=AssistStatus.REQUESTED).values_list("unit_id", flat=True)
    )
    created = []
    for unit in units:
        if unit.pk in already:
            continue
        clock = deadlines.assist_clock_start(ticket, unit, starts_at=at)
        assist = TicketAssist.objects.create(
            ticket=ticket, unit=unit, requested_by=actor, requested_at=at, due_at=clock.due_at, clock=clock
        )
        event_write(
            ticket,
            "assist_requested",
            actor=actor,
            data={"assisting_unit": unit.code, "due_at": clock.due_at.isoformat()},
            at=at,
        )
        audit_record(
            Action.ASSIST_REQUESTED, actor=actor, obj=ticket, data={"unit": unit.pk, "assist": assist.pk}, at=at
        )
        _notify_unit(ticket, unit, code="ticket.assist_requested", data={"due_at": clock.due_at.isoformat()})
        created.append(assist)
    return created


def ticket_assist_done(ticket: Ticket, *, actor: User, findings: str) -> TicketAssist:
    """The assisting unit answers "done" with its findings (on the timeline); its clock is met."""
    if not (findings or "").strip():
        raise ValidationError({"findings": _("Write your unit's findings.")})
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_open(ticket)
        assist = _requested(locked, actor.unit_id)
        if assist is None:
            raise AssistNotRequested(_("Your unit has no assistance outstanding on this work order."))
        TicketAssist.objects.filter(pk=assist.pk).update(
            status=AssistStatus.DONE, findings=findings, answered_by=actor, answered_at=now
        )
        _assist_clock_close(assist, status=ClockStatus.MET, at=now)
        event_write(
            locked, "assist_done", actor=actor, data={"assisting_unit": assist.unit.code, "findings": findings}, at=now
        )
        audit_record(Action.ASSIST_DONE, actor=actor, obj=locked, data={"unit": assist.unit_id, "assist": assist.pk})
        if locked.handler_id:
            _notify_people(locked, [locked.handler_id], code="ticket.assist_done", unit=assist.unit)
    assist.refresh_from_db()
    return assist


def ticket_assist_release(ticket: Ticket, *, actor: User, unit: Unit | str, note: str = "") -> TicketAssist:
    """The dispatcher (or the section) releases an assisting unit that has not answered: its clock is cancelled,
    it is told, and the lead unit's reply no longer waits for it. `unit`: the unit or its code."""
    now = timezone.now()
    with transaction.atomic():
        locked = _locked_open(ticket)
        unit_id = (
            unit.pk if isinstance(unit, Unit) else Unit.objects.filter(code=unit).values_list("pk", flat=True).first()
        )
        assist = _requested(locked, unit_id) if unit_id else None
        if assist is None:
            raise ValidationError({"unit": _("This unit has no assistance outstanding on this work order.")})
        _release(locked, assist, actor=actor, note=note, at=now)
    assist.refresh_from_db()
    return assist


def assists_release_outstanding(
    ticket: Ticket, *, actor: User | None, at: dt.datetime, step: str, keep: set[int] | frozenset = frozenset()
) -> list[TicketAssist]:
    """The work order left its lead unit (`step`: "redispatched" to another unit, an upheld objection included,
    "recalled", or "returned_to_platform"): the assists of that dispatch still outstanding are released, each as
    the dispatcher's release does it (timeline, clock cancelled, audit, the unit told). Units in `keep` (named
    again in the re-dispatch) stay asked, their clocks running on. Call inside the step's transaction, the
    ticket's row locked."""
    outstanding = (
        TicketAssist.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(ticket=ticket, status=AssistStatus.REQUESTED)
        .exclude(unit_id__in=keep)
        .order_by("requested_at", "id")
    )
    released = []
    for assist in outstanding:
        _release(ticket, assist, actor=actor, note="", at=at, step=step)
        released.append(assist)
    return released


def _release(
    locked: Ticket, assist: TicketAssist, *, actor: User | None, note: str, at: dt.datetime, step: str = ""
) -> None:
    """The one release: status, clock cancelled, timeline line, audit, the unit told (after commit)."""
    TicketAssist.objects.filter(pk=assist.pk, status=AssistStatus.REQUESTED).update(
        status=AssistStatus.RELEASED, released_by=actor, released_at=at, release_note=note
    )
    _assist_clock_close(assist, status=ClockStatus.CANCELLED, at=at)
    data = {"assisting_unit": assist.unit.code, "note": note}
    if step:
        data["released_with"] = step
    event_write(locked, "assist_released", actor=actor, data=data, at=at)
    audit_record(
        Action.ASSIST_RELEASED,
        actor=actor,
        obj=locked,
        data={"unit": assist.unit_id, "assist": assist.pk, **({"with": step} if step else {})},
        at=at,
    )
    _notify_unit(locked, assist.unit, code="ticket.assist_released", data={})


def assists_check_answered(ticket: Ticket) -> None:
    """Refuse the lead's reply while an assisting unit is outstanding (call with the ticket's row locked)."""
    outstanding = list(
        TicketAssist.objects.filter(ticket=ticket, status=AssistStatus.REQUESTED)
        .select_related("unit")
        .order_by("requested_at", "id")
    )
    if outstanding:
        raise AssistsOutstanding(assists_outstanding_message(outstanding))


def _locked_open(ticket: Ticket) -> Ticket:
    locked = ticket_lock(ticket)
    if locked.merged_into_id is not None:
        raise TicketMerged(_("This work order is merged into another; split it off first."))
    if locked.status not in OPEN_STATUSES:
        raise TransitionNotAllowed(locked.status, locked.status)
    return locked


def _requested(ticket: Ticket, unit_id: int | None) -> TicketAssist | None:
    if unit_id is None:
        return None
    return (
        TicketAssist.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(ticket=ticket, unit_id=unit_id, status=AssistStatus.REQUESTED)
        .first()
    )


def _assist_clock_close(assist: TicketAssist, *, status: str, at: dt.datetime) -> None:
    if assist.clock_id is None:
        return
    changes = {"status": status, "paused_at": None, "next_escalation_at": None}
    if status == ClockStatus.MET:
        changes["met_at"] = at
    TicketClock.objects.filter(pk=assist.clock_id, status__in=[ClockStatus.OPEN, ClockStatus.PAUSED]).update(**changes)


def _notify_unit(ticket: Ticket, unit: Unit, *, code: str, data: dict) -> None:
    """The assisting unit's leaders hear of it (stored now, sent after commit); a unit without leaders, its staff."""
    from org.choices import RoleCode

    people = User.objects.filter(unit=unit, is_active=True)
    leaders = list(
        people.filter(roles__code__in=[RoleCode.UNIT_LEADER, RoleCode.UNIT_DEPUTY])
        .distinct()
        .values_list("pk", flat=True)
    )
    recipients = leaders or list(people.values_list("pk", flat=True))
    _notify_people(ticket, recipients, code=code, unit=unit, data=data)


def _notify_people(ticket: Ticket, recipients: list[int], *, code: str, unit: Unit, data: dict | None = None) -> None:
    from notifications.services import notification_send

    if not recipients:
        return
    notification_send(
        recipients,
        code=code,
        data={
            "external_id": ticket.external_id,
            "title": ticket.title,
            "ticket_id": ticket.pk,
            "unit": unit.code,
            "unit_name": unit.name,
            **(data or {}),
        },
        ticket=ticket,
    )
