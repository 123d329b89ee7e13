"""Every read of cluster alerts, scoped to the person asking."""

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.http import Http404

from alerts.choices import AlertStatus
from alerts.models import AlertTicket, ClusterAlert
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
    tickets = ticket_list_for_user(user).filter(
        pk__in=AlertTicket.objects.filter(alert=alert).values("ticket_id"), bureau_id=alert.bureau_id
    )
    return tickets.select_related("unit").order_by("-received_at", "-pk")


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
    settings.HOTLINE_TEMPLATE_GLOBALS): the alerts linking the ticket and whether the user may open an alert."""
    return {"alerts": alerts_for_ticket(ticket), "can_open": user.has_perm("alerts.view_alerts")}
