from celery import shared_task
from django.db.models import F
from django.utils import timezone

from hotline.models import Heartbeat


@shared_task(name="hotline.heartbeat", ignore_result=True)
def heartbeat() -> None:
    now = timezone.now()
    updated = Heartbeat.objects.filter(name="beat").update(last_run_at=now, run_count=F("run_count") + 1)
    if not updated:
        Heartbeat.objects.get_or_create(name="beat", defaults={"last_run_at": now, "run_count": 1})
