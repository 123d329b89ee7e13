from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from integrations.services import integration_client_create


class Command(BaseCommand):
    help = "Create an integration client (the city platform) and print its key as the last line."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--bureau", help="code of the bureau it sends work orders to (default: the only one)")

    def handle(self, *args, name, bureau=None, **options):
        try:
            client, key = integration_client_create(name=name, bureau_code=bureau)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(f"Created integration client {client.name!r} for bureau {client.bureau.code}.")
        self.stdout.write("Keep this key: it is shown only now. Send it as 'Authorization: Token <key>'.")
        self.stdout.write(key)
