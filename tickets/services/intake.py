"""Intake: creating work orders (manual and from the platform), duplicates, urgings."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Bureau, User
from tickets import deadlines, similarity
from tickets.choices import (
    Tag,
    tracks_for_kind,
)
from tickets.duplicates import business_id_for, business_lookup, duplicate_candidates
from tickets.models import (
    Business,
    Category,
    Ticket,
    TicketEvent,
    TicketTrack,
)
from tickets.services.core import (
    TicketConflict,
    _outbox_write,
    event_write,
)
from tickets.services.merging import proposals_record
from tickets.suggestions import kept_for

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
    """The business a respondent names, created when new (tickets.duplicates.business_lookup finds it: by credit
    code, else by normalised name). A credit code seen for the first time adopts the one business without a code
    of the same normalised name, if there is one (its earlier work orders, taken in by name, stay its own)."""
    name, credit_code = (name or "").strip(), (credit_code or "").strip().upper()
    if not name and not credit_code:
        return None
    business = business_lookup(name, credit_code)
    if business is not None or not credit_code:
        return business or Business.objects.create(name=name, address=address)
    try:
        with transaction.atomic():
            adopted = business_lookup(name, "") if name else None
            # the update's own condition decides: an intake with another code adopting it at once gets 0 rows
            if adopted is not None and Business.objects.filter(pk=adopted.pk, credit_code="").update(
                credit_code=credit_code
            ):
                return Business.objects.get(pk=adopted.pk)
            return Business.objects.create(name=name or credit_code, credit_code=credit_code, address=address)
    except IntegrityError:
        return Business.objects.get(credit_code=credit_code)


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
    """Create a work order with its tracks and clocks, and write `received` to the timeline and the outbox.

    The returned ticket carries what was written for it: `clock_list` (by due time) and `event_list`, so
    that the caller can answer without reading them back.
    """
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
        ticket = Ticket(
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
        # The clocks are computed before the ticket is inserted: their nearest due time goes into its own row.
        clocks = deadlines.receipt_clocks(ticket)
        ticket.next_clock_due_at = deadlines.nearest_due(clocks)
        # The dispatch suggestion, kept with the insert: the inbox reads it with its page (tickets.suggestions).
        ticket.dispatch_suggestion = kept_for([ticket]).get(None)
        ticket.save(force_insert=True)
        TicketTrack.objects.bulk_create(TicketTrack(ticket=ticket, track=t) for t in tracks_for_kind(kind))
        ticket.clock_list = sorted(deadlines.clocks_insert(ticket, clocks), key=lambda c: (c.due_at, c.pk))
        ticket.event_list = [event_write(ticket, "received", actor=actor, data={"source": source}, at=timezone.now())]
        _outbox_write(ticket, at=timezone.now())
        # The text's keys for near-identical texts, then the possible duplicates (docs/duplicates.md).
        similarity.text_keys_write([ticket])
        proposals_record(ticket)
        # Cluster alerts (the alerts app, which tickets does not import) check the work order after the commit.
        transaction.on_commit(partial(_hand_over_after_intake, ticket.pk))
        if business is not None:
            # Last: the counter's row stays locked until the commit, and work orders about the same business
            # (a mass complaint: hundreds a day) queue on it; the later the lock, the shorter the queue.
            Business.objects.filter(pk=business.pk).update(ticket_count=F("ticket_count") + 1)
    return ticket


def _hand_over_after_intake(ticket_id: int) -> None:
    from django.conf import settings

    from core.tasks import task_publish

    task_publish("alerts.detect_for_ticket", [ticket_id], timeout=settings.NOTIFICATIONS_PUBLISH_TIMEOUT_SECONDS)


def ticket_create_idempotent(
    *, bureau: Bureau, source: str, external_id: str, request_hash: str, **fields
) -> tuple[Ticket, bool]:
    """The platform's intake: the same document again returns the existing work order (created=False);
    a different document under the same source and number is a conflict. Safe under concurrent retries:
    the unique (source, external_id) constraint decides, the loser re-reads and compares fingerprints.

    A new document is the common case, so the insert is tried first, without reading: a resent or
    concurrent one fails on the constraint, its transaction rolls back (the business counter with it),
    and the existing work order is read then.
    """
    try:
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


class PossibleDuplicates(Exception):
    """Manual intake found work orders this one may repeat: the user checks them, then confirms or stops."""

    def __init__(self, tickets: list[Ticket]):
        super().__init__("possible duplicates")
        self.tickets = tickets


def ticket_intake(
    *,
    bureau: Bureau,
    actor: User,
    source: str,
    received_at: dt.datetime,
    external_id: str = "",
    complainant: Party | None = None,
    respondent: Party | None = None,
    confirm_duplicate: bool = False,
    **fields,
) -> Ticket:
    """Manual intake (walk-in, phone, letter), for the intake screen and the staff API alike: possible
    duplicates stop it (PossibleDuplicates) until the user confirms; then ticket_create.

    The phone is kept without spaces and the credit code in capitals, as the duplicate check compares them.
    """
    complainant = complainant or Party()
    respondent = respondent or Party()
    external_id = external_id.strip()
    complainant.phone = "".join(complainant.phone.split())
    respondent.credit_code = respondent.credit_code.strip().upper()
    if not confirm_duplicate:
        duplicates = ticket_find_duplicates(
            bureau=bureau,
            source=source,
            external_id=external_id,
            phone=complainant.phone,
            id_number=complainant.id_number.strip(),
            respondent_name=respondent.name.strip(),
            credit_code=respondent.credit_code,
            content=fields.get("content", ""),
            category=fields.get("category"),
            received_at=received_at,
        )
        if duplicates:
            raise PossibleDuplicates(duplicates)
    try:
        return ticket_create(
            bureau=bureau,
            actor=actor,
            source=source,
            external_id=external_id,
            received_at=received_at,
            complainant=complainant,
            respondent=respondent,
            **fields,
        )
    except IntegrityError:
        raise ValidationError(
            {"external_id": _("A work order with this number from this source already exists.")}
        ) from None


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
    id_number: str = "",
    respondent_name: str = "",
    credit_code: str = "",
    content: str = "",
    category: Category | None = None,
    received_at: dt.datetime | None = None,
    exclude_id: int | None = None,
) -> list[Ticket]:
    """Possible duplicates of a work order not yet created: the same external id, or what tickets.duplicates
    proposes (the same complainant or business on the same matter, or a near-identical text, within the window)."""
    found: dict[int, Ticket] = {}
    if external_id:
        for ticket in Ticket.objects.filter(bureau=bureau, external_id=external_id)[:5]:
            found[ticket.pk] = ticket
    probe = Ticket(
        bureau=bureau,
        received_at=received_at or timezone.now(),
        complainant_phone=phone,
        complainant_id_number=id_number,
        business_id=business_id_for(respondent_name, credit_code),
        category=category,
        content=content,
    )
    proposed = [p.ticket_id for p in duplicate_candidates(probe) if p.ticket_id not in found]
    found.update(Ticket.objects.in_bulk(proposed))
    found.pop(exclude_id, None)
    return sorted(found.values(), key=lambda t: t.received_at, reverse=True)
