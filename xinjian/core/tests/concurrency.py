"""Helpers for the double-submit tests. A double-submitted step changes the object once and reports it once: two requests that
both loaded the object in the state before the step, taken at the same moment on two
database connections. The engine locks the row and checks the committed state, so the
second request finds the step already taken (InvalidTransition) and emits nothing.
PostgreSQL only: SQLite serialises writers anyway and has no row locks."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from xinjian.core.errors import InvalidTransition

# For each app's double-submit test: transactional (the threads see committed rows), on
# PostgreSQL only.
concurrent = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL"),
]


def double_submit(load: Callable[[], Any], step: Callable[[Any], Any]) -> list[Any]:
    """Each of two threads loads the object on its own connection, waits for the other,
    then takes the step. Returns what each got (a result or the exception)."""
    ready = threading.Barrier(2, timeout=30)
    out: list[Any] = []

    def run() -> None:
        try:
            obj = load()
            ready.wait()
            out.append(step(obj))
        except Exception as e:  # noqa: BLE001 - the outcome is what is compared
            out.append(e)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return out


def one_success(out: list[Any]) -> None:
    assert len(out) == 2
    errors = [o for o in out if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], InvalidTransition), out
