"""Reference data loaders: rows a data migration seeds (divisions, key-area types, rule
tables, the calendar…). Each app registers an idempotent loader in its AppConfig.ready();
data migrations may call the same functions. The test suite calls `ensure_loaded` because
transactional tests flush the database, seeded rows included."""

from __future__ import annotations

from collections.abc import Callable

_LOADERS: list[Callable[[], None]] = []


def register(fn: Callable[[], None]) -> Callable[[], None]:
    _LOADERS.append(fn)
    return fn


def ensure_loaded() -> None:
    for fn in _LOADERS:
        fn()
