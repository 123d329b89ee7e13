"""Dispatch and handling: classify, dispatch, sign for, first contact, reply, complete, reopen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Unit, User
from tickets import deadlines
from tickets.choices import (
    HANDLING_STATUSES,
    OUTCOMES_BY_TRACK,
    REDISPATCHABLE,
    Clock,
    ClockStatus,
    Finding,
    Outcome,
    Status,
    Tag,
    Track,
    tracks_for_kind,
)
from tickets.models import (
    Attachment,
    Category,
    Ticket,
    TicketClock,
    TicketTrack,
)
from tickets.services.assisting import (
    assisting_units_check,
    assists_check_answered,
    assists_release_outstanding,
    assists_request,
)
from tickets.services.core import (
    TransitionNotAllowed,
    event_write,
    ticket_lock,
    ticket_transition,
)
from tickets.signals import decision_send
from tickets.suggestions import Suggestion

# ---------------------------------------------------------------- dispatch and handling


def ticket_dispatch(
    ticket: Ticket,
    *,
    unit: Unit,
    actor: User,
    kind: str | None = None,
    category: Category | None = None,
    tags: list[str] | None = None,
    note: str = "",
    expected_version: int | None = None,
    suggestion: Suggestion | None = None,
    assisting_units: list[Unit] | None = None,
) -> Ticket:
    """Classify and send to a unit; from a unit that already has it, this is a re-dispatch (history stays).

    `assisting_units` (协办): units asked to assist the lead unit; each one not already asked gets its own
    clock and is told (tickets.services.assisting). A unit asked before stays asked until it answers or is
    released.

    `suggestion` is what the catalogue suggested for the ticket (tickets.suggestions): a first dispatch keeps
    it on its event, with whether the unit was taken unchanged (the catalogue's figures count these).

    What happens is decided on the locked row, not on the caller's copy: of two dispatches at once (no
    expected_version), the second sees the first. To another unit it is a re-dispatch and says so; to the unit
    that holds the work order already, changing nothing, it is a no-op (a repeated request writes nothing).
    """
    if unit.bureau_id != ticket.bureau_id or not unit.is_active:
        raise ValidationError({"unit": _("Choose an active unit of this bureau.")})
    if tags is not None:
        tags = sorted(set(tags))
        if set(tags) - set(Tag.values):
            raise ValidationError({"tags": _("Unknown tag.")})
    assisting = assisting_units_check(ticket, assisting_units, lead=unit)
    with transaction.atomic():
        current = ticket_lock(ticket, expected_version=expected_version)
        if current.status not in (Status.RECEIVED, *REDISPATCHABLE):
            raise TransitionNotAllowed(current.status, Status.DISPATCHED)
        kind_changed = kind is not None and kind != current.kind
        unchanged = (
            current.status == Status.DISPATCHED
            and current.unit_id == unit.pk
            and not kind_changed
            and (category is None or category.pk == current.category_id)
            and (tags is None or tags == sorted(current.tags))
        )
        if unchanged:
            ticket.__dict__.update({k: v for k, v in current.__dict__.items() if not k.startswith("_")})
            if assisting:  # the same dispatch, with assisting units added
                assists_request(current, assisting, actor=actor, at=timezone.now())
            return ticket
        changes = {"unit": unit, "dispatched_at": timezone.now(), "handler": None, "accepted_at": None}
        data = {"unit": unit.code, "note": note}
        if current.status != Status.RECEIVED:
            data["from_unit"] = current.unit.code if current.unit_id else ""
        elif suggestion is not None:
            data["suggested"] = suggestion.recorded()
            data["suggestion_taken"] = suggestion.unit_id == unit.pk
        if category is not None:
            changes["category"] = category
            data["category"] = category.code
        if tags is not None:
            changes.update(tags=tags, is_advertising=Tag.ADVERTISING in tags, is_urgent=Tag.URGENT in tags)
        if kind_changed:
            changes["kind"] = kind
            data["kind"] = kind
        event = "dispatched" if current.status == Status.RECEIVED else "redispatched"
        # A re-dispatch goes back to DISPATCHED; from DISPATCHED itself it only changes the unit.
        ticket = ticket_transition(
            ticket,
            to=Status.DISPATCHED,
            actor=actor,
            event=event,
            data=data,
            changes=changes,
            expected_version=current.version,
        )
        if kind_changed:
            _tracks_and_clocks_follow_kind(ticket)
        if tags is not None and Tag.ADVERTISING in tags and not ticket.clocks.filter(clock=Clock.ADVERTISING).exists():
            deadlines.clock_start(ticket, Clock.ADVERTISING, starts_at=ticket.received_at)
        if current.status != Status.RECEIVED and current.unit_id != unit.pk:
            # the work order left its lead unit: the previous dispatch's assists still outstanding are released
            # (those named again here stay asked, their clocks running on)
            assists_release_outstanding(
                ticket,
                actor=actor,
                at=changes["dispatched_at"],
                step="redispatched",
                keep={assisting_unit.pk for assisting_unit in assisting},
            )
        if assisting:
            assists_request(ticket, assisting, actor=actor, at=changes["dispatched_at"])
    return ticket


def _tracks_and_clocks_follow_kind(ticket: Ticket) -> None:
    """Reclassification (e.g. complaint -> composite) adds the tracks and receipt clocks the new kind needs."""
    wanted = tracks_for_kind(ticket.kind)
    TicketTrack.objects.filter(ticket=ticket).exclude(track__in=wanted).delete()
    for track in wanted:
        TicketTrack.objects.get_or_create(ticket=ticket, track=track)
    existing = set(ticket.clocks.values_list("clock", flat=True))
    wanted_clocks = deadlines.RECEIPT_CLOCKS_BY_KIND[ticket.kind]
    for clock in wanted_clocks:
        if clock not in existing:
            deadlines.clock_start(ticket, clock, starts_at=ticket.received_at)
    stale = {Clock.ACCEPTANCE, Clock.VERIFICATION} - set(wanted_clocks)
    if TicketClock.objects.filter(ticket=ticket, clock__in=stale, status=ClockStatus.OPEN).update(
        status=ClockStatus.CANCELLED
    ):
        deadlines.next_due_refresh(ticket)


def ticket_recall(ticket: Ticket, *, actor: User, note: str = "", expected_version: int | None = None) -> Ticket:
    """The dispatcher takes back a ticket the unit has not signed for yet; the dispatch's assists still
    outstanding are released with it (the next dispatch names its own)."""
    now = timezone.now()
    with transaction.atomic():
        ticket = ticket_transition(
            ticket,
            to=Status.RECEIVED,
            actor=actor,
            event="recalled",
            data={"note": note},
            changes={"unit": None, "dispatched_at": None},
            expected_version=expected_version,
            at=now,
        )
        assists_release_outstanding(ticket, actor=actor, at=now, step="recalled")
    return ticket


def ticket_accept(ticket: Ticket, *, actor: User, expected_version: int | None = None) -> Ticket:
    """签收: the unit takes the ticket; the person signing becomes its handler."""
    return ticket_transition(
        ticket,
        to=Status.ACCEPTED,
        actor=actor,
        event="accepted",
        changes={"accepted_at": timezone.now(), "handler": actor},
        expected_version=expected_version,
    )


def ticket_record_first_contact(
    ticket: Ticket,
    *,
    actor: User,
    contacted_at: dt.datetime | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> Ticket:
    """先行联系: the handler reached the citizen; the first-contact clock is met."""
    contacted_at = contacted_at or timezone.now()
    if contacted_at > timezone.now() + dt.timedelta(minutes=5):
        raise ValidationError({"contacted_at": _("The contact time cannot be in the future.")})
    with transaction.atomic():
        ticket = ticket_transition(
            ticket,
            to=Status.IN_PROGRESS,
            actor=actor,
            event="first_contact",
            data={"note": note, "contacted_at": contacted_at.isoformat()},
            changes={"first_contact_at": contacted_at},
            expected_version=expected_version,
        )
        deadlines.clocks_meet(ticket, [Clock.FIRST_CONTACT], at=contacted_at)
    return ticket


@dataclass
class TrackResult:
    finding: str = ""
    outcome: str = ""
    grounds: str = ""
    case_number: str = ""
    is_violation_suspected: bool | None = None


def _validate_track(track: str, result: TrackResult) -> dict:
    errors = {}
    prefix = f"{track}_"
    if result.finding not in Finding.values:
        errors[prefix + "finding"] = _("Choose a finding.")
    if result.outcome not in OUTCOMES_BY_TRACK[track]:
        errors[prefix + "outcome"] = _("Choose an outcome that fits this track.")
    if result.finding == Finding.UNSUBSTANTIATED and not result.grounds.strip():
        errors[prefix + "grounds"] = _("A finding of 'not substantiated' needs written grounds.")
    if result.outcome == Outcome.CASE_OPENED and not result.case_number.strip():
        errors[prefix + "case_number"] = _("Give the case number of the opened case.")
    if track == Track.COMPLAINT and result.outcome == Outcome.MEDIATED:
        if result.is_violation_suspected is None:
            errors[prefix + "is_violation_suspected"] = _(
                "Closing by mediation needs an answer: is an illegal act suspected?"
            )
        elif result.is_violation_suspected and not (result.case_number.strip() or result.grounds.strip()):
            errors[prefix + "grounds"] = _("An illegal act is suspected: give the case number or written grounds.")
    return errors


def ticket_submit_reply(
    ticket: Ticket,
    *,
    actor: User,
    reply_text: str,
    results: dict[str, TrackResult] | None = None,
    explanation: str = "",
    reply_line_alert: int | None = None,
    expected_version: int | None = None,
) -> Ticket:
    """The handler's reply with a finding and an outcome per track; it goes to the unit deputy leader.

    `reply_line_alert`: the cluster alert whose unified reply line (统一口径) the reply was started from (the reply
    form's insert button); recorded in the event's data (an id only: tickets knows nothing of alerts)."""
    results = results or {}
    errors = {}
    if not reply_text.strip():
        errors["reply_text"] = _("Write the reply to the citizen.")
    for track in tracks_for_kind(ticket.kind):
        errors.update(_validate_track(track, results.get(track, TrackResult())))
    unsubstantiated = [
        track
        for track in tracks_for_kind(ticket.kind)
        if results.get(track, TrackResult()).finding == Finding.UNSUBSTANTIATED
    ]
    if unsubstantiated and not Attachment.objects.filter(ticket=ticket).exists():
        # 不属实 needs a piece of evidence on the work order, not only a sentence (the review checks it again)
        for track in unsubstantiated:
            errors.setdefault(
                f"{track}_finding",
                _("A finding of 'not substantiated' needs evidence attached to the work order: upload it first."),
            )
    if ticket.status == Status.REOPENED and not explanation.strip():
        errors["explanation"] = _("A reopened work order needs an explanation (情况说明) before it is sent again.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    data = {"tracks": {t: {"finding": r.finding, "outcome": r.outcome} for t, r in results.items()}}
    if explanation:
        data["explanation"] = explanation
    if reply_line_alert:
        data["reply_line_alert"] = int(reply_line_alert)
    with transaction.atomic():
        # 协办: not to review while an assisting unit has neither answered nor been released (on the locked row)
        assists_check_answered(ticket_lock(ticket, expected_version=expected_version))
        was_reopened = ticket.status == Status.REOPENED
        ticket = ticket_transition(
            ticket,
            to=Status.UNIT_REVIEW,
            actor=actor,
            event="reply_submitted",
            data=data,
            changes={"reply_text": reply_text, "replied_at": now},
            expected_version=expected_version,
        )
        for track in tracks_for_kind(ticket.kind):
            result = results[track]
            TicketTrack.objects.filter(ticket=ticket, track=track).update(
                finding=result.finding,
                outcome=result.outcome,
                grounds=result.grounds,
                case_number=result.case_number,
                is_violation_suspected=result.is_violation_suspected,
            )
        met = [Clock.ACCEPTANCE, Clock.VERIFICATION, Clock.ADVERTISING, Clock.MEDIATION]
        if was_reopened:
            met.append(Clock.REDO)
        deadlines.clocks_meet(ticket, met, at=now)
        report = results.get(Track.REPORT)
        if (
            report
            and report.outcome in (Outcome.CASE_OPENED, Outcome.NOT_OPENED)
            and ticket.complainant_is_real_name
            and not ticket.clocks.filter(clock=Clock.REPORTER_NOTICE).exists()
        ):
            deadlines.clock_start(ticket, Clock.REPORTER_NOTICE, starts_at=now)
            decision_send(ticket, "filing_decided", actor=actor)
    return ticket


def ticket_record_acceptance(
    ticket: Ticket, *, actor: User, is_accepted: bool, note: str = "", expected_version: int | None = None
) -> Ticket:
    """The complaint's acceptance decision (受理/不予受理) before the full reply; accepting starts mediation."""
    now = timezone.now()
    with transaction.atomic():
        locked = ticket_lock(ticket, expected_version=expected_version)
        if Track.COMPLAINT not in tracks_for_kind(locked.kind):
            raise ValidationError(_("Only complaints have an acceptance decision."))
        if locked.status not in HANDLING_STATUSES:
            raise TransitionNotAllowed(locked.status, locked.status)
        if not deadlines.clocks_meet(ticket, [Clock.ACCEPTANCE], at=now):
            raise ValidationError(_("The acceptance decision is already recorded."))
        TicketTrack.objects.filter(ticket=ticket, track=Track.COMPLAINT).update(
            outcome=Outcome.ACCEPTED if is_accepted else Outcome.NOT_ACCEPTED
        )
        if is_accepted:
            deadlines.clock_start(ticket, Clock.MEDIATION, starts_at=now)
        event_write(ticket, "acceptance_decided", actor=actor, data={"accepted": is_accepted, "note": note}, at=now)
        decision_send(ticket, "complaint_accepted" if is_accepted else "complaint_not_accepted", actor=actor)
    return ticket


def ticket_record_reporter_notified(
    ticket: Ticket, *, actor: User, note: str, expected_version: int | None = None
) -> Ticket:
    """A real-name reporter was told the filing decision (Art. 31: within 5 working days of it).

    The reporter-notice clock starts when a reply with the report track's filing decision is submitted
    (ticket_submit_reply); this meets it. `note` says how and when the reporter was told.
    """
    if not note.strip():
        raise ValidationError({"note": _("Say how and when the reporter was told.")})
    now = timezone.now()
    with transaction.atomic():
        ticket_lock(ticket, expected_version=expected_version)
        if not deadlines.clocks_meet(ticket, [Clock.REPORTER_NOTICE], at=now):
            raise ValidationError(_("No reporter is waiting to be told a filing decision on this work order."))
        event_write(ticket, "reporter_notified", actor=actor, data={"note": note}, at=now)
    return ticket


# ---------------------------------------------------------------- after completion


def ticket_reopen(ticket: Ticket, *, actor: User | None, reason: str = "", data: dict | None = None) -> Ticket:
    """回炉重造: an unsatisfied callback sends the ticket back to its unit with a 3-working-day redo clock."""
    now = timezone.now()
    with transaction.atomic():
        ticket = ticket_transition(
            ticket,
            to=Status.REOPENED,
            actor=actor,
            event="reopened",
            data={"reason": reason, **(data or {})},
            changes={"completed_at": None},
        )
        deadlines.clock_start(ticket, Clock.REDO, starts_at=now)
    return ticket


def ticket_complete(ticket: Ticket, *, actor: User, data: dict | None = None) -> Ticket:
    """The section's approval sends the reply back to the platform; the reply clock is met."""
    now = timezone.now()
    with transaction.atomic():
        ticket = ticket_transition(
            ticket, to=Status.COMPLETED, actor=actor, event="completed", data=data, changes={"completed_at": now}
        )
        deadlines.clocks_meet(ticket, [Clock.REPLY, Clock.REDO], at=now)
        decision_send(ticket, "completed", actor=actor)
    return ticket


def ticket_archive(ticket: Ticket, *, actor: User, note: str = "", expected_version: int | None = None) -> Ticket:
    """归档: a completed work order is filed with its archive sheet (the documents app makes it on this decision)."""
    with transaction.atomic():
        ticket = ticket_transition(
            ticket,
            to=Status.ARCHIVED,
            actor=actor,
            event="archived",
            data={"note": note},
            expected_version=expected_version,
        )
        decision_send(ticket, "archived", actor=actor)
    return ticket
