from django.core.management.base import BaseCommand, CommandError

from workdays.services import calendar_load_year, package_years


class Command(BaseCommand):
    help = "Load the State Council working-day schedule from chinesecalendar (every year it knows, or --year)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="only this year")

    def handle(self, *args, year=None, **options):
        available = package_years()
        if year is not None and year not in available:
            raise CommandError(
                f"chinesecalendar has no schedule for {year} (it knows {available[0]}-{available[-1]}); "
                "an administrator can enter that year's holidays in the admin."
            )
        years = [year] if year is not None else available
        total = 0
        for each in years:
            total += calendar_load_year(each)
        self.stdout.write(f"Loaded {len(years)} year(s) {years[0]}-{years[-1]}, {total} holiday/make-up days.")
