"""python manage.py load_calendar FILE (interfaces.md v1.1)

Loads the official holiday arrangement from a CSV `date,kind` (`kind` is `holiday` or
`workday`) for one or more years, replacing what the calendar held for those years, and
recomputes every deadline that depended on them (each move audited). Nothing is stored
when a line is wrong: every wrong line is named and the command exits 1."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from xinjian.core.actions import load_calendar
from xinjian.core.actors import SYSTEM
from xinjian.core.errors import DomainError


class Command(BaseCommand):
    help = "Load holiday data (CSV date,kind) for one or more years and recompute the deadlines."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV with lines date,kind (kind: holiday | workday)")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}")
        try:
            result = load_calendar(text, actor=SYSTEM, source=f"load_calendar {path.name}")
        except DomainError as exc:
            lines = [exc.message] + [f"  {d['field']}: {d['message']}" for d in exc.details]
            raise CommandError("\n".join(lines))
        years = ", ".join(map(str, result.years))
        self.stdout.write(f"loaded {result.days} days for {years}; {len(result.moved)} deadlines recomputed")
        for m in result.moved:
            label = m.object._meta.label
            mark = " (provisional)" if m.provisional else ""
            self.stdout.write(f"  {label} #{m.object.pk} {m.field}: {m.before} -> {m.after}{mark}")
