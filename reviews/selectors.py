"""Every read of reviews, always scoped to the user asking (through tickets.selectors.ticket_list_for_user)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Avg, Count, F, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.utils import timezone

from core.process_cache import ProcessCache
from org.models import User
from org.rules import is_section_staff, is_supervisor, is_unit_management
from reviews.choices import CallbackSource, CallbackTaskStatus, Satisfaction, ScoreStage, Stage, SupervisionStatus
from reviews.models import (
    Callback,
    CallbackTask,
    CampaignSample,
    DashboardFigures,
    InspectionCampaign,
    KeyPoint,
    Return,
    ReturnReasonLine,
    SpecialSupervision,
    TrainingAttendance,
    TrainingSession,
)
from tickets.choices import ClockStatus, Status
from tickets.models import Ticket, TicketClock, TicketEvent
from tickets.rules import is_bureau_wide
from tickets.selectors import ticket_get_for_user, ticket_list_for_user, ticket_list_rows
from workdays.calendar import SHANGHAI


def month_start(now: dt.datetime | None = None) -> dt.datetime:
    local = timezone.localtime(now or timezone.now(), SHANGHAI)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _bureau_id(user: User):
    return user.unit.bureau_id if user.is_authenticated and user.unit_id else None


# ---------------------------------------------------------------- the review chain


def pending_reviews_for_user(user: User, *, stage: str = "") -> QuerySet[Ticket]:
    """Replies waiting for review, oldest in stage first.

    Without `stage`: the user's own review work - unit management their unit's unit review, section staff the
    bureau's section review, leaders and administrators both. With `stage` ("unit"/"section"): every visible
    ticket at that stage (the dashboard's figures link here).
    """
    if stage == Stage.UNIT:
        wanted = Q(status=Status.UNIT_REVIEW)
    elif stage == Stage.SECTION:
        wanted = Q(status=Status.SECTION_REVIEW)
    else:
        wanted = Q(pk__in=[])
        if is_unit_management(user) and user.unit_id:
            wanted |= Q(status=Status.UNIT_REVIEW, unit_id=user.unit_id)
        if is_section_staff(user):
            wanted |= Q(status=Status.SECTION_REVIEW)
        elif is_supervisor(user):
            wanted |= Q(status__in=[Status.UNIT_REVIEW, Status.SECTION_REVIEW])
    # updated_at is set by every status change: the time the reply entered its current review stage.
    return ticket_list_rows(user).filter(wanted).order_by("updated_at", "id")


def review_ticket_for_user(user: User, pk: int) -> Ticket:
    ticket = ticket_get_for_user(user, pk)
    ticket.track_list = list(ticket.tracks.all())
    ticket.return_list = list(Return.objects.filter(ticket=ticket).select_related("actor"))
    ticket.attachment_count = ticket.attachments.count()
    # The 情况说明 a reopened ticket's unit filed with its new reply (tickets.services.ticket_submit_reply).
    last_reply = ticket.events.filter(code="reply_submitted").order_by("-at", "-id").first()
    ticket.explanation = last_reply.data.get("explanation", "") if last_reply else ""
    return ticket


# Every active key point, kept per process (core.process_cache): the ticket page shows the matching ones on
# every view, and the section edits them a few times a year (another process sees an edit within a minute).
_active_key_points: ProcessCache[list[KeyPoint]] = ProcessCache(
    lambda: list(KeyPoint.objects.filter(is_active=True)), invalidated_by=[KeyPoint]
)


def key_points_for_ticket(ticket: Ticket) -> list[KeyPoint]:
    """Active key points of the ticket's bureau whose category and kind match (blank matches any), in the
    model's order."""
    return [
        point
        for point in _active_key_points.get()
        if point.bureau_id == ticket.bureau_id
        and (point.category_id is None or point.category_id == ticket.category_id)
        and (point.kind == "" or point.kind == ticket.kind)
    ]


def returns_for_user(user: User, *, unit_id=None, reason: str = "", since: dt.datetime | None = None):
    returns = Return.objects.filter(ticket__in=ticket_list_for_user(user)).select_related("ticket", "unit", "actor")
    if unit_id:
        returns = returns.filter(unit_id=unit_id)
    if reason:
        returns = returns.filter(reason_lines__code=reason)
    if since:
        returns = returns.filter(at__gte=since)
    return returns.order_by("-at", "-id")


# ---------------------------------------------------------------- callbacks and supervision


def callbacks_for_user(user: User, *, satisfaction: str = "", unit_id=None, since: dt.datetime | None = None):
    callbacks = Callback.objects.filter(ticket__in=ticket_list_for_user(user)).select_related("ticket", "unit")
    if satisfaction:
        callbacks = callbacks.filter(satisfaction=satisfaction)
    if unit_id:
        callbacks = callbacks.filter(unit_id=unit_id)
    if since:
        callbacks = callbacks.filter(called_at__gte=since)
    return callbacks.order_by("-called_at", "-id")


def callback_own_recorded_this_round(ticket: Ticket) -> bool:
    """Our own callback of the ticket's latest completion is recorded: one per round (completion -> callback).

    A reopened ticket that is completed again starts a new round. Rounds are told apart by the order of the
    timeline's events (both are written under the ticket's row lock, so their ids are in that order), not by
    clock times. The ticket page has the events loaded (`event_list`): no query there.
    """
    events = getattr(ticket, "event_list", None)
    if events is not None:
        completed = max((event.pk for event in events if event.code == "completed"), default=None)
        return completed is not None and any(
            event.code == "callback"
            and (event.data or {}).get("source") == CallbackSource.STAFF
            and event.pk > completed
            for event in events
        )
    completed = TicketEvent.objects.filter(ticket=ticket, code="completed").order_by("-id").values("id")[:1]
    return TicketEvent.objects.filter(
        ticket=ticket, code="callback", data__source=CallbackSource.STAFF, id__gt=Subquery(completed)
    ).exists()


def callback_tasks_for_user(user: User):
    return (
        CallbackTask.objects.filter(ticket__in=ticket_list_for_user(user))
        .exclude(status=CallbackTaskStatus.REACHED)
        .select_related("ticket", "ticket__unit")
        .order_by("due_at", "id")
    )


def callback_task_get_for_user(user: User, pk: int) -> CallbackTask:
    try:
        return callback_tasks_for_user(user).get(pk=pk)
    except (CallbackTask.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def supervisions_for_user(user: User, *, status: str = "", is_typical: bool | None = None):
    supervisions = SpecialSupervision.objects.filter(ticket__in=ticket_list_for_user(user)).select_related(
        "ticket", "unit", "callback"
    )
    if status:
        supervisions = supervisions.filter(status=status)
    if is_typical is not None:
        supervisions = supervisions.filter(is_typical_case=is_typical)
    return supervisions.order_by("-opened_at", "-id")


def supervision_get_for_user(user: User, pk: int) -> SpecialSupervision:
    try:
        return supervisions_for_user(user).get(pk=pk)
    except (SpecialSupervision.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def overdue_for_user(user: User, *, unit_id=None, now: dt.datetime | None = None) -> QuerySet[Ticket]:
    now = now or timezone.now()
    overdue = TicketClock.objects.filter(status=ClockStatus.OPEN, due_at__lt=now).values("ticket_id")
    tickets = ticket_list_rows(user).filter(pk__in=overdue)
    if unit_id:
        tickets = tickets.filter(unit_id=unit_id)
    return tickets.order_by(F("next_due_at").asc(nulls_last=True), "id")


# ---------------------------------------------------------------- the supervisor dashboard


def dashboard_for_user(
    user: User,
    *,
    stored: DashboardFigures | None = None,
    now: dt.datetime | None = None,
    pending_limit: int = 20,
) -> dict:
    """The review dashboard: the live list of work orders waiting for review, and the counts.

    The counts are `stored` (the bureau's DashboardFigures, which the view gets from
    services.dashboard_figures_current for a bureau-wide viewer) or, without them, counted here over what
    the user may see.
    """
    now = now or timezone.now()
    pending = list(
        ticket_list_rows(user)
        .filter(status__in=[Status.UNIT_REVIEW, Status.SECTION_REVIEW])
        .order_by("updated_at", "id")[:pending_limit]
    )
    # get_status_display() rebuilds the choices dict on every call: one dict for the page instead
    status_labels = dict(Status.choices)
    for ticket in pending:
        ticket.status_label = status_labels.get(ticket.status, ticket.status)
        ticket.waiting = now - ticket.updated_at
        ticket.is_overdue = ticket.next_due_at is not None and ticket.next_due_at < now
    if stored is not None:
        figures, computed_at = stored.figures, stored.computed_at
    else:
        figures, computed_at = dashboard_figures_count(ticket_list_for_user(user), now=now), now
    from reviews.choices import ReturnReasonCode

    labels = dict(ReturnReasonCode.choices)
    returns_by_reason = [dict(row, label=labels.get(row["code"], row["code"])) for row in figures["returns_by_reason"]]
    return {
        "since": month_start(now),
        "computed_at": computed_at,
        "pending": pending,
        "pending_counts": figures["pending_counts"],
        "returns_by_unit": figures["returns_by_unit"],
        "returns_by_reason": returns_by_reason,
        "returns_total": sum(row["count"] for row in figures["returns_by_unit"]),
        "unsatisfied_by_unit": figures["unsatisfied_by_unit"],
        "unsatisfied_total": sum(row["count"] for row in figures["unsatisfied_by_unit"]),
        "overdue_by_unit": figures["overdue_by_unit"],
        "overdue_total": sum(row["count"] for row in figures["overdue_by_unit"]),
        "alerts": figures["alerts"],
    }


def dashboard_figures_count(visible: QuerySet[Ticket], *, now: dt.datetime) -> dict:
    """Every count of the review dashboard over the tickets `visible`, in a fixed number of queries (JSON-ready)."""
    since = month_start(now)
    # filtered first: the aggregate alone would read every ticket of the bureau (bench/RESULTS.md)
    pending_counts = visible.filter(status__in=[Status.UNIT_REVIEW, Status.SECTION_REVIEW]).aggregate(
        unit_review=Count("pk", filter=Q(status=Status.UNIT_REVIEW)),
        section_review=Count("pk", filter=Q(status=Status.SECTION_REVIEW)),
    )
    returns_by_unit = list(
        Return.objects.filter(ticket__in=visible, at__gte=since)
        .values("unit_id", "unit__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "unit__name")
    )
    returns_by_reason = list(
        ReturnReasonLine.objects.filter(ret__ticket__in=visible, at__gte=since)
        .values("code")
        .annotate(count=Count("pk"))
        .order_by("-count", "code")
    )
    unsatisfied_by_unit = list(
        Callback.objects.filter(ticket__in=visible, satisfaction=Satisfaction.UNSATISFIED, called_at__gte=since)
        .values("unit_id", "unit__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "unit__name")
    )
    # A ticket is overdue when its nearest open deadline (the stored Ticket.next_clock_due_at) has passed:
    # no join with the clocks, and the partial index ticket_next_due_idx holds only tickets with an open clock.
    overdue_by_unit = list(
        visible.filter(next_clock_due_at__lt=now)
        .values("unit_id", "unit__name")
        .annotate(count=Count("pk"))
        .order_by("-count", "unit__name")
    )
    # filtered first to the rows either figure counts (supervision_status_idx): the join with the visible
    # tickets then covers a few hundred supervisions instead of every one ever opened
    alerts = (
        SpecialSupervision.objects.filter(ticket__in=visible)
        .filter(Q(status=SupervisionStatus.OPEN) | Q(is_typical_case=True))
        .aggregate(
            open_supervisions=Count("pk", filter=Q(status=SupervisionStatus.OPEN)),
            typical_cases=Count("pk", filter=Q(is_typical_case=True)),
        )
    )
    alerts["callbacks_due"] = (
        CallbackTask.objects.filter(ticket__in=visible, due_at__lt=now).exclude(status=CallbackTaskStatus.REACHED)
    ).count()
    return {
        "pending_counts": pending_counts,
        "returns_by_unit": returns_by_unit,
        "returns_by_reason": returns_by_reason,
        "unsatisfied_by_unit": unsatisfied_by_unit,
        "overdue_by_unit": overdue_by_unit,
        "alerts": alerts,
    }


# ---------------------------------------------------------------- inspections, key points, training


def campaigns_for_user(user: User) -> QuerySet[InspectionCampaign]:
    return InspectionCampaign.objects.filter(bureau_id=_bureau_id(user)).order_by("-created_at", "-id")


def campaign_get_for_user(user: User, pk: int) -> InspectionCampaign:
    try:
        return campaigns_for_user(user).get(pk=pk)
    except (InspectionCampaign.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def samples_for_user(user: User, campaign: InspectionCampaign) -> QuerySet[CampaignSample]:
    """The section and bureau-wide roles see every sample; a unit sees its own and those it scores as peer."""
    samples = CampaignSample.objects.filter(campaign=campaign)
    if not is_bureau_wide(user):
        samples = samples.filter(Q(unit_id=user.unit_id) | Q(peer_unit_id=user.unit_id))
    return (
        samples.select_related("ticket", "unit", "peer_unit")
        .annotate(
            self_score=Avg("scores__score", filter=Q(scores__stage=ScoreStage.SELF)),
            peer_score=Avg("scores__score", filter=Q(scores__stage=ScoreStage.PEER)),
            section_score=Avg("scores__score", filter=Q(scores__stage=ScoreStage.SECTION)),
        )
        .order_by("unit__code", "ticket_id")
    )


def sample_get_for_user(user: User, pk: int) -> CampaignSample:
    try:
        sample = CampaignSample.objects.select_related("campaign", "unit", "peer_unit", "ticket").get(pk=pk)
    except (CampaignSample.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    # The campaign must be of the user's bureau: a bureau-wide role of another bureau sees every sample of a
    # campaign samples_for_user is given, so the bureau is checked here, before it.
    if sample.campaign.bureau_id != _bureau_id(user):
        raise Http404
    if not samples_for_user(user, sample.campaign).filter(pk=pk).exists():
        raise Http404
    return sample


def campaign_summary(campaign: InspectionCampaign) -> list[dict]:
    """Scores by unit: sample size and the average self, peer and section score."""
    return list(
        CampaignSample.objects.filter(campaign=campaign)
        .values("unit_id", "unit__name")
        .annotate(
            samples=Count("pk", distinct=True),
            self_avg=Avg("scores__score", filter=Q(scores__stage=ScoreStage.SELF)),
            peer_avg=Avg("scores__score", filter=Q(scores__stage=ScoreStage.PEER)),
            section_avg=Avg("scores__score", filter=Q(scores__stage=ScoreStage.SECTION)),
        )
        .order_by("unit__name")
    )


def key_points_for_user(user: User) -> QuerySet[KeyPoint]:
    return KeyPoint.objects.filter(bureau_id=_bureau_id(user), is_active=True).select_related("category", "campaign")


def training_sessions_for_user(user: User) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(bureau_id=_bureau_id(user))
        .annotate(attendee_count=Count("attendances"))
        .order_by("-held_on", "-id")
    )


def training_person_times(user: User) -> list[dict]:
    """Person-times (人次) by unit and year: one GROUP BY."""
    return list(
        TrainingAttendance.objects.filter(session__bureau_id=_bureau_id(user))
        .annotate(year=ExtractYear("held_on"))
        .values("year", "unit_id", "unit__name")
        .annotate(person_times=Count("pk"))
        .order_by("-year", "unit__name")
    )
