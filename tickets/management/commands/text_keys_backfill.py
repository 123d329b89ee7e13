"""Store the text keys (tickets.similarity) of every work order that has none: work orders received before the
duplicate proposals existed, or loaded around intake. Idempotent; docs/duplicates.md."""

from django.core.management.base import BaseCommand

from tickets.services.merging import text_keys_backfill


class Command(BaseCommand):
    help = "Store the near-identical-text keys of every work order that has none."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=5000)

    def handle(self, *args, batch_size, **options):
        count = text_keys_backfill(batch_size=batch_size)
        self.stdout.write(f"{count} work orders indexed")
