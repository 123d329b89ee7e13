from django.core.management.base import BaseCommand

from audit.services import audit_prune, audit_retention_days


class Command(BaseCommand):
    help = "Remove audit records older than HOTLINE_AUDIT_RETENTION_DAYS (at least 180); the removal is recorded."

    def handle(self, *args, **options):
        removed = audit_prune()
        self.stdout.write(f"removed {removed} audit records older than {audit_retention_days()} days")
