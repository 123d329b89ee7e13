from celery import shared_task

from notifications import services


@shared_task(name="notifications.send", ignore_result=True)
def send_notifications(ids: list[int]) -> int:
    return services.notifications_deliver(ids=ids)


@shared_task(name="notifications.send_pending", ignore_result=True)
def send_pending_notifications() -> int:
    return services.notifications_send_pending()
