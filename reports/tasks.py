from celery import shared_task
from django.utils import timezone


@shared_task(name="reports.settle_monthly_counts", ignore_result=True)
def settle_monthly_counts() -> int:
    """Keep last month's briefing counts for every bureau (reports.services.monthly_counts_settle)."""
    from reports.services import monthly_counts_settle

    return monthly_counts_settle(now=timezone.now())
