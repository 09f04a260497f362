"""python manage.py create_api_client NAME --scopes SCOPES [--region CODE]

Prints the bearer token alone on its last line (interfaces.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from xinjian.core import audit
from xinjian.core.actors import Actor
from xinjian.registry.identifiers import IdentifierError, normalize_division
from xinjian.sharing.models import ApiClient, Scope


class Command(BaseCommand):
    help = "Create an API client and print its token (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--scopes", required=True, help="comma-separated: " + ",".join(Scope.values))
        parser.add_argument("--region", default="", help="division code the client may read")

    def handle(self, *args, name, scopes, region, **options):
        wanted = [s.strip() for s in scopes.split(",") if s.strip()]
        unknown = [s for s in wanted if s not in Scope.values]
        if unknown or not wanted:
            raise CommandError(f"unknown scopes {unknown}; choose from {', '.join(Scope.values)}")
        if region:
            try:
                region = normalize_division(region)
            except IdentifierError as e:
                raise CommandError(e.message)
        if ApiClient.objects.filter(name=name).exists():
            raise CommandError(f"an API client named {name!r} exists already")
        with transaction.atomic():
            client, token = ApiClient.issue(name, wanted, region)
            audit.record(
                "api_client.created",
                client,
                actor=Actor("cli"),
                after={"scopes": wanted, "region_code": region},
            )
        self.stdout.write(f"created API client {name} with scopes {','.join(wanted)}")
        self.stdout.write(token)
