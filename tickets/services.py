"""Every write to a work order. One entry point changes status: ticket_transition."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Bureau, Unit, User
from tickets import deadlines
from tickets.choices import (
    HANDLING_STATUSES,
    OUTCOMES_BY_TRACK,
    PLATFORM_SOURCES,
    REDISPATCHABLE,
    AttachmentPurpose,
    Clock,
    ClockStatus,
    DeliveryStatus,
    Finding,
    Outcome,
    RequestKind,
    RequestStatus,
    Status,
    Tag,
    Track,
    tracks_for_kind,
    transition_allowed,
)
from tickets.models import (
    Attachment,
    Business,
    Category,
    StatusUpdate,
    Ticket,
    TicketClock,
    TicketEvent,
    TicketRequest,
    TicketTrack,
)


class TicketConflict(Exception):
    """The ticket changed since the caller read it (a concurrent change won): 409."""


class TransitionNotAllowed(Exception):
    """The ticket's status does not allow this step: 409."""

    def __init__(self, current: str, to: str):
        super().__init__(f"cannot go from {current} to {to}")
        self.current = current
        self.to = to


# ---------------------------------------------------------------- the one status entry point


def ticket_transition(
    ticket: Ticket,
    *,
    to: str,
    actor: User | None,
    event: str,
    data: dict | None = None,
    expected_version: int | None = None,
    changes: dict | None = None,
    at: dt.datetime | None = None,
) -> Ticket:
    """Lock the row, check the version and the transition table, save, write the event and the outbox row.

    `changes` are other fields set in the same update. A no-op (already in `to`, nothing to change) returns early.
    """
    at = at or timezone.now()
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if expected_version is not None and locked.version != expected_version:
            raise TicketConflict(_("This work order was changed by someone else meanwhile. Reload it and try again."))
        changes = dict(changes or {})
        if locked.status == to and not changes:
            return locked
        if locked.status != to and not transition_allowed(locked.status, to):
            raise TransitionNotAllowed(locked.status, to)
        status_changed = locked.status != to
        changes["status"] = to
        for field, value in changes.items():
            setattr(locked, field, value)
        updated = Ticket.objects.filter(pk=locked.pk, version=locked.version).update(
            **changes, version=F("version") + 1, updated_at=at
        )
        if not updated:  # only reachable where select_for_update does not lock (SQLite serialises anyway)
            raise TicketConflict(_("This work order was changed by someone else meanwhile. Reload it and try again."))
        locked.version += 1
        event_write(locked, event, actor=actor, data=data, at=at)
        if status_changed:
            _outbox_write(locked, at=at)
    ticket.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def event_write(
    ticket: Ticket, code: str, *, actor: User | None, data: dict | None = None, at=None, is_internal=False
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket, code=code, actor=actor, data=data or {}, at=at or timezone.now(), is_internal=is_internal
    )


def _outbox_write(ticket: Ticket, *, at: dt.datetime) -> StatusUpdate:
    reply = ticket.reply_text if ticket.status == Status.COMPLETED else ""
    delivery = DeliveryStatus.PENDING if ticket.source in PLATFORM_SOURCES else DeliveryStatus.NOT_REQUIRED
    return StatusUpdate.objects.create(
        ticket=ticket, status=ticket.status, updated_at=at, reply=reply, delivery_status=delivery, next_attempt_at=at
    )


# ---------------------------------------------------------------- intake


@dataclass
class Party:
    name: str = ""
    phone: str = ""
    id_number: str = ""
    address: str = ""
    is_real_name: bool = False
    credit_code: str = ""


