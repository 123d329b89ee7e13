"""Every read of cluster alerts, scoped to the person asking."""

import datetime as dt

from django.db.models import Case, Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Value, When
from django.http import Http404
from django.utils import timezone

from alerts.choices import ACTIVE_STATUSES, AlertKind, AlertStatus
from alerts.models import AlertTicket, AlertUnit, ClusterAlert
from alerts.rules import sees_every_alert, sees_own_units_alerts
from tickets.models import Ticket
from tickets.selectors import ticket_list_for_user


def _unit_scope(user) -> bool:
    """True when the user sees only the alerts linking their unit's work orders (not bureau-wide)."""
    return not sees_every_alert(user)


def alert_list_for_user(user, *, kind: str = "", status: str = "") -> QuerySet[ClusterAlert]:
    """Open first, then consulted, then closed; latest activity first within each."""
    if user.unit_id is None or not (sees_every_alert(user) or sees_own_units_alerts(user)):
        return ClusterAlert.objects.none()
    alerts = ClusterAlert.objects.filter(bureau_id=user.unit.bureau_id)
    if _unit_scope(user):
        alerts = alerts.filter(Exists(AlertTicket.objects.filter(alert=OuterRef("pk"), ticket__unit_id=user.unit_id)))
    if kind:
        alerts = alerts.filter(kind=kind)
    if status:
        alerts = alerts.filter(status=status)
    rank = Case(
        When(status=AlertStatus.OPEN, then=Value(0)),
        When(status=AlertStatus.CONSULTED, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return alerts.annotate(status_rank=rank).order_by("status_rank", "-last_ticket_at", "-pk")


def alert_get_for_user(user, pk: int) -> ClusterAlert:
    """The alert if the user may see it (404 otherwise: another bureau, another unit's cluster)."""
    alert = alert_list_for_user(user).select_related("consulted_by", "closed_by").filter(pk=pk).first()
    if alert is None:
        raise Http404
    return alert


def alert_tickets_for_user(user, alert: ClusterAlert) -> QuerySet[Ticket]:
    """The linked work orders the user may open (tickets.selectors' scope: all of them bureau-wide, their own
    unit's for a unit)."""
    links = AlertTicket.objects.filter(alert=alert)
    tickets = ticket_list_for_user(user).filter(pk__in=links.values("ticket_id"), bureau_id=alert.bureau_id)
    # when each joined the alert (the unique (alert, ticket) index answers it per row)
    joined_at = Subquery(links.filter(ticket_id=OuterRef("pk")).values("linked_at")[:1])
    return tickets.select_related("unit").annotate(joined_at=joined_at).order_by("-received_at", "-pk")


def alert_units(alert: ClusterAlert) -> list[AlertUnit]:
    """The units in the alert and since when, first added first (one query)."""
    return list(AlertUnit.objects.filter(alert=alert).select_related("unit").order_by("added_at", "unit__name"))


def alerts_for_ticket(ticket) -> list[ClusterAlert]:
    """The alerts linking one work order (the ticket page's flag): one query, whatever their number."""
    return [
        link.alert
        for link in AlertTicket.objects.filter(ticket_id=ticket.pk)
        .select_related("alert")
        .order_by("-alert__opened_at")
    ]


def cluster_alerts(ticket, user) -> dict:
    """The ticket page's flag (alerts/jinja2/alerts/ticket_flag.html, the Jinja2 global `cluster_alerts` named in
    settings.HOTLINE_TEMPLATE_GLOBALS): the alerts linking the ticket, whether the user may open an alert, and the
    unified reply lines of its active alerts (offered in the reply form, alerts/jinja2/alerts/reply_line.html).
    Kept on the ticket object for the request: the flag and the reply form share one query."""
    cached = getattr(ticket, "_cluster_alerts", None)
    if cached is None:
        alerts = alerts_for_ticket(ticket)
        cached = ticket._cluster_alerts = {
            "alerts": alerts,
            "reply_lines": [a for a in alerts if a.is_active and a.reply_line],
        }
    return {**cached, "can_open": user.has_perm("alerts.view_alerts")}


# The ages of open alerts counted apart (days since the alert opened): under 1 day, 1-7, 7-30, 30 and over.
AGE_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("day", 0, 1),
    ("week", 1, 7),
    ("month", 7, 30),
    ("older", 30, None),
)


def open_alerts_by_kind_and_age(bureau, *, now: dt.datetime | None = None) -> dict:
    """A bureau's active alerts (open or consulted: not closed) counted by kind and by age since opening, in one
    query (alert_bureau_status_idx). For the review dashboard (alerts/jinja2/alerts/open_alerts_panel.html, the
    Jinja2 global `open_alerts_by_kind_and_age`) and the leader's screen; bureau-wide figures, so the caller shows
    them to bureau-wide people only.

    Returns {"rows": [{"kind", "label", "total", "open", "consulted", "day", "week", "month", "older"}, ...] one
    per kind in AlertKind's order (zeros included), "totals": the same keys summed, "bands": AGE_BANDS' names,
    "oldest_opened_at": the opening of the oldest active alert or None, "now"}. Ages: "day" under 1 day, "week"
    1 to 7 days, "month" 7 to 30 days, "older" 30 days and more.
    """
    bureau_id = getattr(bureau, "pk", bureau)  # a Bureau or its id
    now = now or timezone.now()
    aggregates = {
        "total": Count("pk"),
        "open": Count("pk", filter=Q(status=AlertStatus.OPEN)),
        "consulted": Count("pk", filter=Q(status=AlertStatus.CONSULTED)),
    }
    for name, low, high in AGE_BANDS:
        band = Q(opened_at__lte=now - dt.timedelta(days=low)) if low else Q(opened_at__isnull=False)
        if high is not None:
            band &= Q(opened_at__gt=now - dt.timedelta(days=high))
        aggregates[name] = Count("pk", filter=band)
    counted = {
        row["kind"]: row
        for row in ClusterAlert.objects.filter(bureau_id=bureau_id, status__in=ACTIVE_STATUSES)
        .values("kind")
        .annotate(oldest=Min("opened_at"), **aggregates)
        .order_by("kind")
    }
    keys = list(aggregates)
    rows = []
    for kind, label in AlertKind.choices:
        row = counted.get(kind, {})
        rows.append({"kind": kind, "label": label, **{key: row.get(key, 0) for key in keys}})
    oldest = [row["oldest"] for row in counted.values() if row.get("oldest") is not None]
    return {
        "rows": rows,
        "totals": {key: sum(row[key] for row in rows) for key in keys},
        "bands": [name for name, _low, _high in AGE_BANDS],
        "oldest_opened_at": min(oldest) if oldest else None,
        "now": now,
    }


def open_alerts_panel(user) -> dict | None:
    """The dashboard's panel (the Jinja2 global `open_alerts_panel`): the user's bureau's figures when they see
    every alert of it, else None (the panel is left out)."""
    if user.unit_id is None or not sees_every_alert(user):
        return None
    return open_alerts_by_kind_and_age(user.unit.bureau_id)
