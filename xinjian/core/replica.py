"""An optional streaming read replica behind the public portal (ADR 0099).

With `DATABASE_REPLICA_URL` set, settings add the database alias `replica`, this module's
router and its middleware. Only anonymous-style public reads go there: GET and HEAD
requests under `/public/` and `/api/v1/public/` (not `/public/my/`, an enterprise user's
own pages, which must read what that user has just written). Everything else — staff
pages, APIs that write, clocks, workers, every write — uses `default`, the primary.

The router sends ORM reads to the replica while such a request runs (a context variable,
so threads and async tasks do not leak it); code that opens a cursor itself asks
`read_connection()` for the connection the router would pick. Without a replica alias
both give `default`, so nothing changes for an instance without one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PUBLIC_PREFIXES = ("/public/", "/api/v1/public/")
PRIVATE_PREFIXES = ("/public/my/",)
_reading_replica: ContextVar[bool] = ContextVar("xinjian_reading_replica", default=False)


def replica_alias() -> str | None:
    """The alias public reads use now: `replica` inside a public read request when one is
    configured, else None (the router's "no opinion": `default`)."""
    if _reading_replica.get() and REPLICA in settings.DATABASES:
        return REPLICA
    return None


def read_connection() -> Any:
    """The connection a public read should use for raw SQL (the router's choice)."""
    return connections[replica_alias() or DEFAULT_DB_ALIAS]


@contextmanager
def reading_replica() -> Iterator[None]:
    token = _reading_replica.set(True)
    try:
        yield
    finally:
        _reading_replica.reset(token)


def is_public_read(request: HttpRequest) -> bool:
    path = request.path_info
    return (
        request.method in ("GET", "HEAD")
        and path.startswith(PUBLIC_PREFIXES)
        and not path.startswith(PRIVATE_PREFIXES)
    )


class ReplicaRouter:
    """DATABASE_ROUTERS entry: public reads to the replica, the rest to `default`."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return replica_alias()

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True  # the replica is a copy of the primary: the same rows on both

    def allow_migrate(
        self, db: str, app_label: str, model_name: str | None = None, **hints: Any
    ) -> bool | None:
        return db != REPLICA  # streaming replication copies the schema; never migrate it


class PublicReplicaMiddleware:
    """Runs a public GET/HEAD with reads routed to the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_public_read(request):
            with reading_replica():
                return self.get_response(request)
        return self.get_response(request)
