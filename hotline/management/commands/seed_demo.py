from django.core.management.base import BaseCommand

from org.demo import demo_seed_organisation


class Command(BaseCommand):
    help = "Create the demo bureau, its units, one account per role and demo work orders. Safe to run twice."

    def handle(self, *args, **options):
        accounts = demo_seed_organisation()
        self.stdout.write("Demo accounts (username / password / roles / unit):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.password:<14} {account.roles}  ({account.unit})")
