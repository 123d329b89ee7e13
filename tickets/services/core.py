"""The one status entry point (ticket_transition), the timeline and the outbox."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import Action
from audit.services import audit_record
from core.errors import StateConflict
from org.models import User
from tickets.choices import (
    OPEN_STATUSES,
    PLATFORM_SOURCES,
    DeliveryStatus,
    Status,
    transition_allowed,
)
from tickets.models import (
    DuplicateProposal,
    StatusUpdate,
    Ticket,
    TicketEvent,
)


class TicketConflict(StateConflict):
    """The ticket changed since the caller read it (a concurrent change won): 409."""


class TransitionNotAllowed(StateConflict):
    """The ticket's status does not allow this step: 409."""

    code = "transition_not_allowed"

    def __init__(self, current: str, to: str):
        super().__init__(f"cannot go from {current} to {to}")
        self.current = current
        self.to = to

    def api_message(self) -> str:
        return f"The work order's status does not allow this ({self.current})."


class TicketMerged(StateConflict):
    """The work order is merged under another: it follows its master and takes no step of its own (409)."""

    code = "merged"

    def api_message(self) -> str:
        return "The work order is merged into another; split it off first."


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
        locked = ticket_lock(ticket, expected_version=expected_version)
        if locked.merged_into_id is not None:
            raise TicketMerged(_("This work order is merged into another; split it off first."))
        changes = dict(changes or {})
        if locked.status == to and not changes:
            return locked
        if locked.status != to and not transition_allowed(locked.status, to):
            raise TransitionNotAllowed(locked.status, to)
        status_changed = locked.status != to
        from_status = locked.status
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
        if status_changed or set(changes) & set(FOLLOWED):
            merged_follow(locked, actor=actor, at=at)
        if (from_status in OPEN_STATUSES) != (to in OPEN_STATUSES):
            proposals_follow(locked.pk, is_open=to in OPEN_STATUSES)  # a merged one never gets here
        audit_record(
            AUDIT_ACTIONS.get(event, Action.TICKET_TRANSITION),
            actor=actor,
            obj=locked,
            data={"event": event, "from": from_status, "to": to, **_audited_changes(changes)},
            at=at,
        )
    ticket.__dict__.update({k: v for k, v in locked.__dict__.items() if not k.startswith("_")})
    return locked


def proposals_follow(ticket_id: int, *, is_open: bool) -> int:
    """The stored proposals naming this work order as a possible duplicate say whether it is still open and not
    merged (DuplicateProposal.duplicate_open): called wherever that changes, with the work order's row locked
    (ticket_transition when its status leaves or re-enters the open ones, the merge, the split). One UPDATE of the
    proposals that say otherwise; returns how many."""
    return (
        DuplicateProposal.objects.filter(duplicate_id=ticket_id)
        .exclude(duplicate_open=is_open)
        .update(duplicate_open=is_open)
    )


# A dispatch is also an assignment: the audit names it so (the event code stays in the record's data).
AUDIT_ACTIONS = {"dispatched": Action.TICKET_ASSIGNED, "redispatched": Action.TICKET_REASSIGNED}


def _audited_changes(changes: dict) -> dict:
    """Who the work order went to (ids only: the audit keeps codes and ids, never names or text)."""
    audited = {}
    if "unit" in changes:
        audited["unit"] = changes["unit"].pk if changes["unit"] is not None else None
    if "handler" in changes:
        audited["handler"] = changes["handler"].pk if changes["handler"] is not None else None
    return audited


# What a merged work order takes from its master (docs/duplicates.md): the status and the reply, with their times.
# The unit and handler too: the unit handling the master answers each merged citizen (callbacks, figures).
FOLLOWED = ("status", "unit", "handler", "reply_text", "replied_at", "completed_at")


def merged_follow(master: Ticket, *, actor: User | None, at: dt.datetime, ticket_ids: list[int] | None = None) -> int:
    """The work orders merged into `master` (or only `ticket_ids` of them) take its status and reply: one UPDATE,
    then, for each whose status changed, its own timeline event and its own outbox row (the platform hears of
    each merged work order once, in its own source's numbering). Called by ticket_transition, with the master's
    row locked, and by the merge itself. Returns how many changed status."""
    merged = Ticket.objects.filter(merged_into=master)
    if ticket_ids is not None:
        merged = merged.filter(pk__in=ticket_ids)
    followers = list(merged.select_for_update().order_by("pk").only("pk", "status", "source"))
    if not followers:
        return 0
    values = {field: getattr(master, field + "_id" if field in ("unit", "handler") else field) for field in FOLLOWED}
    values = {(k + "_id" if k in ("unit", "handler") else k): v for k, v in values.items()}
    Ticket.objects.filter(pk__in=[t.pk for t in followers]).update(**values, version=F("version") + 1, updated_at=at)
    moved = [t for t in followers if t.status != master.status]
    for follower in moved:
        follower.status, follower.reply_text = master.status, master.reply_text
        _outbox_write(follower, at=at)
    events_write(
        [t.pk for t in moved],
        "master_moved",
        actor=actor,
        data={"master": master.external_id, "status": master.status},
        at=at,
    )
    return len(moved)


def event_write(
    ticket: Ticket, code: str, *, actor: User | None, data: dict | None = None, at=None, is_internal=False
) -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket, code=code, actor=actor, data=data or {}, at=at or timezone.now(), is_internal=is_internal
    )


def events_write(ticket_ids: list[int], code: str, *, actor: User | None, data: dict | None = None, at=None) -> int:
    """The same event on many work orders in one statement (a cluster alert's consultation: hundreds of them)."""
    at = at or timezone.now()
    rows = [TicketEvent(ticket_id=pk, code=code, actor=actor, data=data or {}, at=at) for pk in ticket_ids]
    return len(TicketEvent.objects.bulk_create(rows, batch_size=1000))


def _outbox_write(ticket: Ticket, *, at: dt.datetime) -> StatusUpdate:
    reply = ticket.reply_text if ticket.status == Status.COMPLETED else ""
    delivery = DeliveryStatus.PENDING if ticket.source in PLATFORM_SOURCES else DeliveryStatus.NOT_REQUIRED
    return StatusUpdate.objects.create(
        ticket=ticket, status=ticket.status, updated_at=at, reply=reply, delivery_status=delivery, next_attempt_at=at
    )


def ticket_lock(ticket: Ticket, *, expected_version: int | None = None) -> Ticket:
    """The ticket's row, locked until the caller's transaction ends; refused when the caller's version is stale.

    Every step takes this lock before it checks the ticket's state: ticket_transition for a change of status,
    the steps that leave the row as it is (a decision on a track, clocks paused or resumed, a request opened)
    so that no transition slips in between their check of the version or status and their write.
    Call it inside transaction.atomic().
    """
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if expected_version is not None and locked.version != expected_version:
        raise TicketConflict(_("This work order was changed by someone else meanwhile. Reload it and try again."))
    return locked