def request_fingerprint(payload: dict) -> str:
    """The same JSON document (key order and white space aside) gives the same fingerprint."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def business_for(name: str, credit_code: str, address: str = "") -> Business | None:
    name, credit_code = name.strip(), credit_code.strip().upper()
    if not name and not credit_code:
        return None
    if credit_code:
        business = Business.objects.filter(credit_code=credit_code).first()
        if business is None:
            try:
                with transaction.atomic():
                    business = Business.objects.create(
                        name=name or credit_code, credit_code=credit_code, address=address
                    )
            except IntegrityError:
                business = Business.objects.get(credit_code=credit_code)
        return business
    business = Business.objects.filter(name=name, credit_code="").first()
    return business or Business.objects.create(name=name, address=address)


def next_manual_number(source: str, received_at: dt.datetime) -> str:
    day = timezone.localtime(received_at).strftime("%Y%m%d")
    prefix = f"HL-{day}-"
    count = Ticket.objects.filter(source=source, external_id__startswith=prefix).count()
    return f"{prefix}{count + 1:06d}"


def ticket_create(
    *,
    bureau: Bureau,
    source: str,
    kind: str,
    content: str,
    received_at: dt.datetime,
    external_id: str = "",
    title: str = "",
    category: Category | None = None,
    tags: list[str] | None = None,
    complainant: Party | None = None,
    respondent: Party | None = None,
    location_address: str = "",
    location_lat=None,
    location_lng=None,
    reply_due_working_days: int | None = None,
    reply_due_at: dt.datetime | None = None,
    is_confidential: bool = False,
    may_publish: bool = False,
    actor: User | None = None,
    request_hash: str = "",
) -> Ticket:
    """Create a work order with its tracks and clocks, and write `received` to the timeline and the outbox."""
    tags = sorted(set(tags or []))
    unknown = set(tags) - set(Tag.values)
    if unknown:
        raise ValidationError({"tags": _("Unknown tag: %(tags)s") % {"tags": ", ".join(sorted(unknown))}})
    complainant = complainant or Party()
    respondent = respondent or Party()
    with transaction.atomic():
        if not external_id:
            external_id = next_manual_number(source, received_at)
        business = business_for(respondent.name, respondent.credit_code, respondent.address)
        ticket = Ticket.objects.create(
            bureau=bureau,
            source=source,
            external_id=external_id,
            kind=kind,
            title=title or content[:40],
            content=content,
            category=category,
            tags=tags,
            is_advertising=Tag.ADVERTISING in tags,
            is_urgent=Tag.URGENT in tags,
            complainant_name=complainant.name,
            complainant_phone=complainant.phone,
            complainant_id_number=complainant.id_number,
            complainant_address=complainant.address,
            complainant_is_real_name=complainant.is_real_name,
            is_confidential=is_confidential,
            may_publish=may_publish,
            business=business,
            respondent_name=respondent.name,
            respondent_credit_code=respondent.credit_code,
            respondent_address=respondent.address,
            location_address=location_address,
            location_lat=location_lat,
            location_lng=location_lng,
            received_at=received_at,
            reply_due_working_days=reply_due_working_days,
            reply_due_at=reply_due_at,
            request_hash=request_hash,
        )
        if business is not None:
            Business.objects.filter(pk=business.pk).update(ticket_count=F("ticket_count") + 1)
        TicketTrack.objects.bulk_create(TicketTrack(ticket=ticket, track=t) for t in tracks_for_kind(kind))
        deadlines.clocks_start_on_receipt(ticket)
        event_write(ticket, "received", actor=actor, data={"source": source}, at=timezone.now())
        _outbox_write(ticket, at=timezone.now())
    return ticket


def ticket_create_idempotent(
    *, bureau: Bureau, source: str, external_id: str, request_hash: str, **fields
) -> tuple[Ticket, bool]:
    """The platform's intake: the same document again returns the existing work order (created=False);
    a different document under the same source and number is a conflict. Safe under concurrent retries:
    the unique (source, external_id) constraint decides, the loser re-reads and compares fingerprints."""
    existing = Ticket.objects.filter(source=source, external_id=external_id).first()
    if existing is None:
        try:
            with transaction.atomic():
                ticket = ticket_create(
                    bureau=bureau, source=source, external_id=external_id, request_hash=request_hash, **fields
                )
            return ticket, True
        except IntegrityError:
            existing = Ticket.objects.filter(source=source, external_id=external_id).first()
            if existing is None:
                raise
    if existing.bureau_id != bureau.pk or existing.request_hash != request_hash:
        raise TicketConflict(_("A different work order with this source and number exists already."))
    return existing, False


def ticket_urge(
    ticket: Ticket, *, message: str = "", urged_at: dt.datetime | None = None, by: str = "", actor: User | None = None
) -> TicketEvent:
    """督办: the platform urges a work order; it goes on the timeline and to the handler and unit leader."""
    now = timezone.now()
    urged_at = urged_at or now
    if urged_at > now + dt.timedelta(minutes=5):
        raise ValidationError({"urged_at": _("The time of the urging cannot be in the future.")})
    with transaction.atomic():
        event = event_write(ticket, "urged", actor=actor, data={"message": message, "by": by}, at=urged_at)
        _urge_notify(ticket, message=message)
    return event


def _urge_notify(ticket: Ticket, *, message: str) -> None:
    """The handler and the unit's leaders hear of an urging (before anyone signed for it: the leaders only)."""
    from notifications.services import notification_send
    from org.choices import RoleCode

    leaders = (
        list(
            User.objects.filter(
                unit_id=ticket.unit_id, roles__code__in=[RoleCode.UNIT_LEADER, RoleCode.UNIT_DEPUTY], is_active=True
            ).distinct()
        )
        if ticket.unit_id
        else []
    )
    recipients = [user for user in [ticket.handler, *leaders] if user is not None]
    if recipients:
        notification_send(
            recipients,
            code="ticket.urged",
            data={"external_id": ticket.external_id, "message": message},
            ticket=ticket,
        )


