"""python manage.py run_clocks [--date YYYY-MM-DD] [--dry-run]

Applies every due date-driven rule for the date (default: today in Asia/Shanghai).
Idempotent: running it twice for one date changes nothing the second time."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from xinjian.core.actors import CLOCK
from xinjian.core.clocks import run_all
from xinjian.core.workdays import today


class Command(BaseCommand):
    help = "Apply every due date-driven rule (expiries, automatic removals, listings after 30 June …)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD; default today (Asia/Shanghai)")
        parser.add_argument("--dry-run", action="store_true", help="count what is due, change nothing")

    def handle(self, *args, date=None, dry_run=False, **options):
        try:
            on = dt.date.fromisoformat(date) if date else today()
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date (YYYY-MM-DD)")
        total = 0
        for clock, n in run_all(on, actor=CLOCK, dry_run=dry_run):
            total += n
            self.stdout.write(f"{clock.name:<28} {n:>8}  {clock.description}")
        verb = "due" if dry_run else "applied"
        self.stdout.write(f"{on.isoformat()}: {total} changes {verb}")
