from celery import shared_task
from django.utils import timezone


@shared_task(name="reports.settle_monthly_counts", ignore_result=True)
def settle_monthly_counts() -> int:
    """Keep last month's briefing counts for every bureau (reports.services.monthly_counts_settle)."""
    from reports.services import monthly_counts_settle

    return monthly_counts_settle(now=timezone.now())


@shared_task(name="reports.make_monthly_briefings", ignore_result=True)
def make_monthly_briefings() -> int:
    """From the first working day of a month on, last month's briefing as .xlsx and .docx for every bureau, kept
    once (reports.services.briefing_files_schedule)."""
    from reports.services import briefing_files_schedule

    return briefing_files_schedule(now=timezone.now())


@shared_task(name="reports.count_period", ignore_result=True)
def count_period(bureau_id: int, period: str) -> None:
    """Count a period in the background, its months in one pass, with progress (reports.services.period_count_run)."""
    from reports.services import period_count_run

    period_count_run(bureau_id, period)