def ticket_find_duplicates(
    *,
    bureau: Bureau,
    source: str = "",
    external_id: str = "",
    phone: str = "",
    respondent_name: str = "",
    credit_code: str = "",
    received_at: dt.datetime | None = None,
    exclude_id: int | None = None,
) -> list[Ticket]:
    """Possible duplicates: the same external id, or the same complainant and business within 30 days."""
    found: dict[int, Ticket] = {}
    if external_id:
        for ticket in Ticket.objects.filter(bureau=bureau, external_id=external_id)[:5]:
            found[ticket.pk] = ticket
    if phone and (respondent_name or credit_code):
        moment = received_at or timezone.now()
        window = Ticket.objects.filter(
            bureau=bureau,
            complainant_phone=phone,
            received_at__gte=moment - dt.timedelta(days=30),
            received_at__lte=moment + dt.timedelta(days=1),
        )
        window = (
            window.filter(respondent_credit_code=credit_code)
            if credit_code
            else window.filter(respondent_name=respondent_name)
        )
        for ticket in window[:5]:
            found[ticket.pk] = ticket
    found.pop(exclude_id, None)
    return sorted(found.values(), key=lambda t: t.received_at, reverse=True)


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
) -> Ticket:
    """Classify and send to a unit; from a unit that already has it, this is a re-dispatch (history stays)."""
    if unit.bureau_id != ticket.bureau_id or not unit.is_active:
        raise ValidationError({"unit": _("Choose an active unit of this bureau.")})
    if ticket.status not in (Status.RECEIVED, *REDISPATCHABLE):
        raise TransitionNotAllowed(ticket.status, Status.DISPATCHED)
    changes = {"unit": unit, "dispatched_at": timezone.now(), "handler": None, "accepted_at": None}
    data = {"unit": unit.code, "note": note}
    if ticket.status != Status.RECEIVED:
        data["from_unit"] = ticket.unit.code if ticket.unit_id else ""
    if category is not None:
        changes["category"] = category
        data["category"] = category.code
    if tags is not None:
        tags = sorted(set(tags))
        if set(tags) - set(Tag.values):
            raise ValidationError({"tags": _("Unknown tag.")})
        changes.update(tags=tags, is_advertising=Tag.ADVERTISING in tags, is_urgent=Tag.URGENT in tags)
    kind_changed = kind is not None and kind != ticket.kind
    if kind_changed:
        changes["kind"] = kind
        data["kind"] = kind
    with transaction.atomic():
        event = "dispatched" if ticket.status == Status.RECEIVED else "redispatched"
        # A re-dispatch goes back to DISPATCHED; from DISPATCHED itself it only changes the unit.
        ticket = ticket_transition(
            ticket,
            to=Status.DISPATCHED,
            actor=actor,
            event=event,
            data=data,
            changes=changes,
            expected_version=expected_version,
        )
        if kind_changed:
            _tracks_and_clocks_follow_kind(ticket)
        if tags is not None and Tag.ADVERTISING in tags and not ticket.clocks.filter(clock=Clock.ADVERTISING).exists():
            deadlines.clock_start(ticket, Clock.ADVERTISING, starts_at=ticket.received_at)
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
    """The dispatcher takes back a ticket the unit has not signed for yet."""
    return ticket_transition(
        ticket,
        to=Status.RECEIVED,
        actor=actor,
        event="recalled",
        data={"note": note},
        changes={"unit": None, "dispatched_at": None},
        expected_version=expected_version,
    )


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
    expected_version: int | None = None,
) -> Ticket:
    """The handler's reply with a finding and an outcome per track; it goes to the unit deputy leader."""
    results = results or {}
    errors = {}
    if not reply_text.strip():
        errors["reply_text"] = _("Write the reply to the citizen.")
    for track in tracks_for_kind(ticket.kind):
        errors.update(_validate_track(track, results.get(track, TrackResult())))
    if ticket.status == Status.REOPENED and not explanation.strip():
        errors["explanation"] = _("A reopened work order needs an explanation (情况说明) before it is sent again.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    data = {"tracks": {t: {"finding": r.finding, "outcome": r.outcome} for t, r in results.items()}}
    if explanation:
        data["explanation"] = explanation
    with transaction.atomic():
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
    return ticket


def ticket_record_acceptance(ticket: Ticket, *, actor: User, is_accepted: bool, note: str = "") -> Ticket:
    """The complaint's acceptance decision (受理/不予受理) before the full reply; accepting starts mediation."""
    if Track.COMPLAINT not in tracks_for_kind(ticket.kind):
        raise ValidationError(_("Only complaints have an acceptance decision."))
    if ticket.status not in HANDLING_STATUSES:
        raise TransitionNotAllowed(ticket.status, ticket.status)
    now = timezone.now()
    with transaction.atomic():
        if not deadlines.clocks_meet(ticket, [Clock.ACCEPTANCE], at=now):
            raise ValidationError(_("The acceptance decision is already recorded."))
        TicketTrack.objects.filter(ticket=ticket, track=Track.COMPLAINT).update(
            outcome=Outcome.ACCEPTED if is_accepted else Outcome.NOT_ACCEPTED
        )
        if is_accepted:
            deadlines.clock_start(ticket, Clock.MEDIATION, starts_at=now)
        event_write(ticket, "acceptance_decided", actor=actor, data={"accepted": is_accepted, "note": note}, at=now)
    return ticket


def ticket_record_reporter_notified(ticket: Ticket, *, actor: User, note: str = "") -> Ticket:
    now = timezone.now()
    with transaction.atomic():
        deadlines.clocks_meet(ticket, [Clock.REPORTER_NOTICE], at=now)
        event_write(ticket, "reporter_notified", actor=actor, data={"note": note}, at=now)
    return ticket


# ---------------------------------------------------------------- approvals: extension, return to platform


def ticket_request_extension(
    ticket: Ticket, *, actor: User, clock: str, working_days: int, reason: str
) -> TicketRequest:
    if ticket.status not in HANDLING_STATUSES:
        raise TransitionNotAllowed(ticket.status, ticket.status)
    if not 1 <= working_days <= 60:
        raise ValidationError({"working_days": _("Ask for 1 to 60 working days.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    if not ticket.clocks.filter(clock=clock, status__in=[ClockStatus.OPEN, ClockStatus.PAUSED]).exists():
        raise ValidationError({"clock": _("That deadline is not running.")})
    return _request_open(
        ticket, actor=actor, kind=RequestKind.EXTENSION, clock=clock, working_days=working_days, reason=reason
    )


def ticket_request_return(ticket: Ticket, *, actor: User, reason_code: str, reason: str) -> TicketRequest:
    if not transition_allowed(ticket.status, Status.RETURNED_TO_PLATFORM):
        raise TransitionNotAllowed(ticket.status, Status.RETURNED_TO_PLATFORM)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason.")})
    return _request_open(
        ticket, actor=actor, kind=RequestKind.RETURN_TO_PLATFORM, reason_code=reason_code, reason=reason
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


def ticket_pause_clocks(ticket: Ticket, *, actor: User, reason: str) -> Ticket:
    if ticket.status not in HANDLING_STATUSES:
        raise TransitionNotAllowed(ticket.status, ticket.status)
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is being tested, inspected or appraised.")})
    now = timezone.now()
    with transaction.atomic():
        if not deadlines.clocks_pause(ticket, at=now):
            raise ValidationError(_("No running deadline to pause."))
        event_write(ticket, "clocks_paused", actor=actor, data={"reason": reason}, at=now)
    return ticket


def ticket_resume_clocks(ticket: Ticket, *, actor: User, note: str = "") -> Ticket:
    now = timezone.now()
    with transaction.atomic():
        resumed = deadlines.clocks_resume(ticket, at=now)
        if not resumed:
            raise ValidationError(_("No paused deadline to resume."))
        days = max(clock.paused_working_days for clock in resumed)
        event_write(ticket, "clocks_resumed", actor=actor, data={"note": note, "paused_working_days": days}, at=now)
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
    return ticket


# ---------------------------------------------------------------- personal data


PERSONAL_FIELDS = {
    "complainant_name": "name",
    "complainant_phone": "phone",
    "complainant_id_number": "id_number",
    "complainant_address": "address",
}


def ticket_reveal_personal_data(ticket: Ticket, *, actor: User, field: str) -> str:
    """Show one personal field unmasked; who, when and which field go to the audit log."""
    if field not in PERSONAL_FIELDS:
        raise ValidationError({"field": _("Unknown field.")})
    event_write(ticket, "personal_data_revealed", actor=actor, data={"field": PERSONAL_FIELDS[field]}, is_internal=True)
    return getattr(ticket, field)


# ---------------------------------------------------------------- attachments

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# extension -> (content type, magic-byte prefixes that file must start with; empty: not checked)
ALLOWED_ATTACHMENTS = {
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".gif": ("image/gif", (b"GIF87a", b"GIF89a")),
    ".webp": ("image/webp", (b"RIFF",)),
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".doc": ("application/msword", (b"\xd0\xcf\x11\xe0",)),
    ".xls": ("application/vnd.ms-excel", (b"\xd0\xcf\x11\xe0",)),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (b"PK\x03\x04",)),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (b"PK\x03\x04",)),
}


def ticket_add_attachment(
    ticket: Ticket, *, actor: User | None, uploaded_file, purpose: str = AttachmentPurpose.EVIDENCE
) -> Attachment:
    import os

    # Shorten the stem, not the extension: a long name must not lose its type on the way.
    stem, suffix = os.path.splitext(os.path.basename(uploaded_file.name or "file"))
    suffix = suffix.lower()[:10]
    name = stem[: 200 - len(suffix)] + suffix
    if suffix not in ALLOWED_ATTACHMENTS:
        raise ValidationError({"file": _("Only images (JPG, PNG, GIF, WebP), PDF and Office files are accepted.")})
    if uploaded_file.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"file": _("A file may be at most 20 MB.")})
    if uploaded_file.size == 0:
        raise ValidationError({"file": _("The file is empty.")})
    content_type, magics = ALLOWED_ATTACHMENTS[suffix]
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    if magics and not any(head.startswith(magic) for magic in magics):
        raise ValidationError({"file": _("The file's content does not match its type.")})
    with transaction.atomic():
        attachment = Attachment(
            ticket=ticket,
            purpose=purpose,
            original_name=name,
            content_type=content_type,
            size=uploaded_file.size,
            uploaded_by=actor,
            uploaded_at=timezone.now(),
        )
        attachment.file.save(name, uploaded_file, save=False)
        attachment.save()
        event_write(ticket, "attachment_added", actor=actor, data={"name": name, "purpose": purpose})
    return attachment


def ticket_check_version(ticket: Ticket, *, expected_version: int | None) -> None:
    """For steps that do not change the row itself: refuse when the page the user acted on is stale."""
    if expected_version is not None and ticket.version != expected_version:
        raise TicketConflict(_("This work order was changed by someone else meanwhile. Reload it and try again."))
