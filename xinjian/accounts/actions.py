"""State changes of accounts (architecture rule 1)."""

from __future__ import annotations

from typing import Any

from axes.utils import reset
from django.db import transaction
from django.utils.translation import gettext

from xinjian.core import audit
from xinjian.core.errors import DomainError, field_error

from .models import TokenFailures


@transaction.atomic
def unlock(*, actor: Any, username: str = "", address: str = "", reason: str = "") -> int:
    """Lift a login lockout of `username` and/or `address` (and the address's API-token
    lockout) before its cool-off ends. Returns how many records were cleared."""
    username, address = username.strip(), address.strip()
    if not username and not address:
        raise DomainError(
            gettext("请指定用户名或地址"),
            code="nothing_to_unlock",
            details=[field_error("username", "required", gettext("请指定用户名或地址"))],
        )
    cleared = 0
    if username:
        cleared += reset(username=username)
    if address:
        cleared += reset(ip=address)
        cleared += TokenFailures.objects.filter(address=address).delete()[0]
    audit.record(
        "accounts.login.unlocked",
        actor=actor,
        object_type="auth.login",
        object_id=(username or address)[:64],
        after={"username": username, "address": address, "cleared": cleared},
        reason=reason,
    )
    return cleared
