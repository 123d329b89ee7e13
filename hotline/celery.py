"""The Celery app. The beat schedule lives here, in one place (tested: every name is a task)."""

import os

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

app = Celery("hotline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@after_setup_logger.connect
@after_setup_task_logger.connect
def _mask_personal_data_in_worker_logs(logger, **kwargs):
    # A worker replaces the root logger's handlers with its own (settings.LOGGING's filter goes with them):
    # the SMS sender's log line carries a phone number.
    from core.logging import PersonalDataFilter

    for handler in logger.handlers:
        if not any(isinstance(f, PersonalDataFilter) for f in handler.filters):
            handler.addFilter(PersonalDataFilter())


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
        "heartbeat": {"task": "core.heartbeat", "schedule": float(heartbeat_seconds)},
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
        # Last month's briefing as .xlsx and .docx, kept from the first working day of the month on (once).
        "make-monthly-briefings": {"task": "reports.make_monthly_briefings", "schedule": 3600.0},
        # The waiting work orders' dispatch suggestions, kept again where the catalogue changed and the task handed
        # over after the change never ran (tickets.services.suggesting); nothing to do most of the time.
        "keep-suggestions": {
            "task": "tickets.keep_suggestions",
            "schedule": float(settings.HOTLINE_SUGGESTIONS_KEEP_SECONDS),
        },
        # Possible duplicates proposed in the moment their work order closed (tickets.services.merging).
        "recheck-proposals": {"task": "tickets.recheck_proposals", "schedule": 3600.0},
        # Cluster alerts for work orders whose check after intake never ran (the broker was down).
        "detect-unchecked-alerts": {"task": "alerts.detect_unchecked", "schedule": float(alert_sweep_seconds)},
    }


@app.on_after_configure.connect
def _install_schedule(sender, **kwargs):
    from django.conf import settings

    sender.conf.beat_schedule = beat_schedule(settings.HOTLINE_HEARTBEAT_SECONDS)
