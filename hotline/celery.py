"""The Celery app. The beat schedule lives here, in one place (tested: every name is a task)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

app = Celery("hotline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule(
    heartbeat_seconds: int,
    *,
    escalation_seconds: int | None = None,
    notification_retry_seconds: int | None = None,
    webhook_seconds: int | None = None,
    dashboard_seconds: int | None = None,
    alert_sweep_seconds: int | None = None,
) -> dict:
    from django.conf import settings

    escalation_seconds = escalation_seconds or settings.HOTLINE_ESCALATION_SECONDS
    notification_retry_seconds = notification_retry_seconds or settings.HOTLINE_NOTIFICATION_RETRY_SECONDS
    webhook_seconds = webhook_seconds or settings.HOTLINE_WEBHOOK_INTERVAL_SECONDS
    dashboard_seconds = dashboard_seconds or settings.HOTLINE_DASHBOARD_SECONDS
    alert_sweep_seconds = alert_sweep_seconds or settings.HOTLINE_ALERT_SWEEP_SECONDS
    return {
        "heartbeat": {"task": "hotline.heartbeat", "schedule": float(heartbeat_seconds)},
        # Three-tier reminders: one sweep over stored due times (tickets.escalation).
        "escalate-due": {"task": "tickets.escalate_due", "schedule": float(escalation_seconds)},
        # Notifications the broker never got (it was down, a worker died) are sent from here.
        "send-pending-notifications": {
            "task": "notifications.send_pending",
            "schedule": float(notification_retry_seconds),
        },
        # The outbox of status updates, posted to the platform's webhook in order.
        "deliver-updates": {"task": "integrations.deliver_updates", "schedule": float(webhook_seconds)},
        # The review dashboard's counts, once for every viewer (reviews.models.DashboardFigures).
        "refresh-dashboards": {"task": "reviews.refresh_dashboards", "schedule": float(dashboard_seconds)},
        # Last month's briefing counts, kept for every bureau (reports.models.MonthlyCounts); cheap when kept.
        "settle-monthly-counts": {"task": "reports.settle_monthly_counts", "schedule": 3600.0},
        # Cluster alerts for work orders whose check after intake never ran (the broker was down).
        "detect-unchecked-alerts": {"task": "alerts.detect_unchecked", "schedule": float(alert_sweep_seconds)},
    }


def task_publish(name: str, args: list, *, timeout: float = 1) -> bool:
    """Enqueue a task by its name without waiting for the broker: one try on a fresh connection with a short
    timeout (as notifications_publish); any failure is logged and swallowed. Lets an app hand work to another
    without importing it (tickets' intake -> alerts.detect_for_ticket). Under task_always_eager (tests) the
    task runs here. False when not sent (broker down; eager: no such task)."""
    import logging

    if app.conf.task_always_eager:
        app.loader.import_default_modules()  # the apps' tasks modules (autodiscovery), as a worker does
        task = app.tasks.get(name)
        if task is None:
            return False
        task.apply(args=args)
        return True
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)
            app.send_task(name, args=args, connection=connection, retry=False)
    except Exception:  # noqa: BLE001 - a broker failure must leave the caller's request unharmed
        logging.getLogger(__name__).warning("broker unavailable: task %s not sent", name, exc_info=True)
        return False
    return True


@app.on_after_configure.connect
def _install_schedule(sender, **kwargs):
    from django.conf import settings

    sender.conf.beat_schedule = beat_schedule(settings.HOTLINE_HEARTBEAT_SECONDS)
