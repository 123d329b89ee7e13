"""Writes of the review dashboard's stored counts (one DashboardFigures row per bureau)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import IntegrityError
from django.utils import timezone

from reviews.models import DashboardFigures
from reviews.selectors.base import month_start
from reviews.selectors.dashboard import dashboard_figures_count
from tickets.models import Ticket


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
