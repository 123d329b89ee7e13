"""Reads for notifications and the reminder screens, always scoped to the user asking."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from notifications.models import Notification
from org.choices import RoleCode
from tickets.choices import ClockStatus
from tickets.models import EscalationRule, TicketClock
from workdays import calendar


def notification_list_for_user(user) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).select_related("ticket").order_by("-created_at", "-id")


def notification_get_for_user(user, pk: int) -> Notification:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(Notification, pk=pk, recipient=user)


BELL_CAP = 99


def notification_unread_count(user, *, cap: int | None = None) -> int:
    """Unread notifications; with `cap`, counting stops at cap + 1 (the bell shows "99+"), so a
    leader with thousands of unread warnings does not pay for counting them on every page."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if cap is not None:
        return unread.order_by()[: cap + 1].count()
    return unread.count()


def due_soon_horizon(*, today: dt.date) -> dt.datetime:
    """The end of the last day of the tier-1 window: clocks due by then have reminders running."""
    rule = EscalationRule.objects.filter(clock="", tier=1, is_active=True).first()
    left = rule.offset_working_days if rule else 3
    cal = calendar.get_calendar()
    extra = left - 1 if cal.is_working_day(today) else left
    return cal.add_working_days(today, max(extra, 0)).due_at


def clock_due_list_for_user(user, *, now: dt.datetime | None = None) -> QuerySet[TicketClock]:
    """Open clocks due soon or overdue: a handler's own work orders; a unit leader's whole unit."""
    now = now or timezone.now()
    horizon = due_soon_horizon(today=timezone.localdate(now))
    if user.has_role(RoleCode.UNIT_LEADER, RoleCode.UNIT_DEPUTY) and user.unit_id:
        # the unit's own clocks: the lead's of its work orders, and its assisting clocks (协办) on others'
        scope = Q(ticket__unit_id=user.unit_id, unit__isnull=True) | Q(unit_id=user.unit_id)
    elif user.has_role(RoleCode.HANDLER):
        scope = Q(ticket__handler_id=user.pk, unit__isnull=True)
    else:
        return TicketClock.objects.none()
    return (
        TicketClock.objects.filter(scope, status=ClockStatus.OPEN, due_at__lte=horizon)
        .select_related("ticket", "ticket__handler")
        .order_by("due_at", "id")
    )


def clock_tier_counts_for_user(user, *, now: dt.datetime | None = None) -> list[dict]:
    """Per unit of the user's bureau: open clocks overdue, and how many reached each tier."""
    now = now or timezone.now()
    if user.bureau_id is None:
        return []
    # the lead unit's clocks of its work orders (an assisting unit's clock, 协办, is not the lead's)
    open_clocks = Q(tickets__clocks__status=ClockStatus.OPEN, tickets__clocks__unit__isnull=True)
    from org.models import Unit

    return list(
        Unit.objects.filter(bureau_id=user.bureau_id, is_active=True)
        .annotate(
            overdue=Count("tickets__clocks", filter=open_clocks & Q(tickets__clocks__due_at__lt=now)),
            tier1=Count("tickets__clocks", filter=open_clocks & Q(tickets__clocks__escalation_tier=1)),
            tier2=Count("tickets__clocks", filter=open_clocks & Q(tickets__clocks__escalation_tier=2)),
            tier3=Count("tickets__clocks", filter=open_clocks & Q(tickets__clocks__escalation_tier=3)),
        )
        .order_by("-overdue", "-tier3", "kind", "code")
        .values("pk", "name", "overdue", "tier1", "tier2", "tier3")
    )
