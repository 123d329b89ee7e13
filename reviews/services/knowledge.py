"""Writes of the knowledge base: key points and training sessions with their attendees."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import User
from reviews.models import KeyPoint, TrainingAttendance, TrainingSession


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
