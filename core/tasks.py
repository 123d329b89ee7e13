import logging

from celery import shared_task
from django.db.models import F
from django.utils import timezone

from core.models import Heartbeat

logger = logging.getLogger(__name__)


@shared_task(name="core.heartbeat", ignore_result=True)
def heartbeat() -> None:
    now = timezone.now()
    updated = Heartbeat.objects.filter(name="beat").update(last_run_at=now, run_count=F("run_count") + 1)
    if not updated:
        Heartbeat.objects.get_or_create(name="beat", defaults={"last_run_at": now, "run_count": 1})


def task_publish(name: str, args: list, *, timeout: float = 1) -> bool:
    """Enqueue a task by its name without waiting for the broker: one try on a fresh connection with a short
    timeout (as notifications_publish); any failure is logged and swallowed. Lets an app hand work to another
    without importing it (tickets' intake -> alerts.detect_for_ticket). Under task_always_eager (tests) the
    task runs here. False when not sent (broker down; eager: no such task)."""
    from celery import current_app as app

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
        logger.warning("broker unavailable: task %s not sent", name, exc_info=True)
        return False
    return True
