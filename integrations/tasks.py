from celery import shared_task

from integrations.services import updates_deliver_due


@shared_task(name="integrations.deliver_updates", ignore_result=True)
def deliver_updates() -> dict:
    return updates_deliver_due()
