"""Merging duplicates (并单): the proposals stored at intake, merging a work order under a master, splitting it off.

docs/duplicates.md describes what a merge does to the merged work order's status, reply, clocks and platform.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import Action
from audit.services import audit_record
from org.models import User
from tickets import deadlines, escalation, similarity
from tickets.choices import OPEN_STATUSES, ClockStatus, Status
from tickets.duplicates import duplicate_candidates
from tickets.models import DuplicateProposal, Ticket, TicketClock, TicketMerge, TicketTextKey
from tickets.services.core import (
    TicketConflict,
    TicketMerged,
    TransitionNotAllowed,
    _outbox_write,
    event_write,
    merged_follow,
    proposals_follow,
)


def proposals_record(ticket: Ticket) -> list[DuplicateProposal]:
    """Store a new work order's possible duplicates, both ways (the older work order shows the new one too)."""
    now = timezone.now()
    rows = []
    for proposal in duplicate_candidates(ticket):
        found = {"reasons": ",".join(proposal.reasons), "score": proposal.score, "found_at": now}
        rows.append(DuplicateProposal(ticket_id=ticket.pk, duplicate_id=proposal.ticket_id, **found))
        rows.append(DuplicateProposal(ticket_id=proposal.ticket_id, duplicate_id=ticket.pk, **found))
    return DuplicateProposal.objects.bulk_create(rows, ignore_conflicts=True)


# How far back proposals_recheck looks: an intake's proposals are written a moment after it read which work orders
# are open, so a work order that closed in that moment (its ticket_transition could not see proposals not yet
# committed) is still proposed; only proposals that new can be.
RECHECK_WINDOW = dt.timedelta(hours=2)


def proposals_recheck(*, window: dt.timedelta = RECHECK_WINDOW) -> int:
    """Proposals found within `window` that still say open of a work order closed or merged since (the race above):
    set straight, in one UPDATE. Beat runs it hourly (tickets.recheck_proposals). Returns how many."""
    gone = Q(duplicate__merged_into__isnull=False) | ~Q(duplicate__status__in=sorted(OPEN_STATUSES))
    return DuplicateProposal.objects.filter(gone, duplicate_open=True, found_at__gte=timezone.now() - window).update(
        duplicate_open=False
    )


def text_keys_backfill(*, batch_size: int = 5000) -> int:
    """Write the text keys of every work order without any (in id order, a transaction per batch). Returns how many
    work orders were indexed (a text too short to compare has no keys and is looked at again next time)."""
    done = 0
    last_pk = 0
    while True:
        batch = list(
            Ticket.objects.filter(pk__gt=last_pk)
            .order_by("pk")
            .only("pk", "bureau_id", "received_at", "content")[:batch_size]
        )
        if not batch:
            return done
        last_pk = batch[-1].pk
        ids = [t.pk for t in batch]
        indexed = set(TicketTextKey.objects.filter(ticket_id__in=ids).values_list("ticket_id", flat=True).distinct())
        todo = [t for t in batch if t.pk not in indexed]
        with transaction.atomic():
            similarity.text_keys_write(todo)
        done += len(todo)


# ---------------------------------------------------------------- merge and split


def _lock_pair(ticket: Ticket, master_id: int) -> tuple[Ticket, Ticket | None]:
    """Both rows locked in one statement, in id order (two merges of the same pair never wait on each other)."""
    rows = {t.pk: t for t in Ticket.objects.select_for_update().filter(pk__in=[ticket.pk, master_id]).order_by("pk")}
    return rows[ticket.pk], rows.get(master_id)


