"""Who performs an action: a staff or enterprise user, an API client, or the system.

Every action takes a keyword-only `actor`; `as_actor` turns any of those into one shape so
that audit rows and modification stamps read the same everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Actor:
    label: str
    user: Any = None  # django User when a person acted

    def __str__(self) -> str:
        return self.label


SYSTEM = Actor("system")
CLOCK = Actor("system:clock")


def as_actor(who: Any) -> Actor:
    if isinstance(who, Actor):
        return who
    if who is None:
        raise ValueError("an action needs an actor")
    if isinstance(who, str):
        return Actor(who)
    # An API client (sharing.ApiClient) names itself.
    if hasattr(who, "actor_label"):
        return Actor(who.actor_label)
    # A django user.
    if getattr(who, "is_authenticated", False):
        return Actor(who.get_username(), user=who)
    raise ValueError(f"cannot act as {who!r}")
