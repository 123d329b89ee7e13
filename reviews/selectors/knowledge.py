"""Reads of the knowledge base: key points (also those matching a ticket) and training."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear

from core.process_cache import ProcessCache
from org.models import User
from reviews.models import KeyPoint, TrainingAttendance, TrainingSession
from reviews.selectors.base import user_bureau_id
from tickets.models import Ticket

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


def key_points_for_user(user: User) -> QuerySet[KeyPoint]:
    return KeyPoint.objects.filter(bureau_id=user_bureau_id(user), is_active=True).select_related(
        "category", "campaign"
    )


def training_sessions_for_user(user: User) -> QuerySet[TrainingSession]:
    return (
        TrainingSession.objects.filter(bureau_id=user_bureau_id(user))
        .annotate(attendee_count=Count("attendances"))
        .order_by("-held_on", "-id")
    )


def training_person_times(user: User) -> list[dict]:
    """Person-times (人次) by unit and year: one GROUP BY."""
    return list(
        TrainingAttendance.objects.filter(session__bureau_id=user_bureau_id(user))
        .annotate(year=ExtractYear("held_on"))
        .values("year", "unit_id", "unit__name")
        .annotate(person_times=Count("pk"))
        .order_by("-year", "unit__name")
    )
