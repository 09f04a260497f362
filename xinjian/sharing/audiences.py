"""Audiences: a subscription may be limited to the enterprises of an audience named by
another app (`"association:12"`: the members of industry association 12, registered by
the integrity app). Sharing asks the registered function for the USCCs when it fans out,
so membership has one source and no import of that app here."""

from __future__ import annotations

from collections.abc import Callable

_AUDIENCES: dict[str, Callable[[str], set[str]]] = {}


def register(kind: str, members: Callable[[str], set[str]]) -> None:
    """`members(key)` returns the USCCs of audience `kind:key` now."""
    _AUDIENCES[kind] = members


def members(audience: str) -> set[str]:
    """The USCCs of an audience ("" is not an audience); an unknown one has none, so a
    subscription naming it receives nothing rather than everything."""
    kind, _sep, key = audience.partition(":")
    fn = _AUDIENCES.get(kind)
    return fn(key) if fn is not None else set()
