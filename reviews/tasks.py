"""Periodic work of the reviews app (scheduled in hotline/celery.py)."""

from celery import shared_task


@shared_task(name="reviews.refresh_dashboards", ignore_result=True)
def refresh_dashboards() -> int:
    """Count every bureau's review dashboard figures (reviews.models.DashboardFigures); returns the bureaus done."""
    from org.models import Bureau
    from reviews.services import dashboard_figures_refresh

    bureau_ids = list(Bureau.objects.values_list("pk", flat=True))
    for bureau_id in bureau_ids:
        dashboard_figures_refresh(bureau_id)
    return len(bureau_ids)
