"""`manage.py refresh_search_index [--full]`: bring the public search index up to date
(new and renamed enterprises), or rebuild it from the register with --full."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from xinjian.disclosure import search


class Command(BaseCommand):
    help = "更新公众查询索引"

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--full", action="store_true", help="从登记库全量重建")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        if opts["full"]:
            n = search.rebuild(progress=lambda done: self.stdout.write(f"  {done} indexed", ending="\r"))
        else:
            n = search.refresh()
        self.stdout.write(f"{n} enterprises indexed")
