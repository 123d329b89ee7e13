"""Every write of reviews: approvals and returns, callbacks, supervision, inspections, key points, training."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.choices import Action
from audit.services import audit_record
from org.models import Unit, User
from reviews.choices import (
    CallbackSource,
    CallbackTaskStatus,
    Resolved,
    ReturnReasonCode,
    Satisfaction,
    ScoreStage,
    Stage,
    SupervisionStatus,
)
from reviews.models import (
    Callback,
    CallbackTask,
    CampaignQuota,
    CampaignSample,
    DashboardFigures,
    InspectionCampaign,
    KeyPoint,
    Return,
    ReturnReasonLine,
    SampleScore,
    SpecialSupervision,
    TrainingAttendance,
    TrainingSession,
)
from reviews.selectors import callback_own_recorded_this_round, dashboard_figures_count, month_start
from tickets.choices import Finding, Outcome, Status, Track
from tickets.models import Attachment, Ticket, TicketTrack
from tickets.services import (
    TicketConflict,
    TransitionNotAllowed,
    event_write,
    ticket_complete,
    ticket_reopen,
    ticket_transition,
)
from workdays import calendar

CALLBACK_DUE_WORKING_DAYS = 3
SUBSTANTIATED_FINDINGS = (Finding.SUBSTANTIATED, Finding.PARTLY)
NO_MEDIATION_INSTEAD_OF_PENALTY = _(
    "An illegal act is suspected: give the case number or written grounds (no mediation instead of a penalty)."
)


# ---------------------------------------------------------------- the review chain


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
                callback_task_book(result)
    ticket.__dict__.update({k: v for k, v in result.__dict__.items() if not k.startswith("_")})
    return result


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
    ticket.__dict__.update({k: v for k, v in result.__dict__.items() if not k.startswith("_")})
    return result


# ---------------------------------------------------------------- callbacks (回访)


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
                data={"satisfaction": satisfaction, "resolved": resolved, "source": source},
                at=now,
            )
            if is_unsatisfied:
                ticket_reopen(locked, actor=actor, reason="callback_unsatisfied", data={"callback": callback.pk})
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


# ---------------------------------------------------------------- special inspections (专项督查)


def campaign_create(
    *,
    bureau,
    actor: User,
    name: str,
    period_start: dt.date,
    period_end: dt.date,
    quotas: dict[Unit, int],
    seed: str = "",
    finding: str = "",
    outcome: str = "",
    kind: str = "",
) -> InspectionCampaign:
    if period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    if not quotas or any(size < 1 for size in quotas.values()):
        raise ValidationError({"quotas": _("Give each unit a sample size of at least 1.")})
    if any(unit.bureau_id != bureau.pk for unit in quotas):
        raise ValidationError({"quotas": _("Choose units of this bureau.")})
    with transaction.atomic():
        campaign = InspectionCampaign.objects.create(
            bureau=bureau,
            name=name,
            finding=finding,
            outcome=outcome,
            kind=kind,
            period_start=period_start,
            period_end=period_end,
            seed=seed or f"{random.SystemRandom().getrandbits(48):012x}",
            created_by=actor,
            created_at=timezone.now(),
        )
        CampaignQuota.objects.bulk_create(CampaignQuota(campaign=campaign, unit=u, size=s) for u, s in quotas.items())
    return campaign


def campaign_candidates(campaign: InspectionCampaign):
    """Completed tickets of the bureau in the period that match the criteria."""
    start = dt.datetime.combine(campaign.period_start, dt.time.min, tzinfo=calendar.SHANGHAI)
    end = dt.datetime.combine(campaign.period_end + dt.timedelta(days=1), dt.time.min, tzinfo=calendar.SHANGHAI)
    tickets = Ticket.objects.filter(
        bureau_id=campaign.bureau_id,
        status__in=[Status.COMPLETED, Status.ARCHIVED],
        completed_at__gte=start,
        completed_at__lt=end,
    )
    if campaign.kind:
        tickets = tickets.filter(kind=campaign.kind)
    if campaign.finding:
        tickets = tickets.filter(tracks__finding=campaign.finding)
    if campaign.outcome:
        tickets = tickets.filter(tracks__outcome=campaign.outcome)
    return tickets.distinct()


def campaign_draw_sample(campaign: InspectionCampaign, *, actor: User) -> list[CampaignSample]:
    """Draw each unit's quota at random; the same seed and the same data give the same sample. Drawn once."""
    with transaction.atomic():
        locked = InspectionCampaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.drawn_at is not None:
            raise ValidationError(_("The sample of this campaign is already drawn."))
        quotas = list(CampaignQuota.objects.filter(campaign=locked).select_related("unit").order_by("unit__code"))
        by_unit: dict[int, list[int]] = {}
        for ticket_id, unit_id in campaign_candidates(locked).order_by("pk").values_list("pk", "unit_id"):
            by_unit.setdefault(unit_id, []).append(ticket_id)
        units = [quota.unit for quota in quotas]
        samples = []
        for index, quota in enumerate(quotas):
            ids = by_unit.get(quota.unit_id, [])
            rng = random.Random(f"{locked.seed}:{quota.unit.code}")
            chosen = sorted(rng.sample(ids, min(quota.size, len(ids))))
            # The peer is the next unit in the campaign (by code), so no unit scores its own work.
            peer = units[(index + 1) % len(units)] if len(units) > 1 else None
            samples += [CampaignSample(campaign=locked, ticket_id=t, unit=quota.unit, peer_unit=peer) for t in chosen]
        CampaignSample.objects.bulk_create(samples)
        locked.drawn_at = timezone.now()
        locked.save(update_fields=["drawn_at"])
    campaign.drawn_at = locked.drawn_at
    return list(CampaignSample.objects.filter(campaign=locked))


