import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from alerts.services import alerts_backfill


class Command(BaseCommand):
    help = "Store the cluster keys of work orders that have none, and check those of the last --days for alerts."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=0, help="check the work orders received in the last N days")

    def handle(self, *args, days: int, **options):
        since = timezone.now() - dt.timedelta(days=days) if days > 0 else None
        written, checked = alerts_backfill(since=since)
        self.stdout.write(f"{written} signatures written, {checked} work orders checked")
