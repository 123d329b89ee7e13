from celery import shared_task

from alerts.services import alert_detect_for_ticket, alert_detect_unchecked, alert_units_follow


@shared_task(name="alerts.detect_for_ticket", ignore_result=True)
def detect_for_ticket(ticket_id: int) -> dict:
    """Handed over by tickets' intake after its commit (by name: tickets does not import alerts)."""
    result = alert_detect_for_ticket(ticket_id)
    return {"opened": [a.pk for a in result.opened], "linked": [a.pk for a in result.linked]}


@shared_task(name="alerts.detect_unchecked", ignore_result=True)
def detect_unchecked() -> int:
    """On beat: the work orders whose hand-over never ran (alerts.services.alert_detect_unchecked), then the units
    that came to hold linked work orders since (alerts.services.alert_units_follow)."""
    checked = alert_detect_unchecked()
    alert_units_follow()
    return checked