def sample_score(sample: CampaignSample, *, actor: User, stage: str, score: int, comment: str = "") -> SampleScore:
    if stage not in ScoreStage.values:
        raise ValidationError({"stage": _("Unknown stage.")})
    if not 0 <= score <= 100:
        raise ValidationError({"score": _("Score from 0 to 100.")})
    if not actor.has_perm("reviews.score_sample", (sample, stage)):
        raise PermissionDenied(_("You may not score this work order at this stage."))
    scored, _created = SampleScore.objects.update_or_create(
        sample=sample,
        stage=stage,
        defaults={"score": score, "comment": comment, "actor": actor, "at": timezone.now()},
    )
    return scored


def campaign_record_findings(
    campaign: InspectionCampaign, *, actor: User, findings: str, key_points: list[dict] | None = None
) -> InspectionCampaign:
    """The campaign's findings; each key point ({title, body, category, kind}) goes to the knowledge base."""
    with transaction.atomic():
        campaign.findings = findings
        campaign.save(update_fields=["findings"])
        for point in key_points or []:
            key_point_create(
                bureau=campaign.bureau,
                actor=actor,
                title=point["title"],
                body=point["body"],
                category=point.get("category"),
                kind=point.get("kind", ""),
                campaign=campaign,
            )
    return campaign


# ---------------------------------------------------------------- key points and training


def key_point_create(
    *, bureau, actor: User, title: str, body: str, category=None, kind: str = "", campaign=None
) -> KeyPoint:
    if not title.strip() or not body.strip():
        raise ValidationError(_("A key point needs a title and a text."))
    return KeyPoint.objects.create(
        bureau=bureau,
        title=title.strip(),
        body=body.strip(),
        category=category,
        kind=kind,
        campaign=campaign,
        created_at=timezone.now(),
    )


def training_create(
    *, bureau, actor: User, title: str, held_on: dt.date, trainer: str = "", notes: str = "", attendees=()
) -> TrainingSession:
    with transaction.atomic():
        session = TrainingSession.objects.create(
            bureau=bureau, title=title, held_on=held_on, trainer=trainer, notes=notes
        )
        training_set_attendees(session, actor=actor, attendees=attendees)
    return session


def training_set_attendees(session: TrainingSession, *, actor: User, attendees) -> TrainingSession:
    people = [p for p in attendees if p.unit_id is not None]
    if any(p.unit.bureau_id != session.bureau_id for p in people):
        raise ValidationError({"attendees": _("Choose staff of this bureau.")})
    with transaction.atomic():
        TrainingAttendance.objects.filter(session=session).exclude(person__in=people).delete()
        existing = set(TrainingAttendance.objects.filter(session=session).values_list("person_id", flat=True))
        TrainingAttendance.objects.bulk_create(
            TrainingAttendance(session=session, person=p, unit_id=p.unit_id, held_on=session.held_on)
            for p in people
            if p.pk not in existing
        )
    return session


# ---------------------------------------------------------------- the review dashboard's stored counts


def dashboard_figures_current(bureau_id: int, *, now: dt.datetime) -> DashboardFigures:
    """The bureau's stored figures if they are recent and of this month, else counted now and stored."""
    snapshot = DashboardFigures.objects.filter(bureau_id=bureau_id).first()
    max_age = dt.timedelta(seconds=settings.HOTLINE_DASHBOARD_MAX_AGE_SECONDS)
    if snapshot is not None and snapshot.since == month_start(now) and now - max_age <= snapshot.computed_at <= now:
        return snapshot
    return dashboard_figures_refresh(bureau_id, now=now)


def dashboard_figures_refresh(bureau_id: int, *, now: dt.datetime | None = None) -> DashboardFigures:
    """Count the bureau's dashboard figures and store them (one row per bureau, replaced)."""
    now = now or timezone.now()
    figures = dashboard_figures_count(Ticket.objects.filter(bureau_id=bureau_id), now=now)
    values = {"since": month_start(now), "computed_at": now, "figures": figures}
    try:
        snapshot, _created = DashboardFigures.objects.update_or_create(bureau_id=bureau_id, defaults=values)
    except IntegrityError:  # another process stored the bureau's first row meanwhile: the two counts agree
        snapshot = DashboardFigures(bureau_id=bureau_id, **values)
    return snapshot
