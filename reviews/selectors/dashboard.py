"""Reads of the review dashboard: the live pending list and its counts."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from org.models import User
from reviews.choices import CallbackTaskStatus, Satisfaction, SupervisionStatus
from reviews.models import Callback, CallbackTask, DashboardFigures, Return, ReturnReasonLine, SpecialSupervision
from reviews.selectors.base import month_start
from tickets.choices import Status
from tickets.models import Ticket
from tickets.selectors import ticket_list_for_user, ticket_list_rows


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
