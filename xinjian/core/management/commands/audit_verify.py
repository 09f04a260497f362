"""python manage.py audit_verify [--head ID:HASH ...]

Checks that the audit trail is intact (interfaces.md v1.1): every entry's hash matches
its content and the entry before it, and every chain head published in the open data
(plus any given with --head, e.g. an outsider's copies) is still in the chain. Exit 0
when intact; 1, naming the first altered or missing entry, when not."""

from django.core.management.base import BaseCommand, CommandError

from xinjian.core.audit import published_heads, verify_chain


def _head(value: str) -> tuple[str, int, str]:
    entry_id, _, digest = value.partition(":")
    if not entry_id.isdigit() or len(digest) != 64:
        raise CommandError(f"--head {value!r}: expected ID:SHA256")
    return ("--head", int(entry_id), digest.lower())


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain; exit 1 naming the first altered or missing entry."

    def add_arguments(self, parser):
        parser.add_argument(
            "--head", action="append", default=[], help="ID:SHA256 of a chain head kept outside (repeatable)"
        )

    def handle(self, *args, head, **options):
        heads = published_heads() + [_head(h) for h in head]
        checked, broken = verify_chain(heads)
        if broken is not None:
            self.stderr.write(f"audit trail NOT intact after {checked} good entries: {broken}")
            raise SystemExit(1)
        self.stdout.write(
            f"audit trail intact: {checked} entries, {len(heads)} published heads still in the chain"
        )