def ticket_merge(
    ticket: Ticket, *, into: Ticket | int, actor: User, note: str = "", expected_version: int | None = None
) -> Ticket:
    """Merge a work order under a master (并单): it takes the master's status, unit, handler and reply from now on
    (tickets.services.core.merged_follow), its running clocks stop (kept in TicketMerge.prior for a split), both
    timelines say so, the platform hears of the merged one's new status in its own numbering, and the audit
    records it. The master must be an open work order of the same bureau that is not merged itself; the merged
    one must be open, not under review, and have nothing merged into it."""
    master_id = into.pk if isinstance(into, Ticket) else into
    if master_id == ticket.pk:
        raise ValidationError({"into": _("A work order cannot be merged into itself.")})
    now = timezone.now()
    with transaction.atomic():
        locked, master = _lock_pair(ticket, master_id)
        if master is None or master.bureau_id != locked.bureau_id:
            raise ValidationError({"into": _("Choose a work order of this bureau.")})
        if expected_version is not None and locked.version != expected_version:
            raise TicketConflict(_("This work order was changed by someone else meanwhile. Reload it and try again."))
        if locked.merged_into_id is not None:
            raise TicketMerged(_("This work order is merged into another already."))
        if locked.status not in MERGEABLE_STATUSES:
            raise TransitionNotAllowed(locked.status, "merged")
        if master.merged_into_id is not None or master.status not in OPEN_STATUSES:
            raise ValidationError({"into": _("The master must be open and not merged into another work order.")})
        if Ticket.objects.filter(merged_into=locked).exists():
            raise ValidationError(_("Work orders are merged into this one: it can only be a master."))
        running = dict(
            TicketClock.objects.filter(ticket=locked, status__in=[ClockStatus.OPEN, ClockStatus.PAUSED]).values_list(
                "pk", "status"
            )
        )
        prior = {field: _json(getattr(locked, field)) for field in PRIOR_FIELDS}
        prior["clocks"] = {str(pk): status for pk, status in running.items()}
        TicketMerge.objects.create(ticket=locked, master=master, merged_by=actor, merged_at=now, prior=prior)
        if running:
            # a paused clock keeps its paused_at: resumed after a split, its paused days are added back as usual
            TicketClock.objects.filter(pk__in=list(running)).update(
                status=ClockStatus.CANCELLED, next_escalation_at=None
            )
        Ticket.objects.filter(pk=locked.pk).update(merged_into=master, next_clock_due_at=None)
        proposals_follow(locked.pk, is_open=False)
        data = {"master": master.external_id, "master_id": master.pk, "note": note}
        event_write(locked, "merged", actor=actor, data=data, at=now)
        event_write(
            master, "merged_in", actor=actor, data={"ticket": locked.external_id, "ticket_id": locked.pk}, at=now
        )
        merged_follow(master, actor=actor, at=now, ticket_ids=[locked.pk])
        audit_record(
            Action.TICKET_MERGED,
            actor=actor,
            obj=locked,
            data={"into": master.pk, "from": prior["status"], "to": master.status},
            at=now,
        )
    result = Ticket.objects.get(pk=locked.pk)
    ticket.__dict__.update({k: v for k, v in result.__dict__.items() if not k.startswith("_")})
    return result


def ticket_split(ticket: Ticket, *, actor: User, note: str = "", expected_version: int | None = None) -> Ticket:
    """Undo a merge: the work order gets back its own status, unit, handler, reply and the clocks the merge
    stopped (with their own due times: its clocks ran from its receipt all along), both timelines say so, the
    platform hears of its status again, and the audit records it. While the master is open only (a completed
    master has answered the merged citizens already)."""
    now = timezone.now()
    with transaction.atomic():
        merge = TicketMerge.objects.filter(ticket_id=ticket.pk, split_at__isnull=True).first()
        if merge is None:
            raise TransitionNotAllowed(ticket.status, "split")
        locked, master = _lock_pair(ticket, merge.master_id)
        if expected_version is not None and locked.version != expected_version:
            raise TicketConflict(_("This work order was changed by someone else meanwhile. Reload it and try again."))
        if locked.merged_into_id != merge.master_id:
            raise TransitionNotAllowed(locked.status, "split")
        if master.status not in OPEN_STATUSES:
            raise TransitionNotAllowed(master.status, "split")
        prior = merge.prior
        restored = {field: prior[field] for field in PRIOR_FIELDS}
        for field in ("replied_at", "completed_at"):
            restored[field] = dt.datetime.fromisoformat(restored[field]) if restored[field] else None
        Ticket.objects.filter(pk=locked.pk).update(
            merged_into=None, version=F("version") + 1, updated_at=now, **restored
        )
        proposals_follow(locked.pk, is_open=restored["status"] in OPEN_STATUSES)
        for pk, status in prior.get("clocks", {}).items():
            clock = TicketClock.objects.filter(pk=int(pk), ticket=locked).first()
            if clock is None:
                continue
            clock.status = status
            escalation.clock_schedule(clock)
            clock.save(update_fields=["status", "next_escalation_at"])
        deadlines.next_due_refresh(locked)
        TicketMerge.objects.filter(pk=merge.pk).update(split_by=actor, split_at=now)
        locked.refresh_from_db()
        event_write(locked, "split", actor=actor, data={"master": master.external_id, "note": note}, at=now)
        event_write(master, "split_off", actor=actor, data={"ticket": locked.external_id}, at=now)
        if locked.status != master.status:
            _outbox_write(locked, at=now)
        audit_record(
            Action.TICKET_SPLIT,
            actor=actor,
            obj=locked,
            data={"from": master.pk, "to": locked.status},
            at=now,
        )
    ticket.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


# A merged work order's own state, kept for a split; statuses it may be merged from (not under review or closed).
PRIOR_FIELDS = ("status", "unit_id", "handler_id", "reply_text", "replied_at", "completed_at")
MERGEABLE_STATUSES = frozenset({Status.RECEIVED, Status.DISPATCHED, Status.ACCEPTED, Status.IN_PROGRESS})


def _json(value):
    return value.isoformat() if isinstance(value, dt.datetime) else value
