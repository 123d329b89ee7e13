from django.core.management.base import BaseCommand

from alerts.demo import demo_seed_alerts
from org.demo import demo_seed_organisation
from reviews.demo import demo_seed_reviews
from tickets.demo import demo_seed_dispatch, demo_seed_tickets
from tickets.escalation import escalation_sweep


class Command(BaseCommand):
    help = "Create the demo bureau, its units, one account per role and demo work orders. Safe to run twice."

    def add_arguments(self, parser):
        parser.add_argument("--tickets", type=int, default=300, help="how many demo work orders (default 300)")

    def handle(self, *args, tickets=300, **options):
        bureau, accounts = demo_seed_organisation()
        created = demo_seed_tickets(bureau, count=tickets)
        self.stdout.write(f"Demo work orders created: {created}.")
        dispatch = demo_seed_dispatch(bureau)
        if dispatch:
            self.stdout.write(
                f"Demo dispatch: {dispatch['assisted']} work orders with an assisting unit (one to answer, one "
                f"answered), {dispatch['objections']} with a dispatch objection (one pending, one upheld)."
            )
        made = demo_seed_reviews(bureau=bureau)
        if made:
            self.stdout.write("Demo reviews: " + ", ".join(f"{name} {count}" for name, count in made.items()) + ".")
        alerts = demo_seed_alerts(bureau)
        if alerts:
            self.stdout.write(
                f"Demo cluster alerts: {alerts['alerts']} (one of each kind in each state), "
                f"{alerts['work_orders']} work orders."
            )
        # Reminders as the beat would have sent them by now, so the bell and the due panels show real data.
        swept = escalation_sweep()
        self.stdout.write(f"Reminders fired: {sum(swept.fired.values())}.")
        self.stdout.write("Demo accounts (username / password / roles / unit):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.password:<14} {account.roles}  ({account.unit})")
