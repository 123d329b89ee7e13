import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from tickets.escalation import escalation_sweep


class Command(BaseCommand):
    help = "Run one escalation sweep (three-tier reminders), as of now or of --at."

    def add_arguments(self, parser):
        parser.add_argument("--at", help="an ISO 8601 moment with its offset, e.g. 2026-10-12T09:00:00+08:00")

    def handle(self, *args, at=None, **options):
        now = None
        if at:
            try:
                now = dt.datetime.fromisoformat(at)
            except ValueError as error:
                raise CommandError(f"--at: {error}") from error
            if now.tzinfo is None:
                raise CommandError("--at needs a UTC offset, e.g. +08:00")
        result = escalation_sweep(now=now)
        for tier in (1, 2, 3):
            self.stdout.write(f"tier {tier}: {result.fired.get(tier, 0)} fired, {result.skipped.get(tier, 0)} skipped")
        digests = f", {result.digests} of them digests" if result.digests else ""
        self.stdout.write(f"{result.notifications} notification(s) stored{digests}")
