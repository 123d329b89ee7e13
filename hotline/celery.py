"""The Celery app. The beat schedule lives here, in one place (tested: every name is a task)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hotline.settings")

app = Celery("hotline")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule(heartbeat_seconds: int, webhook_seconds: int = 15) -> dict:
    return {
        "heartbeat": {"task": "hotline.heartbeat", "schedule": float(heartbeat_seconds)},
        "deliver-updates": {"task": "integrations.deliver_updates", "schedule": float(webhook_seconds)},
    }


@app.on_after_configure.connect
def _install_schedule(sender, **kwargs):
    from django.conf import settings

    sender.conf.beat_schedule = beat_schedule(
        settings.HOTLINE_HEARTBEAT_SECONDS, settings.HOTLINE_WEBHOOK_INTERVAL_SECONDS
    )
