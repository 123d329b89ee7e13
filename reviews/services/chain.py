"""Writes of the review chain: the checks before approval, approvals and returns (退回重办)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import Action
from audit.services import audit_record
from org.models import User
from reviews.choices import ReturnReasonCode, Stage
from reviews.models import Return, ReturnReasonLine
from reviews.services.callbacks import callback_task_book
from tickets.choices import Finding, Outcome, Status, Track
from tickets.models import Attachment, Ticket, TicketTrack
from tickets.services import TicketConflict, TransitionNotAllowed, ticket_complete, ticket_transition

SUBSTANTIATED_FINDINGS = (Finding.SUBSTANTIATED, Finding.PARTLY)
NO_MEDIATION_INSTEAD_OF_PENALTY = _(
    "An illegal act is suspected: give the case number or written grounds (no mediation instead of a penalty)."
)


def review_check(ticket: Ticket) -> None:
    """What must hold before a reply is approved; raises ValidationError naming every failure."""
    errors: list[str] = []
    tracks = list(TicketTrack.objects.filter(ticket=ticket))
    has_attachment = Attachment.objects.filter(ticket=ticket).exists()
    for track in tracks:
        if track.finding == Finding.UNSUBSTANTIATED:
            if not has_attachment:
                errors.append(_("A finding of 'not substantiated' needs evidence attached to the work order."))
            if not track.grounds.strip():
                errors.append(_("A finding of 'not substantiated' needs written grounds."))
        if track.track == Track.COMPLAINT and track.outcome == Outcome.MEDIATED:
            if track.is_violation_suspected is None:
                errors.append(_("Closing by mediation needs an answer: is an illegal act suspected?"))
            elif track.is_violation_suspected and not (track.case_number.strip() or track.grounds.strip()):
                errors.append(NO_MEDIATION_INSTEAD_OF_PENALTY)
    if errors:
        raise ValidationError(list(dict.fromkeys(str(e) for e in errors)))


def _stage_of(status: str) -> str:
    if status == Status.UNIT_REVIEW:
        return Stage.UNIT
    if status == Status.SECTION_REVIEW:
        return Stage.SECTION
    raise TransitionNotAllowed(status, Status.COMPLETED)


def _lock_for_review(ticket: Ticket, *, actor: User, expected_version: int | None) -> tuple[Ticket, str]:
    locked = Ticket.objects.select_for_update(of=("self",)).select_related("unit").get(pk=ticket.pk)
    if expected_version is not None and locked.version != expected_version:
        raise TicketConflict(_("This work order was changed by someone else meanwhile. Reload it and try again."))
    stage = _stage_of(locked.status)
    if not actor.has_perm("reviews.review_ticket", locked):
        raise PermissionDenied(_("You may not review this work order at this stage."))
    return locked, stage


def review_approve(ticket: Ticket, *, actor: User, comment: str = "", expected_version: int | None = None) -> Ticket:
    """Unit stage -> section review; section stage -> completed (sent back to the platform) and a callback booked."""
    with transaction.atomic():
        locked, stage = _lock_for_review(ticket, actor=actor, expected_version=expected_version)
        review_check(locked)
        data = {"stage": stage, "comment": comment}
        if stage == Stage.UNIT:
            result = ticket_transition(locked, to=Status.SECTION_REVIEW, actor=actor, event="unit_approved", data=data)
        else:
            result = ticket_complete(locked, actor=actor, data=data)
            if TicketTrack.objects.filter(ticket=result, finding__in=SUBSTANTIATED_FINDINGS).exists():
                # each merged work order's citizen is called back on their own (docs/duplicates.md)
                for completed in [result, *Ticket.objects.filter(merged_into=result).order_by("pk")]:
                    callback_task_book(completed)
    ticket.__dict__.update({k: v for k, v in result.__dict__.items() if not k.startswith("_")})
    return result


def _return_notify(ticket: Ticket, *, actor: User, stage: str, codes: list[str], comment: str) -> None:
    """The handler and the unit's deputy leaders hear of a return with its reasons (not the one who returned it)."""
    from notifications.services import notification_send
    from org.choices import RoleCode

    deputies = (
        list(User.objects.filter(unit_id=ticket.unit_id, roles__code=RoleCode.UNIT_DEPUTY, is_active=True).distinct())
        if ticket.unit_id
        else []
    )
    recipients = [user for user in [ticket.handler, *deputies] if user is not None and user.pk != actor.pk]
    if recipients:
        notification_send(
            recipients,
            code="ticket.returned",
            data={
                "external_id": ticket.external_id,
                "title": ticket.title,
                "ticket_id": ticket.pk,
                "stage": stage,
                "reasons": codes,
                "comment": comment,
            },
            ticket=ticket,
        )


def review_return(
    ticket: Ticket,
    *,
    actor: User,
    reason_codes: list[str],
    comment: str = "",
    expected_version: int | None = None,
) -> Ticket:
    """退回重办: back to the handler with reason codes; counted per ticket (return_count) and per unit (Return)."""
    codes = list(dict.fromkeys(reason_codes or []))
    if not codes:
        raise ValidationError({"reason_codes": _("Choose at least one reason.")})
    unknown = set(codes) - set(ReturnReasonCode.values)
    if unknown:
        raise ValidationError({"reason_codes": _("Unknown reason: %(codes)s") % {"codes": ", ".join(sorted(unknown))}})
    if ReturnReasonCode.OTHER in codes and not comment.strip():
        raise ValidationError({"comment": _("Say what the other reason is.")})
    now = timezone.now()
    with transaction.atomic():
        locked, stage = _lock_for_review(ticket, actor=actor, expected_version=expected_version)
        unit = locked.unit
        result = ticket_transition(
            locked,
            to=Status.IN_PROGRESS,
            actor=actor,
            event=f"{stage}_returned",
            data={"stage": stage, "reasons": codes, "comment": comment},
            at=now,
        )
        Ticket.objects.filter(pk=result.pk).update(return_count=F("return_count") + 1)
        result.return_count = Ticket.objects.values_list("return_count", flat=True).get(pk=result.pk)
        ret = Return.objects.create(
            ticket=result, unit=unit, stage=stage, reason_codes=codes, comment=comment, actor=actor, at=now
        )
        ReturnReasonLine.objects.bulk_create(ReturnReasonLine(ret=ret, code=c, unit=unit, at=now) for c in codes)
        audit_record(Action.TICKET_RETURNED, actor=actor, obj=ret, data={"stage": stage, "reasons": codes}, at=now)
        _return_notify(result, actor=actor, stage=stage, codes=codes, comment=comment)
    ticket.__dict__.update({k: v for k, v in result.__dict__.items() if not k.startswith("_")})
    return result
