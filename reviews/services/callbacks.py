"""Writes of callbacks (回访): booking and attempting the call, recording its result, special supervision."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import User
from reviews.choices import CallbackSource, CallbackTaskStatus, Resolved, Satisfaction, SupervisionStatus
from reviews.models import Callback, CallbackTask, SpecialSupervision
from reviews.selectors.callbacks import callback_own_recorded_this_round
from tickets.choices import Status
from tickets.models import Ticket
from tickets.services import TransitionNotAllowed, event_write, ticket_reopen
from workdays import calendar

CALLBACK_DUE_WORKING_DAYS = 3


def callback_task_book(ticket: Ticket, *, at: dt.datetime | None = None) -> CallbackTask:
    """Book the callback of a completed ticket (due in 3 working days); at most one open task per ticket."""
    at = at or timezone.now()
    open_task = CallbackTask.objects.filter(ticket=ticket).exclude(status=CallbackTaskStatus.REACHED).first()
    if open_task is not None:
        return open_task
    due_at = calendar.add_working_days(at, CALLBACK_DUE_WORKING_DAYS).due_at
    try:
        with transaction.atomic():
            return CallbackTask.objects.create(ticket=ticket, due_at=due_at, created_at=at)
    except IntegrityError:
        return CallbackTask.objects.filter(ticket=ticket).exclude(status=CallbackTaskStatus.REACHED).get()


def callback_task_attempt(task: CallbackTask, *, actor: User, note: str = "") -> CallbackTask:
    """A call that did not reach the citizen: counted, to be tried again. Reaching them is callback_record."""
    if task.status == CallbackTaskStatus.REACHED:
        raise ValidationError(_("This callback is already done."))
    now = timezone.now()
    with transaction.atomic():
        CallbackTask.objects.filter(pk=task.pk).update(
            status=CallbackTaskStatus.NOT_REACHED, attempts=F("attempts") + 1, last_attempt_at=now, note=note[:500]
        )
        event_write(task.ticket, "callback_not_reached", actor=actor, data={}, at=now)
    task.refresh_from_db()
    return task


def callback_fingerprint(
    *, ticket_id: int, satisfaction: str, resolved: str, comment: str, called_at: dt.datetime | None, source: str
) -> str:
    payload = {
        "ticket": ticket_id,
        "satisfaction": satisfaction,
        "resolved": resolved,
        "comment": comment.strip(),
        "called_at": called_at.astimezone(dt.UTC).isoformat() if called_at else "",
        "source": source,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def callback_record(
    ticket: Ticket,
    *,
    satisfaction: str,
    resolved: str = "",
    comment: str = "",
    called_at: dt.datetime | None = None,
    actor: User | None = None,
    source: str = CallbackSource.PLATFORM,
) -> tuple[Callback, bool]:
    """Record a callback result once; unsatisfied reopens the ticket, and from the city office opens supervision.

    The same (ticket, satisfaction, resolved, comment, called_at, source) again returns (existing, False).
    """
    errors = {}
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = _("Choose how satisfied the citizen is.")
    if resolved and resolved not in Resolved.values:
        errors["resolved"] = _("Choose whether the request was resolved.")
    if source not in CallbackSource.values:
        errors["source"] = _("Unknown callback source.")
    if called_at is not None and called_at > timezone.now() + dt.timedelta(minutes=5):
        errors["called_at"] = _("The call time cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    fingerprint = callback_fingerprint(
        ticket_id=ticket.pk,
        satisfaction=satisfaction,
        resolved=resolved,
        comment=comment,
        called_at=called_at,
        source=source,
    )
    existing = Callback.objects.filter(fingerprint=fingerprint).first()
    if existing is not None:
        return existing, False
    now = timezone.now()
    try:
        with transaction.atomic():
            locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
            # A concurrent identical callback may have committed while we waited for the lock (and reopened
            # the ticket): it is the record, and this one is a retry.
            existing = Callback.objects.filter(fingerprint=fingerprint).first()
            if existing is not None:
                return existing, False
            is_unsatisfied = satisfaction == Satisfaction.UNSATISFIED
            if locked.status != Status.COMPLETED and not (locked.status == Status.ARCHIVED and not is_unsatisfied):
                raise TransitionNotAllowed(locked.status, Status.REOPENED if is_unsatisfied else locked.status)
            # One own callback per completion (the city's callbacks come as they come): a second one would count
            # the citizen twice in the satisfaction and resolution rates. Completed again after a redo: a new one.
            if source == CallbackSource.STAFF and callback_own_recorded_this_round(locked):
                raise ValidationError(_("Our own callback of this completion is already recorded."))
            task = CallbackTask.objects.filter(ticket=locked).exclude(status=CallbackTaskStatus.REACHED).first()
            callback = Callback.objects.create(
                ticket=locked,
                task=task,
                source=source,
                resolved=resolved,
                satisfaction=satisfaction,
                comment=comment.strip(),
                called_at=called_at or now,
                unit_id=locked.unit_id,
                actor=actor,
                recorded_at=now,
                fingerprint=fingerprint,
            )
            if task is not None:
                CallbackTask.objects.filter(pk=task.pk).update(
                    status=CallbackTaskStatus.REACHED, attempts=F("attempts") + 1, last_attempt_at=now
                )
            event_write(
                locked,
                "callback",
                actor=actor,
                # the citizen's words, when any, go on the timeline too
                data={"satisfaction": satisfaction, "resolved": resolved, "source": source}
                | ({"comment": comment.strip()} if comment.strip() else {}),
                at=now,
            )
            if is_unsatisfied:
                # a merged work order's citizen unsatisfied: its master is redone (the merged one follows it)
                redo = locked.merged_into if locked.merged_into_id else locked
                ticket_reopen(redo, actor=actor, reason="callback_unsatisfied", data={"callback": callback.pk})
                if source == CallbackSource.PLATFORM:
                    SpecialSupervision.objects.create(
                        ticket=locked, callback=callback, unit_id=locked.unit_id, opened_at=now
                    )
    except IntegrityError:
        # A concurrent identical callback won the race: that one is the record.
        existing = Callback.objects.filter(fingerprint=fingerprint).first()
        if existing is None:
            raise
        return existing, False
    ticket.refresh_from_db()
    return callback, True


def supervision_update(
    supervision: SpecialSupervision,
    *,
    actor: User,
    cause_analysis: str,
    responsible_person: str = "",
    is_typical_case: bool = False,
    close: bool = False,
) -> SpecialSupervision:
    if close and not cause_analysis.strip():
        raise ValidationError({"cause_analysis": _("Write the cause analysis before closing.")})
    now = timezone.now()
    with transaction.atomic():
        supervision.cause_analysis = cause_analysis
        supervision.responsible_person = responsible_person
        supervision.is_typical_case = is_typical_case
        fields = ["cause_analysis", "responsible_person", "is_typical_case"]
        if close and supervision.status == SupervisionStatus.OPEN:
            supervision.status = SupervisionStatus.CLOSED
            supervision.closed_at = now
            fields += ["status", "closed_at"]
        supervision.save(update_fields=fields)
        event_write(
            supervision.ticket,
            "supervision_updated",
            actor=actor,
            data={"typical": is_typical_case, "closed": supervision.status == SupervisionStatus.CLOSED},
            at=now,
            is_internal=True,
        )
    return supervision
